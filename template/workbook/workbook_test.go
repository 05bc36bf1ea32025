package workbook

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template/yamlfile"
)

var update = flag.Bool("update", false, "rewrite golden files and fixtures")

// yamlInputs are the YAML reports every round trip runs over: this
// package's fixtures and the examples of the repository.
func yamlInputs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"testdata/*.yaml", "../../examples/*.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Fatal("no YAML inputs found")
	}
	return out
}

func readYAML(t *testing.T, path string) *schema.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := yamlfile.Read(path, data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

func write(t *testing.T, r *schema.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func read(t *testing.T, name string, data []byte) *schema.Report {
	t.Helper()
	r, err := Read(name, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func readFile(t *testing.T, path string) *schema.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return read(t, filepath.Base(path), data)
}

// TestRoundTripYAML: YAML → xlsx → YAML gives the same report, byte for
// byte, for every fixture and example.
func TestRoundTripYAML(t *testing.T) {
	for _, path := range yamlInputs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r := readYAML(t, path)
			want := yamlfile.Write(r)
			x := write(t, r)
			back := read(t, "r.xlsx", x)
			for _, f := range back.Issues {
				if f.Rule != check.Layout || f.Severity != schema.Warning {
					t.Errorf("unexpected finding reading our own workbook: %s %s %s", f.Location, f.Rule, f.Message)
				}
			}
			if got := yamlfile.Write(back); !bytes.Equal(got, want) {
				t.Errorf("YAML → xlsx → YAML changed the report:\n%s", diff(string(want), string(got)))
			}
			// xlsx → YAML → xlsx: the same workbook, byte for byte
			r2, err := yamlfile.Read("r.yaml", yamlfile.Write(back))
			if err != nil {
				t.Fatal(err)
			}
			if x2 := write(t, r2); !bytes.Equal(x, x2) {
				t.Error("xlsx → YAML → xlsx changed the workbook")
			}
		})
	}
}

// diff shows the first differing lines.
func diff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
			if len(out) > 20 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

func TestDeterministic(t *testing.T) {
	r := readYAML(t, "testdata/filled.yaml")
	if a, b := write(t, r), write(t, r); !bytes.Equal(a, b) {
		t.Fatal("two writes of the same report differ")
	}
}

// TestBlankTemplate: a blank template reads back with every table present,
// every cell blank and no finding.
func TestBlankTemplate(t *testing.T) {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value, r.Meta.Year.Value = "某某局", "2025"
	back := read(t, "blank.xlsx", write(t, r))
	if len(back.Issues) > 0 {
		for _, f := range back.Issues {
			t.Errorf("%s %s %s", f.Location, f.Rule, f.Message)
		}
	}
	if back.Meta.Agency.Value != "某某局" || back.Meta.Year.Value != "2025" {
		t.Errorf("meta = %q %q", back.Meta.Agency.Value, back.Meta.Year.Value)
	}
	for _, tb := range back.Format.Tables {
		d := back.Tables[tb.ID]
		if d == nil {
			t.Fatalf("%s absent", tb.Name)
		}
		for i, row := range d.Values {
			for j, v := range row {
				if v.State != schema.Blank {
					t.Errorf("%s %s %s = %v, want blank", tb.Name, tb.Rows[i].Key, tb.Rows[i].Cols[j].Key, v)
				}
				if v.Loc.Sheet != tb.Name || v.Loc.Cell == "" {
					t.Errorf("%s %s: location %v", tb.Name, tb.Rows[i].Key, v.Loc)
				}
			}
		}
	}
}

// TestPlan checks the layout walk against the declaration: every value cell
// placed once, every Column.Total cell computed by formula, and the
// （七）总计 row of 表三 computed too.
func TestPlan(t *testing.T) {
	f := schema.Current
	for _, tb := range f.Tables {
		p := planTable(f, tb)
		if len(p.values) != tb.CellCount() {
			t.Errorf("%s: %d value cells placed, want %d", tb.Name, len(p.values), tb.CellCount())
		}
		seen := map[pos]bool{}
		for _, v := range p.values {
			if seen[v.at] {
				t.Errorf("%s: two values at %s", tb.Name, v.at.ref())
			}
			seen[v.at] = true
		}
		for ri, row := range tb.Rows {
			for ci, col := range row.Cols {
				if col.Total && p.computed[[2]int{ri, ci}] == nil {
					t.Errorf("%s %s %s: total not computed", tb.Name, row.Key, col.Key)
				}
			}
		}
	}
	p := planTable(f, f.Table("t3"))
	ri := f.Table("t3").RowIndex("total")
	for ci := range f.Table("t3").Rows[ri].Cols {
		if p.computed[[2]int{ri, ci}] == nil {
			t.Errorf("表三 （七）总计 column %d not computed", ci)
		}
	}
	if got := p.at[[2]int{0, 0}].ref(); got != "D5" {
		t.Errorf("表三 first value at %s, want D5", got)
	}
}

