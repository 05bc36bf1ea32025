package template_test

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// Next year's template from last year's report: 上年结转 carried over, the
// stock as a hint, last year's text kept as a draft with its years flagged.
func ExampleFromPrevious() {
	prev, err := template.Open("testdata/last-2024.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	next := template.FromPrevious(prev, 2025)
	fmt.Println(next.Title())
	fmt.Println("上年结转·总计:", next.Cell("t3", "carried_over", "total").Text())
	fmt.Println("本年新收·总计 blank:", next.Cell("t3", "received", "total").IsBlank())
	fmt.Println(next.Hints[schema.CellKey("t2", "normative", "valid")])
	first := next.Narrative["overview"][0].Text
	fmt.Println(first[strings.Index(first, template.DraftMark):])
	// Output:
	// 白山市某某局2025年政府信息公开工作年度报告
	// 上年结转·总计: 2
	// 本年新收·总计 blank: true
	// 2024年为 12；本年应为 12 + 本年制发件数 − 本年废止件数
	// 【待修改：上年报告的文字，含年份 2024，请按本年情况改写并删去此标记】
}
