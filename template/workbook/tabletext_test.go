package workbook

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// tableText are the reports whose table sections carry text printed before
// the table: the hand-made fixture and the imported seed 004 (a paragraph
// under 四).
var tableText = []string{
	"testdata/tabletext.yaml",
	"../published/testdata/golden/004.yaml",
}

// TestTableTextRoundTrip: text before a table survives YAML → xlsx → YAML
// byte for byte, with no finding at all: the text area is not a moved table.
func TestTableTextRoundTrip(t *testing.T) {
	for _, path := range tableText {
		t.Run(path, func(t *testing.T) {
			r := readYAML(t, path)
			n := 0
			for _, s := range r.Format.Sections {
				if s.Kind == schema.TableSection {
					n += len(r.Narrative[s.Key])
				}
			}
			if n == 0 {
				t.Fatal("fixture has no text in a table section")
			}
			want := yamlfile.Write(r)
			x := write(t, r)
			back := read(t, "r.xlsx", x)
			for _, f := range back.Issues {
				if !strings.Contains(f.Message, "导入时发现") { // an import's own findings, again
					t.Errorf("finding reading our own workbook: %s %s %s", f.Location, f.Rule, f.Message)
				}
			}
			if got := yamlfile.Write(back); !bytes.Equal(got, want) {
				t.Errorf("YAML → xlsx → YAML changed the report:\n%s", diff(string(want), string(got)))
			}
		})
	}
}

