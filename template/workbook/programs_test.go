package workbook

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// Tests in this file use workbooks written or re-saved by other programs:
// LibreOffice (soffice, python3-uno) and Debian's python3-openpyxl. The
// committed fixtures are read on every run; -update regenerates them. The
// LibreOffice acceptance test always runs soffice: it fails, loudly, when
// soffice or python3-uno is missing (make deps installs them).

const python = "/usr/bin/python3" // Debian's python, with openpyxl and uno

// typedAsText are the cells the fill scripts enter as text, the way
// people paste numbers; reading them gives a CELL-FORMAT warning each.
var typedAsText = map[string]string{
	schema.CellKey("t3", "received", "natural"):     "５０",
	schema.CellKey("t3", "carried_over", "natural"): "2",
	schema.CellKey("t3", "disclosed", "business"):   " 3 ",
	schema.CellKey("t2", "licensing", "decisions"):  "1,520",
}

// typedText is the text a cell is entered as, when it is one of
// typedAsText and the text reads as the cell's value.
func typedText(r *schema.Report, p *tablePlan, v valueCell) (string, bool) {
	row, col := p.t.Rows[v.ri], p.t.Rows[v.ri].Cols[v.ci]
	s, ok := typedAsText[schema.CellKey(p.t.ID, row.Key, col.Key)]
	val := r.Tables[p.t.ID].Values[v.ri][v.ci]
	if !ok || !val.OK() {
		return "", false
	}
	pv, err := schema.ParseNumber(s, col.Kind)
	return s, err == nil && pv.OK() && pv.Num.Cmp(val.Num) == 0
}

// fillCell is one value to type: [sheet, cell, value, kind].
type fillCell [4]string

// fillPlan lists what a person types into a blank template to fill in r:
// the fields, the paragraphs and every input cell of the tables.
func fillPlan(r *schema.Report) []fillCell {
	var out []fillCell
	for i, mf := range schema.MetaFields {
		v := mf.Get(&r.Meta).Value
		if v == "" {
			continue
		}
		kind := "text"
		if mf.Kind == schema.FieldYear {
			kind = "number"
		}
		out = append(out, fillCell{sheetMeta, cellRef(2, metaFirstRow+i), v, kind})
	}
	blocks := func(sheet string, first int, bs []schema.Block) {
		for i, b := range bs {
			if b.Kind == schema.Heading {
				out = append(out, fillCell{sheet, cellRef(1, first+i), markHeading, "text"})
			}
			out = append(out, fillCell{sheet, cellRef(2, first+i), b.Text, "text"})
		}
	}
	blocks(sheetMeta, metaFirstRow+len(schema.MetaFields)+2, r.Intro)
	for _, s := range r.Format.Sections {
		if s.Kind == schema.Narrative {
			blocks(narrativeSheet(s), narrFirstRow, r.Narrative[s.Key])
			continue
		}
		p := planTable(r.Format, r.Format.Table(s.Table))
		d := r.Tables[p.t.ID]
		for _, v := range p.inputs() {
			val := d.Values[v.ri][v.ci]
			if val.IsBlank() {
				continue
			}
			if s, ok := typedText(r, p, v); ok {
				out = append(out, fillCell{p.sheet, v.at.ref(), s, "text"})
				continue
			}
			kind := "number"
			if val.State == schema.Invalid {
				kind = "text"
			}
			out = append(out, fillCell{p.sheet, v.at.ref(), val.Text(), kind})
		}
	}
	// the 说明 sheet, a place at a table cell typed as the cell (表二!B8)
	refs := map[string]string{}
	for _, p := range plans(r.Format) {
		for _, v := range p.values {
			row := p.t.Rows[v.ri]
			refs[schema.CellKey(p.t.ID, row.Key, row.Cols[v.ci].Key)] = p.sheet + "!" + v.at.ref()
		}
	}
	for i, e := range r.Explanations {
		place := e.Place
		if ref, ok := refs[place]; ok {
			place = ref
		}
		row := explFirstRow + i
		out = append(out, fillCell{sheetExplain, cellRef(1, row), e.Rule, "text"},
			fillCell{sheetExplain, cellRef(2, row), place, "text"}, fillCell{sheetExplain, cellRef(4, row), e.Reason, "text"})
	}
	return out
}

// wantTyped are the findings reading a workbook filled by fillPlan gives.
func wantTyped(r *schema.Report) []string {
	var out []string
	for _, p := range plans(r.Format) {
		for _, v := range p.inputs() {
			if _, ok := typedText(r, p, v); ok {
				out = append(out, "CELL-FORMAT warning "+p.sheet+"!"+v.at.ref())
			}
		}
	}
	slices.Sort(out)
	return out
}

func need(t *testing.T, prog string) {
	t.Helper()
	if _, err := exec.LookPath(prog); err != nil {
		t.Fatalf("%s is needed for this test and is missing (make deps installs it): %v", prog, err)
	}
}

func runProg(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// writeTemp writes data to a file in a temporary directory.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sameReport compares a report read from a workbook with the YAML fixture.
func sameReport(t *testing.T, got, want *schema.Report) {
	t.Helper()
	a, b := yamlfile.Write(want), yamlfile.Write(got)
	if !bytes.Equal(a, b) {
		t.Errorf("the report read differs from the fixture:\n%s", diff(string(a), string(b)))
	}
}

func checkFindings(t *testing.T, r *schema.Report, want []string) {
	t.Helper()
	got := findings(r)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		for _, f := range r.Issues {
			t.Logf("  %s %s", f.Location, f.Message)
		}
	}
}

