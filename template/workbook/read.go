package workbook

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// maxLayoutFindings bounds the LAYOUT findings reported for one sheet.
const maxLayoutFindings = 12

// Read reads a filled workbook. name is used in locations and messages.
// Problems that still let the rest be read (an edited label, a number typed
// as text) are findings in Report.Issues; a file that cannot be used at all
// is an error wrapping schema.ErrUnusable.
func Read(name string, r io.ReaderAt, size int64) (rep *schema.Report, err error) {
	loc := schema.Location{File: name}
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, schema.Unusable(loc, fmt.Sprintf("工作簿无法读取（%v）", p), nil)
		}
	}()
	book, err := openBook(name, r, size)
	if err != nil {
		return nil, err
	}
	rd := &reader{name: name, book: book, rep: schema.NewReport(nil), claimed: map[*xsheet]bool{}}
	rd.rep.Source = name
	if err := rd.read(); err != nil {
		return nil, err
	}
	if err := rd.rep.CheckText(); err != nil {
		return nil, err
	}
	return rd.rep, nil
}

type reader struct {
	name    string
	book    *xbook
	rep     *schema.Report
	claimed map[*xsheet]bool
}

func (rd *reader) at(sheet string, p pos) schema.Location {
	return schema.Location{File: rd.name, Sheet: sheet, Cell: p.ref()}
}

// finding records a finding of rule with the catalogue's severity; minor
// one with the rule's lesser severity (a table moved whole).
func (rd *reader) finding(rule string, section string, loc schema.Location, msg string) {
	rd.rep.Issues = append(rd.rep.Issues, schema.Finding{
		Rule: rule, Severity: check.SeverityOf(rule), Section: section, Location: loc, Message: msg,
	})
}

func (rd *reader) minor(rule string, section string, loc schema.Location, msg string) {
	rd.rep.Issues = append(rd.rep.Issues, schema.Finding{
		Rule: rule, Severity: check.MinorOf(rule), Section: section, Location: loc, Message: msg,
	})
}

// expected sheet with the title a renamed copy would still carry in A1.
type wanted struct {
	name, title string
	section     string
}

// find returns the sheet with the given name, or a renamed sheet that still
// carries the expected title, with a finding; nil when it is missing.
func (rd *reader) find(w wanted) *xsheet {
	if s := rd.book.sheet(w.name); s != nil && !rd.claimed[s] {
		rd.claimed[s] = true
		return s
	}
	for _, s := range rd.book.sheets {
		if rd.claimed[s] {
			continue
		}
		if normLabel(s.name) == normLabel(w.name) || (w.title != "" && titleOf(s) == normLabel(w.title)) {
			rd.claimed[s] = true
			rd.minor(check.Layout, w.section, schema.Location{File: rd.name, Sheet: s.name},
				fmt.Sprintf("工作表“%s”应命名为“%s”；已按“%s”读取，请把名称改回", s.name, w.name, w.name))
			return s
		}
	}
	return nil
}

// titleOf is the normalised text of the first cell holding text in the first
// three rows.
func titleOf(s *xsheet) string {
	for row := 1; row <= 3; row++ {
		for col := 1; col <= 3; col++ {
			if c, ok := s.cell(col, row); ok && c.v != "" {
				return normLabel(c.v)
			}
		}
	}
	return ""
}

func (rd *reader) missing(w wanted) {
	rd.finding(check.Layout, w.section, schema.Location{File: rd.name},
		fmt.Sprintf("工作簿中缺少工作表“%s”（被删除或改名）；该部分未读取。请使用 nianbao init 生成的模板填写，不要删除或改名工作表", w.name))
}

