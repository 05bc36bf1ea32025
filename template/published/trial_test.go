package published

import (
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/nianbao/nianbao/schema"
)

// The trial layouts are the seeds' tables re-typeset in layouts the other
// layout tests do not cover, generated here deterministically; each is
// scored cell by cell against the hand-typed want files: exact, wrong (a
// number in a cell not its own, the hard bar) and missing (blank), and a
// missing cell must come with an import finding in its table's section.

// trialScore is one import compared with its want file.
type trialScore struct {
	exact, wrong, missing, unreported int
	meta                              int // agency or year not read
	details                           []string
	missed                            []string
}

func scoreTrial(rep *schema.Report, w want) trialScore {
	var sc trialScore
	for _, k := range []string{"agency", "year"} {
		if v, ok := w.meta[k]; ok && metaField(rep, k) != v {
			sc.meta++
			sc.details = append(sc.details, fmt.Sprintf("meta %s = %q, want %q", k, metaField(rep, k), v))
		}
	}
	reported := map[string]bool{}
	for _, f := range rep.Issues {
		switch f.Rule {
		case RuleImport, RuleImportSplit, RuleTableMissing:
			reported[f.Section] = true
		}
	}
	for _, tb := range schema.Format2021.Tables {
		for _, row := range tb.Rows {
			for ci, c := range row.Cols {
				g := rep.Cell(tb.ID, row.Key, c.Key)
				want := w.rows[tb.ID+"."+row.Key][ci]
				where := tb.ID + "." + row.Key + "." + c.Key
				switch {
				case want == "~" && g.IsBlank():
					sc.exact++
				case g.OK() && g.Num.String() == want:
					sc.exact++
				case g.OK():
					sc.wrong++
					sc.details = append(sc.details, fmt.Sprintf("WRONG %s = %q, want %s (at %s)", where, g.Raw, want, g.Loc))
				default:
					sc.missing++
					sc.missed = append(sc.missed, fmt.Sprintf("missing %s (raw %q), want %s", where, g.Raw, want))
					if !reported[tb.Section] {
						sc.unreported++
						sc.details = append(sc.details, fmt.Sprintf("unreported missing %s (raw %q), want %s", where, g.Raw, want))
					}
				}
			}
		}
	}
	return sc
}

// trialLayout builds one input from a seed.
type trialLayout struct {
	name  string
	file  string // extension of the input
	build func(f *schema.Format, id string, w want) []byte
	// short is the number of cells over all sets the layout leaves
	// unread (each reported): 0 means every cell is read. Blank cells
	// cannot be placed where nothing marks their position (figures
	// separated by spaces, one cell a line, " | " rows ending in the bars
	// of merged cells): blank@002's are reported, not guessed.
	short int
}

// trialSet is a set of figures printed into a seed's narrative.
type trialSet struct {
	name string
	seed string                  // the narrative's seed
	want func(t testing.TB) want // the figures
}

func seedWant(id string) func(t testing.TB) want {
	return func(t testing.TB) want { return readWant(t, filepath.Join("testdata", "want", id+".want")) }
}

// truthWant is the hand-read figures of a real report (truth.json) under
// the meta of a seed's want.
func truthWant(key, metaSeed string) func(t testing.TB) want {
	return func(t testing.TB) want {
		w := readWant(t, filepath.Join("testdata", "want", metaSeed+".want"))
		data, err := os.ReadFile(filepath.Join("testdata", "real", "truth.json"))
		if err != nil {
			t.Fatal(err)
		}
		var truth map[string]truthEntry
		var all map[string]json.RawMessage
		if err := json.Unmarshal(data, &all); err != nil {
			t.Fatal(err)
		}
		truth = map[string]truthEntry{}
		var e truthEntry
		if err := json.Unmarshal(all[key], &e); err != nil {
			t.Fatal(err)
		}
		truth[key] = e
		for tid, rows := range map[string]map[string]json.RawMessage{"t2": e.Active, "t3": e.Requests, "t4": e.Appeals} {
			tb := schema.Format2021.Table(tid)
			for _, row := range tb.Rows {
				cells, err := truthCells(rows[row.Key], len(row.Cols))
				if err != nil {
					t.Fatal(err)
				}
				for i, c := range cells {
					if c == "" {
						cells[i] = "~"
					}
				}
				w.rows[tid+"."+row.Key] = cells
			}
		}
		return w
	}
}

