package workbook

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// explainedReport is the complete example with a 需说明 TEXT-NUMBER planted
// in 一 and an explanation of a YOY-JUMP against prevJump.
func explainedReport(t *testing.T) (r, prev *schema.Report) {
	t.Helper()
	src, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "予以公开23件", "予以公开22件", 1) + `
explanations:
  - rule: YOY-JUMP
    place: t2.licensing.decisions
    reason: 本年承接市级下放的食品经营许可，许可决定数量大幅增加。
`
	p, err := os.ReadFile("../../examples/chengnan-scjg-2023.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err = yamlfile.Read("report.yaml", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	prev, err = yamlfile.Read("prev.yaml", []byte(strings.Replace(string(p), "licensing: 1400", "licensing: 400", 1)))
	if err != nil {
		t.Fatal(err)
	}
	return r, prev
}

// TestExplanationsSheet: the 说明 sheet carries the report's explanations
// both ways (YAML → xlsx → YAML is exact, a cell is shown as 表二!B8 and
// read as its key), lists the 需说明 warning that stands with the reason
// left blank, and a reason typed there explains the warning in check.
func TestExplanationsSheet(t *testing.T) {
	r, prev := explainedReport(t)
	x := write(t, r)
	back := read(t, "report.xlsx", x)
	if a, b := yamlfile.Write(r), yamlfile.Write(back); !bytes.Equal(a, b) {
		t.Fatalf("YAML → xlsx → YAML differs:\n%s", diff(string(a), string(b)))
	}
	f, err := excelize.OpenReader(bytes.NewReader(x))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(sheetExplain)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	// the explanation, at the workbook's cell, then the TEXT-NUMBER to explain
	if len(rows) < explFirstRow+1 {
		t.Fatalf("rows: %q", rows)
	}
	if got := strings.Join(rows[explHeaderRow-1], "|"); got != "规则号|位置|问题|原因" {
		t.Errorf("header %q", got)
	}
	first, second := rows[explFirstRow-1], rows[explFirstRow]
	if len(first) != 4 || first[0] != "YOY-JUMP" || first[1] != "表二!B8" || first[2] != explNeedsPrev || !strings.HasPrefix(first[3], "本年承接") {
		t.Errorf("first row %q", first)
	}
	if len(second) != 3 || second[0] != "TEXT-NUMBER" || second[1] != "一、总体情况" || !strings.Contains(second[2], "予以公开22件") {
		t.Errorf("second row %q", second)
	}
	res := func(r *schema.Report) *check.Result {
		return &check.Result{Format: r.Format, Findings: check.Run(r, check.Options{Prev: prev})}
	}
	if got := res(back); got.Explained() != 1 || got.ToExplain() != 1 || got.Publishable() {
		t.Fatalf("as written: explained %d, to explain %d: %+v", got.Explained(), got.ToExplain(), got.Findings)
	}

	// a clerk types the reason of the TEXT-NUMBER, and one more
	// explanation at a cell of the workbook; one row lacks its rule
	t2 := planTable(r.Format, r.Format.Table("t2"))
	ri := t2.t.RowIndex("normative")
	stock := t2.at[[2]int{ri, t2.t.Rows[ri].ColIndex("valid")}]
	typed := edit(t, x, func(f *excelize.File) error {
		for ref, v := range map[string]string{
			cellRef(4, explFirstRow+1): "另有 1 件予以公开的申请在年底前撤回。",
			cellRef(1, explFirstRow+2): "stock-flow",
			cellRef(2, explFirstRow+2): "表二！" + stock.ref(), // a full-width ！ typed by an IME
			cellRef(4, explFirstRow+2): "清理后废止的文件已计入。",
			cellRef(2, explFirstRow+3): "表三!D5",
			cellRef(4, explFirstRow+3): "没有规则号的说明。",
		} {
			if err := f.SetCellStr(sheetExplain, ref, v); err != nil {
				return err
			}
		}
		return nil
	})
	got := read(t, "report.xlsx", typed)
	var es []string
	for _, e := range got.Explanations {
		es = append(es, e.Rule+" "+e.Place+" "+e.Loc.String())
	}
	if want := "YOY-JUMP t2.licensing.decisions 说明!A4|TEXT-NUMBER 一、总体情况 说明!A5|STOCK-FLOW t2.normative.valid 说明!A6"; strings.Join(es, "|") != want {
		t.Errorf("explanations read:\n%s\nwant\n%s", strings.Join(es, "|"), want)
	}
	if fs := findings(got); len(fs) != 1 || fs[0] != "STRUCTURE error 说明!D7" {
		t.Errorf("findings %q", fs)
	}
	got.Issues = nil
	if res := res(got); res.Explained() != 2 || res.ToExplain() != 0 || !res.Publishable() {
		t.Errorf("typed: explained %d, to explain %d: %+v", res.Explained(), res.ToExplain(), res.Findings)
	}

	// a workbook without the sheet (written before it existed) reads
	// without explanations and without a finding
	old := edit(t, x, func(f *excelize.File) error { return f.DeleteSheet(sheetExplain) })
	if o := read(t, "old.xlsx", old); len(o.Explanations) != 0 || len(o.Issues) != 0 {
		t.Errorf("without the sheet: %+v %+v", o.Explanations, o.Issues)
	}
}
