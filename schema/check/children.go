package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// reSources is the sentence of a sum that names the bodies it adds up
// (nianbao sum writes it in 六): …汇总而成：甲局、乙局。
var reSources = regexp.MustCompile(`汇总而成[：:]([^。]+)。`)

// checkSumChildren compares every cell of a 汇总 report with the sum of the
// units' reports, and lists the bodies the report says it adds up whose
// report is not among them.
func checkSumChildren(p *Pass) {
	r := p.Report
	each(r, func(t *schema.Table, row *schema.Row, col *schema.Column, v *schema.Value) {
		if !v.OK() {
			return
		}
		total, ok := ChildrenSum(r.Format, p.Children, t.ID, row.Key, col.Key)
		if !ok {
			return
		}
		if total.Cmp(v.Num) != 0 {
			p.Reportf(t.Section, v.Loc, total.String(), v.Num.String(),
				"%s为 %s，但下级 %d 份报告之和为 %s", cellName(t, row, col), v.Num, len(p.Children), total)
		}
	})
	have := map[string]bool{}
	for _, c := range p.Children {
		have[agencyKey(c.Meta.Agency.Value)] = true
	}
	for _, s := range r.Format.Sections {
		for _, b := range r.Narrative[s.Key] {
			m := reSources.FindStringSubmatch(b.Text)
			if m == nil {
				continue
			}
			var missing []string
			for _, name := range strings.Split(m[1], "、") {
				if name = strings.TrimSpace(name); name != "" && !have[agencyKey(name)] {
					missing = append(missing, name)
				}
			}
			if len(missing) > 0 {
				p.Reportf(s.Key, b.Loc, "每个参与汇总的机关都有报告", fmt.Sprintf("缺少 %d 份", len(missing)),
					"汇总报告列出的参与汇总机关中，以下 %d 个在下级报告中没有报告：%s", len(missing), strings.Join(missing, "、"))
			}
		}
	}
}

// ChildrenSum is one cell (table, row and column keys) summed over the
// children, as SUM-CHILDREN adds it up to compare a 汇总 with its units:
// ok is false when a child is of another format than f, has the cell
// blank or unreadable, or the sum overflows — no sum is then compared.
// A page that shows the units' total beside a 汇总 takes it from here.
func ChildrenSum(f *schema.Format, children []*schema.Report, table, row, col string) (total schema.Decimal, ok bool) {
	for _, c := range children {
		cv := c.Cell(table, row, col)
		if c.Format != f || !cv.OK() {
			return schema.Decimal{}, false
		}
		if total, ok = total.Add(cv.Num); !ok {
			return schema.Decimal{}, false
		}
	}
	return total, true
}

// agencyKey compares bodies' names loosely: width and spaces aside.
func agencyKey(s string) string {
	return strings.Join(strings.Fields(fold(s)), "")
}
