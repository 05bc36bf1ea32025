package workbook

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/nianbao/nianbao/schema"
)

// Layout constants of the written workbook.
const (
	fontName   = "宋体"
	fontSize   = 11
	lineHeight = 14.5 // points per line of 11-point text
	minRowH    = 20.0
	labelMaxW  = 30.0 // widest label column, in character units
	valueMaxW  = 10.0 // widest value column
	valueMinW  = 8.0
	labelMinW  = 5.0
	narrMarkW  = 9.0
	narrTextW  = 84.0
	metaLabelW = 16.0
	metaValueW = 60.0
	metaNoteW  = 34.0
	hintW      = 44.0
	a4         = 9 // excelize paper size code for A4
	guideW     = 78.0
	narrRows   = 30 // empty rows offered below the text
	introRows  = 6
)

// Write writes r as a workbook: the template when r is blank, or the
// report's values, paragraphs and hints. The output is deterministic.
func Write(w io.Writer, r *schema.Report) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = schema.Unusable(schema.Location{}, fmt.Sprintf("生成工作簿时出错（内部错误：%v）", p), nil)
		}
	}()
	if r == nil {
		return schema.Unusable(schema.Location{}, "报告没有内容，无法生成工作簿", nil)
	}
	f := r.Format
	if f == nil {
		f = schema.Current
	}
	shaped := *r
	shaped.Format = f
	if err := shaped.CheckShape(); err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	wr := &writer{x: x, r: r, f: f, cached: cachedSheets{}, refs: map[string]string{}}
	if err := wr.write(); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	useCachedValues(x, wr.cached)
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("workbook: write: %w", err)
	}
	return nil
}

type writer struct {
	x      *excelize.File
	r      *schema.Report
	f      *schema.Format
	s      styles
	cached cachedSheets      // formula cells' values, written as their cached results
	refs   map[string]string // each table cell's key → where it is written (表三!D5)
}

type styles struct {
	title, subtitle, guide                   int
	header, label, note                      int
	input, amount, computed                  int
	hint                                     int
	narrHead, narrMark, narrText, narrOpen   int
	tableText                                int
	metaLabel, metaValue, metaText, metaNote int
}

// must turns an excelize error into a panic recovered by Write; excelize
// only fails here on programming errors (bad references), never on data.
func must(err error) {
	if err != nil {
		panic(err)
	}
}

func mustInt(n int, err error) int {
	must(err)
	return n
}

func border() []excelize.Border {
	var bs []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		bs = append(bs, excelize.Border{Type: side, Color: "000000", Style: 1})
	}
	return bs
}

func (w *writer) styles() {
	x := w.x
	font := func(size float64, bold bool, color string) *excelize.Font {
		return &excelize.Font{Family: fontName, Size: size, Bold: bold, Color: color}
	}
	locked := &excelize.Protection{Locked: true}
	open := &excelize.Protection{Locked: false}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}
	top := &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}
	gray := excelize.Fill{Type: "pattern", Color: []string{"F2F2F2"}, Pattern: 1}
	text := 49 // the "@" (text) number format
	ns := func(s *excelize.Style) int { return mustInt(x.NewStyle(s)) }
	w.s = styles{
		title:     ns(&excelize.Style{Font: font(16, true, ""), Alignment: center, Protection: locked}),
		subtitle:  ns(&excelize.Style{Font: font(10, false, "595959"), Alignment: left, Protection: locked}),
		guide:     ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: top, Protection: locked}),
		header:    ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Protection: locked}),
		label:     ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: left, Border: border(), Protection: locked}),
		note:      ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Protection: locked}),
		input:     ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Protection: open}),
		amount:    ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Protection: open}),
		computed:  ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Fill: gray, Protection: locked}),
		hint:      ns(&excelize.Style{Font: font(10, false, "7F7F7F"), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}, Protection: locked}),
		narrHead:  ns(&excelize.Style{Font: font(fontSize, true, ""), Alignment: center, Border: border(), Fill: gray, Protection: locked}),
		narrMark:  ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: center, Border: border(), Protection: open, NumFmt: text}),
		narrText:  ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: top, Border: border(), Protection: open, NumFmt: text}),
		narrOpen:  ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: top, Protection: open, NumFmt: text}),
		tableText: ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: top, Protection: open, NumFmt: text}),
		metaLabel: ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: left, Border: border(), Fill: gray, Protection: locked}),
		metaValue: ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: left, Border: border(), Protection: open}),
		metaText:  ns(&excelize.Style{Font: font(fontSize, false, ""), Alignment: left, Border: border(), Protection: open, NumFmt: text}),
		metaNote:  ns(&excelize.Style{Font: font(10, false, "595959"), Alignment: left, Protection: locked}),
	}
}