// blankWant: the applicant columns of 表三 left blank and only 总计
// filled, as some agencies print it (h2-014), and 表四 with figures.
func blankWant(metaSeed string) func(t testing.TB) want {
	return func(t testing.TB) want {
		w := readWant(t, filepath.Join("testdata", "want", metaSeed+".want"))
		for _, row := range schema.Format2021.Table("t3").Rows {
			cells := []string{"~", "~", "~", "~", "~", "~", "0"}
			switch row.Key {
			case "received", "total":
				cells = []string{"2", "~", "~", "~", "~", "~", "2"}
			case "disclosed":
				cells = []string{"1", "~", "~", "~", "~", "~", "1"}
			case "unable_no_info":
				cells = []string{"~", "1", "~", "~", "~", "~", "1"}
			}
			w.rows["t3."+row.Key] = cells
		}
		w.rows["t4.review"] = []string{"1", "0", "0", "0", "1"}
		w.rows["t4.direct"] = []string{"0", "0", "1", "0", "1"}
		w.rows["t4.after_review"] = []string{"~", "~", "~", "~", "~"}
		return w
	}
}

var trialSets = []trialSet{
	{"000", "000", seedWant("000")},
	{"003", "003", seedWant("003")},
	{"h2-001@000", "000", truthWant("h2-001", "000")},
	{"blank@002", "002", blankWant("002")},
	{"h2-007@003", "003", truthWant("h2-007", "003")},
	{"h2-008@002", "002", truthWant("h2-008", "002")},
}

var trialLayouts = []trialLayout{
	{"thousands", "txt", textFixture(mapValues(pipeRows, thousands)), 10},
	{"fullwidth", "txt", textFixture(fullWidthRows), 39},
	{"crawler-headers", "txt", crawler(false), 39},
	{"crawler-inline", "txt", crawler(true), 39},
	{"split-labels", "txt", textFixture(splitLabels), 39},
	{"md-flat", "md", textFixture(mdFlat(false)), 0},
	{"md-filled", "md", textFixture(mdFlat(true)), 0},
	{"br-nbsp", "html", htmlTrial(htmlOpt{br: true}), 0},
	{"nested", "html", htmlTrial(htmlOpt{nested: true}), 0},
	{"thead", "html", htmlTrial(htmlOpt{thead: true}), 0},
	{"split-repeat", "html", htmlTrial(htmlOpt{split: 14, repeat: true}), 0},
	{"split-norepeat", "html", htmlTrial(htmlOpt{split: 14}), 0},
	{"split-repeat", "docx", docxTrial(htmlOpt{split: 14, repeat: true}), 0},
	{"split-norepeat", "docx", docxTrial(htmlOpt{split: 14}), 0},
	{"runs", "docx", docxTrial(htmlOpt{br: true}), 0},
	{"dash-blanks", "txt", withBlank("mixed", textFixture(pipeRows)), 0},
	{"dash-blanks", "html", withBlank("mixed", htmlTrial(htmlOpt{})), 0},
	{"dash-blanks", "docx", withBlank("mixed", docxTrial(htmlOpt{})), 0},
	{"tab-blanks", "txt", textFixture(tabRows), 0},
	{"md-headings", "md", headings("## ", ""), 10},
	{"bare-headings", "txt", headings("", "bare"), 10},
	{"part-headings", "txt", headings("", "part"), 10},
	{"restarted", "txt", restarted, 10},
	{"word-ghost", "htm", htmlTrial(htmlOpt{ghost: true}), 0},
	{"flat-blanks", "html", func(f *schema.Format, id string, w want) []byte { return htmlPage(f, id, w, "flat") }, 0},
}

// withBlank prints the blank cells of a layout as a dash or word.
func withBlank(blank string, build func(f *schema.Format, id string, w want) []byte) func(f *schema.Format, id string, w want) []byte {
	return func(f *schema.Format, id string, w want) []byte { return build(f, id, printed(w, blank)) }
}

