package schema_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// officialLabels returns every label the declarations spell: section
// headings, table notes, row, column and layout labels.
func officialLabels() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if utf8.RuneCountInString(s) >= 2 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, f := range []*schema.Format{schema.Format2021, schema.Format2019} {
		for _, s := range f.Sections {
			add(s.Title)
			add(s.Heading())
			for _, a := range s.Aliases {
				add(a)
			}
		}
		for _, t := range f.Tables {
			add(t.Note)
			for _, r := range t.Rows {
				add(r.Label)
				for _, c := range r.Cols {
					add(c.Label)
				}
			}
			for _, row := range t.Layout {
				for _, c := range row {
					add(c.Text)
				}
			}
		}
	}
	return out
}

// TestLabelsDeclaredOnce enforces the architecture: no Go code outside
// package schema spells an official label. A string literal that equals a
// label, or contains a label of five characters or more, is a violation.
// Tests, test data and the rule catalogue's Title and Doc texts (prose for
// people, which quotes labels) are exempt.
func TestLabelsDeclaredOnce(t *testing.T) {
	labels := officialLabels()
	if len(labels) < 40 {
		t.Fatalf("only %d labels found", len(labels))
	}
	root := ".."
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "testdata", ".git", "out", "bin":
				return filepath.SkipDir
			}
			return nil
		}
		// render/internal/sample is test support: a sample report's prose.
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == filepath.Join(root, "schema") ||
			strings.Contains(filepath.ToSlash(path), "/internal/sample/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && (id.Name == "Title" || id.Name == "Doc") {
					return false
				}
			}
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, l := range labels {
				if s == l || (utf8.RuneCountInString(l) >= 5 && strings.Contains(s, l)) {
					t.Errorf("%s spells the official label %q; walk the declaration in package schema instead", fset.Position(lit.Pos()), l)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
