package workbook

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// The 导入记录 sheet keeps what importing a published report learnt
// (schema.ImportRecord), as the YAML's import: section does: written only
// for an imported report, last, so that a check of the workbook reports the
// import's findings (OLD-FORMAT, IMPORT, IMPORT-SPLIT …) again and init
// --from still knows where each carried-over row was printed. Staff delete
// a row once they have dealt with it.
//
// Layout: the title in row 1, a note in row 2, the header in row 3, one
// entry per row from row 4: the kind of entry in column A (one of the
// impKind* labels), then rule or key, severity, section, place in the
// original and the text.
const (
	sheetImport = "导入记录"

	impTitleRow  = 1
	impNoteRow   = 2
	impHeaderRow = 3
	impFirstRow  = 4

	impKindSource   = "原报告"  // column F: the file imported
	impKindFinding  = "导入问题" // B rule, C severity, D section, E place, F message
	impKindInferred = "推断字段" // B field key, F how it was inferred
	impKindRow      = "数字位置" // B row key (t3.received), E place
	impKindHeading  = "原标题"  // B the number as printed, D section key, E place, F the heading as printed

	impNote = "从已发布的报告导入时写入。nianbao check 会继续提示“导入问题”各行；逐条核对、改正报告内容后，删去对应的一行（整行删除）。"
)

// impHeader is the header row of the 导入记录 sheet, columns A to F.
var impHeader = []string{"类别", "规则或键", "级别", "部分", "原文位置", "内容"}

var impWidths = []float64{10, 22, 8, 12, 30, 70}

// importSheet writes the 导入记录 sheet when the report was imported.
func (w *writer) importSheet() {
	ir := w.r.Imported
	if ir == nil {
		return
	}
	x, sh := w.x, sheetImport
	w.newSheet(sh)
	for i, cw := range impWidths {
		c := colName(i + 1)
		must(x.SetColWidth(sh, c, c, cw))
	}
	last := len(impHeader)
	title := pos{1, impTitleRow}
	w.setText(sh, title, sheetImport)
	must(x.MergeCell(sh, title.ref(), pos{last, impTitleRow}.ref()))
	w.style(sh, title, pos{last, impTitleRow}, w.s.title)
	must(x.SetRowHeight(sh, impTitleRow, 30))
	note := pos{1, impNoteRow}
	w.setText(sh, note, impNote)
	must(x.MergeCell(sh, note.ref(), pos{last, impNoteRow}.ref()))
	w.style(sh, note, pos{last, impNoteRow}, w.s.metaNote)
	must(x.SetRowHeight(sh, impNoteRow, rowHeight(impNote, 140, false)))
	for i, h := range impHeader {
		p := pos{i + 1, impHeaderRow}
		w.setText(sh, p, h)
		w.style(sh, p, p, w.s.narrHead)
	}
	row := impFirstRow
	put := func(cells ...string) {
		h := 0.0
		for i, c := range cells {
			p := pos{i + 1, row}
			w.setText(sh, p, c)
			w.style(sh, p, p, w.s.metaText)
			h = math.Max(h, rowHeight(c, impWidths[i], false))
		}
		must(x.SetRowHeight(sh, row, h))
		row++
	}
	put(impKindSource, "", "", "", "", ir.Source)
	for _, f := range ir.Findings {
		put(impKindFinding, f.Rule, f.Severity.Chinese(), f.Section, f.Location.String(), f.Message)
	}
	for _, h := range ir.Headings {
		put(impKindHeading, h.Number, "", h.Section, h.Loc.String(), h.Text)
	}
	for _, k := range sortedStrings(ir.Inferred) {
		put(impKindInferred, k, "", "", "", ir.Inferred[k])
	}
	for _, k := range sortedStrings(ir.Rows) {
		put(impKindRow, k, "", "", ir.Rows[k], "")
	}
	w.page(sh, true, absRange(1, 1, last, row-1))
	must(x.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true, DeleteRows: true,
	}))
}

