// Package svg renders a report's figures as one graphic (图解, the
// 一图读懂 many agencies publish next to the text): the agency and year in
// the title; 主动公开: the figures of 表二 as tiles; 依申请公开: the
// applications received and carried over, and how they were handled — the
// result categories of 表三 as a bar chart — and those carried forward;
// 复议、诉讼: the outcomes of 表四 as stacked bars. With last year's report
// each figure shows its change (比上年 +N / −N). Every label comes from the
// format's declaration; numbers from the report.
//
// The graphic is 750 units wide (readable on a phone at full width, and
// on A4 at 156 mm), as tall as its content; text is real text in the
// system's CJK fonts; the bytes are deterministic.
package svg

import (
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/render/internal/guard"
	"github.com/nianbao/nianbao/schema"
)

// Options configures the graphic.
type Options struct {
	Draft bool           // mark it 草稿（未通过校验）
	Prev  *schema.Report // last year's report: year-on-year changes; nil = none
}

const (
	width  = 750.0
	margin = 30.0
	inner  = width - 2*margin
)

// Colours: dark red for headings (the colour of official publications),
// blues for bars, greys for text.
const (
	red   = "#b3131b"
	ink   = "#222"
	muted = "#555"
	bar   = "#2f6db5"
	pale  = "#eef3fa"
)

var outcomeColours = []string{"#2f6db5", "#e08a1e", "#6aa84f", "#999999", "#8e5ea2", "#c0504d"}

type canvas struct {
	b strings.Builder
	y float64
}

func (c *canvas) printf(format string, a ...any) { fmt.Fprintf(&c.b, format, a...) }

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// textW estimates the width of s at size: CJK characters one em, others
// 0.55 em.
func textW(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2e80 {
			w += 0.55
		} else {
			w++
		}
	}
	return w * size
}