// headings rewrites the six section headings: a Markdown prefix, the bare
// title without its number ("bare"), or "第一部分 总体情况" ("part").
func headings(prefix, style string) func(f *schema.Format, id string, w want) []byte {
	return func(f *schema.Format, id string, w want) []byte {
		lines := withTables(f, id, w, pipeRows)
		parts := []string{"一", "二", "三", "四", "五", "六"}
		for i, l := range lines {
			r := []rune(l)
			if len(r) < 3 || len(r) > 40 || r[1] != '、' || !strings.ContainsRune("一二三四五六", r[0]) || strings.Contains(l, "|") || isSentence(l) {
				continue
			}
			if !isSectionHeading(f, l) {
				continue
			}
			title := string(r[2:])
			switch style {
			case "bare":
				l = title
			case "part":
				l = "第" + parts[strings.IndexRune("一二三四五六", r[0])/3] + "部分 " + title
			}
			lines[i] = prefix + l
		}
		return []byte(strings.Join(lines, "\n") + "\n")
	}
}

// isSectionHeading reports whether a line is one of the six headings.
func isSectionHeading(f *schema.Format, l string) bool {
	_, _, ok := heading(f, -1, l, false)
	return ok
}

// restarted: the overview's paragraphs numbered 一、二、三 as headings of
// their own, so the numbering of the report's own headings restarts after
// them.
func restarted(f *schema.Format, id string, w want) []byte {
	lines := withTables(f, id, w, pipeRows)
	var out []string
	done := false
	for i, l := range lines {
		out = append(out, l)
		if !done && isSectionHeading(f, l) && strings.Contains(l, "总体情况") && i+1 < len(lines) {
			out = append(out, "一、强化组织领导", "本年度调整了政务公开工作领导小组。", "二、完善制度建设", "修订了政府信息公开申请办理制度。", "三、加强平台建设", "优化了政府网站政府信息公开专栏。")
			done = true
		}
	}
	return []byte(strings.Join(out, "\n") + "\n")
}

// mapValues rewrites every figure of a layout.
func mapValues(l layout, m func(string) string) layout {
	return func(t *schema.Table, g [][]gcell) []string {
		for i := range g {
			g[i] = append([]gcell(nil), g[i]...)
			for j := range g[i] {
				if g[i][j].value {
					g[i][j].text = m(g[i][j].text)
				}
			}
		}
		return l(t, g)
	}
}

// thousands groups the digits of a figure by three: 358973 → 358,973.
func thousands(s string) string {
	whole, frac, dot := strings.Cut(s, ".")
	if len(whole) <= 3 || strings.Trim(whole, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if dot {
		b.WriteString("." + frac)
	}
	return b.String()
}

// fullWidthRows: figures in full-width digits, cells separated by
// ideographic spaces, as typed in a Chinese input method.
func fullWidthRows(t *schema.Table, g [][]gcell) []string {
	var out []string
	for _, row := range g {
		var cs []string
		for _, c := range row {
			s := c.text
			if c.value {
				s = width.Widen.String(s)
			}
			if s == "" {
				s = "　"
			}
			cs = append(cs, s)
		}
		out = append(out, strings.Join(cs, "　　"))
	}
	return out
}

// crawler: the page as a crawler saves it: header fields (in another
// order than 标题 first, full-width colons), then the body on one line,
// cells separated by single spaces; inline puts the header fields on the
// body's line too.
func crawler(inline bool) func(f *schema.Format, id string, w want) []byte {
	return func(f *schema.Format, id string, w want) []byte {
		lines := withTables(f, id, w, func(t *schema.Table, g [][]gcell) []string {
			var cs []string
			for _, row := range g {
				for _, c := range row {
					if c.text != "" {
						cs = append(cs, c.text)
					}
				}
			}
			return []string{strings.Join(cs, " ")}
		})
		var body []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				body = append(body, l)
			}
		}
		title := w.meta["agency"] + w.meta["year"] + "年政府信息公开工作年度报告"
		pub := w.meta["published"]
		if pub == "" {
			pub = "2025-01-20"
		}
		head := []string{"来源：" + w.meta["agency"], "索引号：11220600MB1234567X/2025-00012", "发布时间：" + pub + " 09:30", "标题：" + title, "浏览次数：128"}
		if inline {
			return []byte(strings.Join(head, " ") + " " + strings.Join(body, " ") + "\n")
		}
		return []byte(strings.Join(head, "\n") + "\n" + strings.Join(body, "") + "\n")
	}
}