// TestTableTextPlacement: the text sits above the table on the table's own
// sheet, in unlocked cells, and the values are read from their moved cells.
func TestTableTextPlacement(t *testing.T) {
	r := readYAML(t, "testdata/tabletext.yaml")
	x := write(t, r)
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	locked := func(sh, ref string) bool {
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
	back := read(t, "r.xlsx", x)
	for _, s := range r.Format.Sections {
		if s.Kind != schema.TableSection {
			continue
		}
		tb := r.Format.Table(s.Table)
		blocks := r.Narrative[s.Key]
		p := planTable(r.Format, tb)
		if head, _ := f.GetCellValue(tb.Name, "A2"); !strings.HasPrefix(head, textLabel) || !locked(tb.Name, "A2") {
			t.Errorf("%s!A2 = %q, want the locked text area header", tb.Name, head)
		}
		for i, b := range blocks {
			row := tableTopRow + 1 + i
			ref := cellRef(1, row)
			if got, _ := f.GetCellValue(tb.Name, ref); got != b.Text {
				t.Errorf("%s!%s = %q, want %q", tb.Name, ref, got, b.Text)
			}
			if locked(tb.Name, ref) || locked(tb.Name, cellRef(p.markCol(), row)) {
				t.Errorf("%s!%s: text and marker cells must be unlocked", tb.Name, ref)
			}
			mark, _ := f.GetCellValue(tb.Name, cellRef(p.markCol(), row))
			if (mark == markHeading) != (b.Kind == schema.Heading) {
				t.Errorf("%s row %d: marker %q for a %v block", tb.Name, row, mark, b.Kind)
			}
		}
		// the first value cell moved down by the area, and is read from there
		down := p.down(1 + len(blocks))
		want := down.at[[2]int{0, 0}].ref()
		if loc := back.Tables[tb.ID].Values[0][0].Loc; loc.Sheet != tb.Name || loc.Cell != want {
			t.Errorf("%s first value read at %v, want %s", tb.Name, loc, want)
		}
		// the totals are live formulas over the moved cells
		for key, fm := range down.computed {
			ref := down.at[key].ref()
			got, _ := f.GetCellFormula(tb.Name, ref)
			if fixFormula(got) != fixFormula(down.sumFormula(fm, pos{})) {
				t.Errorf("%s!%s formula %q", tb.Name, ref, got)
			}
			break
		}
	}
}

// TestTableTextEdits: what a person does to the text area reads back
// without a LAYOUT finding: clearing it, adding a row inside it, adding a
// paragraph in a cell as several lines.
func TestTableTextEdits(t *testing.T) {
	r := readYAML(t, "testdata/tabletext.yaml")
	base := write(t, r)
	filled := readYAML(t, "testdata/filled.yaml")
	filled.Explanations = nil // tabletext.yaml is filled.yaml with text above the tables, and no 说明
	plain := yamlfile.Write(filled)
	tests := []struct {
		name  string
		edit  func(f *excelize.File) error
		check func(t *testing.T, back *schema.Report)
	}{
		{
			name: "text cleared",
			edit: func(f *excelize.File) error {
				for _, s := range r.Format.Sections {
					if s.Kind != schema.TableSection {
						continue
					}
					p := planTable(r.Format, r.Format.Table(s.Table))
					for i := range r.Narrative[s.Key] {
						for _, col := range []int{1, p.markCol()} {
							if err := f.SetCellValue(p.sheet, cellRef(col, tableTopRow+1+i), nil); err != nil {
								return err
							}
						}
					}
				}
				return nil
			},
			check: func(t *testing.T, back *schema.Report) {
				if got := yamlfile.Write(back); !bytes.Equal(got, plain) {
					t.Errorf("an emptied text area changed the report:\n%s", diff(string(plain), string(got)))
				}
			},
		},
		{
			name: "row inserted in the text area",
			edit: func(f *excelize.File) error {
				if err := f.UnprotectSheet("表四"); err != nil {
					return err
				}
				if err := f.InsertRows("表四", 3, 1); err != nil {
					return err
				}
				return f.SetCellStr("表四", "A3", "新加的一段。")
			},
			check: func(t *testing.T, back *schema.Report) {
				got := back.Narrative["appeals"]
				if len(got) != 2 || got[0].Text != "新加的一段。" || got[1].Text != r.Narrative["appeals"][0].Text {
					t.Errorf("表四 text = %v", got)
				}
				if v := back.Cell("t4", "review", "maintained"); v == nil || !v.OK() || v.Loc.Cell != "A8" {
					t.Errorf("表四 first value = %v", v)
				}
			},
		},
		{
			name: "a paragraph equal to the table's first label",
			edit: func(f *excelize.File) error {
				return f.SetCellStr("表四", "A3", planTable(r.Format, r.Format.Table("t4")).labels[0].cell.Text)
			},
			check: func(t *testing.T, back *schema.Report) {
				first := planTable(r.Format, r.Format.Table("t4")).labels[0].cell.Text
				if got := back.Narrative["appeals"]; len(got) != 1 || got[0].Text != first {
					t.Errorf("表四 text = %v", got)
				}
				if v := back.Cell("t4", "review", "maintained"); v == nil || !v.OK() || v.Loc.Cell != "A7" {
					t.Errorf("表四 first value = %v", v)
				}
			},
		},
		{
			name: "two paragraphs in one cell",
			edit: func(f *excelize.File) error {
				return f.SetCellStr("表二", "A3", "第一段。\n第二段。")
			},
			check: func(t *testing.T, back *schema.Report) {
				got := back.Narrative["active"]
				if len(got) != 2 || got[0].Text != "第一段。" || got[1].Text != "第二段。" || got[1].Loc.Cell != "A3" {
					t.Errorf("表二 text = %v", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			back := read(t, "r.xlsx", edit(t, base, tt.edit))
			for _, f := range back.Issues {
				t.Errorf("finding: %s %s %s", f.Location, f.Rule, f.Message)
			}
			tt.check(t, back)
		})
	}
}

// TestPreviousVersion: a workbook written before table sections could carry
// text (the committed golden) still reads as the report it was written from.
func TestPreviousVersion(t *testing.T) {
	back := readFile(t, "testdata/filled.golden.xlsx")
	if len(back.Issues) > 0 {
		t.Errorf("findings: %v", findings(back))
	}
	want := yamlfile.Write(readYAML(t, "testdata/filled.yaml"))
	if got := yamlfile.Write(back); !bytes.Equal(got, want) {
		t.Errorf("previous workbook read differently:\n%s", diff(string(want), string(got)))
	}
}
