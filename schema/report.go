package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Scope is the 报告主体类型: whose work the report covers.
type Scope string

// The three scopes.
const (
	ScopeAgency     Scope = "本机关"
	ScopeGovernment Scope = "本级政府"
	ScopeRegion     Scope = "本行政区域汇总"
)

// Scopes lists the valid scopes in order.
var Scopes = []Scope{ScopeAgency, ScopeGovernment, ScopeRegion}

// Level is the 机关层级 of the reporting body.
type Level string

// The administrative levels.
const (
	LevelNational Level = "国家"
	LevelProvince Level = "省"
	LevelCity     Level = "市"
	LevelCounty   Level = "县"
	LevelTownship Level = "乡镇"
)

// Levels lists the valid levels in order.
var Levels = []Level{LevelNational, LevelProvince, LevelCity, LevelCounty, LevelTownship}

// Role is the 机关类别: a people's government or a department.
type Role string

// The two roles.
const (
	RoleGovernment Role = "政府"
	RoleDepartment Role = "部门"
)

// Roles lists the valid roles in order.
var Roles = []Role{RoleGovernment, RoleDepartment}

// Text is a string read from an input, with where it was read.
type Text struct {
	Value string
	Loc   Location
}

// BlockKind says whether a narrative block is a sub-heading or a paragraph.
type BlockKind int

const (
	// Paragraph is a paragraph of running text.
	Paragraph BlockKind = iota
	// Heading is a sub-heading such as （一）主动公开.
	Heading
)

// Block is one paragraph or sub-heading of a narrative section.
type Block struct {
	Kind BlockKind
	Text string
	Loc  Location
}

// Contact is the contact office named in the opening paragraph.
type Contact struct {
	Office   Text // 联系机构
	Address  Text // 地址
	Postcode Text // 邮编
	Phone    Text // 电话
	Fax      Text // 传真
	Email    Text // 电子邮箱
}

// Meta is the report's descriptive fields.
type Meta struct {
	Agency    Text // 机关名称
	Year      Text // 报告年度, four digits
	Scope     Text // 报告主体类型 (Scope)
	Level     Text // 机关层级 (Level)
	Role      Text // 机关类别 (Role)
	Published Text // 发布日期, YYYY-MM-DD
	Website   Text // 报告电子版网址
	Contact   Contact
	Signer    Text // 落款机关; empty means Agency
	SignDate  Text // 落款日期, YYYY-MM-DD; empty means Published
}

// TableData holds the values of one table, indexed like the declaration:
// Values[i][j] is row i, column j of Table.Rows.
type TableData struct {
	Table  *Table
	Values [][]Value
	Loc    Location // where the table starts in the input
}

// NewTableData returns a table whose cells are all blank.
func NewTableData(t *Table) *TableData {
	d := &TableData{Table: t, Values: make([][]Value, len(t.Rows))}
	for i, r := range t.Rows {
		d.Values[i] = make([]Value, len(r.Cols))
	}
	return d
}

// Cell returns the value at the given row and column keys, or nil.
func (d *TableData) Cell(row, col string) *Value {
	if d == nil || d.Table == nil {
		return nil
	}
	i := d.Table.RowIndex(row)
	if i < 0 {
		return nil
	}
	return d.At(i, d.Table.Rows[i].ColIndex(col))
}

// Report is one annual report in the model every reader fills.
type Report struct {
	Format *Format
	Source string // the input file, for messages
	Meta   Meta

	// Intro is the opening paragraph(s) before 一; empty means generate it.
	Intro []Block
	// Narrative holds the blocks of the narrative sections, by section key.
	Narrative map[string][]Block
	// SectionLoc is where each section starts in the input, by section key.
	SectionLoc map[string]Location
	// Tables holds the tables by table ID; a table absent from the input
	// is absent from the map.
	Tables map[string]*TableData
	// Issues are findings raised while reading (an unknown key, a row of
	// the wrong length, an edited workbook label); the checker reports them
	// with its own.
	Issues []Finding
	// Headings are the main headings in the order a published input printed
	// them, as printed (number and the section their title names), so that
	// a misnumbered, repeated or misplaced heading can be pointed out
	// (SECTION-ORDER). YAML and workbooks fix their sections by keys; a file
	// written from an import has them again from its record
	// (ImportRecord.Headings), placed at the record's entries.
	Headings []SeenHeading
	// Explanations are the reasons given for warnings that stand
	// (异常值说明): each names a rule and a stable place.
	Explanations []Explanation
	// Imported is, for a report read from a published one, what the import
	// learnt (nil otherwise). Writers keep it, so a check of the written
	// file reports the import's findings again.
	Imported *ImportRecord
	// Hints are notes for the person filling the next report, by cell key
	// (CellKey): last year's 现行有效件数 beside this year's input, say.
	// Writers show them; they are not part of the report's content.
	Hints map[string]string
}