// splitLabels: one cell per line, every label of five or more characters
// broken over two lines (after its item number where it has one), as text
// copied from a narrow PDF column.
func splitLabels(t *schema.Table, g [][]gcell) []string {
	var out []string
	for _, row := range g {
		for _, c := range row {
			r := []rune(c.text)
			if c.value || len(r) < 5 || strings.Contains(c.text, "勾稽") {
				out = append(out, c.text)
				continue
			}
			k := len(r) / 2
			if i := strings.IndexAny(c.text, "）."); i > 0 && i < len(c.text)-3 {
				k = utf8.RuneCountInString(c.text[:i]) + 1
			}
			out = append(out, string(r[:k]), string(r[k:]))
		}
	}
	return out
}

// mdFlat: a Markdown table of the full grid under its first row, as
// HTML-to-Markdown converters write a table with merged cells: the
// positions a merged cell covers left empty, or (filled) holding the
// merged cell's text again, as Excel's "unmerge and fill" or pandas give.
func mdFlat(filled bool) layout {
	return func(t *schema.Table, g [][]gcell) []string {
		var grid [][]string
		if filled {
			grid = filledGrid(t, g)
		} else {
			grid = flatGrid(t, g)
		}
		var out []string
		for i, row := range grid {
			out = append(out, "| "+strings.Join(row, " | ")+" |")
			if i == 0 {
				sep := make([]string, len(row))
				for k := range sep {
					sep[k] = "---"
				}
				out = append(out, "| "+strings.Join(sep, " | ")+" |")
			}
		}
		return append([]string{""}, append(out, "")...)
	}
}

// filledGrid is flatGrid with every covered position holding the text of
// the cell covering it.
func filledGrid(t *schema.Table, g [][]gcell) [][]string {
	out := make([][]string, len(g))
	for i := range out {
		out[i] = make([]string, t.Width())
	}
	for _, p := range placeGrid(t, g) {
		for di := 0; di < p.c.rs; di++ {
			for dj := 0; dj < p.c.cs; dj++ {
				out[p.r+di][p.col+dj] = p.c.text
			}
		}
	}
	return out
}

// pcell is a printed cell at its grid position.
type pcell struct {
	r, col int
	c      gcell
}

// placeGrid puts each printed cell at its row and column of the full grid.
func placeGrid(t *schema.Table, g [][]gcell) []pcell {
	width := t.Width()
	taken := make([][]bool, len(g))
	for i := range taken {
		taken[i] = make([]bool, width)
	}
	var out []pcell
	for i, row := range g {
		j := 0
		for _, c := range row {
			for j < width && taken[i][j] {
				j++
			}
			for di := 0; di < c.rs; di++ {
				for dj := 0; dj < c.cs; dj++ {
					taken[i+di][j+dj] = true
				}
			}
			out = append(out, pcell{i, j, c})
			j += c.cs
		}
	}
	return out
}

// htmlOpt are the variations of the trial web pages and Word files.
type htmlOpt struct {
	font   string // Word: the font of every run (rFonts)
	page   string // Word: the page size and orientation, "w h" in twips (landscape when w > h)
	br     bool   // labels broken by <br> (Word: w:br), figures padded by &nbsp; (Word: figures in runs of one digit)
	nested bool   // every table inside two layout tables
	thead  bool   // header rows in <thead>, row labels in <th>, a <colgroup>
	split  int    // 表三 cut into two tables before this printed row
	ghost  bool   // Word's “save as web page”: mso styles, a last row of empty cells giving the widths
	repeat bool   // the second part repeats the header rows
}

// headerRows is the number of leading printed rows without a figure.
func headerRows(g [][]gcell) int {
	for i, row := range g {
		for _, c := range row {
			if c.value {
				return i
			}
		}
	}
	return len(g)
}

