package check

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// The table relations (T3-ROW, T3-RESULT, T3-BALANCE, T4-TOTAL) are checked
// together, table by table, so that a finding points at what is wrong:
// every failing relation names each of its terms with its value and its
// place, and when one cell explains every failure of the table (the other
// relations pin it down) the table gets one finding at that cell, saying
// what it should be.

// cellRef is a cell of one table by row and column key.
type cellRef struct{ row, col string }

// instance is one relation applied to one row or one column.
type instance struct {
	rel         *schema.Relation
	left, right []cellRef
	residual    schema.Decimal // Σ left − Σ right
	ok          bool           // every term holds a number
}

func (in *instance) coef(c cellRef) int64 {
	var n int64
	for _, l := range in.left {
		if l == c {
			n++
		}
	}
	for _, r := range in.right {
		if r == c {
			n--
		}
	}
	return n
}

func (in *instance) cells() []cellRef { return append(append([]cellRef(nil), in.left...), in.right...) }

// instances applies every relation of table t to its rows or columns.
func instances(f *schema.Format, t *schema.Table, d *schema.TableData) []*instance {
	var out []*instance
	for _, rel := range f.Relations {
		if rel.Table != t.ID {
			continue
		}
		var fixed []string
		if rel.Per == schema.PerRow {
			fixed = rel.Rows
			if fixed == nil {
				for _, row := range t.Rows {
					fixed = append(fixed, row.Key)
				}
			}
		} else {
			for _, col := range t.Rows[0].Cols {
				fixed = append(fixed, col.Key)
			}
		}
		for _, k := range fixed {
			in := &instance{rel: rel, ok: true}
			ref := func(term string) cellRef {
				if rel.Per == schema.PerRow {
					return cellRef{k, term}
				}
				return cellRef{term, k}
			}
			for _, term := range rel.Left {
				in.left = append(in.left, ref(term))
			}
			for _, term := range rel.Right {
				in.right = append(in.right, ref(term))
			}
			for _, c := range in.cells() {
				v := d.Cell(c.row, c.col)
				if !v.OK() {
					in.ok = false
					break
				}
			}
			if in.ok {
				l, ok1 := sumCells(d, in.left)
				r, ok2 := sumCells(d, in.right)
				in.residual, in.ok = l.Add(r.Neg())
				in.ok = in.ok && ok1 && ok2
			}
			out = append(out, in)
		}
	}
	return out
}

func sumCells(d *schema.TableData, cs []cellRef) (schema.Decimal, bool) {
	var total schema.Decimal
	for _, c := range cs {
		var ok bool
		if total, ok = total.Add(d.Cell(c.row, c.col).Num); !ok {
			return schema.Decimal{}, false
		}
	}
	return total, true
}

// hypothesis is one cell typed wrong, with the totals that follow it (in a
// workbook the totals are formulas; in YAML a careful clerk adds them up).
type hypothesis struct {
	cell  cellRef
	cells []cellRef // cell and the totals that moved with it
	err   schema.Decimal
}

// closure returns c and every total that sums it, transitively.
func closure(c cellRef, ins []*instance) []cellRef {
	out := []cellRef{c}
	for i := 0; i < len(out); i++ {
		for _, in := range ins {
			if len(in.left) != 1 {
				continue
			}
			for _, r := range in.right {
				if r == out[i] && !containsRef(out, in.left[0]) {
					out = append(out, in.left[0])
				}
			}
		}
	}
	return out
}

func containsRef(cs []cellRef, c cellRef) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// explains reports whether the cells, all off by the same error, account
// for every residual of the table: each failing relation and no holding one.
func explains(cells []cellRef, ins []*instance) (schema.Decimal, bool) {
	var e schema.Decimal
	found := false
	for _, in := range ins {
		if !in.ok {
			continue
		}
		var p int64
		for _, c := range cells {
			p += in.coef(c)
		}
		failing := in.residual.Cmp(schema.Decimal{}) != 0
		switch {
		case p == 0 && failing, p != 0 && !failing:
			return e, false
		case p == 0:
			continue
		}
		if p != 1 && p != -1 {
			return e, false
		}
		x := in.residual
		if p == -1 {
			x = x.Neg()
		}
		if found && x.Cmp(e) != 0 {
			return e, false
		}
		e, found = x, true
	}
	return e, found
}

