package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
)

// edit opens a workbook written by Write, applies fn to it the way a person
// editing in a spreadsheet would, and returns the saved bytes.
func edit(t *testing.T, x []byte, fn func(f *excelize.File) error) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// want is one expected finding: "RULE severity location".
func findings(r *schema.Report) []string {
	var out []string
	for _, f := range r.Issues {
		out = append(out, fmt.Sprintf("%s %s %s", f.Rule, f.Severity, f.Location))
	}
	slices.Sort(out)
	return out
}

func TestEdits(t *testing.T) {
	base := write(t, readYAML(t, "testdata/filled.yaml"))
	cell := func(r *schema.Report, table, row, col string) *schema.Value { return r.Cell(table, row, col) }
	tests := []struct {
		name  string
		edit  func(f *excelize.File) error
		want  []string // findings, sorted
		check func(t *testing.T, r *schema.Report)
	}{
		{
			name: "untouched",
			edit: func(f *excelize.File) error { return nil },
		},
		{
			name: "edited label",
			edit: func(f *excelize.File) error {
				return f.SetCellStr("表三", "B7", "（一）予以公开（含部分公开）")
			},
			want: []string{"LAYOUT error 表三!B7"},
			check: func(t *testing.T, r *schema.Report) {
				if v := cell(r, "t3", "disclosed", "natural"); !v.OK() || v.Num.String() != "30" {
					t.Errorf("value under an edited label = %v", v)
				}
			},
		},
		{
			name: "row inserted inside the table",
			edit: func(f *excelize.File) error { return f.InsertRows("表三", 10, 1) },
			want: []string{"LAYOUT error 表三!C10"},
			check: func(t *testing.T, r *schema.Report) {
				if r.Tables["t3"] != nil {
					t.Error("a table with an inserted row was read")
				}
			},
		},
		{
			name: "column deleted",
			edit: func(f *excelize.File) error { return f.RemoveCol("表四", "C") },
			want: []string{"LAYOUT error 表四!F2"},
			check: func(t *testing.T, r *schema.Report) {
				if r.Tables["t4"] != nil {
					t.Error("a table with a deleted column was read")
				}
			},
		},
		{
			name: "row inserted above the table",
			edit: func(f *excelize.File) error { return f.InsertRows("表二", 1, 2) },
			want: []string{"LAYOUT warning 表二!A4"},
			check: func(t *testing.T, r *schema.Report) {
				v := cell(r, "t2", "fees", "amount")
				if !v.OK() || v.Num.String() != "7984.47" || v.Loc.Cell != "B17" {
					t.Errorf("fees = %v at %s", v.Num, v.Loc)
				}
			},
		},
		{
			name: "sheet renamed",
			edit: func(f *excelize.File) error { return f.SetSheetName("表二", "Sheet5") },
			want: []string{"LAYOUT warning Sheet5"},
			check: func(t *testing.T, r *schema.Report) {
				if v := cell(r, "t2", "licensing", "decisions"); !v.OK() || v.Num.String() != "1520" || v.Loc.String() != "Sheet5!B8" {
					t.Errorf("licensing = %v at %s", v.Num, v.Loc)
				}
			},
		},
		{
			name: "sheet deleted",
			edit: func(f *excelize.File) error { return f.DeleteSheet("五、存在的主要问题及改进情况") },
			want: []string{"LAYOUT error x.xlsx"},
			check: func(t *testing.T, r *schema.Report) {
				if _, ok := r.Narrative["problems"]; ok {
					t.Error("a deleted sheet was read")
				}
			},
		},
		{
			name: "total overwritten by a typed number",
			edit: func(f *excelize.File) error { return f.SetCellInt("表三", "J5", 99) },
			want: []string{"LAYOUT warning 表三!J5"},
			check: func(t *testing.T, r *schema.Report) {
				if v := cell(r, "t3", "received", "total"); !v.OK() || v.Num.String() != "99" {
					t.Errorf("typed total = %v", v)
				}
				// the （七）总计 total still sums its column
				if v := cell(r, "t3", "total", "total"); !v.OK() || v.Num.String() != "58" {
					t.Errorf("（七）总计 total = %v", v)
				}
			},
		},
		{
			name: "what people type",
			edit: func(f *excelize.File) error {
				for ref, s := range map[string]string{
					"D5": "５０", "E5": "1,234", "F5": " 7 ", "G5": "无", "H5": "-", "D6": "2", "B12": "７,９８４.４７",
				} {
					if err := f.SetCellStr(sheetOf(ref), ref, s); err != nil {
						return err
					}
				}
				if err := f.SetCellValue("表三", "I5", nil); err != nil {
					return err
				}
				return f.SetCellFormula("表三", "E6", "1+1")
			},
			want: []string{
				"CELL-FORMAT warning 表三!D5", "CELL-FORMAT warning 表三!D6", "CELL-FORMAT warning 表三!E5",
				"CELL-FORMAT warning 表三!F5",
			},
			check: func(t *testing.T, r *schema.Report) {
				for _, c := range []struct {
					col   string
					state schema.State
					text  string
				}{
					{"natural", schema.Number, "50"}, {"business", schema.Number, "1234"}, {"research", schema.Number, "7"},
					{"nonprofit", schema.Invalid, "无"}, {"legal", schema.Invalid, "-"}, {"other", schema.Blank, ""},
					{"total", schema.Number, "1291"},
				} {
					v := cell(r, "t3", "received", c.col)
					if v.State != c.state || v.Text() != c.text {
						t.Errorf("received %s = %v %q, want %v %q", c.col, v.State, v.Text(), c.state, c.text)
					}
				}
				if v := cell(r, "t3", "carried_over", "business"); v.State != schema.Invalid || v.Raw != "=1+1" {
					t.Errorf("formula in an input cell = %v %q", v.State, v.Raw)
				}
				// a decimal in a count cell (表二 行政强制) cannot be read
				if v := cell(r, "t2", "coercion", "decisions"); v.State != schema.Invalid || v.Raw != "７,９８４.４７" {
					t.Errorf("７,９８４.４７ in 表二!B12 = %v %q", v.State, v.Raw)
				}
			},
		},
		{
			name: "meta label edited",
			edit: func(f *excelize.File) error { return f.SetCellStr(sheetMeta, metaCell("published", 1), "发布时间") },
			want: []string{"LAYOUT error 基本信息"},
			check: func(t *testing.T, r *schema.Report) {
				if r.Meta.Published.Value != "" || r.Meta.Agency.Value != "白山市某某局" {
					t.Errorf("meta = %q %q", r.Meta.Published.Value, r.Meta.Agency.Value)
				}
			},
		},
		{
			name: "optional label edited",
			edit: func(f *excelize.File) error { return f.SetCellStr(sheetMeta, metaCell("website", 1), "网站") },
			want: []string{"LAYOUT warning 基本信息!" + metaCell("website", 1)},
			check: func(t *testing.T, r *schema.Report) {
				if r.Meta.Website.Value != "" || r.Meta.Agency.Value != "白山市某某局" {
					t.Errorf("meta = %q %q", r.Meta.Website.Value, r.Meta.Agency.Value)
				}
			},
		},
		{
			// a workbook saved before an optional field was declared
			name: "optional rows missing",
			edit: func(f *excelize.File) error {
				for i := len(schema.MetaFields) - 1; i >= 0; i-- {
					if !schema.MetaFields[i].Required {
						if err := f.RemoveRow(sheetMeta, metaFirstRow+i); err != nil {
							return err
						}
					}
				}
				return nil
			},
			check: func(t *testing.T, r *schema.Report) {
				want := readYAML(t, "testdata/filled.yaml")
				for _, mf := range schema.MetaFields {
					got, full := mf.Get(&r.Meta).Value, mf.Get(&want.Meta).Value
					if mf.Required && got != full || !mf.Required && got != "" {
						t.Errorf("%s = %q (filled %q)", mf.Key, got, full)
					}
				}
				if len(r.Intro) != len(want.Intro) {
					t.Errorf("导语 %d blocks, want %d", len(r.Intro), len(want.Intro))
				}
			},
		},
		{
			name: "required row missing",
			edit: func(f *excelize.File) error { return f.RemoveRow(sheetMeta, metaRow("agency")) },
			want: []string{"LAYOUT error 基本信息"},
		},
		{
			name: "date typed as a date",
			edit: func(f *excelize.File) error { return f.SetCellInt(sheetMeta, metaCell("published", 2), 45677) },
			check: func(t *testing.T, r *schema.Report) {
				if got := r.Meta.Published.Value; got != "2025-01-20" {
					t.Errorf("published = %q", got)
				}
			},
		},
		{
			name: "narrative rows",
			edit: func(f *excelize.File) error {
				sh := "六、其他需要报告的事项"
				if err := f.SetCellStr(sh, "B10", "第一段\n第二段"); err != nil {
					return err
				}
				if err := f.SetCellStr(sh, "A11", "小标题"); err != nil {
					return err
				}
				if err := f.SetCellStr(sh, "B11", "（三）其他"); err != nil {
					return err
				}
				return f.SetCellStr(sh, "A12", "写错了列的文字")
			},
			want: []string{"LAYOUT warning 六、其他需要报告的事项!A12"},
			check: func(t *testing.T, r *schema.Report) {
				bs := r.Narrative["other"]
				var got []string
				for _, b := range bs {
					got = append(got, fmt.Sprintf("%d:%s@%s", b.Kind, b.Text, b.Loc))
				}
				want := []string{
					"0:本年度未收取政府信息公开信息处理费。@六、其他需要报告的事项!B4",
					"0:@落实2024年政务公开工作要点情况：已全部完成。@六、其他需要报告的事项!B5",
					"0:第一段@六、其他需要报告的事项!B10", "0:第二段@六、其他需要报告的事项!B10",
					"1:（三）其他@六、其他需要报告的事项!B11",
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("blocks:\n%s", strings.Join(got, "\n"))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := edit(t, base, tt.edit)
			r := read(t, "x.xlsx", x)
			got := findings(r)
			want := append([]string(nil), tt.want...)
			slices.Sort(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				for _, f := range r.Issues {
					t.Logf("  %s %s", f.Location, f.Message)
				}
			}
			for _, f := range r.Issues {
				t.Logf("%s %s：%s", f.Rule, f.Location, f.Message)
				if f.Message == "" || !strings.ContainsFunc(f.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
					t.Errorf("finding without a Chinese message: %+v", f)
				}
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// metaRow is the 基本信息 row of the field with the given key, as the
// template writes it: the order of schema.MetaFields.
func metaRow(key string) int {
	for i, mf := range schema.MetaFields {
		if mf.Key == key {
			return metaFirstRow + i
		}
	}
	panic("no metadata field " + key)
}

// metaCell is the cell of that row in the given column (1 = label,
// 2 = value).
func metaCell(key string, col int) string { return cellRef(col, metaRow(key)) }

// sheetOf maps the references typed above to their sheet: B12 is 表二's
// 行政强制, the others are in 表三.
func sheetOf(ref string) string {
	if ref == "B12" {
		return "表二"
	}
	return "表三"
}

// TestSharedFormula: Excel saves a column of like formulas as one shared
// formula whose followers carry no text; they are totals all the same.
func TestSharedFormula(t *testing.T) {
	base := write(t, readYAML(t, "testdata/filled.yaml"))
	part := sheetPart(t, base, "表三")
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, zf := range zr.File {
		if zf.Name == part {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			body = string(b)
		}
	}
	re := regexp.MustCompile(`<c r="J6"([^>]*)><f>[^<]*</f>`)
	if !re.MatchString(body) {
		t.Fatal("no formula in J6")
	}
	body = re.ReplaceAllString(body, `<c r="J6"$1><f t="shared" si="0"></f>`)
	x := rezip(t, base, map[string][]byte{part: []byte(body)})
	r := read(t, "x.xlsx", x)
	checkFindings(t, r, nil)
	if v := r.Cell("t3", "carried_over", "total"); !v.OK() || v.Num.String() != "2" {
		t.Errorf("shared-formula total = %v", v)
	}
}