func sortedStrings(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// severityOf reads a severity as the sheet prints it (错误, 警告) or as
// the YAML writes it.
func severityOf(s string) (schema.Severity, bool) {
	for _, v := range []schema.Severity{schema.Error, schema.Warning} {
		if s == v.Chinese() || s == string(v) {
			return v, true
		}
	}
	return "", false
}

// readImport reads the 导入记录 sheet, when there is one, into
// Report.Imported; each 导入问题 row becomes a finding of the workbook
// again, placed at its row, naming the place in the original report.
func (rd *reader) readImport() {
	s := rd.book.sheet(sheetImport)
	if s == nil || rd.claimed[s] {
		return
	}
	rd.claimed[s] = true
	col, hrow, ok := findHeader(s, impHeader[0], impHeader[1], impHeaderRow)
	if !ok {
		rd.finding(check.Layout, "", schema.Location{File: rd.name, Sheet: s.name},
			fmt.Sprintf("工作表“%s”的表头（“%s”“%s”……）找不到，导入记录未读取；请不要修改表头", s.name, impHeader[0], impHeader[1]))
		return
	}
	ir := &schema.ImportRecord{Rows: map[string]string{}, Inferred: map[string]string{}}
	rd.rep.Imported = ir
	text := func(c, r int) string {
		if x, ok := s.cell(col+c, r); ok {
			return strings.TrimSpace(cellText(x))
		}
		return ""
	}
	for r := hrow + 1; r <= s.maxRow; r++ {
		kind, key, sev, sec, place, body := text(0, r), text(1, r), text(2, r), text(3, r), text(4, r), text(5, r)
		switch normLabel(kind) {
		case "":
			continue
		case impKindSource:
			ir.Source = body
		case impKindInferred:
			if key != "" {
				ir.Inferred[key] = body
			}
		case impKindRow:
			if key != "" {
				ir.Rows[key] = place
			}
		case impKindHeading:
			// the published report's headings, misnumbered or out of
			// order: SECTION-ORDER points at this row
			if rd.rep.Format.Section(sec) == nil || body == "" {
				rd.finding(check.Layout, "", rd.at(s.name, pos{col, r}),
					fmt.Sprintf("工作表“%s”第 %d 行的原标题缺少部分或标题文字，已忽略", s.name, r))
				continue
			}
			h := schema.SeenHeading{Number: key, Section: sec, Text: body, Loc: schema.Location{File: place}}
			ir.Headings = append(ir.Headings, h)
			h.Loc = rd.at(s.name, pos{col + 5, r})
			rd.rep.Headings = append(rd.rep.Headings, h)
		case impKindFinding:
			loc := rd.at(s.name, pos{col + 5, r})
			if key == "" || body == "" {
				rd.finding(check.Layout, "", loc, fmt.Sprintf("工作表“%s”第 %d 行的导入问题缺少规则或内容，已忽略", s.name, r))
				continue
			}
			f := schema.Finding{Rule: key, Severity: schema.Error, Section: sec, Message: body, Location: schema.Location{File: place}}
			if v, ok := severityOf(sev); ok {
				f.Severity = v
			}
			ir.Findings = append(ir.Findings, f)
			g := f
			g.Location = loc
			if place != "" {
				g.Message += "（导入时发现，原文 " + place + "；核对、改正后删去“" + s.name + "”中的这一行）"
			} else {
				g.Message += "（导入时发现；核对、改正后删去“" + s.name + "”中的这一行）"
			}
			rd.rep.Issues = append(rd.rep.Issues, g)
		default:
			rd.finding(check.Layout, "", rd.at(s.name, pos{col, r}),
				fmt.Sprintf("工作表“%s”第 %d 行的类别“%s”不认识（应为%s、%s、%s、%s或%s），已忽略", s.name, r, kind,
					impKindSource, impKindFinding, impKindHeading, impKindInferred, impKindRow))
		}
	}
}