// parts cuts a table's printed rows into the tables they are printed as:
// one, or (opt.split) two, a merged cell crossing the cut continued in the
// second part by an empty cell, the header rows repeated if opt.repeat.
func parts(t *schema.Table, g [][]gcell, opt htmlOpt) [][][]pcell {
	all := placeGrid(t, g)
	rows := func(from, to int, cells []pcell) [][]pcell {
		out := make([][]pcell, to-from)
		for _, p := range cells {
			if p.r >= from && p.r < to {
				p.r -= from
				if p.r+p.c.rs > to-from {
					p.c.rs = to - from - p.r
				}
				out[p.r] = append(out[p.r], p)
			}
		}
		return out
	}
	if opt.split == 0 || t.ID != "t3" {
		return [][][]pcell{rows(0, len(g), all)}
	}
	k := opt.split
	first := rows(0, k, all)
	var cont []pcell
	for _, p := range all {
		if p.r < k && p.r+p.c.rs > k {
			q := p
			q.c.text = ""
			q.c.rs = p.r + p.c.rs - k
			q.r = k
			cont = append(cont, q)
		} else if p.r >= k {
			cont = append(cont, p)
		}
	}
	second := rows(k, len(g), cont)
	for i := range second {
		slices.SortFunc(second[i], func(a, b pcell) int { return a.col - b.col })
	}
	if opt.repeat {
		second = append(rows(0, headerRows(g), all), second...)
	}
	return [][][]pcell{first, second}
}

// walkSeed walks a seed's text as the trial documents print it: para for
// each line of running text, table for each of the three tables in place
// of the seed's own.
func walkSeed(id string, para func(string), table func(tid string)) {
	src, err := os.ReadFile(filepath.Join("testdata", "seeds", id+".txt"))
	if err != nil {
		panic(err)
	}
	lines := strings.Split(strings.TrimRight(string(src), "\n"), "\n")
	h := seedHeadings[id]
	for _, l := range lines[:h[0]] {
		para(l)
	}
	for k, tid := range []string{"t2", "t3", "t4"} {
		table(tid)
		para(lines[h[k+1]-1])
	}
	for _, l := range lines[h[3]:] {
		para(l)
	}
}

func htmlTrial(opt htmlOpt) func(f *schema.Format, id string, w want) []byte {
	return func(f *schema.Format, id string, w want) []byte {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
		var b strings.Builder
		b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>年度报告</title></head><body>\n<div class=\"article\">\n")
		para := func(s string) {
			if s = strings.TrimSpace(s); s != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", esc.Replace(s))
			}
		}
		walkSeed(id, para, func(tid string) {
			t := f.Table(tid)
			g := grid(t, w)
			nh := headerRows(g)
			for pi, part := range parts(t, g, opt) {
				if pi > 0 {
					b.WriteString("<p>&nbsp;</p>\n")
				}
				if opt.nested {
					b.WriteString("<table class=\"layout\" width=\"100%\"><tr><td><table><tr><td>\n")
				}
				b.WriteString("<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" style=\"border-collapse:collapse\">\n")
				if opt.thead {
					b.WriteString("<colgroup>")
					for range t.Width() {
						b.WriteString("<col width=\"60\">")
					}
					b.WriteString("</colgroup>\n")
				}
				for i, row := range part {
					if opt.thead && i == 0 && (pi == 0 || opt.repeat) {
						b.WriteString("<thead>\n")
					}
					if opt.thead && (i == nh && (pi == 0 || opt.repeat) || i == 0 && pi > 0 && !opt.repeat) {
						b.WriteString("<tbody>\n")
					}
					b.WriteString("<tr>")
					for _, p := range row {
						c := p.c
						tag := "td"
						if c.header || opt.thead && !c.value {
							tag = "th"
						}
						attrs := ""
						if c.cs > 1 {
							attrs += fmt.Sprintf(" colspan=\"%d\"", c.cs)
						}
						if c.rs > 1 {
							attrs += fmt.Sprintf(" rowspan=\"%d\"", c.rs)
						}
						text := esc.Replace(c.text)
						if opt.br {
							switch r := []rune(c.text); {
							case c.value && c.text == "":
								text = "&nbsp;"
							case c.value:
								text = "&nbsp;" + text + "&nbsp;"
							case len(r) >= 4:
								text = esc.Replace(string(r[:len(r)/2])) + "<br>" + esc.Replace(string(r[len(r)/2:]))
							}
						}
						if opt.thead {
							attrs += " style=\"text-align:center;vertical-align:middle\" class=\"xl65\""
						}
						if opt.ghost {
							attrs += " width=64 valign=top style='width:48.0pt;border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt'"
							text = "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US style='font-size:10.0pt;font-family:仿宋_GB2312'>" + text + "<o:p></o:p></span></p>"
						}
						fmt.Fprintf(&b, "<%s%s>%s</%s>", tag, attrs, text, tag)
					}
					b.WriteString("</tr>\n")
					if opt.thead && i == nh-1 && (pi == 0 || opt.repeat) {
						b.WriteString("</thead>\n")
					}
				}
				if opt.thead {
					b.WriteString("</tbody>\n")
				}
				if opt.ghost {
					b.WriteString("<![if !supportMisalignedColumns]>\n<tr height=0>")
					for range t.Width() {
						b.WriteString("<td width=64 style='border:none'></td>")
					}
					b.WriteString("</tr>\n<![endif]>\n")
				}
				b.WriteString("</table>\n")
				if opt.nested {
					b.WriteString("</td></tr></table></td></tr></table>\n")
				}
			}
		})
		b.WriteString("</div>\n<div class=\"footer\">版权所有：某某市人民政府办公室</div>\n</body></html>\n")
		return []byte(b.String())
	}
}