func (rd *reader) read() error {
	f := rd.rep.Format
	found := 0
	if s := rd.find(wanted{name: sheetMeta, title: "报告基本信息"}); s != nil {
		found++
		rd.readMeta(s)
	} else {
		rd.missing(wanted{name: sheetMeta})
	}
	for _, sec := range f.Sections {
		if sec.Kind == schema.Narrative {
			w := wanted{name: narrativeSheet(sec), title: sec.Heading(), section: sec.Key}
			s := rd.find(w)
			if s == nil {
				rd.missing(w)
				continue
			}
			found++
			rd.rep.SectionLoc[sec.Key] = schema.Location{File: rd.name, Sheet: s.name, Cell: "A1"}
			if blocks, ok := rd.readBlocks(s, sec.Key, narrHeaderRow); ok {
				rd.rep.Narrative[sec.Key] = blocks
			}
			continue
		}
		t := f.Table(sec.Table)
		if t == nil {
			continue
		}
		p := planTable(f, t)
		w := wanted{name: p.sheet, title: p.title(), section: sec.Key}
		s := rd.find(w)
		if s == nil {
			rd.missing(w)
			continue
		}
		found++
		rd.rep.SectionLoc[sec.Key] = schema.Location{File: rd.name, Sheet: s.name, Cell: "A1"}
		rd.readTable(s, p)
	}
	rd.readExplanations()
	if found > 0 {
		rd.readImport()
	}
	if found == 0 {
		return schema.Unusable(schema.Location{File: rd.name},
			"这个工作簿不是年报填报表：找不到“"+sheetMeta+"”“表二”等工作表。请用 nianbao init 生成 .xlsx 模板后填写", nil)
	}
	return nil
}

