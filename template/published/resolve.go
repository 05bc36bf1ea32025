package published

import (
	"fmt"
	"strconv"

	"github.com/nianbao/nianbao/schema"
)

// maxCombos bounds the readings of a table tried against its column
// arithmetic.
const maxCombos = 4096

// resolvePending chooses, for the rows whose run-together digits split
// several ways, the one combination of splits under which every column
// equation of the table that involves them holds (（七）总计 is the sum of
// the results, 一+二 = （七）+四). Only equations whose every cell is a
// number count; when no combination, or more than one, is consistent, each
// row is reported and left blank.
func (rd *reader) resolvePending(res *result) {
	pend := *res.pending
	res.pending = nil
	if len(pend) == 0 {
		return
	}
	s := res.spec
	var rels []*schema.Relation
	for _, rel := range s.f.Relations {
		if rel.Table == s.t.ID && rel.Per == schema.PerColumn {
			rels = append(rels, rel)
		}
	}
	combos := 1
	for _, p := range pend {
		combos *= len(p.sols)
		if combos > maxCombos {
			break
		}
	}
	var found []int // the consistent combination, as an index per row
	count := 0
	if combos <= maxCombos && len(rels) > 0 {
		pick := make([]int, len(pend))
		for c := 0; c < combos; c++ {
			k := c
			for i, p := range pend {
				pick[i] = k % len(p.sols)
				k /= len(p.sols)
			}
			if rd.consistent(res, rels, pend, pick) {
				count++
				found = append([]int(nil), pick...)
				if count > 1 {
					break
				}
			}
		}
	}
	for i, p := range pend {
		sr := s.rows[p.slot]
		if count == 1 {
			sol := p.sols[found[i]]
			for k, tk := range sol {
				rd.setValue(res, sr.cells[k], tk)
			}
			res.issues = append(res.issues, rd.finding(RuleImportSplit, p.line,
				fmt.Sprintf("%s：数字之间的分隔丢失（原文“%s”），本行有多种拆分，按表格各列的合计关系唯一确定为 %s，请核对原文",
					p.name, rawList(p.figs), rawList(sol))))
			res.exact++
			res.score += 2 // counted as a failure when first read
			continue
		}
		res.issues = append(res.issues, rd.finding(RuleImport, p.line,
			fmt.Sprintf("%s：数字之间的分隔丢失（原文“%s”），有多种拆分都说得通（如 %s），表格的合计关系也不能确定，未导入；请按原表填写",
				p.name, rawList(p.figs), splitExamples(p.sols))))
		res.bad++
	}
}

// consistent reports whether, with the rows of pend read as pick says,
// every column equation that involves one of them can be checked and holds.
func (rd *reader) consistent(res *result, rels []*schema.Relation, pend []pendingRow, pick []int) bool {
	s := res.spec
	t := s.t
	// the value of a cell, with the pending rows as picked
	override := map[cellPos]int64{}
	pendingRows := map[int]bool{}
	for i, p := range pend {
		sr := s.rows[p.slot]
		for k, tk := range p.sols[pick[i]] {
			v, err := strconv.ParseInt(tk.num, 10, 64)
			if err != nil {
				return false
			}
			override[sr.cells[k]] = v
			pendingRows[sr.cells[k].row] = true
		}
	}
	value := func(row, col int) (int64, bool) {
		if v, ok := override[cellPos{row, col}]; ok {
			return v, true
		}
		v := res.data.Values[row][col]
		if v.State != schema.Number || v.Num.Scale != 0 {
			return 0, false
		}
		return v.Num.Units, true
	}
	checked := false
	for _, rel := range rels {
		var rows []int
		involved := false
		for _, k := range append(append([]string(nil), rel.Left...), rel.Right...) {
			ri := t.RowIndex(k)
			if ri < 0 {
				return false
			}
			rows = append(rows, ri)
			involved = involved || pendingRows[ri]
		}
		if !involved {
			continue
		}
		for ci := range t.Rows[rows[0]].Cols {
			var l, r int64
			ok := true
			for j, ri := range rows {
				v, good := value(ri, ci)
				if !good {
					ok = false
					break
				}
				if j < len(rel.Left) {
					l += v
				} else {
					r += v
				}
			}
			if !ok {
				continue
			}
			checked = true
			if l != r {
				return false
			}
		}
	}
	return checked
}