// TestFormulaInjection: text starting with = + - @ is stored as text.
func TestFormulaInjection(t *testing.T) {
	r := readYAML(t, "testdata/filled.yaml")
	r.Meta.Agency.Value = "=HYPERLINK(\"http://evil\",\"x\")"
	r.Meta.Contact.Phone.Value = "+86 0439-3255077"
	r.Narrative["other"] = append(r.Narrative["other"], schema.Block{Text: "-1+2"}, schema.Block{Text: "@SUM(A1)"})
	x := write(t, r)
	book, err := openBook("x.xlsx", bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range book.sheets {
		for at, c := range s.cells {
			if c.hasF && !strings.HasPrefix(s.name, "表") {
				t.Errorf("%s!%s holds a formula %q", s.name, at.ref(), c.formula)
			}
		}
	}
	back := read(t, "x.xlsx", x)
	if back.Meta.Agency.Value != r.Meta.Agency.Value || back.Meta.Contact.Phone.Value != r.Meta.Contact.Phone.Value {
		t.Errorf("meta changed: %q %q", back.Meta.Agency.Value, back.Meta.Contact.Phone.Value)
	}
	other := back.Narrative["other"]
	if n := len(other); n < 2 || other[n-2].Text != "-1+2" || other[n-1].Text != "@SUM(A1)" {
		t.Errorf("narrative changed: %v", other)
	}
}

// TestHints: hints are shown beside their row and are not read back as content.
func TestHints(t *testing.T) {
	r := readYAML(t, "testdata/filled.yaml")
	r.Hints[schema.CellKey("t2", "normative", "valid")] = "2024年为 12；本年应为 12 + 本年制发件数 − 本年废止件数"
	x := write(t, r)
	book, err := openBook("x.xlsx", bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	p := planTable(r.Format, r.Format.Table("t2"))
	ri := r.Format.Table("t2").RowIndex("normative")
	c, ok := book.sheet("表二").cell(p.hintCol(), p.rowOf[ri])
	if !ok || !strings.Contains(c.v, "现行有效件数：2024年为 12") {
		t.Errorf("hint cell = %q", c.v)
	}
	back := read(t, "x.xlsx", x)
	if !bytes.Equal(yamlfile.Write(back), yamlfile.Write(readYAML(t, "testdata/filled.yaml"))) {
		t.Error("a hint changed the report read back")
	}
}

// TestProtection: every sheet is protected without a password; exactly the
// input cells are unlocked and carry data validation with a Chinese prompt;
// computed cells hold formulas.
func TestProtection(t *testing.T) {
	r := readYAML(t, "testdata/filled.yaml")
	f, err := excelize.OpenReader(bytes.NewReader(write(t, r)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		dvs, err := f.GetDataValidations(sh)
		if err != nil {
			t.Fatal(err)
		}
		validated := map[string]*excelize.DataValidation{}
		for _, dv := range dvs {
			for _, ref := range strings.Fields(dv.Sqref) {
				validated[ref] = dv
			}
		}
		locked := func(ref string) bool {
			id, err := f.GetCellStyle(sh, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			return st.Protection == nil || st.Protection.Locked
		}
		tb := tableBySheet(r.Format, sh)
		if tb == nil {
			continue
		}
		p := planTable(r.Format, tb)
		for _, v := range p.values {
			ref := v.at.ref()
			fm, _ := f.GetCellFormula(sh, ref)
			if p.computed[[2]int{v.ri, v.ci}] != nil {
				if fm == "" || !locked(ref) || validated[ref] != nil {
					t.Errorf("%s!%s: a total must be a locked formula without validation (formula %q)", sh, ref, fm)
				}
				continue
			}
			dv := validated[ref]
			if locked(ref) || dv == nil || dv.Prompt == nil || dv.Error == nil || fm != "" {
				t.Errorf("%s!%s: an input must be unlocked, validated, with prompts", sh, ref)
				continue
			}
			want := "whole"
			if tb.Rows[v.ri].Cols[v.ci].Kind == schema.Amount {
				want = "decimal"
			}
			if dv.Type != want || dv.Operator != "greaterThanOrEqual" || dv.Formula1 != "0" {
				t.Errorf("%s!%s: validation %s %s %s", sh, ref, dv.Type, dv.Operator, dv.Formula1)
			}
		}
		for _, l := range p.labels {
			if !locked(l.at.ref()) {
				t.Errorf("%s!%s: label not locked", sh, l.at.ref())
			}
		}
	}
	// protection without a password, in the sheet XML
	x := write(t, r)
	zr, _ := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	n := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, _ := zf.Open()
		body, _ := io.ReadAll(rc)
		rc.Close()
		s := string(body)
		if !strings.Contains(s, `<sheetProtection sheet="true"`) || strings.Contains(s, "password") || strings.Contains(s, "hashValue") {
			t.Errorf("%s: not protected, or protected with a password", zf.Name)
		}
		n++
	}
	if n := n - 3; n != len(r.Format.Sections) { // 填报说明, 基本信息, the sections, 说明
		t.Errorf("%d sheets, want %d", n+3, 3+len(r.Format.Sections))
	}
}

func tableBySheet(f *schema.Format, sheet string) *schema.Table {
	for _, t := range f.Tables {
		if t.Name == sheet {
			return t
		}
	}
	return nil
}

func BenchmarkWrite(b *testing.B) {
	r, err := yamlReport("testdata/filled.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Write(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	r, err := yamlReport("testdata/filled.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		b.Fatal(err)
	}
	x := buf.Bytes()
	b.SetBytes(int64(len(x)))
	for b.Loop() {
		if _, err := Read("r.xlsx", bytes.NewReader(x), int64(len(x))); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGolden: the blank template and the filled fixture are byte-identical
// to the committed workbooks (go test -update rewrites them).
func TestGolden(t *testing.T) {
	blank := schema.NewReport(nil)
	for _, tt := range []struct {
		golden string
		r      *schema.Report
	}{
		{"testdata/blank.golden.xlsx", blank},
		{"testdata/filled.golden.xlsx", readYAML(t, "testdata/filled.yaml")},
	} {
		got := write(t, tt.r)
		if *update {
			if err := os.WriteFile(tt.golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(tt.golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs (go test -update rewrites it)", tt.golden)
		}
	}
}
