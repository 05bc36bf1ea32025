// Package svg renders a report's figures as one graphic (图解, the
// 一图读懂 many agencies publish next to the text): the agency and year in
// the title; 主动公开: the figures of 表二 as tiles; 依申请公开: the
// applications received and carried over, and how they were handled — the
// result categories of 表三 as a bar chart — and those carried forward;
// 复议、诉讼: the outcomes of 表四 as stacked bars. With last year's report
// each figure shows its change (比上年 +N / −N). Every label comes from the
// format's declaration; numbers from the report.
//
// The graphic is 750 units wide and as tall as its content, its smallest
// text 28 units, so that on an upright phone 360 px wide no text is
// smaller than 12 px, even inside the HTML page's margins; Options.Wide lays it out 1050 units wide for a page
// of the PDF. Draw returns it as shapes and texts (Drawing), which Render
// writes as SVG — text is real text in the system's CJK fonts — and the
// PDF renderer draws as vector graphics in its own embedded fonts. The
// bytes are deterministic.
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
	// Wide lays the graphic out for a page (the PDF's): 1050 units wide,
	// three tiles a row, bar labels beside the bars. The default is the
	// phone layout, 750 units wide, two tiles a row, labels above the bars.
	Wide bool
}

// Type sizes, in units. The smallest text is 28 units: 13.4 px when the
// 750-unit graphic fills an upright phone 360 px wide, 12.3 px inside the
// HTML page's margins there.
const (
	minSize     = 28.0
	titleSize   = 44.0
	headSize    = 34.0
	numberSize  = 56.0
	barTextSize = 30.0
	margin      = 30.0
)

// Colours: dark red for headings (the colour of official publications),
// blues for bars, greys for text.
const (
	red   = "#b3131b"
	ink   = "#222222"
	muted = "#555555"
	bar   = "#2f6db5"
	pale  = "#eef3fa"
	white = "#ffffff"
)

var outcomeColours = []string{"#2f6db5", "#e08a1e", "#6aa84f", "#999999", "#8e5ea2", "#c0504d"}

// Kind is what an Item draws.
type Kind int

const (
	Rect Kind = iota // X, Y, W, H, rounded by R, filled with Fill
	Line             // from (X, Y) to (X+W, Y+H), Stroke wide StrokeW
	Text             // Text at (X, Y baseline), Size, Anchor, Bold, Fill
)

// Item is one shape or text of the graphic, in its units (y downwards).
type Item struct {
	Kind       Kind
	X, Y, W, H float64
	R          float64
	Fill       string // #rrggbb
	StrokeW    float64
	Size       float64
	Anchor     string // "" (start), "middle", "end"
	Bold       bool
	Text       string
}

// Drawing is the graphic as shapes and texts: what Render writes as SVG
// and the PDF renderer draws as a page.
type Drawing struct {
	Width, Height float64
	Title         string
	Items         []Item
}

type canvas struct {
	d     Drawing
	y     float64
	width float64
	inner float64
	wide  bool
}

func (c *canvas) add(it Item) { c.d.Items = append(c.d.Items, it) }

func (c *canvas) rect(x, y, w, h, r float64, fill string) {
	c.add(Item{Kind: Rect, X: x, Y: y, W: w, H: h, R: r, Fill: fill})
}

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

func (c *canvas) text(x, y, size float64, fill, anchor string, bold bool, s string) {
	c.add(Item{Kind: Text, X: x, Y: y, Size: size, Fill: fill, Anchor: anchor, Bold: bold, Text: s})
}

