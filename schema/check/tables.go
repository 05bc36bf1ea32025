package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// cellName names a cell with official labels (schema.Table.CellName).
func cellName(t *schema.Table, row *schema.Row, col *schema.Column) string {
	return t.CellName(row, col)
}

// rowName is the row label, prefixed by its group where the label alone is
// ambiguous (schema.Row.Name).
func rowName(row *schema.Row) string { return row.Name() }

// each calls fn for every cell of every table present in r.
func each(r *schema.Report, fn func(t *schema.Table, row *schema.Row, col *schema.Column, v *schema.Value)) {
	for _, t := range r.Format.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			continue
		}
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				fn(t, row, col, &d.Values[i][j])
			}
		}
	}
}

func checkTableMissing(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Sections {
		if s.Kind != schema.TableSection || r.Tables[s.Table] != nil {
			continue
		}
		t := r.Format.Table(s.Table)
		loc := r.SectionLoc[s.Key]
		if loc.IsZero() {
			loc = schema.Location{File: r.Source}
		}
		p.Reportf(s.Key, loc, "", "", "缺少%s（%s）：统计表必须以表格形式完整填报，共 %d 个数据", t.Name, s.Heading(), t.CellCount())
	}
}

func checkCellEmpty(p *Pass) {
	r := p.Report
	for _, t := range r.Format.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			continue
		}
		blank := 0
		for i := range t.Rows {
			for j := range t.Rows[i].Cols {
				if d.Values[i][j].IsBlank() {
					blank++
				}
			}
		}
		if blank == 0 {
			continue
		}
		if blank == t.CellCount() {
			p.Reportf(t.Section, d.Loc, "", "", "%s全部未填写（%d 个单元格）；空白不等于 0，没有发生的事项请填 0", t.Name, blank)
			continue
		}
		// Whole blank rows: one finding each, or one for all of them when
		// there are many (a next-year template with only 上年结转 filled).
		var blankRows []int
		for i, row := range t.Rows {
			n := 0
			for j := range row.Cols {
				if d.Values[i][j].IsBlank() {
					n++
				}
			}
			if n == len(row.Cols) && n > 1 {
				blankRows = append(blankRows, i)
			}
		}
		if len(blankRows) >= manyRows {
			var names []string
			for _, i := range blankRows[:min(len(blankRows), 5)] {
				names = append(names, "“"+rowName(t.Rows[i])+"”")
			}
			more := ""
			if len(blankRows) > 5 {
				more = "等"
			}
			p.Reportf(t.Section, d.Values[blankRows[0]][0].Loc, "", fmt.Sprintf("%d 行空白", len(blankRows)),
				"%s有 %d 行整行未填写：%s%s；空白不等于 0，没有发生的事项请填 0", t.Name, len(blankRows), strings.Join(names, "、"), more)
		}
		for i, row := range t.Rows {
			if slices.Contains(blankRows, i) {
				if len(blankRows) < manyRows {
					p.Reportf(t.Section, d.Values[i][0].Loc, "", "", "%s“%s”整行未填写；空白不等于 0，没有发生的事项请填 0", t.Name, rowName(row))
				}
				continue
			}
			for j, col := range row.Cols {
				if v := &d.Values[i][j]; v.IsBlank() {
					p.Reportf(t.Section, v.Loc, "", "", "%s未填写；空白不等于 0，没有发生的事项请填 0", cellName(t, row, col))
				}
			}
		}
	}
}

// manyRows is the number of whole blank rows of one table from which
// CELL-EMPTY reports them in one finding.
const manyRows = 4

func checkCellType(p *Pass) {
	each(p.Report, func(t *schema.Table, row *schema.Row, col *schema.Column, v *schema.Value) {
		if v.State != schema.Invalid {
			return
		}
		want := "非负整数"
		if col.Kind == schema.Amount {
			want = "非负数（单位：万元）"
		}
		why := ""
		if _, err := schema.ParseNumber(v.Raw, col.Kind); err != nil {
			switch err {
			case schema.ErrNegative:
				why = "（不能为负数）"
			case schema.ErrNotInteger:
				why = "（件数不能有小数）"
			case schema.ErrTooLarge:
				why = "（数值过大）"
			case schema.ErrTooPrecise:
				why = "（小数位过多）"
			}
		}
		if why == "" && saysNone(v.Raw) {
			why = "；没有发生的事项请填 0"
		}
		p.Reportf(t.Section, v.Loc, want, v.Raw, "%s应为%s，实际填写“%s”%s", cellName(t, row, col), want, v.Raw, why)
	})
}

