package batch

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// figureHeaders names the key-figure columns from the declaration's own
// labels: 表三's row labels, 表四's row and group labels.
func figureHeaders() [numFigures]string {
	f := schema.Current
	t3, t4 := f.Table("t3"), f.Table("t4")
	label := func(t *schema.Table, row string) string {
		if r := t.Row(row); r != nil {
			return r.Label
		}
		return row
	}
	suit := "direct"
	if r := t4.Row("direct"); r != nil && len(r.Path) > 0 {
		suit = r.Path[0]
	}
	return [numFigures]string{
		FigReceived: t3.Name + " " + label(t3, "received"),
		FigHandled:  t3.Name + " " + label(t3, "total"),
		FigCarried:  t3.Name + " " + label(t3, "carried_forward"),
		FigReview:   t4.Name + " " + label(t4, "review"),
		FigSuit:     t4.Name + " " + suit,
	}
}

// clean makes report text safe to show in one cell: control and format
// characters dropped, length bounded.
func clean(s string) string {
	const maxRunes = 300
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			if r == '\n' || r == '\t' {
				b.WriteRune(' ')
			}
			continue
		}
		if n++; n > maxRunes {
			b.WriteString("…")
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

const pageCSS = `body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #bbb;padding:4px 6px;vertical-align:top}
th{background:#eee;cursor:pointer;position:sticky;top:0}th.f{min-width:4.5em}td{white-space:nowrap}td.w{white-space:normal;min-width:12em}td.n{text-align:right}
.s-ok{background:#c6efce}.s-warn{background:#ffeb9c}.s-explain{background:#f8cbad}.s-err{background:#ffc7ce}.s-bad{background:#d9d9d9}
.error{color:#9c0006}.warning{color:#7a5c00}p.meta{color:#555}`

func statusClass(s Status) string {
	switch s {
	case Publishable:
		return "s-ok"
	case HasWarnings:
		return "s-warn"
	case NeedsExplain:
		return "s-explain"
	case HasErrors:
		return "s-err"
	}
	return "s-bad"
}

// pageLoc is a finding's location on a findings page: the file is named
// at the top of the page, so a text location keeps only its base name
// (05-某局.yaml:38:12), not the whole path.
func pageLoc(f schema.Finding) string {
	base := func(l schema.Location) schema.Location {
		if l.File != "" {
			l.File = filepath.Base(l.File)
		}
		return l
	}
	f.Location = base(f.Location)
	rel := make([]schema.Location, len(f.Related))
	for i, l := range f.Related {
		rel[i] = base(l)
	}
	f.Related = rel
	return clean(f.Where())
}

// statusRank orders the statuses worst first, for sorting the overview by
// status: 无法读取, 有错误, 需说明, 有警告, 可发布.
func statusRank(s Status) int {
	switch s {
	case Unreadable:
		return 0
	case HasErrors:
		return 1
	case NeedsExplain:
		return 2
	case HasWarnings:
		return 3
	}
	return 4
}

var funcs = template.FuncMap{
	"clean":        clean,
	"class":        statusClass,
	"rank":         statusRank,
	"inc":          func(i int) int { return i + 1 },
	"formats":      render.Formats,
	"ext":          render.Ext,
	"loc":          pageLoc,
	"agencyLabel":  func() string { return schema.MetaField("agency").Label },
	"sev":          func(s schema.Severity) string { return s.Chinese() },
	"join":         func(ns []string) string { return clean(strings.Join(ns, "；")) },
	"rosterFields": func() []*schema.RosterField { return schema.RosterFields },
	"rclass":       rosterClass,
}

// rosterClass colours a roster state like the report statuses.
func rosterClass(s roster.State) string {
	switch s {
	case roster.Submitted:
		return "s-ok"
	case roster.Late, roster.Duplicated:
		return "s-warn"
	}
	return "s-err"
}

var pageTmpl = template.Must(template.New("page").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>问题清单：{{clean .Row.File}}</title><style>` + pageCSS + `</style></head><body>
<p><a href="../` + OverviewPage + `">返回总览</a></p>
<h1>{{if .Row.Agency}}{{clean .Row.Agency}}{{.Row.Year | clean}}年度报告{{else}}{{clean .Row.File}}{{end}}</h1>
<p class="meta">文件：{{clean .Row.File}}　状态：<span class="{{class .Row.Status}}">{{.Row.Status}}</span>
{{- if ne .Row.Status "无法读取"}}　错误 {{.Row.Errors}} 个，警告 {{.Row.Warnings}} 个{{end}}
{{- if .Row.Prev}}　上年报告：{{clean .Row.Prev}}{{end}}</p>
{{if .Row.Reason}}<p class="error">无法读取：{{clean .Row.Reason}}</p>{{end}}
{{range .Row.Notes}}<p class="meta">{{clean .}}</p>{{end}}
{{if .Row.Rendered}}<p>发布稿：{{$r := .Row.Rendered}}{{range formats}} <a href="../{{$r}}{{ext .}}">{{.}}</a>{{end}}</p>{{end}}
{{if .Findings}}<table><thead><tr><th>序号</th><th>类别</th><th>规则</th><th>位置</th><th>问题</th><th>应为</th><th>实际</th></tr></thead><tbody>
{{range $i, $f := .Findings}}<tr class="{{$f.Severity}}"><td class="n">{{inc $i}}</td><td>{{sev $f.Severity}}</td><td>{{$f.Rule}}</td><td>{{loc $f}}</td><td class="w">{{clean $f.Message}}</td><td>{{clean $f.Expected}}</td><td>{{clean $f.Actual}}</td></tr>
{{end}}</tbody></table>
{{else if ne .Row.Status "无法读取"}}<p>未发现问题。</p>{{end}}
</body></html>
`))

// findingsPage writes the findings page of one report.
func findingsPage(w io.Writer, row *Row, fs []schema.Finding) error {
	return pageTmpl.Execute(w, struct {
		Row      *Row
		Findings []schema.Finding
	}{row, fs})
}

var overviewTmpl = template.Must(template.New("overview").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>年度报告批量校验总览</title><style>` + pageCSS + `</style></head><body>
<h1>年度报告批量校验总览</h1>
<p class="meta">共 {{len .Rows}} 份：可发布 {{.Count "可发布"}} 份，有警告 {{.Count "有警告"}} 份，需说明 {{.Count "需说明"}} 份，有错误 {{.Count "有错误"}} 份，无法读取 {{.Count "无法读取"}} 份。“有错误”“需说明”“无法读取”的报告不能发布：点击文件名打开问题清单，交报送机关改正后重新校验（“需说明”的问题也可以在报告的说明中写明原因）。点击表头排序（点击“状态”把不能发布的排在前面）。</p>
{{with .OthersNote}}<p class="meta">{{clean .}}。</p>{{end}}
<p id="f">只看：<button data-s="">全部</button> <button data-s="可发布">可发布</button> <button data-s="有警告">有警告</button> <button data-s="有错误">有错误</button> <button data-s="无法读取">无法读取</button></p>
<table id="t"><thead><tr><th>序号</th><th>文件</th><th>{{agencyLabel}}</th><th>年度</th><th>状态</th><th>错误</th><th>警告</th>
{{- range .Headers}}<th class="f">{{.}}</th>{{end}}<th>说明</th></tr></thead><tbody>
{{range $i, $r := .Rows}}<tr><td class="n">{{inc $i}}</td><td><a href="{{$r.Page}}">{{clean $r.File}}</a></td><td>{{clean $r.Agency}}</td><td>{{clean $r.Year}}</td><td class="{{class $r.Status}}" data-k="{{rank $r.Status}}">{{$r.Status}}</td>
{{- if eq $r.Status "无法读取"}}<td></td><td></td>{{else}}<td class="n">{{$r.Errors}}</td><td class="n">{{$r.Warnings}}</td>{{end}}
{{- range $r.Figures}}<td class="n">{{.String}}</td>{{end}}<td class="w">{{if $r.Reason}}{{clean $r.Reason}}{{end}}{{if and $r.Reason $r.Notes}}；{{end}}{{join $r.Notes}}</td></tr>
{{end}}</tbody></table>
{{with .Roster}}<h2>应报单位名单核对（{{.Year}} 年度）</h2>
<p class="meta">{{.Summary}}。期限按《条例》第四十九条：部门和乡镇、街道1月31日，县级以上地方人民政府的本级政府报告3月31日。</p>
<table id="r"><thead><tr><th>序号</th>{{range rosterFields}}<th>{{.Label}}</th>{{end}}<th>名单状态</th><th>期限</th><th>报告文件</th><th>说明</th></tr></thead><tbody>
{{range $i, $l := .Lines}}<tr><td class="n">{{inc $i}}</td>{{range rosterFields}}<td>{{clean ($l.Unit.Get .Key)}}</td>{{end}}<td class="{{rclass $l.State}}">{{$l.State}}</td><td>{{$l.Due}}</td><td>{{join $l.Files}}</td><td class="w">{{join $l.Notes}}</td></tr>
{{end}}</tbody></table>
{{if .NotListed}}<h3>机关名称不在名单中的报告（{{len .NotListed}} 份）</h3><ul>{{range .NotListed}}<li>{{clean .File}}：{{clean .Agency}}</li>{{end}}</ul>{{end}}
{{end}}
<script>
(function(){var t=document.getElementById("t"),b=t.tBodies[0],dir={};
function key(td){if(td.hasAttribute("data-k"))return Number(td.getAttribute("data-k"));var s=td.textContent.trim();return s===""?null:(isNaN(s)?s:Number(s));}
t.tHead.rows[0].addEventListener("click",function(e){var th=e.target.closest("th");if(!th)return;
var c=th.cellIndex,d=dir[c]=!dir[c],rows=Array.prototype.slice.call(b.rows);
rows.sort(function(x,y){var a=key(x.cells[c]),z=key(y.cells[c]);if(a===z)return 0;if(a===null)return 1;if(z===null)return -1;
var r=(typeof a==="number"&&typeof z==="number")?a-z:String(a).localeCompare(String(z),"zh");return d?r:-r;});
rows.forEach(function(r){b.appendChild(r);});});
document.getElementById("f").addEventListener("click",function(e){var s=e.target.getAttribute("data-s");if(s===null)return;
Array.prototype.forEach.call(b.rows,function(r){r.style.display=(s===""||r.cells[4].textContent===s)?"":"none";});});})();
</script>
</body></html>
`))

