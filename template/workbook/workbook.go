// Package workbook reads and writes the Excel workbook staff fill.
//
// The workbook has one sheet per part of the report, all generated from the
// format declaration (package schema): 填报说明 (how to fill), 基本信息 (the
// report's fields and the 导语), one sheet per narrative section (one
// paragraph per row) and one sheet per statistical table, which reproduces
// the official printed table by walking Table.Layout: labels, merges,
// borders, print set-up; text printed before a table, when the report has
// any, sits in a 说明文字 area above it. Only input cells are unlocked;
// totals are live formulas; conditional formatting shows a broken relation
// in red.
//
// Reading never trusts cached formula results and never hands the file to a
// general spreadsheet library: the package reads the zip and the sheet XML
// itself, streaming, with bounds on every size, because a few hundred bytes
// of hostile XML can make a dense-grid reader allocate gigabytes. Every
// value keeps its cell (表三!D12); a label edited, a row inserted or a sheet
// renamed is a LAYOUT finding, never a silent misread.
package workbook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Sheet names and fixed labels of the workbook (not official labels: those
// come from the declaration).
const (
	sheetGuide = "填报说明"
	sheetMeta  = "基本信息"

	markHeading = "小标题"  // marker column value for a sub-heading row
	introLabel  = "导语"   // row label that starts the 导语 area on 基本信息
	colMarker   = "类型"   // narrative header: marker column
	colText     = "内容"   // narrative header: text column
	hintPrefix  = "提示："  // before a hint beside an input cell
	metaHeadKey = "项目"   // 基本信息 header: label column
	metaHeadVal = "填写内容" // 基本信息 header: value column
	metaHeadNot = "说明"   // 基本信息 header: note column
	introNote   = "（留空则按上面的字段自动生成；每段一行，小标题在“类型”列选“小标题”）"
	textLabel   = "表格前的说明文字" // starts the text area above a table
	textNote    = "（每段一行，单元格内自动换行；小标题在右侧“类型”列选“小标题”；不需要时清空即可）"
)

// metaNote is the note beside a field on 基本信息: what it is for, how to
// enter it, and what a blank means.
func metaNote(f *schema.Field) string {
	note := f.Note
	switch f.Kind {
	case schema.FieldYear:
		note = "四位数字，如 2025"
	case schema.FieldChoice:
		note = "从下拉列表选择：" + strings.Join(f.Choices, "、")
	case schema.FieldDate:
		note = "如 2026-01-20"
	case schema.FieldContact:
		note = schema.ContactNote
	}
	if f.Default != "" {
		if note != "" {
			note += "；"
		}
		note += "留空则为" + schema.MetaField(f.Default).Label
	}
	return note
}

// Narrative sheets: title in row 1, a note in row 2, the header in row 3,
// blocks from row 4.
const (
	narrTitleRow  = 1
	narrNoteRow   = 2
	narrHeaderRow = 3
	narrFirstRow  = 4
)

// Table sheets: the section heading in row 1, the table from row 2. When
// the report holds text printed before the table (Report.Narrative of a
// table section), a text area sits between them: a header row starting
// with textLabel, then one paragraph per row, and the table moves down.
// Without text the sheet is the official table alone.
const (
	tableTitleRow = 1
	tableTopRow   = 2
)

// 基本信息: title row 1, header row 2, fields from row 3.
const (
	metaTitleRow  = 1
	metaHeaderRow = 2
	metaFirstRow  = 3
)

// pos is a 1-based (column, row) position on a sheet.
type pos struct{ col, row int }

func (p pos) ref() string { return cellRef(p.col, p.row) }

// cellRef gives the A1 reference of a 1-based column and row.
func cellRef(col, row int) string { return colName(col) + fmt.Sprint(row) }

// colName gives the column letters of a 1-based column number.
func colName(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	slices.Reverse(b)
	return string(b)
}

// labelCell is a label of a table's printed grid placed on the sheet.
type labelCell struct {
	at         pos
	cols, rows int
	cell       schema.Cell
}

// valueCell is a value cell of a table placed on the sheet.
type valueCell struct {
	at         pos
	cols, rows int
	ri, ci     int // row and column index in the declaration
}

// formula is a computed cell: the sum of other value cells.
type formula struct {
	rule  string
	terms [][2]int // (row index, column index) of the parts
}

// tablePlan is where every label and value of a table sits on its sheet,
// computed once from Table.Layout and shared by the writer and the reader.
type tablePlan struct {
	t        *schema.Table
	section  *schema.Section
	sheet    string
	width    int // grid columns
	height   int // grid rows
	labels   []labelCell
	values   []valueCell
	at       map[[2]int]pos      // (ri, ci) → position
	computed map[[2]int]*formula // cells filled by formula
	order    [][2]int            // computed cells in evaluation order
	rowOf    map[int]int         // declaration row index → sheet row of its first value
	top      int                 // sheet row of the table's first grid row
}

// planTable places the layout on the sheet from the table's grid
// (schema.Table.Place), one sheet cell per grid column and row.
func planTable(f *schema.Format, t *schema.Table) *tablePlan {
	p := &tablePlan{
		t: t, section: f.Section(t.Section), sheet: t.Name, width: t.Width(),
		at: map[[2]int]pos{}, computed: map[[2]int]*formula{}, rowOf: map[int]int{}, top: tableTopRow,
	}
	g, err := t.Place()
	if err != nil {
		panic(fmt.Sprintf("workbook: the format declaration does not place: %v", err)) // Format.Validate, tested
	}
	for r, row := range g.Rows {
		for _, s := range row {
			if s.Cont {
				continue
			}
			cell, cs, rs := s.Cell, s.ColSpan, s.RowSpan
			at := pos{col: s.Col + 1, row: tableTopRow + r}
			if cell.IsValue() {
				ri := t.RowIndex(cell.Row)
				ci := -1
				if ri >= 0 {
					ci = t.Rows[ri].ColIndex(cell.Col)
				}
				if ri >= 0 && ci >= 0 {
					p.values = append(p.values, valueCell{at: at, cols: cs, rows: rs, ri: ri, ci: ci})
					p.at[[2]int{ri, ci}] = at
					if _, ok := p.rowOf[ri]; !ok {
						p.rowOf[ri] = at.row
					}
				}
			} else {
				p.labels = append(p.labels, labelCell{at: at, cols: cs, rows: rs, cell: cell})
			}
			if end := r + rs; end > p.height {
				p.height = end
			}
		}
	}
	p.planFormulas(f)
	return p
}

// down returns a copy of p with the table n rows further down the sheet.
func (p *tablePlan) down(n int) *tablePlan {
	q := *p
	q.top += n
	q.labels = slices.Clone(p.labels)
	for i := range q.labels {
		q.labels[i].at.row += n
	}
	q.values = slices.Clone(p.values)
	for i := range q.values {
		q.values[i].at.row += n
	}
	q.at = make(map[[2]int]pos, len(p.at))
	for k, at := range p.at {
		q.at[k] = pos{at.col, at.row + n}
	}
	q.rowOf = make(map[int]int, len(p.rowOf))
	for k, r := range p.rowOf {
		q.rowOf[k] = r + n
	}
	return &q
}

// markCol is the column of the text area's 类型 marker: right of the table,
// outside the print area.
func (p *tablePlan) markCol() int { return p.width + 1 }

// planFormulas gives a formula to each computed cell the format declares
// (schema.Format.Computed: a relation whose left side is a single term
// defines that term as the sum of the right side), in its evaluation
// order; a cell the sheet does not place stays an input.
func (p *tablePlan) planFormulas(f *schema.Format) {
	for _, c := range f.Computed(p.t) {
		cell := [2]int{c.Row, c.Col}
		if _, ok := p.at[cell]; !ok {
			continue
		}
		p.computed[cell] = &formula{rule: c.Rule, terms: c.Terms}
		p.order = append(p.order, cell)
	}
}

// sumFormula is the Excel formula of a computed cell on a sheet where the
// table is shifted by off, without "=": the sum of its parts, blank while
// they are all blank (a blank is not zero).
func (p *tablePlan) sumFormula(fm *formula, off pos) string {
	refs := make([]string, 0, len(fm.terms))
	for _, term := range fm.terms {
		at := p.at[term]
		refs = append(refs, cellRef(at.col+off.col, at.row+off.row))
	}
	list := strings.Join(refs, ",")
	return "IF(COUNT(" + list + ")=0,\"\",SUM(" + list + "))"
}

// feeding returns the input cells that the given cells are or sum,
// through the computed totals, each once, in first-seen order.
func (p *tablePlan) feeding(cells [][2]int) [][2]int {
	var out [][2]int
	seen := map[[2]int]bool{}
	var walk func(k [2]int)
	walk = func(k [2]int) {
		if seen[k] {
			return
		}
		seen[k] = true
		if fm := p.computed[k]; fm != nil {
			for _, t := range fm.terms {
				walk(t)
			}
			return
		}
		out = append(out, k)
	}
	for _, k := range cells {
		walk(k)
	}
	return out
}

// inputs are the value cells a person fills, in sheet order.
func (p *tablePlan) inputs() []valueCell {
	var out []valueCell
	for _, v := range p.values {
		if p.computed[[2]int{v.ri, v.ci}] == nil {
			out = append(out, v)
		}
	}
	return out
}

// title is the heading shown above the table: 三、收到和处理政府信息公开申请情况.
func (p *tablePlan) title() string {
	if p.section != nil {
		return p.section.Heading()
	}
	return p.t.Caption
}

// hintCol is the column where hints are shown, right of the table.
func (p *tablePlan) hintCol() int { return p.width + 2 }

// plans returns the plans of every table of f, in declaration order.
func plans(f *schema.Format) []*tablePlan {
	out := make([]*tablePlan, 0, len(f.Tables))
	for _, t := range f.Tables {
		out = append(out, planTable(f, t))
	}
	return out
}

// narrativeSheet is the sheet name of a narrative section: its heading.
func narrativeSheet(s *schema.Section) string { return sheetName(s.Heading()) }

// sheetName makes a valid sheet name: at most 31 characters, none of : \ / ? * [ ].
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	return s
}

// normLabel strips all white space (labels wrap in narrow cells).
func normLabel(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '\u00a0':
			return -1
		}
		return r
	}, s)
}
