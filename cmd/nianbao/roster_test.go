package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster/rostertest"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// writeRosterCSV writes a roster of the given agencies (county departments).
func writeRosterCSV(t *testing.T, path string, agencies ...string) {
	t.Helper()
	if err := os.WriteFile(path, rostertest.CSV(rostertest.Departments(agencies...)...), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRosterCommand(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"名单.xlsx", "名单.csv"} {
		code, out, errs := runIn(t, dir, "roster", "--template", name)
		if code != 0 || !strings.Contains(out, "已生成名单模板") {
			t.Fatalf("template %s: %d %s %s", name, code, out, errs)
		}
		// never overwritten without --force
		code, _, errs = runIn(t, dir, "roster", "--template", name)
		if code != 2 || !strings.Contains(errs, "已存在，不会覆盖") {
			t.Errorf("second template %s: %d %s", name, code, errs)
		}
		// an empty template is not a roster yet
		code, _, errs = runIn(t, dir, "roster", name)
		if code != 2 || !strings.Contains(errs, "没有任何单位") {
			t.Errorf("empty %s: %d %s", name, code, errs)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "名单.csv"))
	if !strings.HasPrefix(string(csv), "\uFEFF"+schema.RosterFields[0].Label+",") {
		t.Errorf("CSV template %q", csv)
	}
	writeRosterCSV(t, filepath.Join(dir, "ok.csv"), "城南县教育局", "城南县财政局")
	code, out, errs := runIn(t, dir, "roster", "ok.csv")
	if code != 0 || !strings.Contains(out, "共 2 个单位") || !strings.Contains(out, "部门 2") {
		t.Errorf("check: %d %s %s", code, out, errs)
	}
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte(schema.RosterFields[0].Label+"\n某局\n"), 0o644)
	code, _, errs = runIn(t, dir, "roster", "bad.csv")
	if code != 2 || !strings.Contains(errs, "没有找到表头行") {
		t.Errorf("bad: %d %s", code, errs)
	}
	code, _, errs = runIn(t, dir, "roster", "nope.csv")
	if code != 2 || !strings.Contains(errs, "不存在") {
		t.Errorf("missing file: %d %s", code, errs)
	}
	code, _, errs = runIn(t, dir, "roster")
	if code != 2 || !strings.Contains(errs, "请给出名单文件") {
		t.Errorf("no args: %d %s", code, errs)
	}
}

func TestBatchAndSumWithRoster(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "reports")
	os.Mkdir(in, 0o755)
	var names []string
	for i := range 3 {
		r := fixture.Report(i, 2024)
		names = append(names, r.Meta.Agency.Value)
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("r%d.yaml", i)), yamlfile.Write(r), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeRosterCSV(t, filepath.Join(dir, "名单.csv"), append(names, "某某县未报局")...)
	code, out, errs := runIn(t, dir, "batch", "reports", "--roster", "名单.csv", "--date", "2025-02-10", "-o", "out")
	if code != 0 || !strings.Contains(out, "2024 年度名单共 4 个单位：已报 3") || !strings.Contains(out, "逾期未报（1）：某某县未报局（期限 2025年1月31日）") {
		t.Errorf("batch: %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = runIn(t, dir, "batch", "reports", "--roster", "名单.csv", "--date", "明天")
	if code != 2 || !strings.Contains(errs, "--date 应为日期") {
		t.Errorf("bad date: %d %s", code, errs)
	}
	code, _, errs = runIn(t, dir, "sum", "reports", "--agency", "某某县人民政府", "--year", "2024", "--roster", "名单.csv", "-o", "sum.yaml")
	if code != 2 || !strings.Contains(errs, "名单中有 1 个单位没有报告") || !strings.Contains(errs, "某某县未报局（名单 名单.csv:5）") {
		t.Errorf("sum with a unit missing: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "sum.yaml")); err == nil {
		t.Error("refused sum written")
	}
	code, out, errs = runIn(t, dir, "sum", "reports", "--agency", "某某县人民政府", "--year", "2024", "--roster", "名单.csv", "--allow-missing", "-o", "sum.yaml")
	if code != 0 || !strings.Contains(out, "名单中 1 个单位未报送、未计入汇总") {
		t.Errorf("sum allowing missing: %d %s %s", code, out, errs)
	}
	code, _, errs = runIn(t, dir, "sum", "reports", "--agency", "某某县人民政府", "--year", "2024", "--allow-missing", "-o", "sum2.yaml")
	if code != 2 || !strings.Contains(errs, "须与 --roster") {
		t.Errorf("allow-missing alone: %d %s", code, errs)
	}
}