// cellText is a cell's content as text for labels and fields: numbers in
// plain notation, strings as they are.
func cellText(c xcell) string {
	if c.kind == 'n' {
		if f, err := strconv.ParseFloat(c.v, 64); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	return c.v
}

// findHeader looks for a row holding the two header labels side by side,
// near where the template put them; it returns their columns and row.
func findHeader(s *xsheet, a, b string, wantRow int) (col, row int, ok bool) {
	for r := 1; r <= wantRow+10; r++ {
		for c := 1; c <= 6; c++ {
			x, ok1 := s.cell(c, r)
			y, ok2 := s.cell(c+1, r)
			if ok1 && ok2 && normLabel(cellText(x)) == a && normLabel(cellText(y)) == b {
				return c, r, true
			}
		}
	}
	return 0, 0, false
}

// maxStray is how many rows of 基本信息 with a label of no field are named
// one by one; the rest are counted in one finding.
const maxStray = 10

func (rd *reader) readMeta(s *xsheet) {
	col, hrow, ok := findHeader(s, metaHeadKey, metaHeadVal, metaHeaderRow)
	if !ok {
		rd.finding(check.Layout, "", schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”的表头（“%s”“%s”）找不到；基本信息未读取。请不要删除或修改表头", s.name, metaHeadKey, metaHeadVal))
		return
	}
	if col != 1 || hrow != metaHeaderRow {
		rd.minor(check.Layout, "", rd.at(s.name, pos{col, hrow}),
			fmt.Sprintf("工作表“%s”的表头不在原来的位置（插入或删除了行、列）；已按表头所在位置读取", s.name))
	}
	rows := map[string]int{}
	var labels []int // the rows holding a label, in order
	introRow := 0
	for r := hrow + 1; r <= s.maxRow; r++ {
		c, ok := s.cell(col, r)
		if !ok {
			continue
		}
		l := normLabel(cellText(c))
		if l == introLabel && introRow == 0 {
			introRow = r
			break
		}
		if _, dup := rows[l]; !dup {
			rows[l] = r
			labels = append(labels, r)
		}
	}
	m := &rd.rep.Meta
	known := map[int]bool{}
	missing := false
	for _, mf := range schema.MetaFields {
		t := mf.Get(m)
		r, ok := rows[mf.Label]
		if !ok {
			t.Loc = schema.Location{File: rd.name, Sheet: s.name}
			// A workbook made before an optional field was declared has
			// no row for it: it stays blank, as in the template.
			if mf.Required {
				missing = true
				rd.finding(check.Layout, "", t.Loc,
					fmt.Sprintf("工作表“%s”中缺少“%s”一行（标签被修改或删除）；请恢复模板原有的标签", s.name, mf.Label))
			}
			continue
		}
		known[r] = true
		at := pos{col + 1, r}
		t.Loc = rd.at(s.name, at)
		c, ok := s.cell(at.col, at.row)
		if !ok {
			continue
		}
		t.Value = rd.fieldText(c, mf, t.Loc)
	}
	// A value beside a label that is no field's (an optional field's label
	// edited, or a row added) is not read: say so rather than lose it
	// silently. A missing required row has said already that a label was
	// edited.
	stray := 0
	for _, r := range labels {
		if missing {
			break
		}
		l, _ := s.cell(col, r)
		v, ok := s.cell(col+1, r)
		if known[r] || !ok || normLabel(cellText(v)) == "" || normLabel(cellText(l)) == "" {
			continue
		}
		if stray++; stray <= maxStray {
			rd.minor(check.Layout, "", rd.at(s.name, pos{col, r}),
				fmt.Sprintf("工作表“%s”中“%s”不是模板原有的标签，这一行填写的内容未读取；请恢复模板原有的标签", s.name, clip(normLabel(cellText(l)), 30)))
		}
	}
	if stray > maxStray {
		rd.minor(check.Layout, "", schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”中另有 %d 行的标签不是模板原有的标签，填写的内容未读取", s.name, stray-maxStray))
	}
	if introRow == 0 {
		return
	}
	// the 导语 blocks: marker and text columns follow the label column
	blocks, _ := rd.blocksFrom(s, "", col, introRow+1)
	rd.rep.Intro = blocks
}

// fieldText reads a field cell: text as it is; a number in plain notation;
// a date field stored as a date serial number as YYYY-MM-DD.
func (rd *reader) fieldText(c xcell, mf *schema.Field, loc schema.Location) string {
	switch c.kind {
	case 'n':
		f, err := strconv.ParseFloat(c.v, 64)
		if err != nil {
			return strings.TrimSpace(c.v)
		}
		if mf.Kind == schema.FieldDate && f >= 1 && f < 2958466 && f == math.Trunc(f) {
			base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
			if rd.book.date1904 {
				base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			return base.AddDate(0, 0, int(f)).Format("2006-01-02")
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	case 'd':
		if t, err := time.Parse("2006-01-02T15:04:05", strings.TrimSuffix(c.v, "Z")); err == nil && mf.Kind == schema.FieldDate {
			return t.Format("2006-01-02")
		}
	}
	return strings.TrimSpace(c.v)
}

// readBlocks reads a narrative sheet: the header row, then one block per row.
func (rd *reader) readBlocks(s *xsheet, section string, wantRow int) ([]schema.Block, bool) {
	col, hrow, ok := findHeader(s, colMarker, colText, wantRow)
	if !ok {
		rd.finding(check.Layout, section, schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”的表头（“%s”“%s”）找不到；该部分未读取。请不要删除或修改表头", s.name, colMarker, colText))
		return nil, false
	}
	if col != 1 || hrow != wantRow {
		rd.minor(check.Layout, section, rd.at(s.name, pos{col, hrow}),
			fmt.Sprintf("工作表“%s”的表头不在原来的位置（插入或删除了行、列）；已按表头所在位置读取", s.name))
	}
	return rd.blocksFrom(s, section, col, hrow+1)
}

// blocksFrom reads blocks from row first on: the marker in column col, the
// text in column col+1. A cell holding several lines gives several blocks.
func (rd *reader) blocksFrom(s *xsheet, section string, col, first int) ([]schema.Block, bool) {
	return rd.blocksIn(s, section, col, col+1, first, s.maxRow), true
}

// blocksIn reads blocks from rows first to last: the marker in column mark,
// the text in column text.
func (rd *reader) blocksIn(s *xsheet, section string, mark, text, first, last int) []schema.Block {
	var out []schema.Block
	where := "右边"
	if mark > text {
		where = "左边"
	}
	for r := first; r <= last; r++ {
		tc, ok := s.cell(text, r)
		if !ok {
			if mc, ok := s.cell(mark, r); ok && normLabel(cellText(mc)) != "" && normLabel(cellText(mc)) != markHeading {
				rd.minor(check.Layout, section, rd.at(s.name, pos{mark, r}),
					fmt.Sprintf("文字写在了“%s”列；正文应写在%s的“%s”列。这一格未读取", colMarker, where, colText))
			}
			continue
		}
		kind := schema.Paragraph
		if mc, ok := s.cell(mark, r); ok && normLabel(cellText(mc)) == markHeading {
			kind = schema.Heading
		}
		loc := rd.at(s.name, pos{text, r})
		for _, line := range strings.Split(strings.ReplaceAll(cellText(tc), "\r\n", "\n"), "\n") {
			if t := strings.TrimSpace(line); t != "" {
				out = append(out, schema.Block{Kind: kind, Text: t, Loc: loc})
			}
		}
	}
	return out
}

// maxTextRows bounds the rows searched for the table below a text area.
const maxTextRows = 2000

// textArea reads the text printed before the table when the sheet has a
// text area above it (a row starting with textLabel); it returns the
// blocks and how many rows the area moves the table down. The table starts
// at the row below the area whose first column holds the table's top-left
// label and where the most labels of the table match (a paragraph that
// happens to equal that label is not the table); without an area, or
// without that label, nothing moves.
func (rd *reader) textArea(s *xsheet, p *tablePlan) ([]schema.Block, int) {
	head := 0
	for r := tableTitleRow; r <= tableTopRow+3 && r <= s.maxRow; r++ {
		if c, ok := s.cell(1, r); ok && strings.HasPrefix(normLabel(cellText(c)), textLabel) {
			head = r
			break
		}
	}
	if head == 0 {
		return nil, 0
	}
	first := normLabel(p.labels[0].cell.Text)
	top, best := 0, 0
	for r := head + 1; r <= s.maxRow && r <= head+maxTextRows && best < len(p.labels); r++ {
		if c, ok := s.cell(1, r); ok && normLabel(cellText(c)) == first {
			if n := labelScore(s, p, pos{0, r - tableTopRow}); n > best {
				top, best = r, n
			}
		}
	}
	if top == 0 {
		return nil, 0
	}
	return rd.blocksIn(s, p.t.Section, p.markCol(), 1, head+1, top-1), top - tableTopRow
}

// labelScore counts the labels of p found in their cells when the table is
// moved by off.
func labelScore(s *xsheet, p *tablePlan, off pos) int {
	n := 0
	for _, l := range p.labels {
		if c, ok := s.cell(l.at.col+off.col, l.at.row+off.row); ok && normLabel(cellText(c)) == normLabel(l.cell.Text) {
			n++
		}
	}
	return n
}

// readTable checks a table sheet's labels against the layout and reads its
// values. A table whose rows or columns were moved is not read.
func (rd *reader) readTable(s *xsheet, p *tablePlan) {
	sec := p.t.Section
	blocks, down := rd.textArea(s, p)
	if len(blocks) > 0 {
		rd.rep.Narrative[sec] = blocks
	}
	off, ok := rd.checkLayout(s, p, pos{0, down})
	if !ok {
		return
	}
	t := p.t
	d := schema.NewTableData(t)
	d.Loc = rd.at(s.name, pos{1 + off.col, tableTopRow + off.row})
	rd.rep.Tables[t.ID] = d
	shift := func(at pos) pos { return pos{at.col + off.col, at.row + off.row} }
	for _, v := range p.values {
		key := [2]int{v.ri, v.ci}
		at := shift(v.at)
		val := &d.Values[v.ri][v.ci]
		val.Loc = rd.at(s.name, at)
		if p.computed[key] != nil {
			continue
		}
		c, ok := s.cell(at.col, at.row)
		if !ok {
			continue
		}
		row, col := t.Rows[v.ri], t.Rows[v.ri].Cols[v.ci]
		*val = rd.number(c, col.Kind, val.Loc, sec, t, row, col)
	}
	// computed cells: recomputed from the cells they sum, never from the
	// cached result; a formula replaced by a typed number keeps the number.
	for _, key := range p.order {
		fm := p.computed[key]
		at := shift(p.at[key])
		val := &d.Values[key[0]][key[1]]
		loc := rd.at(s.name, at)
		row, col := t.Rows[key[0]], t.Rows[key[0]].Cols[key[1]]
		sum := recompute(d, fm)
		sum.Loc = loc
		c, ok := s.cell(at.col, at.row)
		switch {
		case ok && c.hasF:
			*val = sum
			// an empty formula is a shared formula's follower (Excel writes a
			// column of like formulas once): its text is in the first cell
			if c.formula != "" && fixFormula(c.formula) != fixFormula(p.sumFormula(fm, off)) {
				rd.minor(check.Layout, sec, loc,
					fmt.Sprintf("%s是自动计算的合计，其公式被改成了“=%s”；已按各项之和重新计算", t.CellName(row, col), c.formula))
			}
		case !ok || strings.TrimSpace(c.v) == "":
			*val = schema.Value{Loc: loc}
			rd.minor(check.Layout, sec, loc,
				fmt.Sprintf("%s是自动计算的合计，其公式被删除了，格子为空；请恢复公式或填写合计", t.CellName(row, col)))
		default:
			typed := rd.number(c, col.Kind, loc, sec, t, row, col)
			*val = typed
			if typed.OK() && sum.OK() && typed.Num.Cmp(sum.Num) != 0 {
				rd.minor(check.Layout, sec, loc,
					fmt.Sprintf("%s是自动计算的合计，但公式被改成了手填的 %s（各项之和为 %s）；已按手填的数字读取",
						t.CellName(row, col), typed.Num.String(), sum.Num.String()))
			}
		}
	}
}

// recompute sums the parts of a computed cell the way the spreadsheet does:
// blank and text cells count as nothing; all parts blank gives blank.
func recompute(d *schema.TableData, fm *formula) schema.Value {
	var v schema.Value
	total := schema.Int(0)
	any := false
	for _, term := range fm.terms {
		part := &d.Values[term[0]][term[1]]
		if !part.OK() {
			continue
		}
		s, ok := total.Add(part.Num)
		if !ok {
			v.State, v.Raw = schema.Invalid, "（合计超出范围）"
			return v
		}
		total, any = s, true
	}
	if any {
		v.SetNumber(total)
	}
	return v
}

func fixFormula(s string) string {
	s = strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(s), "="))
	s = strings.ReplaceAll(s, "_XLFN.", "")
	return strings.NewReplacer("$", "", " ", "", ";", ",").Replace(s)
}

// number reads an input cell of the given kind.
func (rd *reader) number(c xcell, kind schema.ValueKind, loc schema.Location, section string, t *schema.Table, row *schema.Row, col *schema.Column) schema.Value {
	v := schema.Value{Loc: loc}
	if c.hasF {
		v.State, v.Raw = schema.Invalid, "="+c.formula
		return v
	}
	switch c.kind {
	case 'n':
		f, err := strconv.ParseFloat(c.v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			v.State, v.Raw = schema.Invalid, c.v
			return v
		}
		s := strconv.FormatFloat(f, 'f', -1, 64)
		pv, _ := schema.ParseNumber(s, kind)
		pv.Loc = loc
		return pv
	case 's':
		pv, _ := schema.ParseNumber(c.v, kind)
		pv.Loc = loc
		if pv.State == schema.Number {
			pv.Normalised = true
			rd.rep.Issues = append(rd.rep.Issues, schema.Finding{
				Rule: check.CellFormat, Severity: check.SeverityOf(check.CellFormat), Section: section, Location: loc,
				Message: fmt.Sprintf("%s填的“%s”%s，已按 %s 读取；请改为数字格式填写",
					t.CellName(row, col), c.v, howTyped(c.v), pv.Num.String()),
				Expected: pv.Num.String(), Actual: c.v,
			})
		}
		return pv
	case 'b':
		v.State, v.Raw = schema.Invalid, map[string]string{"1": "TRUE", "0": "FALSE"}[c.v]
		if v.Raw == "" {
			v.Raw = c.v
		}
		return v
	}
	v.State, v.Raw = schema.Invalid, c.v
	return v
}

// checkLayout compares the sheet's labels with the declaration. It finds
// the offset at which the table sits (a row inserted above it moves it as a
// whole; a text area above it moves it by base, which is no finding) and
// reports edited labels; it returns ok=false, with an error finding, when
// rows or columns were inserted or deleted inside the table.
func (rd *reader) checkLayout(s *xsheet, p *tablePlan, base pos) (off pos, ok bool) {
	sec := p.t.Section
	label := func(at pos) string {
		c, ok := s.cell(at.col, at.row)
		if !ok {
			return ""
		}
		return normLabel(cellText(c))
	}
	score := func(o pos) int { return labelScore(s, p, o) }
	// the table may have moved as a whole (rows or columns inserted above or
	// left of it): accept another offset only when the top-left label is
	// there and it explains more labels than staying put
	off = base
	best := score(base)
	first := p.labels[0]
	for dr := -1; dr <= 6 && best < len(p.labels); dr++ {
		for dc := 0; dc <= 4; dc++ {
			o := pos{base.col + dc, base.row + dr}
			if o == base || label(pos{first.at.col + o.col, first.at.row + o.row}) != normLabel(first.cell.Text) {
				continue
			}
			if n := score(o); n > best {
				best, off = n, o
			}
		}
	}
	if best == 0 {
		rd.finding(check.Layout, sec, schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”中找不到%s的表格（标签都不对）；该表未读取。请使用 nianbao init 生成的模板", s.name, p.t.Name))
		return off, false
	}
	if off != base {
		rd.minor(check.Layout, sec, rd.at(s.name, pos{1 + off.col, tableTopRow + off.row}),
			fmt.Sprintf("%s整体移动了位置（在表格上方或左边插入或删除了行、列）；已按新位置读取", p.t.Name))
	}
	type miss struct {
		l  labelCell
		at pos
	}
	var edited []miss
	var moved []string
	var firstLoc schema.Location
	home := map[pos]string{} // where each label belongs
	for _, l := range p.labels {
		home[pos{l.at.col + off.col, l.at.row + off.row}] = normLabel(l.cell.Text)
	}
	for _, l := range p.labels {
		at := pos{l.at.col + off.col, l.at.row + off.row}
		want := normLabel(l.cell.Text)
		if label(at) == want {
			continue
		}
		if firstLoc.IsZero() {
			firstLoc = rd.at(s.name, at)
		}
		if where, found := search(s, want, at, home); found {
			moved = append(moved, fmt.Sprintf("“%s”应在 %s，现在在 %s", l.cell.Text, at.ref(), where.ref()))
			continue
		}
		edited = append(edited, miss{l, at})
	}
	if len(moved) > 0 {
		more := ""
		if len(moved) > 3 {
			more = fmt.Sprintf("等 %d 处", len(moved))
			moved = moved[:3]
		}
		rd.finding(check.Layout, sec, firstLoc,
			fmt.Sprintf("%s的行或列被插入、删除或移动了：%s%s。为免读错数字，本表未读取；请恢复模板原有的行列后重试",
				p.t.Name, strings.Join(moved, "；"), more))
		return off, false
	}
	for i, m := range edited {
		if i == maxLayoutFindings {
			rd.finding(check.Layout, sec, schema.Location{File: rd.name, Sheet: s.name},
				fmt.Sprintf("%s另有 %d 个标签与模板不一致", p.t.Name, len(edited)-maxLayoutFindings))
			break
		}
		msg := fmt.Sprintf("%s的标签应为“%s”，现为“%s”；请恢复模板原有的标签（不要修改标签文字）", p.t.Name, m.l.cell.Text, cellTextAt(s, m.at))
		if label(m.at) == "" {
			msg = fmt.Sprintf("%s的标签“%s”被删除了；请恢复模板原有的标签", p.t.Name, m.l.cell.Text)
		}
		rd.finding(check.Layout, sec, rd.at(s.name, m.at), msg)
	}
	return off, true
}

func cellTextAt(s *xsheet, at pos) string {
	c, ok := s.cell(at.col, at.row)
	if !ok {
		return ""
	}
	return cellText(c)
}

// search looks for a label near where it should be, in a cell that is not
// the home of the same label (labels such as 信息内容 repeat).
func search(s *xsheet, want string, near pos, home map[pos]string) (pos, bool) {
	for dr := -4; dr <= 4; dr++ {
		for dc := -3; dc <= 3; dc++ {
			if dr == 0 && dc == 0 {
				continue
			}
			at := pos{near.col + dc, near.row + dr}
			if at.col < 1 || at.row < 1 {
				continue
			}
			if home[at] == want {
				continue
			}
			if c, ok := s.cell(at.col, at.row); ok && normLabel(cellText(c)) == want {
				return at, true
			}
		}
	}
	return pos{}, false
}

// howTyped says how a number typed as text differs from a plain number.
func howTyped(s string) string {
	var what []string
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, "\u3000\u00a0") {
		what = append(what, "带有空格")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r >= '０' && r <= '９' || r == '．' }) {
		what = append(what, "用了全角数字")
	}
	if strings.ContainsAny(s, ",，\u2009\u202f") {
		what = append(what, "带有千位分隔符")
	}
	if len(what) == 0 {
		return "是以文本格式保存的数字"
	}
	return "是文本，" + strings.Join(what, "、")
}
