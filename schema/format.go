// Package schema declares the official format of the annual report on
// government information disclosure (政府信息公开工作年度报告) as data, and
// holds the report model that every reader fills and every checker and
// renderer walks.
//
// The format is declared once, in Format2021. No other package spells an
// official label or a row count: readers, writers, the checker and the
// renderers all walk the declaration. A new format year would be one new
// Format value.
package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Format is one year's official format: its sections, its tables and the
// arithmetic relations between table cells.
type Format struct {
	Year   int    // the year the format was issued, e.g. 2021
	Notice string // the notice that issued it, e.g. 国办公开办函〔2021〕30号
	Title  string // the format's own title, e.g. 《中华人民共和国政府信息公开工作年度报告格式》

	Sections []*Section
	Tables   []*Table

	// Relations are the equations that must hold inside one report.
	Relations []*Relation
	// Carries are relations between a report and last year's report.
	Carries []*Carry
	// Stocks are stock-flow relations (现行有效 = 上年 + 制发 − 废止).
	Stocks []*Stock
	// Jumps are the headline figures compared with last year's, with the
	// factor and minimum change that make a change worth explaining.
	Jumps []*Jump
}

// SectionKind says what a section holds.
type SectionKind int

const (
	// Narrative sections hold paragraphs and sub-headings.
	Narrative SectionKind = iota
	// TableSection sections hold one of the statistical tables.
	TableSection
)

// Section is one of the six top-level parts of a report.
type Section struct {
	Key     string      // stable key: "overview", "active", ...
	Number  string      // Chinese ordinal: 一, 二, ...
	Title   string      // heading without the ordinal: 总体情况
	Kind    SectionKind // narrative or table
	Table   string      // for a TableSection: the table's ID
	Areas   []Area      // for 一: the areas the overview must cover
	Aliases []string    // heading variants seen in published reports
	// Marks are words typical of the section's own text, by which an
	// importer recognises it when a published report left its heading out
	// (五's text printed straight after 表四).
	Marks []string
	// MinText is the least number of characters of running text (headings
	// and punctuation aside) a narrative section must hold to say anything
	// of substance; 0 means no minimum.
	MinText int
}

// Heading is the exact heading line: 一、总体情况.
func (s *Section) Heading() string { return s.Number + "、" + s.Title }

// Area is one topic a narrative section is expected to cover, with the words
// that show it is covered.
type Area struct {
	Name  string
	Words []string
}

// ValueKind is the type of a table cell.
type ValueKind int

const (
	// Count is a non-negative integer.
	Count ValueKind = iota
	// Amount is a non-negative decimal number (万元).
	Amount
	// Signed is an integer that may be negative (the 2019 format's 本年增/减).
	Signed
)

// Table is one of the fixed statistical tables.
type Table struct {
	ID      string // stable key used in YAML and JSON: "t2", "t3", "t4"
	Name    string // short name used for sheets and locations: 表三
	Section string // key of the section holding the table
	Caption string // the section heading, used as the table caption
	Note    string // explanatory text inside the table (表三's 勾稽关系 note)

	// Rows are the data rows in the order they are read and written.
	Rows []*Row

	// Layout is the official printed grid, header rows and body rows, top to
	// bottom. Renderers draw it cell by cell; the value cells name a Row and
	// a Column of this table.
	Layout [][]Cell
}

// Row is one data row of a table: a fixed list of value cells.
type Row struct {
	Key   string    // stable key: "received"
	Label string    // the row's own official label: 一、本年新收政府信息公开申请数量
	Path  []string  // labels of the enclosing groups, outermost first
	Cols  []*Column // the row's value columns, in order
}

// CellName names a cell with official labels, the same way in every
// finding of every reader and rule: 表三“一、本年新收政府信息公开申请数量”·自然人.
func (t *Table) CellName(row *Row, col *Column) string {
	if len(row.Cols) == 1 {
		return fmt.Sprintf("%s“%s”·%s", t.Name, row.Label, col.Label)
	}
	return fmt.Sprintf("%s“%s”·%s", t.Name, row.Name(), colName(row, col))
}

// Name is the row label, prefixed by its group where the label alone
// is ambiguous (1.属于国家秘密 → （三）不予公开 1.属于国家秘密).
func (r *Row) Name() string {
	if len(r.Path) >= 2 {
		return r.Path[len(r.Path)-1] + " " + r.Label
	}
	if len(r.Path) == 1 && !strings.HasPrefix(r.Label, "（") && !strings.HasPrefix(r.Label, "一、") {
		return r.Path[0] + " " + r.Label
	}
	return r.Label
}

// ColName is the column's label as CellName writes it: prefixed by its
// header group where the group sets it apart (法人或其他组织·商业企业).
func (r *Row) ColName(col *Column) string { return colName(r, col) }

// colName is the column label, prefixed by its header group when the
// group sets it apart from the row's other columns (法人或其他组织·商业企业);
// a header over every column (申请人情况) is left out.
func colName(row *Row, col *Column) string {
	if len(col.Path) == 0 {
		return col.Label
	}
	group := col.Path[len(col.Path)-1]
	for _, c := range row.Cols {
		if !slices.Contains(c.Path, group) {
			return group + "·" + col.Label
		}
	}
	return col.Label
}

