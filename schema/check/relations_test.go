package check_test

import (
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// TestRelationFindings: a broken relation names every term with its value
// and its place; one cell that explains every failure of a table is one
// finding at that cell, saying what it should be; the narrative and last
// year's report rule out the cells they vouch for.
func TestRelationFindings(t *testing.T) {
	base := string(load(t, complete))
	tests := []struct {
		name  string
		edits [][2]string
		n     int      // findings of the relation rules
		rule  string   // of the first
		at    string   // its location ("" = any)
		says  []string // in its message
	}{
		{"a wrong 四 with its total added up", [][2]string{{"carried_forward: [2, 1, 0, 0, 1, 1, 5]", "carried_forward: [3, 1, 0, 0, 1, 1, 6]"}},
			1, "T3-BALANCE", "report.yaml:75:21", []string{
				"表三“四、结转下年度继续办理”·自然人为 3，应为 2（所在的总计随之改正）",
				"表三“自然人”列：一、本年新收政府信息公开申请数量 38（第 51 行） + 二、上年结转政府信息公开申请数量 2（第 52 行） ≠ （七）总计 38（第 74 行） + 四、结转下年度继续办理 3（第 75 行）",
				"“一、本年新收政府信息公开申请数量”正文写“收到政府信息公开申请50件”",
				"只有这一格有误能解释"}},
		{"the same without the narrative's figures: three cells could explain it",
			[][2]string{{"carried_forward: [2, 1, 0, 0, 1, 1, 5]", "carried_forward: [3, 1, 0, 0, 1, 1, 6]"},
				{"全年共收到政府信息公开申请50件，上年结转3件。", ""}, {"结转下年度继续办理5件", ""}},
			1, "T3-BALANCE", "", []string{"只要改正一格即可全部成立，可能有误的是：", "一、本年新收政府信息公开申请数量”·自然人（第 51 行，应为 39）",
				"二、上年结转政府信息公开申请数量”·自然人（第 52 行，应为 3）", "四、结转下年度继续办理”·自然人（第 75 行，应为 2）"}},
		{"a wrong 总计 of a row: any of its five terms may be wrong", [][2]string{{"review: [2, 1, 0, 1, 4]", "review: [2, 1, 0, 1, 5]"}},
			1, "T4-TOTAL", "", []string{"表四“行政复议”行：总计 5（第 79 行） ≠ 结果维持 2 + 结果纠正 1 + 其他结果 0 + 尚未审结 1"}},
		{"two mistakes: each relation on its own", [][2]string{{"review: [2, 1, 0, 1, 4]", "review: [2, 1, 0, 1, 5]"},
			{"disclosed: [18, 3, 1, 0, 1, 0, 23]", "disclosed: [18, 3, 1, 0, 1, 0, 24]"}, {"partial: [4, 1, 0, 0, 0, 0, 5]", "partial: [4, 1, 0, 0, 0, 0, 6]"}},
			4, "T3-ROW", "", []string{"表三“（一）予以公开”行：总计 24（第 53 行） ≠ 自然人 18 + "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := base
			for _, e := range tt.edits {
				if !strings.Contains(src, e[0]) {
					t.Fatalf("no %q", e[0])
				}
				src = strings.Replace(src, e[0], e[1], 1)
			}
			var got []schema.Finding
			for _, f := range check.Run(read(t, "report.yaml", []byte(src)), check.Options{}) {
				if strings.HasPrefix(f.Rule, "T3-") || strings.HasPrefix(f.Rule, "T4-") {
					got = append(got, f)
				}
			}
			if len(got) != tt.n {
				t.Fatalf("%d findings, want %d: %+v", len(got), tt.n, got)
			}
			f := got[0]
			if f.Rule != tt.rule || (tt.at != "" && f.Location.String() != tt.at) {
				t.Errorf("%s at %s, want %s at %s", f.Rule, f.Location, tt.rule, tt.at)
			}
			for _, s := range tt.says {
				if !strings.Contains(f.Message, s) {
					t.Errorf("message\n%s\ndoes not say\n%s", f.Message, s)
				}
			}
			if tt.at == "" && len(f.Related) < 2 {
				t.Errorf("a finding that names no single cell has no related places: %+v", f)
			}
		})
	}
}