func (w *writer) write() error {
	x := w.x
	must(x.SetDefaultFont(fontName))
	w.styles()
	must(x.SetSheetName("Sheet1", sheetGuide))
	w.guide()
	w.meta()
	for _, s := range w.f.Sections {
		if s.Kind == schema.Narrative {
			w.narrative(s)
			continue
		}
		if t := w.f.Table(s.Table); t != nil {
			w.table(planTable(w.f, t))
		}
	}
	w.explanations()
	w.importSheet()
	x.SetActiveSheet(0)
	title := "政府信息公开工作年度报告填报表"
	if w.r.Meta.Agency.Value != "" || w.r.Meta.Year.Value != "" {
		title = w.r.Title()
	}
	must(x.SetDocProps(&excelize.DocProperties{
		Creator: "nianbao", LastModifiedBy: "nianbao", Title: title,
		Subject: w.f.Notice, Created: "2021-09-26T00:00:00Z", Modified: "2021-09-26T00:00:00Z",
	}))
	return nil
}

// protect protects a sheet without a password: staff can unprotect it
// when they must, but cannot change a label by accident.
func (w *writer) protect(sheet string, rows bool) {
	must(w.x.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true,
		InsertRows: rows, DeleteRows: rows,
	}))
}

// page sets A4, fit to one page wide, centred.
func (w *writer) page(sheet string, landscape bool, area string) {
	x := w.x
	orient := "portrait"
	if landscape {
		orient = "landscape"
	}
	size, one, zero := a4, 1, 0
	must(x.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero,
	}))
	yes := true
	must(x.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}))
	m, mt := 0.6, 0.75
	must(x.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &m, Right: &m, Top: &mt, Bottom: &mt, Horizontally: &yes,
	}))
	no := false
	must(x.SetSheetView(sheet, 0, &excelize.ViewOptions{ShowGridLines: &no}))
	if area != "" {
		must(x.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Area", RefersTo: quoteSheet(sheet) + "!" + area, Scope: sheet,
		}))
	}
}