// FullLabel joins the group labels and the row label: 三、本年度办理结果（三）不予公开 1.属于国家秘密.
func (r *Row) FullLabel() string {
	if len(r.Path) == 0 {
		return r.Label
	}
	return strings.Join(r.Path, "") + " " + r.Label
}

// Col returns the row's column with the given key, or nil.
func (r *Row) Col(key string) *Column {
	for _, c := range r.Cols {
		if c.Key == key {
			return c
		}
	}
	return nil
}

// ColIndex returns the index of the column with the given key, or -1.
func (r *Row) ColIndex(key string) int {
	for i, c := range r.Cols {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// Column is one value column.
type Column struct {
	Key   string    // stable key: "natural"
	Label string    // official label: 自然人
	Path  []string  // enclosing header labels: [申请人情况 法人或其他组织]
	Kind  ValueKind // Count or Amount
	Total bool      // a computed total (总计): filled by formula in workbooks
}

// FullLabel joins the header path and the label.
func (c *Column) FullLabel() string {
	if len(c.Path) == 0 {
		return c.Label
	}
	return strings.Join(c.Path, "·") + "·" + c.Label
}

// Cell is one cell of a table's printed grid. Exactly one of Text and
// (Row, Col) is set: a label cell or a value cell.
type Cell struct {
	Text    string // label text
	Row     string // value cell: row key
	Col     string // value cell: column key
	ColSpan int    // 0 or 1: a single column
	RowSpan int    // 0 or 1: a single row
	Header  bool   // a column header (th scope=col) rather than a row label
	Note    bool   // the table's explanatory note
}

// IsValue reports whether the cell holds a value rather than a label.
func (c Cell) IsValue() bool { return c.Row != "" }

// Span returns the cell's column and row span, at least 1 each.
func (c Cell) Span() (cols, rows int) {
	cols, rows = c.ColSpan, c.RowSpan
	if cols < 1 {
		cols = 1
	}
	if rows < 1 {
		rows = 1
	}
	return cols, rows
}

// Axis says along which axis an equation is applied.
type Axis int

const (
	// PerRow applies the equation to every listed row; terms are column keys.
	PerRow Axis = iota
	// PerColumn applies the equation to every column; terms are row keys.
	PerColumn
)

// Relation is an equation Σ Left = Σ Right inside one table, applied to every
// row (PerRow, terms are column keys) or every column (PerColumn, terms are
// row keys).
type Relation struct {
	Rule  string   // the rule ID that reports a broken relation
	Table string   // table ID
	Per   Axis     // PerRow or PerColumn
	Rows  []string // PerRow: the rows it applies to; nil means every row
	Left  []string // terms on the left (the total)
	Right []string // terms on the right (the parts)
	// Name describes the right-hand side in messages: 各办理结果之和.
	Name string
}

// Carry says that a cell of this year's report equals a cell of last year's,
// column by column: 上年结转 = last year's 结转下年度继续办理.
type Carry struct {
	Rule    string
	Table   string
	Row     string // this year's row
	PrevRow string // last year's row
}

// Stock is a stock-flow relation for one or more rows: Stock(N) =
// Stock(N−1) + In(N) − Out(N), and Stock(N) ≥ In(N) − Out(N).
type Stock struct {
	Rule    string // the cross-year rule (STOCK-FLOW)
	MinRule string // the in-year inequality rule (STOCK-MIN)
	Table   string
	Rows    []string
	Stock   string // column key of the stock (现行有效件数)
	In      string // column key of the inflow (本年制发件数)
	Out     string // column key of the outflow (本年废止件数)
}

// Jump is a headline figure whose change from last year's report is worth
// an explanation when this year's and last year's values differ by more than
// Factor times (either way) and by at least Min: the 统计 systems' 异常值.
type Jump struct {
	Rule   string
	Table  string
	Rows   []string // summed
	Col    string
	Factor int64
	Min    int64
}

// Section returns the section with the given key, or nil.
func (f *Format) Section(key string) *Section {
	for _, s := range f.Sections {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// Table returns the table with the given ID, or nil.
func (f *Format) Table(id string) *Table {
	for _, t := range f.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Row returns the table's row with the given key, or nil.
func (t *Table) Row(key string) *Row {
	for _, r := range t.Rows {
		if r.Key == key {
			return r
		}
	}
	return nil
}

// RowIndex returns the index of the row with the given key, or -1.
func (t *Table) RowIndex(key string) int {
	for i, r := range t.Rows {
		if r.Key == key {
			return i
		}
	}
	return -1
}

// Width is the number of grid columns of the table's layout.
func (t *Table) Width() int {
	if len(t.Layout) == 0 {
		return 0
	}
	w := 0
	for _, c := range t.Layout[0] {
		cs, _ := c.Span()
		w += cs
	}
	// the first layout row may be shortened by row spans from above; none
	// is, since it is the top row.
	return w
}

// HeaderRows is the number of leading layout rows that hold only header
// labels (no value cells).
func (t *Table) HeaderRows() int {
	n := 0
	for _, row := range t.Layout {
		for _, c := range row {
			if c.IsValue() {
				return n
			}
		}
		n++
	}
	return n
}

// CellCount is the number of value cells of the table.
func (t *Table) CellCount() int {
	n := 0
	for _, r := range t.Rows {
		n += len(r.Cols)
	}
	return n
}