// ImportRecord is what importing a published report learnt: the file it
// came from, the findings it raised (old format, cells it could not read,
// digits it split) and where each table row's figures were printed, by
// row key ("t3.received" → "报告.pdf 第3页第12行").
type ImportRecord struct {
	Source   string
	Findings []Finding
	Rows     map[string]string
	// Inferred names the metadata fields the import filled in itself
	// (机关层级, 机关类别 from the agency's name), by field key, with how.
	Inferred map[string]string
	// Headings are the published report's main headings when they were
	// not the format's, once each, in order (Report.Headings; nil when they
	// were): a written file keeps them, so SECTION-ORDER still speaks on it.
	Headings []SeenHeading
}

// Has reports whether f is one of the record's findings reported again by
// the reader of a file that keeps the record (same rule, the message
// followed by where the import found it). A nil record has none.
func (ir *ImportRecord) Has(f Finding) bool {
	if ir == nil {
		return false
	}
	for _, g := range ir.Findings {
		if g.Rule == f.Rule && len(f.Message) > len(g.Message) && f.Message[:len(g.Message)] == g.Message {
			return true
		}
	}
	return false
}

// RowKey is the key of a table row in ImportRecord.Rows: "t3.received".
func RowKey(table, row string) string { return table + "." + row }

// SeenHeading is one main heading of a published input as it stood.
type SeenHeading struct {
	Number  string // the ordinal as printed: 二
	Section string // key of the section the heading's title names
	Text    string // the heading as printed
	Loc     Location
}

// InOrder reports whether hs are the format's main headings as they should
// be: each once, in the format's order, with the format's numbers (a section
// left out is SECTION-MISSING's concern, not an order's).
func (f *Format) InOrder(hs []SeenHeading) bool {
	last := -1
	for _, h := range hs {
		i := slices.IndexFunc(f.Sections, func(s *Section) bool { return s.Key == h.Section })
		if i < 0 {
			continue
		}
		if i <= last || h.Number != f.Sections[i].Number {
			return false
		}
		last = i
	}
	return true
}

// ExplanationsKey is the YAML key of Report.Explanations, and
// ExplanationsLabel its name for people (also the workbook's sheet).
const (
	ExplanationsKey   = "explanations"
	ExplanationsLabel = "说明"
)

// Explanation is the reason a report gives for a warning that stands: a
// statistics system's 异常值说明. Place is stable (a cell key such as
// t3.received.total, a workbook cell such as 表三!H5, or a section key or
// heading), never a line number, so the explanation survives edits.
type Explanation struct {
	Rule   string
	Place  string
	Reason string
	Loc    Location // where the explanation was read
}

// CellKey is the stable key of a table cell: "t3.received.natural".
func CellKey(table, row, col string) string { return table + "." + row + "." + col }

// NewReport returns an empty report in format f (nil means Current).
func NewReport(f *Format) *Report {
	if f == nil {
		f = Current
	}
	return &Report{
		Format:     f,
		Narrative:  map[string][]Block{},
		SectionLoc: map[string]Location{},
		Tables:     map[string]*TableData{},
		Hints:      map[string]string{},
	}
}

// Table returns the data of the table with the given ID, or nil.
func (r *Report) Table(id string) *TableData {
	if r == nil {
		return nil
	}
	return r.Tables[id]
}

// Cell returns the value of a table cell, or nil when the table is absent.
func (r *Report) Cell(table, row, col string) *Value {
	return r.Tables[table].Cell(row, col)
}

// Title is the report's title: {机关名称}{YYYY}年政府信息公开工作年度报告.
func (r *Report) Title() string {
	return r.Meta.Agency.Value + r.Meta.Year.Value + "年政府信息公开工作年度报告"
}