// wrap breaks s into lines no wider than w at size (characters, no
// hyphenation).
func wrap(s string, size, w float64) []string {
	var lines []string
	var cur []rune
	for _, r := range s {
		if textW(string(append(cur, r)), size) > w && len(cur) > 0 {
			lines = append(lines, string(cur))
			cur = nil
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

func (c *canvas) text(x, y, size float64, fill, anchor, weight, s string) {
	c.printf(`<text x="%.1f" y="%.1f" font-size="%.0f" fill="%s"`, x, y, size, fill)
	if anchor != "" {
		c.printf(` text-anchor="%s"`, anchor)
	}
	if weight != "" {
		c.printf(` font-weight="%s"`, weight)
	}
	c.printf(">%s</text>\n", esc(s))
}

// heading draws a section band: 二、主动公开政府信息情况.
func (c *canvas) heading(s string) {
	c.y += 18
	c.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="40" rx="6" fill="%s"/>`+"\n", margin, c.y, inner, red)
	c.text(margin+16, c.y+27, 21, "#fff", "", "bold", s)
	c.y += 56
}

// figure is one number with its label and, with last year's report, the
// change.
type figure struct {
	label, unit string
	v, prev     *schema.Value
}

func num(v *schema.Value) string {
	if !v.OK() {
		return "—"
	}
	return v.Num.String()
}

// change is "比上年 +3", "比上年 −2", "与上年持平", or "".
func change(v, prev *schema.Value) string {
	if !v.OK() || !prev.OK() {
		return ""
	}
	d, ok := v.Num.Add(prev.Num.Neg())
	if !ok {
		return ""
	}
	switch d.Cmp(schema.Int(0)) {
	case 1:
		return "比上年 +" + d.String()
	case -1:
		return "比上年 −" + d.Neg().String()
	}
	return "与上年持平"
}

// tiles draws figures three to a row.
func (c *canvas) tiles(fs []figure) {
	const gap, h = 12.0, 122.0
	w := (inner - 2*gap) / 3
	for i, f := range fs {
		x := margin + float64(i%3)*(w+gap)
		y := c.y + float64(i/3)*(h+gap)
		c.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="8" fill="%s"/>`+"\n", x, y, w, h, pale)
		c.text(x+w/2, y+44, 34, bar, "middle", "bold", num(f.v))
		ly := y + 68
		for _, l := range wrap(f.label, 14, w-12) {
			c.text(x+w/2, ly, 14, ink, "middle", "", l)
			ly += 17
		}
		if ch := change(f.v, f.prev); ch != "" {
			c.text(x+w/2, y+h-8, 13, muted, "middle", "", ch)
		}
	}
	c.y += float64((len(fs)+2)/3)*(h+gap) - gap + 8
}

// bars draws a horizontal bar chart, one bar a figure, scaled to the
// largest.
func (c *canvas) bars(fs []figure) {
	const labelW, rowH = 250.0, 38.0
	maxV := 0.0
	for _, f := range fs {
		if f.v.OK() {
			maxV = max(maxV, f.v.Num.Float())
		}
	}
	span := inner - labelW - 130
	for _, f := range fs {
		lines := wrap(f.label, 16, labelW-10)
		h := max(rowH, float64(len(lines))*19+10)
		ly := c.y + h/2 - float64(len(lines)-1)*19/2 + 6
		for _, l := range lines {
			c.text(margin+labelW-10, ly, 16, ink, "end", "", l)
			ly += 19
		}
		bw := 0.0
		if f.v.OK() && maxV > 0 {
			bw = span * f.v.Num.Float() / maxV
		}
		x := margin + labelW
		c.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" rx="3" fill="%s"/>`+"\n", x, c.y+h/2-12, max(bw, 2), 24.0, bar)
		s := num(f.v)
		if ch := change(f.v, f.prev); ch != "" {
			s += "（" + ch + "）"
		}
		c.text(x+max(bw, 2)+8, c.y+h/2+6, 17, ink, "", "bold", s)
		c.y += h
	}
	c.y += 6
}

// Render writes the graphic of r to w.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	defer guard.Recover(&err, "SVG")
	if err := guard.Check(r); err != nil {
		return err
	}
	f := r.Format
	prevTable := func(id string) *schema.TableData {
		if opt.Prev == nil || opt.Prev.Format != f {
			return nil
		}
		return opt.Prev.Tables[id]
	}
	at := func(d *schema.TableData, t *schema.Table, row, col string) *schema.Value {
		if d == nil || t == nil {
			return nil
		}
		i, rw := t.RowIndex(row), t.Row(row)
		if i < 0 || rw == nil {
			return nil
		}
		return d.At(i, rw.ColIndex(col))
	}
	c := &canvas{}
	// title: the agency, then the rest of the title
	title := r.Title()
	agency := strings.TrimSpace(r.Meta.Agency.Value)
	lines := []string{title}
	if agency != "" && strings.HasPrefix(title, agency) && len(title) > len(agency) {
		lines = []string{agency, title[len(agency):]}
	}
	c.y = 30
	for _, l := range lines {
		for _, s := range wrap(l, 30, inner) {
			c.y += 40
			c.text(width/2, c.y, 30, red, "middle", "bold", s)
		}
	}
	c.y += 10
	c.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", margin, c.y, width-margin, c.y, red)
	c.y += 4
	if opt.Draft {
		c.y += 28
		c.text(width/2, c.y, 20, red, "middle", "bold", schema.DraftLabel)
	}
	for _, s := range f.Sections {
		if s.Kind != schema.TableSection {
			continue
		}
		t := f.Table(s.Table)
		if t == nil {
			continue
		}
		d, pd := r.Tables[t.ID], prevTable(t.ID)
		c.heading(s.Heading())
		switch t.ID {
		case "t2":
			var fs []figure
			for _, row := range t.Rows {
				col := row.Cols[0]
				fs = append(fs, figure{label: row.Label + " " + shortLabel(col.Label), v: at(d, t, row.Key, col.Key), prev: at(pd, t, row.Key, col.Key)})
			}
			c.tiles(fs)
		case "t3":
			total := totalCol(t)
			var head []figure
			for _, rel := range f.Relations {
				if rel.Table == t.ID && rel.Per == schema.PerColumn && len(rel.Left) == 2 {
					// received + carried over = handled + carried forward
					for _, k := range append(append([]string{}, rel.Left...), rel.Right[len(rel.Right)-1]) {
						if row := t.Row(k); row != nil {
							head = append(head, figure{label: trimOrdinal(row.Label), v: at(d, t, k, total), prev: at(pd, t, k, total)})
						}
					}
				}
			}
			c.tiles(head)
			c.bars(resultFigures(f, t, d, pd, total))
		case "t4":
			c.outcomes(t, d, pd)
		}
	}
	// source line
	c.y += 16
	src := []string{"数据来源：" + title}
	if date := schema.ChineseDate(r.SignDate()); date != "" {
		src = append(src, r.Signer()+" "+date)
	}
	for _, s := range src {
		for _, l := range wrap(s, 14, inner) {
			c.y += 20
			c.text(margin, c.y, 14, muted, "", "", l)
		}
	}
	c.y += 20
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="nb-svg-title" lang="zh-CN" font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif">`+"\n", width, c.y)
	fmt.Fprintf(w, `<title id="nb-svg-title">%s</title>`+"\n", esc(title))
	fmt.Fprintf(w, `<rect width="%.0f" height="%.0f" fill="#fff"/>`+"\n", width, c.y)
	if _, err := io.WriteString(w, c.b.String()); err != nil {
		return err
	}
	_, err = io.WriteString(w, "</svg>\n")
	return err
}