func quoteSheet(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func absRange(c1, r1, c2, r2 int) string {
	return fmt.Sprintf("$%s$%d:$%s$%d", colName(c1), r1, colName(c2), r2)
}

// setText writes s as a string cell: never a formula, whatever it starts with.
func (w *writer) setText(sheet string, p pos, s string) {
	if s == "" {
		return
	}
	must(w.x.SetCellStr(sheet, p.ref(), s))
}

func (w *writer) style(sheet string, from, to pos, id int) {
	must(w.x.SetCellStyle(sheet, from.ref(), to.ref(), id))
}

func (w *writer) guide() {
	x, sh := w.x, sheetGuide
	must(x.SetColWidth(sh, "A", "A", guideW))
	lines := []string{
		"政府信息公开工作年度报告填报表（" + w.f.Notice + "格式）",
		"本工作簿按" + w.f.Title + "（" + w.f.Notice + "）制作，各工作表依次为：" + strings.Join(w.sheetList(), "、") + "。",
		"1. 只在白色的填写格中填写。标签和灰色的合计格受保护（没有密码：确需修改时可在“审阅”菜单中撤销工作表保护），请不要改动标签，不要插入或删除表格中的行、列，不要改工作表的名称。",
		"2. 表格中的数字：件数填整数；收费金额以万元为单位，可以有小数。没有发生的事项请填 0，不要留空——空白不等于 0，留空的格子在检查时会被指出。",
		"3. 灰色的“总计”格由公式自动计算，不需要填写。",
		"4. 格子变成红色，表示表内的勾稽关系不成立，请核对；填写格中的数字若是文本（如全角数字“１２”、前后带空格），合计公式不会计入，这一格也会变红：请删除后重新输入数字。勾稽关系：",
	}
	for _, rel := range w.f.Relations {
		lines = append(lines, "    · "+relationText(w.f, rel))
	}
	lines = append(lines,
		"5. 文字部分（"+strings.Join(w.narrativeNumbers(), "、")+"）：每段写在“"+colText+"”列的一行中；小标题单独占一行，并在“"+colMarker+"”列选择“"+markHeading+"”。",
		"6. 表格右侧灰色的“"+strings.TrimSuffix(hintPrefix, "：")+"”是根据上年报告给出的参考，不属于报告内容。末尾带有“【待修改……】”的段落是从上年报告带过来的草稿，请按本年情况改写并删去这一标记。",
		"7. “"+sheetExplain+"”工作表：校验结果为“需说明”的问题（正文与表格不一致、与上年报告不一致、与上年相比变化异常），改正数字，或核实无误后在这张表中写明原因（"+explRule+"、"+explPlace+"照校验结果填写），否则不能发布。",
		"8. 填好后保存为 .xlsx 格式，用 nianbao check 文件名.xlsx 检查，用 nianbao render 文件名.xlsx 生成发布稿。",
	)
	for i, l := range lines {
		p := pos{1, i + 1}
		w.setText(sh, p, l)
		st := w.s.guide
		if i == 0 {
			st = w.s.title
		}
		w.style(sh, p, p, st)
		must(x.SetRowHeight(sh, p.row, rowHeight(l, guideW, i == 0)))
	}
	w.page(sh, false, absRange(1, 1, 1, len(lines)))
	w.protect(sh, false)
}

func (w *writer) sheetList() []string {
	out := []string{sheetMeta}
	for _, s := range w.f.Sections {
		if s.Kind == schema.Narrative {
			out = append(out, narrativeSheet(s))
		} else if t := w.f.Table(s.Table); t != nil {
			out = append(out, t.Name)
		}
	}
	out = append(out, sheetExplain)
	if w.r.Imported != nil {
		out = append(out, sheetImport)
	}
	return out
}

func (w *writer) narrativeNumbers() []string {
	var out []string
	for _, s := range w.f.Sections {
		if s.Kind == schema.Narrative {
			out = append(out, s.Number)
		}
	}
	return out
}

// relationText states a relation in words from the declaration's labels.
func relationText(f *schema.Format, rel *schema.Relation) string {
	t := f.Table(rel.Table)
	if t == nil {
		return rel.Name
	}
	label := func(key string) string {
		if rel.Per == schema.PerColumn {
			if r := t.Row(key); r != nil {
				return "“" + r.Label + "”"
			}
			return key
		}
		for _, r := range t.Rows {
			if c := r.Col(key); c != nil {
				return "“" + c.Label + "”"
			}
		}
		return key
	}
	side := func(keys []string) string {
		if len(keys) > 4 {
			return label(keys[0]) + "至" + label(keys[len(keys)-1]) + "各项之和"
		}
		var ls []string
		for _, k := range keys {
			ls = append(ls, label(k))
		}
		if len(ls) == 1 {
			return ls[0]
		}
		return strings.Join(ls, "加") + "之和"
	}
	per := "每一行"
	if rel.Per == schema.PerColumn {
		per = "每一列"
	}
	return fmt.Sprintf("%s%s：%s等于%s", t.Name, per, side(rel.Left), side(rel.Right))
}

func (w *writer) newSheet(name string) {
	mustInt(w.x.NewSheet(name))
}

func (w *writer) meta() {
	x, sh := w.x, sheetMeta
	w.newSheet(sh)
	must(x.SetColWidth(sh, "A", "A", metaLabelW))
	must(x.SetColWidth(sh, "B", "B", metaValueW))
	must(x.SetColWidth(sh, "C", "C", metaNoteW))
	// the 导语 area below the fields grows downwards: open by column style
	must(x.SetColStyle(sh, "A:B", w.s.narrOpen))
	title := pos{1, metaTitleRow}
	w.setText(sh, title, "报告基本信息")
	must(x.MergeCell(sh, title.ref(), pos{3, metaTitleRow}.ref()))
	w.style(sh, title, pos{3, metaTitleRow}, w.s.title)
	must(x.SetRowHeight(sh, metaTitleRow, 30))
	for i, h := range []string{metaHeadKey, metaHeadVal, metaHeadNot} {
		p := pos{i + 1, metaHeaderRow}
		w.setText(sh, p, h)
		w.style(sh, p, p, w.s.narrHead)
	}
	m := &w.r.Meta
	for i, mf := range schema.MetaFields {
		row := metaFirstRow + i
		lp, vp, np := pos{1, row}, pos{2, row}, pos{3, row}
		w.setText(sh, lp, mf.Label)
		w.style(sh, lp, lp, w.s.metaLabel)
		v := mf.Get(m).Value
		note := metaNote(mf)
		st := w.s.metaText
		switch {
		case mf.Kind == schema.FieldYear:
			st = w.s.metaValue
			if n, err := strconv.Atoi(v); err == nil && strconv.Itoa(n) == v {
				must(x.SetCellInt(sh, vp.ref(), int64(n)))
			} else {
				w.setText(sh, vp, v)
			}
		default:
			w.setText(sh, vp, v)
		}
		w.style(sh, vp, vp, st)
		w.setText(sh, np, note)
		w.style(sh, np, np, w.s.metaNote)
		must(x.SetRowHeight(sh, row, rowHeight(v, metaValueW, false)))
		dv := excelize.NewDataValidation(true)
		dv.Sqref = vp.ref()
		switch {
		case mf.Kind == schema.FieldChoice:
			must(dv.SetDropList(mf.Choices))
			dv.SetError(excelize.DataValidationErrorStyleStop, "请从列表中选择", mf.Label+"只能是："+strings.Join(mf.Choices, "、"))
			dv.SetInput(mf.Label, "请从下拉列表中选择："+strings.Join(mf.Choices, "、"))
		case mf.Kind == schema.FieldYear:
			must(dv.SetRange(2000, 2100, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween))
			dv.SetError(excelize.DataValidationErrorStyleStop, "年度有误", "报告年度应为四位数字的年份，如 2025")
			dv.SetInput(mf.Label, "四位数字的年份，如 2025")
		default:
			dv.SetInput(mf.Label, note)
		}
		must(x.AddDataValidation(sh, dv))
	}
	// the 导语
	head := metaFirstRow + len(schema.MetaFields) + 1
	hp := pos{1, head}
	w.setText(sh, hp, introLabel)
	w.style(sh, hp, hp, w.s.narrHead)
	np := pos{2, head}
	w.setText(sh, np, introNote)
	must(x.MergeCell(sh, np.ref(), pos{3, head}.ref()))
	w.style(sh, np, pos{3, head}, w.s.metaNote)
	last := w.blocks(sh, head+1, w.r.Intro, metaValueW, introRows)
	w.markerValidation(sh, head+1)
	w.page(sh, false, absRange(1, 1, 3, last))
	w.protect(sh, true)
}

// blocks writes narrative blocks from row first on: the marker in column A,
// the text in column B; it returns the last row of the bordered area.
func (w *writer) blocks(sh string, first int, blocks []schema.Block, textW float64, minRows int) int {
	x := w.x
	n := max(len(blocks)+minRows/3, minRows)
	for i := range n {
		row := first + i
		mp, tp := pos{1, row}, pos{2, row}
		w.style(sh, mp, mp, w.s.narrMark)
		w.style(sh, tp, tp, w.s.narrText)
		if i >= len(blocks) {
			continue
		}
		b := blocks[i]
		if b.Kind == schema.Heading {
			w.setText(sh, mp, markHeading)
		}
		w.setText(sh, tp, b.Text)
		must(x.SetRowHeight(sh, row, rowHeight(b.Text, textW, false)))
	}
	return first + n - 1
}

func (w *writer) markerValidation(sh string, first int) {
	w.markers(sh, 1, 2, first, first+5000)
}

// markers offers the 小标题 marker as a drop-down in column mark of rows
// first to last, and shows the text in column text of a marked row in bold.
func (w *writer) markers(sh string, mark, text, first, last int) {
	// a row marked as a sub-heading shows its text in bold
	bold := mustInt(w.x.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}))
	tc, mc := colName(text), colName(mark)
	must(w.x.SetConditionalFormat(sh, fmt.Sprintf("%s%d:%s%d", tc, first, tc, last), []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: fmt.Sprintf("=$%s%d=\"%s\"", mc, first, markHeading), Format: &bold},
	}))
	dv := excelize.NewDataValidation(true)
	dv.Sqref = fmt.Sprintf("%s%d:%s%d", mc, first, mc, last)
	must(dv.SetDropList([]string{markHeading}))
	dv.SetError(excelize.DataValidationErrorStyleStop, "类型", "小标题行选“"+markHeading+"”；普通段落留空")
	dv.SetInput(colMarker, "小标题行选“"+markHeading+"”；普通段落留空")
	must(w.x.AddDataValidation(sh, dv))
}