// TestOtherPrograms reads the committed fixtures written by other programs.
func TestOtherPrograms(t *testing.T) {
	want := readYAML(t, "testdata/filled.yaml")
	if *update {
		regenerate(t, want)
	}
	t.Run("libreoffice", func(t *testing.T) {
		r := readFile(t, "testdata/libreoffice.xlsx")
		sameReport(t, r, want)
		checkFindings(t, r, nil)
	})
	t.Run("openpyxl", func(t *testing.T) {
		r := readFile(t, "testdata/openpyxl.xlsx")
		sameReport(t, r, want)
		checkFindings(t, r, wantTyped(want))
	})
}

// regenerate rewrites the fixtures: nianbao's workbook of filled.yaml
// re-saved by LibreOffice, and the blank template filled by openpyxl.
func regenerate(t *testing.T, r *schema.Report) {
	need(t, "soffice")
	filled := writeTemp(t, "filled.xlsx", write(t, r))
	runProg(t, "bash", "testdata/resave_libreoffice.sh", filled, "testdata/libreoffice.xlsx")
	blank := writeTemp(t, "blank.xlsx", write(t, schema.NewReport(nil)))
	plan, _ := json.MarshalIndent(fillPlan(r), "", " ")
	planPath := writeTemp(t, "plan.json", plan)
	runProg(t, python, "testdata/fill_openpyxl.py", blank, planPath, "testdata/openpyxl.xlsx")
}

// TestLibreOfficeFill is the acceptance test: the blank template is opened
// in LibreOffice, filled cell by cell the way a person types (numbers typed,
// some numbers entered as text), saved by LibreOffice and read back: the
// values and the findings are exact.
func TestLibreOfficeFill(t *testing.T) {
	need(t, "soffice")
	if err := exec.Command(python, "-c", "import uno").Run(); err != nil {
		t.Fatalf("%s cannot import uno (python3-uno is needed; make deps installs it): %v", python, err)
	}
	for _, fixture := range []string{"testdata/filled.yaml", "testdata/errors.yaml"} {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			want := readYAML(t, fixture)
			blank := writeTemp(t, "template.xlsx", write(t, schema.NewReport(nil)))
			plan, _ := json.Marshal(fillPlan(want))
			planPath := writeTemp(t, "plan.json", plan)
			out := filepath.Join(t.TempDir(), "filled-by-libreoffice.xlsx")
			runProg(t, python, "testdata/fill_uno.py", blank, planPath, out)
			r := readFile(t, out)
			wantFindings := wantTyped(want)
			// a person fills the input cells only: every total reads back
			// as the sum of its parts, whatever the fixture holds
			fixTotals(want)
			sameReport(t, r, want)
			checkFindings(t, r, wantFindings)
		})
	}
}

// fixTotals sets every computed cell of r to the sum of its parts, which is
// what a workbook filled through its input cells holds.
func fixTotals(r *schema.Report) {
	for _, p := range plans(r.Format) {
		d := r.Tables[p.t.ID]
		for _, k := range p.order {
			v := recompute(d, p.computed[k])
			v.Loc = d.Values[k[0]][k[1]].Loc
			d.Values[k[0]][k[1]] = v
		}
	}
}

// TestPrint converts the template to PDF with LibreOffice: every official
// label must be on the printed pages, one page per sheet, A4. The PNGs of
// the pages are left in $NIANBAO_PNG when it is set, to look at.
func TestPrint(t *testing.T) {
	need(t, "soffice")
	need(t, "pdftotext")
	need(t, "pdftoppm")
	r := readYAML(t, "testdata/filled.yaml")
	dir := t.TempDir()
	in := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(in, write(t, r), 0o644); err != nil {
		t.Fatal(err)
	}
	runProg(t, "soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, in)
	pdf := filepath.Join(dir, "report.pdf")
	out, err := exec.Command("pdftotext", "-raw", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := normLabel(string(out))
	for _, tb := range r.Format.Tables {
		for _, row := range tb.Layout {
			for _, c := range row {
				if c.Text != "" && !strings.Contains(text, normLabel(c.Text)) {
					t.Errorf("%s: label %q not printed", tb.Name, c.Text)
				}
			}
		}
	}
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err == nil {
		s := string(info)
		if !strings.Contains(s, "(A4)") {
			t.Errorf("pages are not A4:\n%s", s)
		}
		for _, line := range strings.Split(s, "\n") {
			if n, ok := strings.CutPrefix(line, "Pages:"); ok {
				if pages, _ := strconv.Atoi(strings.TrimSpace(n)); pages != 3+len(r.Format.Sections) { // 填报说明, 基本信息, the sections, 说明
					t.Errorf("%d pages, want one per sheet (%d)", pages, 3+len(r.Format.Sections))
				}
			}
		}
	}
	if png := os.Getenv("NIANBAO_PNG"); png != "" {
		runProg(t, "pdftoppm", "-r", "60", "-png", pdf, filepath.Join(png, "page"))
	}
}