// totalCol is the key of the table's total column (总计).
func totalCol(t *schema.Table) string {
	for _, c := range t.Rows[0].Cols {
		if c.Total {
			return c.Key
		}
	}
	return t.Rows[0].Cols[len(t.Rows[0].Cols)-1].Key
}

// shortLabel drops a trailing parenthesis from a label: 本年收费金额（单位：万元）
// stays whole, since the unit matters; others are kept as they are.
func shortLabel(s string) string { return s }

// trimOrdinal drops the leading ordinal of a row label: 一、本年新收… → 本年新收….
func trimOrdinal(s string) string {
	if i := strings.Index(s, "、"); i >= 0 && i <= 6 {
		return s[i+len("、"):]
	}
	return s
}

// category is a result row's category: its group (（三）不予公开) or, for a
// row of its own, its label up to any explanation in brackets.
func category(row *schema.Row) string {
	if len(row.Path) >= 2 {
		return row.Path[len(row.Path)-1]
	}
	l := row.Label
	if i := strings.Index(l, "）"); i >= 0 {
		if j := strings.Index(l[i:], "（"); j > 0 {
			return l[:i+j]
		}
	}
	return l
}

// resultFigures sums the result rows of 表三 (the parts of the relation
// whose total is the handled total) into their categories, in order.
func resultFigures(f *schema.Format, t *schema.Table, d, pd *schema.TableData, total string) []figure {
	var parts []string
	for _, rel := range f.Relations {
		if rel.Table == t.ID && rel.Per == schema.PerColumn && len(rel.Left) == 1 && len(rel.Right) > 2 {
			parts = rel.Right
			break
		}
	}
	var out []figure
	idx := map[string]int{}
	sum := func(dst **schema.Value, data *schema.TableData, i, j int) {
		if data == nil {
			return
		}
		v := data.At(i, j)
		if !v.OK() {
			return
		}
		if *dst == nil {
			*dst = &schema.Value{}
			(*dst).SetNumber(schema.Int(0))
		}
		if s, ok := (*dst).Num.Add(v.Num); ok {
			(*dst).SetNumber(s)
		}
	}
	for _, k := range parts {
		row, i := t.Row(k), t.RowIndex(k)
		if row == nil {
			continue
		}
		cat := category(row)
		n, ok := idx[cat]
		if !ok {
			n = len(out)
			idx[cat] = n
			out = append(out, figure{label: cat})
		}
		j := row.ColIndex(total)
		sum(&out[n].v, d, i, j)
		sum(&out[n].prev, pd, i, j)
	}
	return out
}

// outcomes draws 表四: for each row (行政复议, the two kinds of 行政诉讼) its
// total and a bar split into its outcomes, with a legend.
func (c *canvas) outcomes(t *schema.Table, d, pd *schema.TableData) {
	cols := t.Rows[0].Cols
	// legend
	x := margin
	for i, col := range cols {
		if col.Total {
			continue
		}
		c.printf(`<rect x="%.1f" y="%.1f" width="16" height="16" fill="%s"/>`+"\n", x, c.y, outcomeColours[i%len(outcomeColours)])
		c.text(x+22, c.y+14, 16, ink, "", "", col.Label)
		x += 22 + textW(col.Label, 16) + 24
	}
	c.y += 34
	for i, row := range t.Rows {
		name := row.Label
		if len(row.Path) > 0 {
			name = row.Path[len(row.Path)-1] + "·" + row.Label
		}
		var tot, ptot *schema.Value
		var parts []*schema.Value
		for j, col := range row.Cols {
			var v, pv *schema.Value
			if d != nil {
				v = d.At(i, j)
			}
			if pd != nil {
				pv = pd.At(i, j)
			}
			if col.Total {
				tot, ptot = v, pv
			} else {
				parts = append(parts, v)
			}
		}
		label := name + "：" + num(tot) + " 件"
		if ch := change(tot, ptot); ch != "" {
			label += "（" + ch + "）"
		}
		c.text(margin, c.y+18, 17, ink, "", "bold", label)
		c.y += 28
		sum := 0.0
		for _, v := range parts {
			if v.OK() {
				sum += v.Num.Float()
			}
		}
		x := margin
		c.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="28" rx="3" fill="%s"/>`+"\n", margin, c.y, inner, pale)
		for k, v := range parts {
			if !v.OK() || sum == 0 || v.Num.Float() == 0 {
				continue
			}
			w := inner * v.Num.Float() / sum
			c.printf(`<rect x="%.1f" y="%.1f" width="%.1f" height="28" fill="%s"/>`+"\n", x, c.y, w, outcomeColours[k%len(outcomeColours)])
			if w > 30 {
				c.text(x+w/2, c.y+20, 15, "#fff", "middle", "bold", v.Num.String())
			}
			x += w
		}
		c.y += 44
	}
}