func (w *writer) narrative(s *schema.Section) {
	x, sh := w.x, narrativeSheet(s)
	w.newSheet(sh)
	must(x.SetColWidth(sh, "A", "A", narrMarkW))
	must(x.SetColWidth(sh, "B", "B", narrTextW))
	must(x.SetColStyle(sh, "A:B", w.s.narrOpen))
	tp := pos{1, narrTitleRow}
	w.setText(sh, tp, s.Heading())
	must(x.MergeCell(sh, tp.ref(), pos{2, narrTitleRow}.ref()))
	w.style(sh, tp, pos{2, narrTitleRow}, w.s.title)
	must(x.SetRowHeight(sh, narrTitleRow, 30))
	note := pos{1, narrNoteRow}
	noteText := "每段写在“" + colText + "”列的一行中（单元格内会自动换行）；小标题单独占一行，并在“" + colMarker + "”列选“" + markHeading + "”。行不够时可插入行。"
	w.setText(sh, note, noteText)
	must(x.MergeCell(sh, note.ref(), pos{2, narrNoteRow}.ref()))
	w.style(sh, note, pos{2, narrNoteRow}, w.s.subtitle)
	for i, h := range []string{colMarker, colText} {
		p := pos{i + 1, narrHeaderRow}
		w.setText(sh, p, h)
		w.style(sh, p, p, w.s.narrHead)
	}
	last := w.blocks(sh, narrFirstRow, w.r.Narrative[s.Key], narrTextW, narrRows)
	w.markerValidation(sh, narrFirstRow)
	w.page(sh, false, absRange(1, 1, 2, last))
	w.protect(sh, true)
}

