package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// TestRegionWorkbook: the office writes the 汇总's text in the workbook
// units fill (not only YAML): the latest 汇总 downloads as that workbook,
// with every cell of the sum, and the workbook uploaded back with the text
// written is the 汇总's next version, checked against its units.
func TestRegionWorkbook(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ctx := context.Background()
			approveAs(t, f.store, f.a, goodA)
			approveAs(t, f.store, f.b, goodB)
			office, rev := f.as("office"), f.as("reviewer")
			must(t, office.get("/region/2024/workbook.xlsx"), http.StatusNotFound, "还没有汇总")
			must(t, office.follow(office.form("/region/2024/sum", url.Values{"agency": {"城南县人民政府"}, "level": {string(schema.LevelCounty)}, "allow-missing": {"1"}})), 200,
				"/region/2024/workbook.xlsx", "Excel 填报表")
			must(t, rev.get("/region/2024/workbook.xlsx"), http.StatusForbidden)
			a := office.get("/region/2024/workbook.xlsx")
			must(t, a, 200)
			if a.h.Get("Content-Type") != xlsxType || !strings.Contains(a.h.Get("Content-Disposition"), ".xlsx") {
				t.Fatalf("%q %q", a.h.Get("Content-Type"), a.h.Get("Content-Disposition"))
			}
			wb, err := template.Read("汇总.xlsx", []byte(a.body))
			if err != nil {
				t.Fatal(err)
			}
			regions, _ := f.store.RegionUnits(ctx)
			vs, _ := f.store.Versions(ctx, regions[0].ID, 2024)
			made, err := workflow.ReadVersion(ctx, f.store, vs[0])
			if err != nil {
				t.Fatal(err)
			}
			for _, tb := range schema.Current.Tables {
				for _, row := range tb.Rows {
					for _, c := range row.Cols {
						if got, want := wb.Cell(tb.ID, row.Key, c.Key), made.Cell(tb.ID, row.Key, c.Key); got.Text() != want.Text() {
							t.Fatalf("%s: %s in the workbook, %s in the 汇总", tb.CellName(row, c), got.Text(), want.Text())
						}
					}
				}
			}
			// the office writes the text (as Excel would save it) and uploads it
			text := "本年度全县政府信息公开工作总体情况良好。"
			sec := schema.Current.Sections[0].Key
			wb.Narrative[sec] = append(wb.Narrative[sec], schema.Block{Text: text})
			var buf bytes.Buffer
			if err := template.Encode(&buf, "汇总.xlsx", wb); err != nil {
				t.Fatal(err)
			}
			p := office.follow(office.upload("/region/2024/upload", "汇总.xlsx", buf.Bytes()))
			must(t, p, 200, "已保存第 2 版", "每个单元格都等于 2 份审核通过的报告之和")
			vs, _ = f.store.Versions(ctx, regions[0].ID, 2024)
			back, err := workflow.ReadVersion(ctx, f.store, vs[len(vs)-1])
			if err != nil || !strings.HasSuffix(vs[len(vs)-1].FileName, ".xlsx") {
				t.Fatalf("version 2: %v", err)
			}
			found := false
			for _, b := range back.Narrative[sec] {
				found = found || b.Text == text
			}
			if !found {
				t.Errorf("the text written in the workbook is not in version 2")
			}
		})
	}
}