// heading draws a section band: 二、主动公开政府信息情况.
func (c *canvas) heading(s string) {
	c.y += 24
	for _, l := range wrap(s, headSize, c.inner-32) {
		c.rect(margin, c.y, c.inner, headSize+26, 8, red)
		c.text(margin+16, c.y+headSize+4, headSize, white, "", true, l)
		c.y += headSize + 26
	}
	c.y += 18
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

// tiles draws figures two to a row (three in the wide layout, and three
// figures in one row), each tile as tall as the tallest of its row.
func (c *canvas) tiles(fs []figure) {
	const gap = 16.0
	cols := 2
	if c.wide || len(fs) == 3 {
		cols = 3
	}
	w := (c.inner - float64(cols-1)*gap) / float64(cols)
	for row := 0; row*cols < len(fs); row++ {
		part := fs[row*cols : min(len(fs), (row+1)*cols)]
		lines, changes := 1, false
		for _, f := range part {
			lines = max(lines, len(wrap(f.label, minSize, w-20)))
			changes = changes || change(f.v, f.prev) != ""
		}
		h := 24 + numberSize + 14 + float64(lines)*(minSize+6) + 16
		if changes {
			h += minSize + 8
		}
		for i, f := range part {
			x := margin + float64(i)*(w+gap)
			c.rect(x, c.y, w, h, 10, pale)
			c.text(x+w/2, c.y+24+numberSize*0.8, numberSize, bar, "middle", true, num(f.v))
			ly := c.y + 24 + numberSize + 14 + minSize*0.8
			for _, l := range wrap(f.label, minSize, w-20) {
				c.text(x+w/2, ly, minSize, ink, "middle", false, l)
				ly += minSize + 6
			}
			if ch := change(f.v, f.prev); ch != "" {
				c.text(x+w/2, c.y+h-16, minSize, muted, "middle", false, ch)
			}
		}
		c.y += h + gap
	}
	c.y += 4
}

// bars draws a horizontal bar chart, one bar a figure, scaled to the
// largest: the label above its bar, the figure after it (in the wide
// layout, the label beside the bar).
func (c *canvas) bars(fs []figure) {
	maxV := 0.0
	for _, f := range fs {
		if f.v.OK() {
			maxV = max(maxV, f.v.Num.Float())
		}
	}
	labelW := 0.0
	if c.wide {
		for _, f := range fs {
			labelW = max(labelW, textW(f.label, barTextSize)+16)
		}
	}
	for _, f := range fs {
		s := num(f.v)
		if ch := change(f.v, f.prev); ch != "" {
			s += "（" + ch + "）"
		}
		x := margin + labelW
		if c.wide {
			c.text(x-16, c.y+barTextSize, barTextSize, ink, "end", false, f.label)
		} else {
			c.text(margin, c.y+barTextSize, barTextSize, ink, "", false, f.label)
			c.y += barTextSize + 12
		}
		span := c.inner - labelW - textW(s, barTextSize) - 16
		bw := 0.0
		if f.v.OK() && maxV > 0 {
			bw = span * f.v.Num.Float() / maxV
		}
		c.rect(x, c.y, max(bw, 3), barTextSize+8, 4, bar)
		c.text(x+max(bw, 3)+10, c.y+barTextSize, barTextSize, ink, "", true, s)
		c.y += barTextSize + 8 + 22
	}
	c.y += 4
}

// Render writes the graphic of r to w as SVG.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	d, err := Draw(r, opt)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-labelledby="nb-svg-title" lang="zh-CN" font-family="'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif">`+"\n", d.Width, d.Height)
	fmt.Fprintf(&b, `<title id="nb-svg-title">%s</title>`+"\n", esc(d.Title))
	fmt.Fprintf(&b, `<rect width="%.0f" height="%.0f" fill="#fff"/>`+"\n", d.Width, d.Height)
	for _, it := range d.Items {
		switch it.Kind {
		case Rect:
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f"`, it.X, it.Y, it.W, it.H)
			if it.R > 0 {
				fmt.Fprintf(&b, ` rx="%.0f"`, it.R)
			}
			fmt.Fprintf(&b, ` fill="%s"/>`+"\n", it.Fill)
		case Line:
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.0f"/>`+"\n", it.X, it.Y, it.X+it.W, it.Y+it.H, it.Fill, it.StrokeW)
		case Text:
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="%.0f" fill="%s"`, it.X, it.Y, it.Size, it.Fill)
			if it.Anchor != "" {
				fmt.Fprintf(&b, ` text-anchor="%s"`, it.Anchor)
			}
			if it.Bold {
				b.WriteString(` font-weight="bold"`)
			}
			fmt.Fprintf(&b, ">%s</text>\n", esc(it.Text))
		}
	}
	b.WriteString("</svg>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// Draw lays out the graphic of r.
func Draw(r *schema.Report, opt Options) (d *Drawing, err error) {
	defer guard.Recover(&err, "SVG")
	if err := guard.Check(r); err != nil {
		return nil, err
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
	c := &canvas{width: 750, wide: opt.Wide}
	if opt.Wide {
		c.width = 1050
	}
	c.inner = c.width - 2*margin
	// title: the agency, then the rest of the title
	title := r.Title()
	agency := strings.TrimSpace(r.Meta.Agency.Value)
	lines := []string{title}
	if agency != "" && strings.HasPrefix(title, agency) && len(title) > len(agency) {
		lines = []string{agency, title[len(agency):]}
	}
	c.y = 24
	for _, l := range lines {
		for _, s := range wrap(l, titleSize, c.inner) {
			c.y += titleSize + 14
			c.text(c.width/2, c.y, titleSize, red, "middle", true, s)
		}
	}
	c.y += 18
	c.add(Item{Kind: Line, X: margin, Y: c.y, W: c.inner, Fill: red, StrokeW: 3})
	c.y += 4
	if opt.Draft {
		c.y += headSize + 8
		c.text(c.width/2, c.y, headSize, red, "middle", true, schema.DraftLabel)
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
		for _, l := range wrap(s, minSize, c.inner) {
			c.y += minSize + 8
			c.text(margin, c.y, minSize, muted, "", false, l)
		}
	}
	c.y += 30
	c.d.Width, c.d.Height, c.d.Title = c.width, c.y, title
	return &c.d, nil
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
	// legend, wrapped onto as many lines as it needs
	x := margin
	for i, col := range cols {
		if col.Total {
			continue
		}
		w := minSize + 10 + textW(col.Label, minSize)
		if x > margin && x+w > margin+c.inner {
			x, c.y = margin, c.y+minSize+16
		}
		c.rect(x, c.y, minSize, minSize, 0, outcomeColours[i%len(outcomeColours)])
		c.text(x+minSize+10, c.y+minSize*0.85, minSize, ink, "", false, col.Label)
		x += w + 30
	}
	c.y += minSize + 26
	const barH = 40.0
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
		for _, l := range wrap(label, barTextSize, c.inner) {
			c.text(margin, c.y+barTextSize, barTextSize, ink, "", true, l)
			c.y += barTextSize + 10
		}
		sum := 0.0
		for _, v := range parts {
			if v.OK() {
				sum += v.Num.Float()
			}
		}
		x := margin
		c.rect(margin, c.y, c.inner, barH, 4, pale)
		for k, v := range parts {
			if !v.OK() || sum == 0 || v.Num.Float() == 0 {
				continue
			}
			w := c.inner * v.Num.Float() / sum
			c.rect(x, c.y, w, barH, 0, outcomeColours[k%len(outcomeColours)])
			if w > textW(v.Num.String(), barTextSize)+12 {
				c.text(x+w/2, c.y+barH/2+barTextSize*0.36, barTextSize, white, "middle", true, v.Num.String())
			}
			x += w
		}
		c.y += barH + 26
	}
}