// table writes one statistical table by walking its layout.
func (w *writer) table(p *tablePlan) {
	x, sh, t := w.x, p.sheet, p.t
	w.newSheet(sh)
	widths := p.colWidths()
	for i, wd := range widths {
		c := colName(i + 1)
		must(x.SetColWidth(sh, c, c, wd))
	}
	hc := colName(p.hintCol())
	must(x.SetColWidth(sh, hc, hc, hintW))
	// title
	tp := pos{1, tableTitleRow}
	w.setText(sh, tp, p.title())
	must(x.MergeCell(sh, tp.ref(), pos{p.width, tableTitleRow}.ref()))
	w.style(sh, tp, pos{p.width, tableTitleRow}, w.s.title)
	must(x.SetRowHeight(sh, tableTitleRow, 32))
	if p.section != nil {
		if bs := w.r.Narrative[p.section.Key]; len(bs) > 0 {
			p = p.down(w.textArea(p, widths, bs))
		}
	}
	// labels
	for _, l := range p.labels {
		end := pos{l.at.col + l.cols - 1, l.at.row + l.rows - 1}
		w.setText(sh, l.at, l.cell.Text)
		if end != l.at {
			must(x.MergeCell(sh, l.at.ref(), end.ref()))
		}
		st := w.s.label
		switch {
		case l.cell.Note:
			st = w.s.note
		case l.cell.Header:
			st = w.s.header
		}
		w.style(sh, l.at, end, st)
	}
	// values
	d := w.r.Tables[t.ID]
	for _, v := range p.values {
		end := pos{v.at.col + v.cols - 1, v.at.row + v.rows - 1}
		if end != v.at {
			must(x.MergeCell(sh, v.at.ref(), end.ref()))
		}
		row := t.Rows[v.ri]
		col := row.Cols[v.ci]
		key := [2]int{v.ri, v.ci}
		w.refs[schema.CellKey(t.ID, row.Key, col.Key)] = sh + "!" + v.at.ref()
		if fm := p.computed[key]; fm != nil {
			w.style(sh, v.at, end, w.s.computed)
			// a live formula, unless the report holds something else in
			// this total (a typed number the checker is to flag): that is
			// written as it is, so nothing is lost or invented
			if d == nil || sameValue(d.Values[v.ri][v.ci], recompute(d, fm)) {
				must(x.SetCellFormula(sh, v.at.ref(), p.sumFormula(fm, pos{})))
				cached := ""
				if d != nil {
					if c := recompute(d, fm); c.State == schema.Number {
						cached = c.Num.String()
					}
				}
				w.cached.set(sh, v.at.ref(), cached)
			} else {
				w.value(sh, v.at, &d.Values[v.ri][v.ci])
			}
			continue
		}
		st := w.s.input
		if col.Kind == schema.Amount {
			st = w.s.amount
		}
		w.style(sh, v.at, end, st)
		if d != nil {
			w.value(sh, v.at, &d.Values[v.ri][v.ci])
		}
		w.validate(sh, v.at, row, col)
	}
	// row heights
	for i, h := range p.rowHeights(widths) {
		must(x.SetRowHeight(sh, p.top+i, h))
	}
	w.hints(p)
	w.alarms(p)
	last := p.top + p.height - 1
	w.page(sh, p.width > 10, absRange(1, 1, p.width, last))
	w.protect(sh, false)
}