// writeOverview writes the overview page and workbook.
func writeOverview(out *outdir.Dir, s *Summary) error {
	var page bytes.Buffer
	if err := overviewTmpl.Execute(&page, struct {
		*Summary
		Headers [numFigures]string
	}{s, figureHeaders()}); err != nil {
		return err
	}
	if err := out.Write(OverviewPage, page.Bytes()); err != nil {
		return err
	}
	var book bytes.Buffer
	if err := overviewWorkbook(&book, s); err != nil {
		return err
	}
	return out.Write(OverviewWorkbook, book.Bytes())
}

// noteWidth is the width of the 说明 column of the overview workbook, in
// characters; a Chinese character takes two.
const noteWidth = 60

// noteLines is the number of lines note takes wrapped in the 说明 column.
func noteLines(note string) int {
	w := 0
	for _, r := range clean(note) {
		if r < 0x80 {
			w++
		} else {
			w += 2
		}
	}
	return (w + noteWidth - 3) / (noteWidth - 2) // a little margin for the cell padding
}

// overviewWorkbook writes the overview as one sheet, streamed, as a table
// with a filter on the header row. Report text is always written as a
// string cell, never as a formula.
func overviewWorkbook(w io.Writer, s *Summary) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "总览"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	// printed: landscape, every column on one page wide (set before the
	// stream writer, which copies the sheet's settings)
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	landscape, wide, tall, a4 := "landscape", 1, 0, 9
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall}); err != nil {
		return err
	}
	// the header row is printed again on every page
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	// every cell ruled, so the printed table reads as one
	ruled := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: ruled,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	fills := []struct {
		st    Status
		color string
	}{{Publishable, "C6EFCE"}, {HasWarnings, "FFEB9C"}, {HasErrors, "FFC7CE"}, {Unreadable, "D9D9D9"}, {NeedsExplain, "F8CBAD"}}
	styles := map[Status]int{}
	for _, fl := range fills { // in order: style IDs must not depend on map order
		id, err := f.NewStyle(&excelize.Style{Border: ruled, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fl.color}}})
		if err != nil {
			return err
		}
		styles[fl.st] = id
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Border: ruled}) // "@": text
	if err != nil {
		return err
	}
	numStyle, err := f.NewStyle(&excelize.Style{Border: ruled})
	if err != nil {
		return err
	}
	num := func(v any) any { return excelize.Cell{StyleID: numStyle, Value: v} }
	// the notes say what to do: wrapped, never cut off by the next column
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: 49, Border: ruled, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	widths := []float64{7, 36, 30, 7, 10, 7, 7, 14, 14, 14, 12, 12, noteWidth, 30}
	header := []any{"序号", "文件", schema.MetaField("agency").Label, "年度", "状态"}
	if s.Collected {
		header = append(header, "审核状态")
		widths = slices.Insert(widths, 5, 12)
	}
	header = append(header, "错误数", "警告数")
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for _, h := range figureHeaders() {
		header = append(header, h)
	}
	header = append(header, "说明", "问题清单")
	hrow := make([]any, len(header))
	for i, h := range header {
		hrow[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", hrow, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	str := func(v string) any { return excelize.Cell{StyleID: text, Value: clean(v)} }
	for i, r := range s.Rows {
		vals := []any{num(i + 1), str(r.File), str(r.Agency), str(r.Year),
			excelize.Cell{StyleID: styles[r.Status], Value: string(r.Status)}}
		if s.Collected {
			vals = append(vals, str(r.Review))
		}
		if r.Status == Unreadable {
			vals = append(vals, num(nil), num(nil))
		} else {
			vals = append(vals, num(r.Errors), num(r.Warnings))
		}
		for _, fg := range r.Figures {
			switch {
			case !fg.OK:
				vals = append(vals, num(nil))
			case fg.Num.IsInt():
				vals = append(vals, num(fg.Num.Units))
			default:
				vals = append(vals, num(fg.Num.Float()))
			}
		}
		note := r.Reason
		if len(r.Notes) > 0 {
			if note != "" {
				note += "；"
			}
			note += strings.Join(r.Notes, "；")
		}
		page := r.Page
		if s.Collected { // the server sends the workbook alone
			page = ""
		}
		vals = append(vals, excelize.Cell{StyleID: wrap, Value: clean(note)}, str(page))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		var opts []excelize.RowOpts
		if n := noteLines(note); n > 1 { // spreadsheets do not grow a row to its wrapped text on opening
			opts = append(opts, excelize.RowOpts{Height: 15 * float64(n)})
		}
		if err := sw.SetRow(cell, vals, opts...); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(header), len(s.Rows)+1)
	stripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Overview",
		StyleName: "TableStyleLight1", ShowRowStripes: &stripes}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if s.Roster != nil {
		if err := rosterSheet(f, s.Roster, head, wrap, styles); err != nil {
			return err
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write overview workbook: %w", err)
	}
	return nil
}

// RosterSheet is the overview workbook's sheet of the roster check.
const RosterSheet = "名单核对"

// rosterSheet writes the roster check as a second sheet: one row per unit
// of the roster, then the reports not on it.
func rosterSheet(f *excelize.File, res *roster.Result, head, wrap int, styles map[Status]int) error {
	if _, err := f.NewSheet(RosterSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(RosterSheet)
	if err != nil {
		return err
	}
	header := []any{excelize.Cell{StyleID: head, Value: "序号"}}
	widths := []float64{7}
	for _, fl := range schema.RosterFields {
		header = append(header, excelize.Cell{StyleID: head, Value: fl.Label})
		widths = append(widths, 24)
	}
	for _, h := range []string{"名单状态", "期限", "报告文件", "说明"} {
		header = append(header, excelize.Cell{StyleID: head, Value: h})
	}
	widths = append(widths, 12, 16, 36, noteWidth)
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	fill := map[string]int{"s-ok": styles[Publishable], "s-warn": styles[HasWarnings], "s-err": styles[HasErrors], "s-explain": styles[NeedsExplain]}
	row := 2
	for i, l := range res.Lines {
		vals := []any{i + 1}
		for _, fl := range schema.RosterFields {
			vals = append(vals, clean(l.Unit.Get(fl.Key)))
		}
		note := strings.Join(l.Notes, "；")
		vals = append(vals, excelize.Cell{StyleID: fill[rosterClass(l.State)], Value: string(l.State)}, l.Due,
			clean(strings.Join(l.Files, "、")), excelize.Cell{StyleID: wrap, Value: clean(note)})
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
		row++
	}
	if len(res.NotListed) > 0 {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, []any{excelize.Cell{StyleID: head, Value: fmt.Sprintf("机关名称不在名单中的报告（%d 份）", len(res.NotListed))}}); err != nil {
			return err
		}
		for _, n := range res.NotListed {
			row++
			cell, _ := excelize.CoordinatesToCellName(2, row)
			if err := sw.SetRow(cell, []any{clean(n.Agency), nil, nil, nil, nil, nil, nil, clean(n.File)}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}