// saysNone reports whether a cell's text is what people type for "nothing
// happened" instead of 0: 无, -, /, 空, 暂无.
func saysNone(raw string) bool {
	switch strings.TrimSpace(raw) {
	case "无", "没有", "暂无", "空", "-", "－", "—", "——", "/", "／", "\\", "N/A", "n/a", "NA":
		return true
	}
	return false
}

func checkCellFormat(p *Pass) {
	// A reader may have explained the normalisation itself (the workbook
	// says how the cell was typed); do not say it twice.
	told := map[schema.Location]bool{}
	for _, f := range p.Report.Issues {
		if f.Rule == p.Rule.ID {
			told[f.Location] = true
		}
	}
	each(p.Report, func(t *schema.Table, row *schema.Row, col *schema.Column, v *schema.Value) {
		if v.State == schema.Number && v.Normalised && !told[v.Loc] {
			p.Reportf(t.Section, v.Loc, v.Num.String(), v.Raw, "%s填写为“%s”，已按 %s 读取；请改为普通数字", cellName(t, row, col), v.Raw, v.Num.String())
		}
	})
}

// canMakeRules reports whether a body of this role and level has rule-making
// power (立法法): ministries and commissions of the State Council, and the
// people's governments of provinces and of cities with districts.
func canMakeRules(m schema.Meta) (yes, known bool) {
	level, role := schema.Level(m.Level.Value), schema.Role(m.Role.Value)
	if !valid(schema.Levels, level) || !valid(schema.Roles, role) {
		return false, false
	}
	switch {
	case role == schema.RoleDepartment && level == schema.LevelNational:
		return true, true
	case role == schema.RoleGovernment && (level == schema.LevelProvince || level == schema.LevelCity):
		return true, true
	}
	return false, true
}

func checkRulePower(p *Pass) {
	r := p.Report
	yes, known := canMakeRules(r.Meta)
	if yes || !known {
		return
	}
	for _, s := range r.Format.Stocks {
		t := r.Format.Table(s.Table)
		d := r.Tables[s.Table]
		if d == nil {
			continue
		}
		// The first stock row is 规章: the only one tied to rule-making power.
		row := t.Row(s.Rows[0])
		for _, col := range row.Cols {
			v := d.Cell(row.Key, col.Key)
			if v.OK() && v.Num.Cmp(schema.Decimal{}) != 0 {
				p.Reportf(t.Section, v.Loc, "0", v.Num.String(),
					"%s为 %s，但%s级%s没有规章制定权（只有国务院部门和省、设区的市人民政府可以制定规章）；请核实是否应填 0",
					cellName(t, row, col), v.Num, r.Meta.Level.Value, r.Meta.Role.Value)
			}
		}
	}
}

// feeLimit is the 万元 amount above which a fee looks like it was typed in 元.
func feeLimit(level schema.Level) schema.Decimal {
	switch level {
	case schema.LevelNational, schema.LevelProvince:
		return schema.Int(10_000_000)
	case schema.LevelCity:
		return schema.Int(1_000_000)
	case schema.LevelTownship:
		return schema.Int(10_000)
	}
	return schema.Int(100_000)
}

func checkFeeUnit(p *Pass) {
	r := p.Report
	each(r, func(t *schema.Table, row *schema.Row, col *schema.Column, v *schema.Value) {
		if col.Kind != schema.Amount {
			return
		}
		switch {
		case v.State == schema.Invalid && strings.Contains(v.Raw, "元"):
			raw := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v.Raw), "元"))
			if strings.HasSuffix(raw, "万") {
				p.Reportf(t.Section, v.Loc, strings.TrimSuffix(raw, "万"), v.Raw,
					"%s的单位已是万元，只填数字，不要写“万元”", cellName(t, row, col))
				return
			}
			hint := ""
			if n, err := schema.ParseNumber(raw, schema.Amount); err == nil && n.State == schema.Number {
				hint = "，即 " + divide10000(n.Num) + " 万元"
			}
			p.Reportf(t.Section, v.Loc, "以万元为单位的数字", v.Raw,
				"%s写成了“%s”：本栏单位是万元（1 万元 = 10000 元），只填数字%s", cellName(t, row, col), v.Raw, hint)
		case v.OK() && v.Num.Cmp(feeLimit(schema.Level(r.Meta.Level.Value))) >= 0:
			p.Reportf(t.Section, v.Loc, divide10000(v.Num), v.Num.String(),
				"%s为 %s 万元，对%s级机关而言过大，可能误按“元”填写；若单位是元，应填 %s",
				cellName(t, row, col), v.Num, orDefault(r.Meta.Level.Value, "该"), divide10000(v.Num))
		}
	})
}