// textArea writes the text printed before the table above it: a header
// row, then one paragraph per row across the table's width, with the 类型
// marker right of it. It returns how many rows the area takes.
func (w *writer) textArea(p *tablePlan, widths []float64, blocks []schema.Block) int {
	x, sh := w.x, p.sheet
	full := 0.0
	for _, wd := range widths {
		full += wd
	}
	mc := colName(p.markCol())
	must(x.SetColWidth(sh, mc, mc, narrMarkW))
	head := pos{1, tableTopRow}
	w.setText(sh, head, textLabel+textNote)
	must(x.MergeCell(sh, head.ref(), pos{p.width, head.row}.ref()))
	w.style(sh, head, pos{p.width, head.row}, w.s.subtitle)
	must(x.SetRowHeight(sh, head.row, rowHeight(textLabel+textNote, full, false)))
	mp := pos{p.markCol(), head.row}
	w.setText(sh, mp, colMarker)
	w.style(sh, mp, mp, w.s.narrHead)
	for i, b := range blocks {
		row := head.row + 1 + i
		tp, end, mp := pos{1, row}, pos{p.width, row}, pos{p.markCol(), row}
		w.setText(sh, tp, b.Text)
		if end != tp {
			must(x.MergeCell(sh, tp.ref(), end.ref()))
		}
		w.style(sh, tp, end, w.s.tableText)
		w.style(sh, mp, mp, w.s.narrMark)
		if b.Kind == schema.Heading {
			w.setText(sh, mp, markHeading)
		}
		must(x.SetRowHeight(sh, row, rowHeight(b.Text, full, false)))
	}
	w.markers(sh, p.markCol(), 1, head.row+1, head.row+len(blocks))
	return 1 + len(blocks)
}

// value writes one cell value: a number as a number, anything else as text.
func (w *writer) value(sh string, at pos, v *schema.Value) {
	switch v.State {
	case schema.Number:
		s := v.Num.String()
		fv, err := strconv.ParseFloat(s, 64)
		if err == nil && strconv.FormatFloat(fv, 'f', -1, 64) == s && math.Abs(fv) < 1<<53 {
			must(w.x.SetCellFloat(sh, at.ref(), fv, -1, 64))
			return
		}
		w.setText(sh, at, s)
	case schema.Invalid:
		w.setText(sh, at, v.Raw)
	}
}

// sameValue reports whether two cells hold the same thing.
func sameValue(a, b schema.Value) bool {
	switch {
	case a.State != b.State:
		return false
	case a.State == schema.Number:
		return a.Num.Cmp(b.Num) == 0
	case a.State == schema.Invalid:
		return a.Raw == b.Raw
	}
	return true
}

// validate adds data validation with a Chinese prompt naming the cell.
func (w *writer) validate(sh string, at pos, row *schema.Row, col *schema.Column) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = at.ref()
	what := clip(row.FullLabel()+" · "+col.Label, 150)
	if col.Kind == schema.Amount {
		must(dv.SetRange(0, 0, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThanOrEqual))
		dv.SetError(excelize.DataValidationErrorStyleStop, "请填写金额", "只能填写大于或等于 0 的数字，单位：万元（可以有小数）。没有请填 0。")
		dv.SetInput(clip(col.Label, 30), what+"\n单位：万元，可以有小数；没有请填 0，不要留空。")
	} else {
		must(dv.SetRange(0, 0, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorGreaterThanOrEqual))
		dv.SetError(excelize.DataValidationErrorStyleStop, "请填写整数", "只能填写大于或等于 0 的整数。没有请填 0。")
		dv.SetInput(clip(col.Label, 30), what+"\n填写整数；没有请填 0，不要留空。")
	}
	must(w.x.AddDataValidation(sh, dv))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// hints writes Report.Hints beside the row of their cell.