// confirmed returns the cells that something outside the table vouches for:
// the narrative quotes the same figure, or 上年结转 equals last year's 结转.
func confirmed(r, prev *schema.Report, t *schema.Table) map[cellRef]string {
	out := map[cellRef]string{}
	d := r.Tables[t.ID]
	for _, fg := range figures(r.Format) {
		if fg.table != t.ID || len(fg.rows) != 1 {
			continue
		}
		narrativeBlocks(r, func(_ string, b schema.Block) {
			text := fold(b.Text)
			for _, m := range fg.re.FindAllStringSubmatchIndex(text, -1) {
				at := m[0]
				if i := fg.re.SubexpIndex("p"); i > 0 {
					at = m[2*i]
				}
				digits := text[m[2*fg.re.SubexpIndex("n")]:m[2*fg.re.SubexpIndex("n")+1]]
				v := d.Cell(fg.rows[0], fg.col)
				if fg.inContext(text, at) && v.OK() && v.Num.String() == digits {
					out[cellRef{fg.rows[0], fg.col}] = "正文写“" + text[at:m[1]] + "”"
				}
			}
		})
	}
	if prev != nil {
		for _, c := range r.Format.Carries {
			pd := prev.Tables[c.Table]
			if c.Table != t.ID || pd == nil || pd.Table != t {
				continue
			}
			for _, col := range t.Row(c.Row).Cols {
				v, pv := d.Cell(c.Row, col.Key), pd.Cell(c.PrevRow, col.Key)
				if v.OK() && pv.OK() && v.Num.Cmp(pv.Num) == 0 {
					out[cellRef{c.Row, col.Key}] = "与上年报告的“" + t.Row(c.PrevRow).Label + "”一致"
				}
			}
		}
	}
	return out
}

// firstRelationRule reports whether rule is the rule of the first relation
// declared for table t: that rule's pass checks all the table's relations.
func firstRelationRule(f *schema.Format, t *schema.Table, rule string) bool {
	for _, rel := range f.Relations {
		if rel.Table == t.ID {
			return rel.Rule == rule
		}
	}
	return false
}

func checkRelations(p *Pass) {
	r := p.Report
	for _, t := range r.Format.Tables {
		d := r.Tables[t.ID]
		if d == nil || !firstRelationRule(r.Format, t, p.Rule.ID) {
			continue
		}
		relationsOf(p, t, d)
	}
}

func relationsOf(p *Pass, t *schema.Table, d *schema.TableData) {
	r := p.Report
	ins := instances(r.Format, t, d)
	var failing []*instance
	for _, in := range ins {
		if in.ok && in.residual.Cmp(schema.Decimal{}) != 0 {
			failing = append(failing, in)
		}
	}
	if len(failing) == 0 {
		return
	}
	// every cell of a failing relation, alone or with its totals
	var hs []hypothesis
	seen := map[cellRef]bool{}
	for _, in := range failing {
		for _, c := range in.cells() {
			if seen[c] {
				continue
			}
			seen[c] = true
			for _, cells := range [][]cellRef{{c}, closure(c, ins)} {
				if e, ok := explains(cells, ins); ok {
					hs = append(hs, hypothesis{cell: c, cells: cells, err: e})
					break
				}
			}
		}
	}
	// what the narrative or last year vouches for is not the mistake,
	// as long as something else is left
	sure := confirmed(r, p.Prev, t)
	var kept []hypothesis
	var why []string
	for _, h := range hs {
		vouched := ""
		for _, c := range h.cells {
			if s, ok := sure[c]; ok {
				vouched = s
			}
		}
		if vouched == "" {
			kept = append(kept, h)
		} else {
			why = append(why, "“"+rowName(t.Row(h.cell.row))+"”"+vouched)
		}
	}
	if len(kept) == 0 {
		kept, why = hs, nil
	}
	rule := p.lookup(failing[0].rel.Rule)
	var all []schema.Location
	var said []string
	for _, in := range failing {
		said = append(said, describeInstance(t, d, in, len(kept) == 1))
		for _, c := range in.cells() {
			if l := d.Cell(c.row, c.col).Loc; !containsLoc(all, l) {
				all = append(all, l)
			}
		}
	}
	failed := strings.Join(said, "；")
	switch {
	case len(kept) == 1:
		h := kept[0]
		v := d.Cell(h.cell.row, h.cell.col)
		want, _ := v.Num.Add(h.err.Neg())
		because := "其余合计关系都成立"
		if len(why) > 0 {
			because += "，" + strings.Join(why, "，")
		}
		follow := ""
		if len(h.cells) > 1 && !d.Table.Row(h.cell.row).Col(h.cell.col).Total {
			follow = "（所在的总计随之改正）"
		}
		p.reportAs(rule, t.Section, v.Loc, want.String(), v.Num.String(),
			"%s为 %s，应为 %s%s：%s；%s，只有这一格有误能解释", cellName(t, t.Row(h.cell.row), t.Row(h.cell.row).Col(h.cell.col)),
			v.Num, want, follow, failed, because)
	case len(kept) > 1 && len(kept) <= 4:
		var maybe []string
		for _, h := range kept {
			v := d.Cell(h.cell.row, h.cell.col)
			want, _ := v.Num.Add(h.err.Neg())
			maybe = append(maybe, fmt.Sprintf("%s（%s，应为 %s）", cellName(t, t.Row(h.cell.row), t.Row(h.cell.row).Col(h.cell.col)), shortLoc(v.Loc, true), want))
		}
		f := p.reportAs(rule, t.Section, all[0], "", "",
			"%s；只要改正一格即可全部成立，可能有误的是：%s，请对照原始记录核实", failed, strings.Join(maybe, "或"))
		f.Related = all
	default:
		for _, in := range failing {
			var locs []schema.Location
			for _, c := range in.cells() {
				locs = append(locs, d.Cell(c.row, c.col).Loc)
			}
			f := p.reportAs(p.lookup(in.rel.Rule), t.Section, locs[0], "", "", "%s；请核对这些数字", describeInstance(t, d, in, false))
			f.Related = locs
		}
	}
}

