package workbook

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// The 说明 sheet (schema.ExplanationsLabel) holds the reasons the report
// gives for warnings that stand (异常值说明, Report.Explanations), one per
// row: the rule ID, the place, the finding (for reading only) and the
// reason. Title in row 1, a note in row 2, the header in row 3, rows from
// row 4. The sheet is the last one; a workbook without it (written before
// it existed, or by another program) simply has no explanations.
//
// A place that is a table cell is shown as the cell of this workbook
// (表三!D5) and read back as the cell's stable key (t3.received.total): the
// cell moves when text is added above a table, the key does not.
const (
	sheetExplain = schema.ExplanationsLabel

	explTitleRow  = 1
	explNoteRow   = 2
	explHeaderRow = 3
	explFirstRow  = 4
	explRows      = 15 // empty rows offered below the explanations

	explTitle   = "说明（需说明的问题写明原因）"
	explRule    = "规则号"
	explPlace   = "位置"
	explFinding = "问题"
	explReason  = "原因"
)

// explCols are the sheet's columns, left to right, with their widths.
var explCols = []struct {
	label string
	width float64
}{{explRule, 16}, {explPlace, 24}, {explFinding, 56}, {explReason, 56}}

// explNote is the note under the title: what the sheet is for and how to
// fill it.
func (w *writer) explNote() string {
	return "“需说明”的问题（正文与表格不一致、与上年报告不一致、与上年相比变化异常）必须改正或写明原因才能发布。" +
		"核实数字无误的，在“" + explReason + "”列写明原因；" + explRule + "和" + explPlace + "照校验结果填写（" + explPlace +
		"可以是" + w.placeExample() + "）。“" + explFinding + "”列是生成本工作簿时的校验结果，仅供参考；" +
		explReason + "留空的行不算说明。"
}

// placeExample names the two kinds of place: a cell, a section's heading.
func (w *writer) placeExample() string {
	ex := "单元格，如 " + w.f.Tables[0].Name + "!D9"
	if len(w.f.Sections) > 0 {
		ex += "，或部分标题，如 " + w.f.Sections[0].Heading()
	}
	return ex
}

// The 问题 of an explanation whose finding the writer does not see: one
// that needs last year's report, or one the report no longer has.
const (
	explNeedsPrev = "（与上年报告比较的问题，生成工作簿时没有上年报告，未核对）"
	explNotSeen   = "（生成工作簿时没有发现这个问题；数字已改正的，可删去这一行）"
)

// explanationRow is one row of the 说明 sheet.
type explanationRow struct {
	rule, place, finding, reason string
}

// explanationRows are the rows the writer puts on the 说明 sheet: every
// explanation of the report, with the finding it explains when the report
// (checked without last year's) still has it, then every 需说明 warning
// that stands unexplained, with the reason left for staff to type.
func (w *writer) explanationRows() []explanationRow {
	fs := check.Run(w.r, check.Options{})
	var rows []explanationRow
	type key struct{ rule, place string }
	seen := map[key]bool{}
	for _, e := range w.r.Explanations {
		row := explanationRow{rule: e.Rule, place: w.showPlace(e.Place), reason: e.Reason}
		for _, f := range fs {
			if f.Rule == e.Rule && f.Explained == e.Reason {
				row.finding = f.Message
				seen[key{f.Rule, f.Place}] = true
				break
			}
		}
		if row.finding == "" {
			row.finding = explNotSeen
			if r := check.Lookup(e.Rule); r != nil && r.NeedsPrev {
				row.finding = explNeedsPrev
			}
		}
		rows = append(rows, row)
	}
	for _, f := range fs {
		if check.Class(f) != check.ClassExplain || seen[key{f.Rule, f.Place}] {
			continue
		}
		seen[key{f.Rule, f.Place}] = true
		place := w.showPlace(f.Place)
		if s := w.f.Section(f.Place); s != nil {
			place = s.Heading()
		}
		rows = append(rows, explanationRow{rule: f.Rule, place: place, finding: f.Message})
	}
	return rows
}

// showPlace shows a place for people: a table cell's key as the cell of
// this workbook, anything else as it is.
func (w *writer) showPlace(place string) string {
	if ref, ok := w.refs[place]; ok {
		return ref
	}
	return place
}