// Signer is the signing body: Meta.Signer or else the agency.
func (r *Report) Signer() string {
	if s := strings.TrimSpace(r.Meta.Signer.Value); s != "" {
		return s
	}
	return r.Meta.Agency.Value
}

// SignDate is the signing date: Meta.SignDate or else the publication date.
func (r *Report) SignDate() string {
	if s := strings.TrimSpace(r.Meta.SignDate.Value); s != "" {
		return s
	}
	return r.Meta.Published.Value
}

// YearInt returns the report year as a number, or 0 when it is not one.
func (r *Report) YearInt() int {
	var y int
	if _, err := fmt.Sscanf(strings.TrimSpace(r.Meta.Year.Value), "%d", &y); err != nil {
		return 0
	}
	return y
}

// ChineseDate formats a date as 2023年1月29日; text that is not a date is
// returned as it is.
func ChineseDate(s string) string {
	y, m, d, ok := ParseDate(s)
	if !ok {
		return s
	}
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}

// ParseDate reads 2023-01-29, 2023/1/29, 2023.1.29 or 2023年1月29日 and
// checks that the day exists.
func ParseDate(s string) (y, m, d int, ok bool) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var v [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || len(p) > 4 {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	y, m, d = v[0], v[1], v[2]
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IntroText returns the opening paragraphs: the report's own, or generated
// from its fields (legal basis, the six parts, the statistical period, the
// website and the contact office).
func (r *Report) IntroText() []string {
	if len(r.Intro) > 0 {
		out := make([]string, len(r.Intro))
		for i, b := range r.Intro {
			out[i] = b.Text
		}
		return out
	}
	f := r.Format
	var parts []string
	for _, s := range f.Sections {
		parts = append(parts, s.Title)
	}
	y := r.Meta.Year.Value
	var b strings.Builder
	fmt.Fprintf(&b, "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和%s（%s）要求编制。",
		f.Title, f.Notice)
	fmt.Fprintf(&b, "全文包括%s，共%s部分。", strings.Join(parts, "、"), chineseCount(len(parts)))
	fmt.Fprintf(&b, "本报告所列数据的统计期限为%s年1月1日至%s年12月31日。", y, y)
	if w := strings.TrimSpace(r.Meta.Website.Value); w != "" {
		fmt.Fprintf(&b, "本报告电子版可在%s查阅或下载。", w)
	}
	// the contact office, then each other contact field as 标签：值
	var cs []string
	for _, cf := range ContactFields() {
		t := cf.Get(&r.Meta)
		if v := strings.TrimSpace(t.Value); v != "" && t != &r.Meta.Contact.Office {
			cs = append(cs, cf.Label+"："+v)
		}
	}
	office := strings.TrimSpace(r.Meta.Contact.Office.Value)
	if office != "" || len(cs) > 0 {
		if office == "" {
			office = r.Signer()
		}
		b.WriteString("如对本报告有疑问，请与" + office + "联系")
		if len(cs) > 0 {
			b.WriteString("（" + strings.Join(cs, "；") + "）")
		}
		b.WriteString("。")
	}
	return []string{b.String()}
}

func chineseCount(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n >= 0 && n <= 10 {
		return digits[n]
	}
	return fmt.Sprint(n)
}

// DraftLabel marks every page of an output rendered with errors (--draft).
const DraftLabel = "草稿（未通过校验）"

// ReviseMark opens the note that a next-year template appends to every
// paragraph carried over from last year's report that still needs revising;
// the checker refuses to pass a report that still carries it.
const ReviseMark = "【待修改"

// Paragraphs splits texts at their line breaks into the paragraphs a
// renderer prints, trimmed, without empty ones: a block read from a
// workbook cell or a YAML scalar may hold several.
func Paragraphs(texts ...string) []string {
	var out []string
	for _, s := range texts {
		for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
			if p = Tidy(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Tidy trims a paragraph and prints each run of spaces inside it as one
// space and a tab as a space, so that no output shows a doubled space
// pasted into the text (the checker points them out: TEXT-SPACE).
func Tidy(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\t") && !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\u3000\u00a0") {
		return s
	}
	var b strings.Builder
	var pending []rune
	flush := func() {
		switch {
		case len(pending) == 1 && pending[0] != '\t':
			b.WriteRune(pending[0])
		case len(pending) > 0:
			b.WriteByte(' ')
		}
		pending = pending[:0]
	}
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' {
			pending = append(pending, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	return b.String()
}