// docxTrial writes the seed as a .docx with Word's tables; opt.split cuts
// 表三 into two tables (the second's merged cells continued by vMerge), and
// opt.br breaks labels with <w:br/> and types figures a digit a run.
func docxTrial(opt htmlOpt) func(f *schema.Format, id string, w want) []byte {
	return func(f *schema.Format, id string, w want) []byte {
		esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
		b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + "\n")
		para := func(s string) {
			if s = strings.TrimSpace(s); s != "" {
				fmt.Fprintf(&b, "<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>\n", esc.Replace(s))
			}
		}
		walkSeed(id, para, func(tid string) {
			t := f.Table(tid)
			g := grid(t, w)
			width := t.Width()
			for pi, part := range parts(t, g, opt) {
				if pi > 0 {
					b.WriteString("<w:p/>\n")
				}
				// the grid positions of this part, for vMerge continuations
				type slot struct {
					p     pcell
					start bool
				}
				slots := make([][]*slot, len(part))
				for i := range slots {
					slots[i] = make([]*slot, width)
				}
				for _, row := range part {
					for _, p := range row {
						for di := 0; di < p.c.rs; di++ {
							slots[p.r+di][p.col] = &slot{p, di == 0}
							for dj := 1; dj < p.c.cs; dj++ {
								slots[p.r+di][p.col+dj] = &slot{} // covered by gridSpan
							}
						}
					}
				}
				b.WriteString(`<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr><w:tblGrid>`)
				for range width {
					fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, 9000/width)
				}
				b.WriteString("</w:tblGrid>\n")
				for i := range part {
					b.WriteString("<w:tr>")
					for j := 0; j < width; j++ {
						s := slots[i][j]
						if s == nil || s.p.c.cs == 0 {
							continue
						}
						c := s.p.c
						b.WriteString("<w:tc><w:tcPr>")
						if c.cs > 1 {
							fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, c.cs)
						}
						if c.rs > 1 {
							if s.start {
								b.WriteString(`<w:vMerge w:val="restart"/>`)
							} else {
								b.WriteString(`<w:vMerge/>`)
							}
						}
						b.WriteString("</w:tcPr><w:p>")
						text := ""
						if s.start {
							text = c.text
						}
						r := []rune(text)
						switch {
						case opt.br && c.value:
							for _, d := range r {
								fmt.Fprintf(&b, "<w:r><w:t>%s</w:t></w:r>", string(d))
							}
						case opt.br && len(r) >= 4:
							fmt.Fprintf(&b, "<w:r><w:t>%s</w:t><w:br/><w:t>%s</w:t></w:r>", esc.Replace(string(r[:len(r)/2])), esc.Replace(string(r[len(r)/2:])))
						default:
							fmt.Fprintf(&b, "<w:r><w:t>%s</w:t></w:r>", esc.Replace(text))
						}
						b.WriteString("</w:p></w:tc>")
					}
					b.WriteString("</w:tr>\n")
				}
				b.WriteString("</w:tbl>\n")
			}
		})
		if opt.page != "" {
			var pw, ph int
			fmt.Sscan(opt.page, &pw, &ph)
			orient := ""
			if pw > ph {
				orient = ` w:orient="landscape"`
			}
			fmt.Fprintf(&b, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"%s/><w:pgMar w:top="1440" w:right="1200" w:bottom="1440" w:left="1200"/></w:sectPr>`, pw, ph, orient)
		}
		b.WriteString("</w:body></w:document>\n")
		if opt.font != "" {
			rpr := fmt.Sprintf(`<w:r><w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s"/></w:rPr>`, opt.font)
			return zipDocx(strings.ReplaceAll(b.String(), "<w:r>", rpr))
		}
		return zipDocx(b.String())
	}
}