func (w *writer) explanations() {
	x, sh := w.x, sheetExplain
	w.newSheet(sh)
	last := pos{len(explCols), 0}
	for i, c := range explCols {
		name := colName(i + 1)
		must(x.SetColWidth(sh, name, name, c.width))
	}
	// the rows grow downwards: open by column style
	must(x.SetColStyle(sh, "A:"+colName(len(explCols)), w.s.narrOpen))
	tp := pos{1, explTitleRow}
	w.setText(sh, tp, explTitle)
	must(x.MergeCell(sh, tp.ref(), pos{last.col, explTitleRow}.ref()))
	w.style(sh, tp, pos{last.col, explTitleRow}, w.s.title)
	must(x.SetRowHeight(sh, explTitleRow, 30))
	np := pos{1, explNoteRow}
	note := w.explNote()
	w.setText(sh, np, note)
	must(x.MergeCell(sh, np.ref(), pos{last.col, explNoteRow}.ref()))
	w.style(sh, np, pos{last.col, explNoteRow}, w.s.subtitle)
	full := 0.0
	for _, c := range explCols {
		full += c.width
	}
	must(x.SetRowHeight(sh, explNoteRow, rowHeight(note, full, false)))
	for i, c := range explCols {
		p := pos{i + 1, explHeaderRow}
		w.setText(sh, p, c.label)
		w.style(sh, p, p, w.s.narrHead)
	}
	rows := w.explanationRows()
	n := len(rows) + explRows
	for i := range n {
		r := explFirstRow + i
		var cells [4]string
		if i < len(rows) {
			cells = [4]string{rows[i].rule, rows[i].place, rows[i].finding, rows[i].reason}
		}
		h := minRowH
		for j, s := range cells {
			p := pos{j + 1, r}
			w.setText(sh, p, s)
			w.style(sh, p, p, w.s.narrText)
			h = max(h, rowHeight(s, explCols[j].width, false))
		}
		must(x.SetRowHeight(sh, r, h))
	}
	for j, prompt := range []string{
		"规则号，如 YOY-JUMP、TEXT-NUMBER（照校验结果填写）",
		"照校验结果填写：" + w.placeExample(),
		"生成工作簿时的校验结果，仅供参考，不读取",
		"为什么这个数字或这句话是对的：如“本年承接市级下放的食品经营许可，许可决定数量大幅增加”",
	} {
		dv := excelize.NewDataValidation(true)
		c := colName(j + 1)
		dv.Sqref = fmt.Sprintf("%s%d:%s%d", c, explFirstRow, c, explFirstRow+5000)
		dv.SetInput(explCols[j].label, prompt)
		must(x.AddDataValidation(sh, dv))
	}
	w.page(sh, true, absRange(1, 1, last.col, explFirstRow+n-1))
	w.protect(sh, true)
}

// readExplanations reads the 说明 sheet, when the workbook has one, after
// the tables (a place given as a cell is read as the cell's key). A row
// with a reason but no rule or place is a STRUCTURE finding; a row without
// a reason explains nothing and is passed over.
func (rd *reader) readExplanations() {
	s := rd.find(wanted{name: sheetExplain, title: explTitle})
	if s == nil {
		return
	}
	col, hrow, ok := findHeader(s, explRule, explPlace, explHeaderRow)
	if !ok {
		rd.finding(check.Layout, "", schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”的表头（“%s”“%s”）找不到；说明未读取。请不要删除或修改表头", s.name, explRule, explPlace))
		return
	}
	reason := 0
	for c := col + 2; c <= col+len(explCols)+2; c++ {
		if x, ok := s.cell(c, hrow); ok && normLabel(cellText(x)) == explReason {
			reason = c
			break
		}
	}
	if reason == 0 {
		rd.finding(check.Layout, "", rd.at(s.name, pos{col, hrow}),
			fmt.Sprintf("工作表“%s”的表头中找不到“%s”列；说明未读取。请不要删除或修改表头", s.name, explReason))
		return
	}
	keys := rd.cellKeys()
	text := func(c, r int) string {
		if x, ok := s.cell(c, r); ok {
			return strings.TrimSpace(cellText(x))
		}
		return ""
	}
	for r := hrow + 1; r <= s.maxRow; r++ {
		e := schema.Explanation{Rule: strings.ToUpper(text(col, r)), Place: text(col+1, r), Reason: text(reason, r),
			Loc: rd.at(s.name, pos{col, r})}
		switch {
		case e.Reason == "":
			continue
		case e.Rule == "" || e.Place == "":
			rd.finding(check.Structure, "", rd.at(s.name, pos{reason, r}),
				fmt.Sprintf("工作表“%s”第 %d 行写了%s，但缺少%s或%s：每条说明都要写明%s、%s和%s", s.name, r, explReason, explRule, explPlace, explRule, explPlace, explReason))
			continue
		}
		if k, ok := keys[strings.ReplaceAll(e.Place, "！", "!")]; ok {
			e.Place = k
		}
		rd.rep.Explanations = append(rd.rep.Explanations, e)
	}
}

// cellKeys maps each table cell read, as written (表三!D5), to its stable
// key (t3.received.total).
func (rd *reader) cellKeys() map[string]string {
	out := map[string]string{}
	for _, t := range rd.rep.Format.Tables {
		d := rd.rep.Tables[t.ID]
		if d == nil {
			continue
		}
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				if l := d.Values[i][j].Loc; l.Sheet != "" && l.Cell != "" {
					out[l.Sheet+"!"+l.Cell] = schema.CellKey(t.ID, row.Key, col.Key)
				}
			}
		}
	}
	return out
}