func divide10000(d schema.Decimal) string {
	d.Scale += 4
	return d.String()
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

func checkStockMin(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Stocks {
		if s.MinRule != p.Rule.ID {
			continue
		}
		t := r.Format.Table(s.Table)
		d := r.Tables[s.Table]
		if d == nil {
			continue
		}
		for _, rk := range s.Rows {
			row := t.Row(rk)
			stock, in, out := d.Cell(rk, s.Stock), d.Cell(rk, s.In), d.Cell(rk, s.Out)
			if !stock.OK() || !in.OK() || !out.OK() {
				continue
			}
			net, _ := in.Num.Add(out.Num.Neg())
			if stock.Num.Cmp(net) < 0 {
				p.Reportf(t.Section, stock.Loc, "≥ "+net.String(), stock.Num.String(),
					"%s为 %s，少于%s减%s（%s）：本年制发且未废止的文件通常仍现行有效，请核实",
					cellName(t, row, row.Col(s.Stock)), stock.Num, row.Col(s.In).Label, row.Col(s.Out).Label, net)
			}
		}
	}
}

// bothYears returns, for a cross-year declaration of rule on table id, the
// table and its data in this year's and last year's report; ok is false
// when the declaration belongs to another rule, or either report lacks the
// table.
func (p *Pass) bothYears(rule, id string) (t *schema.Table, d, pd *schema.TableData, ok bool) {
	if rule != p.Rule.ID {
		return nil, nil, nil, false
	}
	t = p.Report.Format.Table(id)
	d, pd = p.Report.Tables[id], p.Prev.Tables[id]
	if t == nil || d == nil || pd == nil || pd.Table.ID != t.ID {
		return nil, nil, nil, false
	}
	return t, d, pd, true
}

func checkStockFlow(p *Pass) {
	for _, s := range p.Report.Format.Stocks {
		t, d, pd, ok := p.bothYears(s.Rule, s.Table)
		if !ok {
			continue
		}
		for _, rk := range s.Rows {
			row := t.Row(rk)
			stock, in, out := d.Cell(rk, s.Stock), d.Cell(rk, s.In), d.Cell(rk, s.Out)
			last := pd.Cell(rk, s.Stock)
			if !stock.OK() || !in.OK() || !out.OK() || !last.OK() {
				continue
			}
			want, _ := last.Num.Add(in.Num)
			want, _ = want.Add(out.Num.Neg())
			if stock.Num.Cmp(want) != 0 {
				p.Reportf(t.Section, stock.Loc, want.String(), stock.Num.String(),
					"%s为 %s，但上年现行有效 %s 加本年制发 %s 减本年废止 %s 应为 %s；如有文件到期失效或清理，请在正文说明",
					cellName(t, row, row.Col(s.Stock)), stock.Num, last.Num, in.Num, out.Num, want)
			}
		}
	}
}

func checkCarryOver(p *Pass) {
	for _, c := range p.Report.Format.Carries {
		t, d, pd, ok := p.bothYears(c.Rule, c.Table)
		if !ok {
			continue
		}
		row := t.Row(c.Row)
		prow := pd.Table.Row(c.PrevRow)
		if prow == nil {
			continue
		}
		for _, col := range row.Cols {
			v, pv := d.Cell(c.Row, col.Key), pd.Cell(c.PrevRow, col.Key)
			if !v.OK() || !pv.OK() || v.Num.Cmp(pv.Num) == 0 {
				continue
			}
			p.Reportf(t.Section, v.Loc, pv.Num.String(), v.Num.String(),
				"%s为 %s，与上年报告“%s”的%s（%s）不一致",
				cellName(t, row, col), v.Num, prow.Label, col.Label, pv.Num)
		}
	}
}
