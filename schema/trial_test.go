package schema_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// The field the trial adds: the example of issue 9, an optional text. It
// is not declared for real: the 2021 format has no such field. Should it
// be declared one day, the trial adds another.
var trial = struct{ key, label, note, member string }{"credit_code", "统一社会信用代码", "18 位，可不填", "CreditCode"}

// trialEnv names the trial's field to the tests it runs.
const trialEnv = "NIANBAO_FIELD_TRIAL"

// trialPackages and trialTests are the tests that hold the consumers of
// the metadata fields to the declaration whatever it declares (no test of
// one of these packages has the name of another's). The golden files
// (YAML, workbook, import, next year's template) are left out: a new
// field adds its line to each, the "plus its tests" of the acceptance.
var (
	trialPackages = []string{"./schema", "./template/yamlfile", "./template/workbook", "./cmd/internal/web"}
	trialTests    = []string{
		"TestMetaFields", "TestLabelsDeclaredOnce", // schema
		"TestLocations",                                                            // yamlfile
		"TestEdits", "TestOtherPrograms", "TestRoundTripYAML", "TestDeterministic", // workbook
		"TestEveryMetaField", // web
	}
)

// TestFieldTrial adds a metadata field the way a newcomer would — one
// entry in schema.MetaFields and a Text in schema.Meta, nothing else — and
// runs, with the field, the tests that hold every consumer to the
// declaration (the YAML file, the workbook and one saved before the field
// existed, next year's template, META, the renderers, /api/v1/format and
// the form). It uses go test -overlay: the tree is not touched. This is
// the acceptance "adding a field is one entry in the declaration plus its
// tests" of issue 9, tried again on every run.
func TestFieldTrial(t *testing.T) {
	tr := trial
	if schema.MetaField(tr.key) != nil {
		tr.key, tr.label, tr.note, tr.member = "trial_field", "试加字段", "可不填", "TrialField"
	}
	entry := fmt.Sprintf("{Key: %q, Label: %q, Note: %q, Get: func(m *Meta) *Text { return &m.%s }},", tr.key, tr.label, tr.note, tr.member)
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	if _, err := os.Stat(goTool); err != nil {
		t.Fatalf("the go command is needed to run the field trial: %v", err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	overlay := map[string]string{}
	patch := func(file string, at func(f *ast.File, fset *token.FileSet) int, insert string) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		off := at(f, fset)
		if off < 0 {
			t.Fatalf("%s: where the trial inserts %q is not found; update TestFieldTrial", file, insert)
		}
		out := string(src[:off]) + insert + string(src[off:])
		name := filepath.Join(dir, filepath.Base(file))
		if err := os.WriteFile(name, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		overlay[filepath.Join(root, "schema", filepath.Base(file))] = name
	}
	// the entry goes second in MetaFields, after the agency: every field
	// after it moves one place down, as in the real trial
	patch("meta.go", func(f *ast.File, fset *token.FileSet) int {
		lit := varValue(f, "MetaFields")
		if lit == nil || len(lit.Elts) < 2 {
			return -1
		}
		return fset.Position(lit.Elts[1].Pos()).Offset
	}, entry+"\n\t")
	patch("report.go", func(f *ast.File, fset *token.FileSet) int {
		st := structType(f, "Meta")
		if st == nil {
			return -1
		}
		return fset.Position(st.Fields.Opening).Offset + 1
	}, "\n\t"+tr.member+" Text // the field trial")
	js, _ := json.Marshal(map[string]any{"Replace": overlay})
	ov := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(ov, js, 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"test", "-overlay", ov, "-count=1", "-run", "^(" + strings.Join(trialTests, "|") + ")$"}, trialPackages...)
	cmd := exec.Command(goTool, args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), trialEnv+"="+tr.key)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("with the field %s added (%s in MetaFields), go %s fails: %v\n%s", tr.label, entry, strings.Join(args, " "), err, out)
	}
	t.Logf("%s", strings.TrimSpace(string(out)))
	for _, pkg := range trialPackages {
		if !strings.Contains(string(out), "ok  \tgithub.com/nianbao/nianbao/"+strings.TrimPrefix(pkg, "./")) {
			t.Errorf("%s did not run:\n%s", pkg, out)
		}
	}
}

// varValue is the composite literal a package-level var is set to.
func varValue(f *ast.File, name string) *ast.CompositeLit {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if n.Name == name && i < len(vs.Values) {
					lit, _ := vs.Values[i].(*ast.CompositeLit)
					return lit
				}
			}
		}
	}
	return nil
}

// structType is the struct a package-level type declares.
func structType(f *ast.File, name string) *ast.StructType {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			if ts := s.(*ast.TypeSpec); ts.Name.Name == name {
				st, _ := ts.Type.(*ast.StructType)
				return st
			}
		}
	}
	return nil
}