// trialPDFs are the PDFs of testdata/pdf/trial-*.pdf, made by
// testdata/pdf/trial.sh from the trial sources (TestTrialSources): each
// named after its figure set and how it was made.
var trialPDFs = []struct {
	file, set string
	short     int // cells left unread (each reported)
}{
	{"trial-h2-001-chromium-16k.pdf", "h2-001@000", 0},
	// the second part of 表三 has no header row, so Chromium shrinks its
	// blank columns to nothing: the rows with blank cells are refused
	{"trial-blank-chromium-a4-landscape.pdf", "blank@002", 16},
	{"trial-000-chromium-letter-sans.pdf", "000", 0},
	{"trial-003-chromium-a4-large.pdf", "003", 0},
	{"trial-h2-001-libreoffice-split.pdf", "h2-001@000", 0},
	{"trial-blank-libreoffice-16k-landscape.pdf", "blank@002", 0},
	{"trial-000-libreoffice-letter.pdf", "000", 0},
}

// TestTrialPDF scores the trial PDFs like the trial layouts: 0 wrong,
// every unread cell reported, and the scan refused as a scan.
func TestTrialPDF(t *testing.T) {
	var summary []string
	for _, tp := range trialPDFs {
		set := findSet(t, tp.set)
		w := set.want(t)
		name := filepath.Join("testdata", "pdf", tp.file)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Read(name, data)
		if err != nil {
			t.Errorf("%s: %v", tp.file, err)
			continue
		}
		sc := scoreTrial(rep, w)
		for _, d := range sc.details {
			t.Errorf("%s: %s", tp.file, d)
		}
		if testing.Verbose() {
			for _, d := range sc.missed {
				t.Logf("%s: %s", tp.file, d)
			}
			for _, f := range rep.Issues {
				t.Logf("%s: finding %s %s %s", tp.file, f.Rule, f.Location, f.Message)
			}
		}
		if sc.exact != 200-tp.short {
			t.Errorf("%s: %d cells exact, want %d", tp.file, sc.exact, 200-tp.short)
		}
		summary = append(summary, fmt.Sprintf("%-42s exact %3d wrong %2d missing %3d unreported %3d meta %d", tp.file, sc.exact, sc.wrong, sc.missing, sc.unreported, sc.meta))
	}
	t.Log("trial PDFs:\n" + strings.Join(summary, "\n"))
	data, err := os.ReadFile(filepath.Join("testdata", "pdf", "trial-scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Read("trial-scan.pdf", data); err == nil || !strings.Contains(err.Error(), "扫描的图像") || !strings.Contains(err.Error(), "共 2 页") {
		t.Errorf("scan: err = %v", err)
	}
}

var trialSrc = flag.String("trialsrc", "", "write the sources of the trial PDFs into this folder (testdata/pdf/trial.sh)")

// trialSources are the inputs the trial PDFs are made from, by file name.
var trialSources = []struct {
	name, set string
	build     func(f *schema.Format, id string, w want) []byte
}{
	{"thead.html", "h2-001@000", htmlTrial(htmlOpt{thead: true})},
	{"split.html", "blank@002", htmlTrial(htmlOpt{split: 14})},
	{"br.html", "000", htmlTrial(htmlOpt{br: true})},
	{"plain.html", "003", htmlTrial(htmlOpt{})},
	{"split-sans.docx", "h2-001@000", docxTrial(htmlOpt{split: 14, repeat: true, font: "Noto Sans CJK SC"})},
	{"16k-landscape.docx", "blank@002", docxTrial(htmlOpt{font: "Noto Serif CJK SC", page: "14740 10430"})},
	{"letter.docx", "000", docxTrial(htmlOpt{page: "12240 15840"})},
}

// TestTrialSources writes the sources of the trial PDFs when -trialsrc is
// given (the PDFs themselves are committed: making them needs Chromium and
// LibreOffice).
func TestTrialSources(t *testing.T) {
	if *trialSrc == "" {
		return
	}
	for _, src := range trialSources {
		set := findSet(t, src.set)
		data := src.build(schema.Format2021, set.seed, printed(set.want(t), ""))
		if err := os.WriteFile(filepath.Join(*trialSrc, src.set+"-"+src.name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// printed is w with its blank cells (~) printed as blank: "" or a dash;
// blank "mixed" prints them as the dashes and words agencies use in turn.
func printed(w want, blank string) want {
	out := want{meta: w.meta, rows: map[string][]string{}}
	marks := []string{"—", "-", "/", "无", "——", "－"}
	k := 0
	for _, key := range slices.Sorted(maps.Keys(w.rows)) {
		cs := append([]string(nil), w.rows[key]...)
		for i, c := range cs {
			if c != "~" && c != "" {
				continue
			}
			cs[i] = blank
			if blank == "mixed" {
				cs[i] = marks[k%len(marks)]
				k++
			}
		}
		out.rows[key] = cs
	}
	return out
}

func findSet(t testing.TB, name string) trialSet {
	for _, s := range trialSets {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no figure set %s", name)
	return trialSet{}
}

func TestTrialLayouts(t *testing.T) {
	var summary []string
	for _, tl := range trialLayouts {
		tl.name += "." + tl.file
		var tot trialScore
		for _, set := range trialSets {
			id := set.name
			w := set.want(t)
			data := tl.build(schema.Format2021, set.seed, printed(w, ""))
			rep, err := Read(set.seed+"-trial."+tl.file, data)
			if err != nil {
				t.Errorf("%s %s: %v", tl.name, id, err)
				tot.missing += 200
				continue
			}
			sc := scoreTrial(rep, w)
			for _, d := range sc.details {
				t.Errorf("%s %s: %s", tl.name, id, d)
			}
			// a figure placed at a column of a long line is there
			if tl.file == "txt" {
				src := strings.Split(string(data), "\n")
				for _, tb := range rep.Format.Tables {
					for _, row := range tb.Rows {
						for _, c := range row.Cols {
							v := rep.Cell(tb.ID, row.Key, c.Key)
							if !v.OK() || v.Loc.Col == 0 {
								continue
							}
							l := []rune(src[v.Loc.Line-1])
							if v.Loc.Col > len(l) || !strings.HasPrefix(string(l[v.Loc.Col-1:]), v.Raw) {
								t.Errorf("%s %s: %s.%s.%s = %s at %s, not there", tl.name, id, tb.ID, row.Key, c.Key, v.Raw, v.Loc)
							}
						}
					}
				}
			}
			// every section found, the narrative kept
			for _, sec := range rep.Format.Sections {
				if _, ok := rep.SectionLoc[sec.Key]; !ok {
					t.Errorf("%s %s: section %s not found", tl.name, id, sec.Heading())
				}
			}
			for _, k := range []string{"overview", "problems", "other"} {
				if len(rep.Narrative[k]) == 0 {
					t.Errorf("%s %s: no text under %s", tl.name, id, k)
				}
			}
			if testing.Verbose() {
				for _, d := range sc.missed {
					t.Logf("%s %s: %s", tl.name, id, d)
				}
				for _, f := range rep.Issues {
					t.Logf("%s %s: finding %s %s %s", tl.name, id, f.Rule, f.Location, f.Message)
				}
			}
			tot.exact += sc.exact
			tot.wrong += sc.wrong
			tot.missing += sc.missing
			tot.unreported += sc.unreported
			tot.meta += sc.meta
		}
		if tot.exact < 200*len(trialSets)-tl.short {
			t.Errorf("%s: %d cells exact, want %d", tl.name, tot.exact, 200*len(trialSets)-tl.short)
		}
		summary = append(summary, fmt.Sprintf("%-20s exact %3d wrong %2d missing %3d unreported %3d meta %d", tl.name, tot.exact, tot.wrong, tot.missing, tot.unreported, tot.meta))
	}
	t.Log("trial layouts:\n" + strings.Join(summary, "\n"))
}