func (w *writer) hints(p *tablePlan) {
	byRow := map[int][]string{}
	for ri, row := range p.t.Rows {
		for _, col := range row.Cols {
			h := strings.TrimSpace(w.r.Hints[schema.CellKey(p.t.ID, row.Key, col.Key)])
			if h == "" {
				continue
			}
			if len(row.Cols) > 1 {
				h = col.Label + "：" + h
			}
			r := p.rowOf[ri]
			byRow[r] = append(byRow[r], h)
		}
	}
	rows := make([]int, 0, len(byRow))
	for r := range byRow {
		rows = append(rows, r)
	}
	sort.Ints(rows)
	for _, r := range rows {
		at := pos{p.hintCol(), r}
		w.setText(p.sheet, at, hintPrefix+strings.Join(byRow[r], "；"))
		w.style(p.sheet, at, at, w.s.hint)
	}
}

// alarms adds conditional formatting that turns the cells of a broken
// relation red, once all of its cells are filled; the formulas come from
// Format.Relations and Format.Stocks.
func (w *writer) alarms(p *tablePlan) {
	red := mustInt(w.x.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1},
	}))
	t := p.t
	abs := func(k [2]int) string {
		at := p.at[k]
		return "$" + colName(at.col) + "$" + strconv.Itoa(at.row)
	}
	add := func(cells [][2]int, cond string) {
		var sq []string
		for _, c := range cells {
			sq = append(sq, p.at[c].ref())
		}
		must(w.x.SetConditionalFormat(p.sheet, strings.Join(sq, " "), []excelize.ConditionalFormatOptions{
			{Type: "formula", Criteria: "=" + cond, Format: &red},
		}))
	}
	// A number typed as text (１２, a pasted " 3 ") is read by check but
	// not summed by the sheet's formulas: the cell itself turns red (the
	// guide says why), and no relation that sums it turns red, since its
	// grey totals leave the text out and check counts it.
	for _, v := range p.inputs() {
		k := [2]int{v.ri, v.ci}
		add([][2]int{k}, fmt.Sprintf("AND(ISTEXT(%s),LEN(TRIM(%s))>0)", abs(k), abs(k)))
	}
	relation := func(left, right [][2]int) {
		if len(left) == 0 || len(right) == 0 {
			return
		}
		var all, l, r []string
		for _, k := range left {
			l = append(l, abs(k))
		}
		for _, k := range right {
			r = append(r, abs(k))
		}
		all = append(append(all, l...), r...)
		var texts []string
		for _, k := range p.feeding(append(append([][2]int{}, left...), right...)) {
			texts = append(texts, "ISTEXT("+abs(k)+")")
		}
		cond := fmt.Sprintf("AND(COUNT(%s)=%d,ROUND(SUM(%s)-SUM(%s),6)<>0,%s=0)",
			strings.Join(all, ","), len(all), strings.Join(l, ","), strings.Join(r, ","), strings.Join(texts, "+"))
		add(append(append([][2]int{}, left...), right...), cond)
	}
	for _, rel := range w.f.Relations {
		if rel.Table != t.ID {
			continue
		}
		switch rel.Per {
		case schema.PerRow:
			for ri, row := range t.Rows {
				if rel.Rows != nil && !contains(rel.Rows, row.Key) {
					continue
				}
				pick := func(keys []string) (out [][2]int) {
					for _, k := range keys {
						if ci := row.ColIndex(k); ci >= 0 {
							out = append(out, [2]int{ri, ci})
						}
					}
					return out
				}
				l, r := pick(rel.Left), pick(rel.Right)
				if len(l) == len(rel.Left) {
					relation(l, r)
				}
			}
		case schema.PerColumn:
			first := t.RowIndex(rel.Left[0])
			if first < 0 {
				continue
			}
			for _, col := range t.Rows[first].Cols {
				pick := func(keys []string) (out [][2]int) {
					for _, k := range keys {
						ri := t.RowIndex(k)
						if ri < 0 {
							continue
						}
						if ci := t.Rows[ri].ColIndex(col.Key); ci >= 0 {
							out = append(out, [2]int{ri, ci})
						}
					}
					return out
				}
				l, r := pick(rel.Left), pick(rel.Right)
				if len(l) == len(rel.Left) {
					relation(l, r)
				}
			}
		}
	}
	for _, st := range w.f.Stocks {
		if st.Table != t.ID {
			continue
		}
		for _, key := range st.Rows {
			ri := t.RowIndex(key)
			if ri < 0 {
				continue
			}
			row := t.Rows[ri]
			s, in, out := row.ColIndex(st.Stock), row.ColIndex(st.In), row.ColIndex(st.Out)
			if s < 0 || in < 0 || out < 0 {
				continue
			}
			sk, ik, ok := [2]int{ri, s}, [2]int{ri, in}, [2]int{ri, out}
			cond := fmt.Sprintf("AND(COUNT(%s,%s,%s)=3,%s<%s-%s)", abs(sk), abs(ik), abs(ok), abs(sk), abs(ik), abs(ok))
			add([][2]int{sk}, cond)
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// textWidth is the display width of s in character units: a CJK or
// full-width character counts two.
func textWidth(s string) float64 {
	n := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

// lines is how many lines s takes in a cell colW units wide.
func lines(s string, colW float64) int {
	usable := colW - 1.5
	if usable < 1 {
		usable = 1
	}
	n := 0
	for _, para := range strings.Split(s, "\n") {
		n += max(1, int(math.Ceil(textWidth(para)/usable)))
	}
	return n
}

func rowHeight(s string, colW float64, title bool) float64 {
	if title {
		return 30
	}
	// a long paragraph wraps past the tallest row Excel allows; the cell
	// still holds all of it
	return min(max(minRowH, float64(lines(s, colW))*lineHeight+5), excelize.MaxRowHeight)
}

// colWidths computes column widths that keep long labels readable: a
// label column is as wide as its longest one-row label (capped), value
// columns as wide as their headers (capped, so long headers wrap).
func (p *tablePlan) colWidths() []float64 {
	ws := make([]float64, p.width)
	isValue := make([]bool, p.width)
	for _, v := range p.values {
		if v.cols == 1 {
			isValue[v.at.col-1] = true
		}
	}
	for i := range ws {
		if isValue[i] {
			ws[i] = valueMinW
		} else {
			ws[i] = labelMinW
		}
	}
	for _, l := range p.labels {
		if l.cols != 1 {
			continue
		}
		i := l.at.col - 1
		tw := textWidth(l.cell.Text) + 2
		if l.rows > 1 { // spread over its rows
			tw = min(tw, math.Ceil(textWidth(l.cell.Text)/float64(l.rows))+4)
		}
		limit := labelMaxW
		if isValue[i] {
			limit = valueMaxW
		}
		ws[i] = max(ws[i], min(tw, limit))
	}
	return ws
}

// rowHeights gives each grid row the height its wrapped labels need.
func (p *tablePlan) rowHeights(widths []float64) []float64 {
	hs := make([]float64, p.height)
	for i := range hs {
		hs[i] = minRowH
	}
	span := func(col, n int) float64 {
		s := 0.0
		for i := col - 1; i < col-1+n && i < len(widths); i++ {
			s += widths[i]
		}
		return s
	}
	for _, l := range p.labels {
		if l.rows == 1 {
			i := l.at.row - p.top
			hs[i] = max(hs[i], float64(lines(l.cell.Text, span(l.at.col, l.cols)))*lineHeight+5)
		}
	}
	for _, l := range p.labels {
		if l.rows <= 1 {
			continue
		}
		need := float64(lines(l.cell.Text, span(l.at.col, l.cols)))*lineHeight + 5
		first := l.at.row - p.top
		have := 0.0
		for i := first; i < first+l.rows; i++ {
			have += hs[i]
		}
		if need > have {
			extra := (need - have) / float64(l.rows)
			for i := first; i < first+l.rows; i++ {
				hs[i] += extra
			}
		}
	}
	for i := range hs {
		hs[i] = math.Round(hs[i]*4) / 4
	}
	return hs
}