func containsLoc(ls []schema.Location, l schema.Location) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

// shortLoc is a cell's place in a message: 表三!D5 (or D5 after the first
// of a sheet), 第 51 行 in a YAML file.
func shortLoc(l schema.Location, first bool) string {
	switch {
	case l.Sheet != "" && l.Cell != "" && first:
		return l.Sheet + "!" + l.Cell
	case l.Cell != "":
		return l.Cell
	case l.Line > 0:
		return fmt.Sprintf("第 %d 行", l.Line)
	}
	return ""
}

// termLoc is a term's place after prev's: the cell (表三!D5 for the first
// of a sheet, then D6), or the YAML line when it changes.
func termLoc(l, prev schema.Location, first bool) string {
	if l.Cell == "" && l.Line > 0 && l.Line == prev.Line && l.File == prev.File {
		return ""
	}
	return shortLoc(l, first)
}

// describeInstance names a failing relation term by term:
// 表三“总计”列：一、本年新收… 13（表三!D5）+ 二、上年结转… 0（D6）≠ （七）总计 12（D28）+ 四、… 2（D29）.
// Of a long sum (（一）至（六）, 21 terms) the zero terms are counted, not
// listed.
//
// brief (when the finding names the wrong cell) writes a long sum as its
// name and total: （七）总计 48 ≠ （一）至（六）各项办理结果之和 49.
func describeInstance(t *schema.Table, d *schema.TableData, in *instance, brief bool) string {
	first := true
	var prev schema.Location
	side := func(cs []cellRef) string {
		if brief && len(cs) > 6 {
			total, _ := sumCells(d, cs)
			return in.rel.Name + " " + total.String()
		}
		var parts []string
		zeros := 0
		for _, c := range cs {
			row := t.Row(c.row)
			col := row.Col(c.col)
			v := d.Cell(c.row, c.col)
			if len(cs) > 6 && v.Num.Cmp(schema.Decimal{}) == 0 {
				zeros++
				continue
			}
			label := rowName(row)
			if in.rel.Per == schema.PerRow {
				label = row.ColName(col)
			}
			part := label + " " + v.Num.String()
			if l := termLoc(v.Loc, prev, first); l != "" {
				part += "（" + l + "）"
				first = false
			}
			prev = v.Loc
			parts = append(parts, part)
		}
		if zeros > 0 {
			parts = append(parts, fmt.Sprintf("其余 %d 项为 0", zeros))
		}
		return strings.Join(parts, " + ")
	}
	var where string
	if in.rel.Per == schema.PerRow {
		where = fmt.Sprintf("%s“%s”行", t.Name, rowName(t.Row(in.left[0].row)))
	} else {
		where = fmt.Sprintf("%s“%s”列", t.Name, t.Rows[0].Col(in.left[0].col).Label)
	}
	return where + "：" + side(in.left) + " ≠ " + side(in.right)
}
