package pdf

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-pdf/fpdf"
)

// Page geometry of GB/T 9704-2012, in millimetres and points.
const (
	pageW        = 210.0
	pageH        = 297.0
	marginL      = 28.0 // 左白边
	marginT      = 37.0 // 天头
	textW        = 156.0
	textH        = 225.0
	linesPerPage = 22
	charsPerLine = 28
	titlePt      = 22.0 // 2号
	bodyPt       = 16.0 // 3号
	pageNumPt    = 14.0 // 4号
	markPt       = 44.0 // the draft watermark
)

var (
	pitch = textH / linesPerPage // fixed line pitch, 10.23 mm
	slot  = textW / charsPerLine // one character of the grid, 5.57 mm
)

func ptmm(pt float64) float64 { return pt * 25.4 / 72 }

// adv returns the advance of a rune in mm at pt points, plus a fixed
// character spacing tc (mm).
func (f *face) adv(pt, tc float64) func(rune) float64 {
	s := ptmm(pt) / 1000
	return func(r rune) float64 { return float64(f.font.Width(r))*s + tc }
}

// gridTc is the character spacing that puts charsPerLine full-width
// characters of f at pt on a line of the text block, as Word's 文档网格 does
// for 3号 type (16 pt is slightly wider than 156 mm / 28).
func (f *face) gridTc(pt float64) float64 {
	w := 1000
	if f.font.Has('中') {
		w = f.font.Width('中')
	}
	return slot - float64(w)*ptmm(pt)/1000
}

// gridFit is the width breakLines may fill on a grid line of width avail
// when every rune carries spacing tc: n characters fit when their n grid
// slots do (n × (advance + tc) ≤ avail), as in Word's 文档网格, so a line
// of 3号 ideographs holds 28 of them. With a negative tc (16 pt is wider
// than 156 mm / 28) the last glyph then reaches |tc| past the slot, and a
// justified line is squeezed back by that much; a positive tc is spacing
// the last rune does not need.
func gridFit(avail, tc float64) float64 { return avail + max(tc, 0) }

type align int

const (
	alignJustify align = iota
	alignLeft
	alignCenter
	alignRight
)

// painter draws a document onto fpdf pages.
type painter struct {
	pdf  *fpdf.Fpdf
	d    *document
	line int     // next free grid line on the page
	k    float64 // points per mm
	tag  *tagger
	// color is the fill (and stroke) colour operator of the text drawn
	// now, "" for black
	color string
}

func (d *document) draw() (*fpdf.Fpdf, *tagger, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	date := docDate(d.r)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	// fpdf writes page contents uncompressed: each zlib writer it makes
	// costs about 1 MB of allocation, a third of the time of a whole
	// document. finish compresses them with reused writers.
	pdf.SetCompression(false)
	pdf.SetTitle(string(d.title.runes), true)
	pdf.SetAuthor(d.r.Signer(), true)
	pdf.SetCreator("nianbao", true)
	pdf.SetLang("zh-CN")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginL, marginT, pageW-marginL-textW)
	d.embedFonts()
	p := &painter{pdf: pdf, d: d, k: pdf.GetConversionRatio(), tag: newTagger()}
	pdf.SetHeaderFunc(func() { p.asArtifact(p.header) })
	pdf.SetFooterFunc(func() { p.asArtifact(p.footer) })
	p.newPage()
	for i, b := range d.blocks {
		switch b.kind {
		case bTitle:
			p.tag.cur = p.tag.add(nil, "H1", "")
			p.title()
		case bPara:
			p.tag.cur = p.tag.add(nil, "P", "")
			keep := 0
			if i+1 < len(d.blocks) && d.blocks[i+1].kind == bSign {
				keep = p.signatureLines()
			}
			p.paragraph(b.text, bodyPt, 2*slot, 0, alignJustify, keep)
		case bHeading, bSub:
			// keep a heading with the first two lines of the paragraph
			// after it (one when it has one)
			next, hl := 1, p.countLines(b.text, bodyPt, 2*slot, 0)
			if i+1 < len(d.blocks) && d.blocks[i+1].kind == bPara {
				n := p.countLines(d.blocks[i+1].text, bodyPt, 2*slot, 0)
				next = min(2, n)
				keep := 0
				if i+2 < len(d.blocks) && d.blocks[i+2].kind == bSign {
					keep = p.signatureLines()
				}
				// the paragraph would move whole to the next page (to
				// keep the signature company): the heading goes with it
				if brk := pageBreaks(n, p.line+hl, keep); len(brk) > 0 && brk[0] == 0 && p.line > 0 {
					p.newPage()
				}
			}
			p.ensure(hl + next)
			if i+1 < len(d.blocks) && d.blocks[i+1].kind == bTable {
				p.keepWithTable(d.blocks[i+1].table)
			}
			typ := "H3"
			if b.kind == bHeading {
				typ = "H2"
				if p.line >= linesPerPage {
					p.newPage()
				}
				pdf.Bookmark(utf16Text(string(b.text.runes)), 0, lineTop(p.line))
			}
			p.tag.cur = p.tag.add(nil, typ, "")
			p.paragraph(b.text, bodyPt, 2*slot, 0, alignLeft, 0)
		case bTable:
			p.table(b.table)
		case bSign:
			p.signature()
		}
		p.tag.cur = nil
		if pdf.Err() {
			return nil, nil, fmt.Errorf("pdf: %w", pdf.Error())
		}
	}
	p.graphicPage()
	return pdf, p.tag, pdf.Error()
}

// asArtifact draws page furniture (page numbers, the draft mark) as an
// artifact, whatever element is being drawn when the page turns.
func (p *painter) asArtifact(draw func()) {
	cur := p.tag.cur
	p.tag.cur = nil
	draw()
	p.tag.cur = cur
}

// rect draws a table rule, an artifact.
func (p *painter) rect(x, y, w, h float64) {
	p.pdf.RawWriteStr("/Artifact BMC")
	p.pdf.Rect(x, y, w, h, "D")
	p.pdf.RawWriteStr("EMC")
}

func (p *painter) newPage() {
	p.pdf.AddPage()
	p.line = 0
}

// ensure starts a new page unless n more lines fit on this one.
func (p *painter) ensure(n int) {
	if p.line > 0 && p.line+n > linesPerPage {
		p.newPage()
	}
}

func lineTop(i int) float64 { return marginT + float64(i)*pitch }

// baseline puts text of pt points in the middle of grid line i: CJK
// ideographs stand from −0.12 to 0.88 em around the baseline.
func baseline(i int, pt float64) float64 {
	return lineTop(i) + pitch/2 + 0.38*ptmm(pt)
}

// show draws runes at (x, y baseline) with character spacing tc (mm).
func (p *painter) show(f *face, pt, x, y float64, rs []rune, tc float64) {
	e := p.d.embeds[f.family]
	var b strings.Builder
	b.WriteString(p.tag.begin(p.pdf.PageNo()))
	b.WriteString(" q")
	if p.color != "" {
		b.WriteString(" " + p.color)
	}
	if tc != 0 {
		fmt.Fprintf(&b, " %.4f Tc", tc*p.k)
	}
	if f.bold { // synthetic bold: fill and stroke the outlines
		fmt.Fprintf(&b, " 2 Tr %.3f w", 0.025*pt)
	}
	fmt.Fprintf(&b, " BT /%s %.2f Tf %.2f %.2f Td ", e.res, pt, x*p.k, (pageH-y)*p.k)
	e.encode(&b, rs)
	b.WriteString(" Tj ET Q ")
	b.WriteString(p.tag.end())
	p.pdf.RawWriteStr(b.String())
}

// maxSpread is the most a justified line spreads a gap between two
// characters, as a fraction of the type size: 0.08 em (1.3 pt at 3号). A
// line that would need more (a URL or e-mail address that could not break
// nearer the line end) is left ragged instead of letter-spaced, so it
// reads normally and copies without stray spaces.
const maxSpread = 0.08

// justified draws a line stretched (or squeezed) by spare mm. The spare
// goes into the gaps between characters, but not inside a run of word
// characters (a number, a URL, an e-mail address), which keeps its
// natural spacing: 010-12345678 is not spaced out. No gap is spread by
// more than maxSpread; a line that is one word throughout is only ever
// squeezed (hung closing marks), never spread.
func (p *painter) justified(f *face, pt, x, y float64, rs []rune, tc, spare float64) {
	inWord := func(k int) bool { return isWordRune(rs[k]) && isWordRune(rs[k+1]) } // gap after rune k
	gaps := 0
	for k := 0; k+1 < len(rs); k++ {
		if !inWord(k) {
			gaps++
		}
	}
	if gaps == 0 {
		p.show(f, pt, x, y, rs, tc+min(spare, 0)/float64(len(rs)-1))
		return
	}
	extra := min(spare/float64(gaps), maxSpread*ptmm(pt))
	glyph := f.adv(pt, 0)
	// Draw maximal segments: a word (runes joined by in-word gaps) at tc,
	// a run of other characters at tc+extra.
	n := len(rs)
	inRun := func(k int) bool { return (k > 0 && inWord(k-1)) || (k+1 < n && inWord(k)) }
	for i := 0; i < n; {
		word := inRun(i)
		j := i + 1
		for j < n && inRun(j) == word && (!word || inWord(j-1)) {
			j++
		}
		sp := tc + extra
		if word {
			sp = tc
		}
		p.show(f, pt, x, y, rs[i:j], sp)
		for _, r := range rs[i:j] {
			x += glyph(r)
		}
		x += float64(j-i-1)*sp + tc + extra
		i = j
	}
}

// paragraph breaks a text into grid lines and draws them.
// keepAfter lines must follow it on its last page (the signature after
// the last paragraph); page breaks follow pageBreaks.
func (p *painter) paragraph(t *text, pt, indentFirst, indentRest float64, al align, keepAfter int) {
	f := t.face
	tc := f.gridTc(pt)
	adv := f.adv(pt, tc)
	lines := breakLines(t.runes, adv, gridFit(textW-indentFirst, tc), gridFit(textW-indentRest, tc))
	brk := pageBreaks(len(lines), p.line, keepAfter)
	for i, l := range lines {
		if len(brk) > 0 && brk[0] == i {
			brk = brk[1:]
			if p.line > 0 {
				p.newPage()
			}
		}
		if p.line >= linesPerPage {
			p.newPage()
		}
		if p.d.lines != nil {
			*p.d.lines = append(*p.d.lines, drawnLine{text: t, line: i, of: len(lines), page: p.pdf.PageNo()})
		}
		indent := indentRest
		if i == 0 {
			indent = indentFirst
		}
		avail := textW - indent
		visual := l.width - tc
		x, spacing := marginL+indent, tc
		switch al {
		case alignJustify:
			// Stretch full lines to the right edge; squeeze a line that
			// holds hung closing marks (标点挤压) back inside it.
			if len(l.text) > 1 && (visual > avail || !l.last && visual < avail) {
				p.justified(f, pt, x, baseline(p.line, pt), l.text, tc, avail-visual)
				p.line++
				continue
			}
		case alignCenter:
			x = marginL + (textW-visual)/2
		case alignRight:
			x = marginL + textW - visual
		}
		p.show(f, pt, x, baseline(p.line, pt), l.text, spacing)
		p.line++
	}
}

// traceLine records a signature line for tests.
func (p *painter) traceLine(t *text) {
	if p.d.lines != nil {
		*p.d.lines = append(*p.d.lines, drawnLine{text: t, of: 1, page: p.pdf.PageNo()})
	}
}

// countLines is the number of lines paragraph would draw t in.
func (p *painter) countLines(t *text, pt, indentFirst, indentRest float64) int {
	tc := t.face.gridTc(pt)
	return len(breakLines(t.runes, t.face.adv(pt, tc), gridFit(textW-indentFirst, tc), gridFit(textW-indentRest, tc)))
}

// signatureLines is the number of grid lines the signature takes: a blank
// line, the signing body (one line, or more when it is longer than one),
// the date.
func (p *painter) signatureLines() int {
	s := p.d.signer
	tcS := s.face.gridTc(bodyPt)
	n := 1
	if sumAdv(s.runes, s.face.adv(bodyPt, tcS))-tcS > textW-4*slot {
		n = len(breakLines(s.runes, s.face.adv(bodyPt, tcS), gridFit(textW-2*slot, tcS), gridFit(textW-2*slot, tcS)))
	}
	return 1 + n + 1
}

// pageBreaks decides where a paragraph of n lines, starting on grid line
// at of a page, moves on to a new page: the indices of the lines that
// start one (0: the whole paragraph moves). Widow and orphan control: no
// page holds just one line of a paragraph of two or more, at its end or at
// its start. keepAfter lines must follow the last line on its page (the
// signature after the last paragraph): if they do not fit, the last two
// lines (or the whole paragraph, if it is short) go to the next page with
// them, so the last page never holds the signature alone.
func pageBreaks(n, at, keepAfter int) []int {
	const L = linesPerPage
	if n == 0 {
		return nil
	}
	if at >= L {
		at = 0 // the paragraph starts a new page anyway
	}
	plan := func(start int) (chunks []int) {
		for left, room := n, L-start; left > 0; room = L {
			c := min(left, room)
			chunks = append(chunks, c)
			left -= c
		}
		return chunks
	}
	chunks := plan(at)
	moved := false // the whole paragraph goes to a new page
	moveAll := func() {
		if at > 0 {
			moved, at = true, 0
			chunks = plan(0)
		}
	}
	widow := func() bool {
		k := len(chunks)
		if k < 2 || chunks[k-1] != 1 {
			return true
		}
		if chunks[k-2] >= 3 {
			chunks[k-2]--
			chunks[k-1]++
			return true
		}
		return false
	}
	if len(chunks) > 1 && chunks[0] == 1 { // orphan
		moveAll()
	}
	if !widow() {
		moveAll()
		widow()
	}
	if k := len(chunks); keepAfter > 0 {
		start := 0
		if k == 1 {
			start = at
		}
		if start+chunks[k-1]+keepAfter > L {
			if chunks[k-1] >= 4 {
				chunks[k-1] -= 2
				chunks = append(chunks, 2)
			} else if k == 1 {
				moveAll()
			}
		}
	}
	var brk []int
	if moved {
		brk = append(brk, 0)
	}
	i := 0
	for j, c := range chunks {
		if j > 0 {
			brk = append(brk, i)
		}
		i += c
	}
	return brk
}

// title draws the title centred, broken after the agency's name when it
// needs two lines (回行时词意完整), then leaves a blank line.
func (p *painter) title() {
	t := p.d.title
	f := t.face
	adv := f.adv(titlePt, 0)
	var rows [][]rune
	a, b := t.runes[:min(p.d.agency, len(t.runes))], t.runes[min(p.d.agency, len(t.runes)):]
	switch {
	case sumAdv(t.runes, adv) <= textW:
		rows = [][]rune{t.runes}
	case len(a) > 0 && sumAdv(a, adv) <= textW && sumAdv(b, adv) <= textW:
		rows = [][]rune{a, b}
	default:
		for _, l := range breakLines(t.runes, adv, textW, textW) {
			rows = append(rows, l.text)
		}
	}
	for _, r := range rows {
		x := marginL + (textW-sumAdv(r, adv))/2
		p.show(f, titlePt, x, baseline(p.line, titlePt), r, 0)
		p.line++
	}
	p.line++
}

// signature draws the signing body and date (GB/T 9704 7.3.5.2): a blank
// line after the text, the body right-indented two characters, the date on
// the next line starting two characters to the right of the body; a date
// longer than that is right-indented two characters and the body moves
// left with it.
func (p *painter) signature() {
	s, d := p.d.signer, p.d.date
	p.line++
	p.ensure(2)
	p.tag.cur = p.tag.add(nil, "P", "")
	tcS, tcD := s.face.gridTc(bodyPt), d.face.gridTc(bodyPt)
	ws := sumAdv(s.runes, s.face.adv(bodyPt, tcS)) - tcS
	wd := sumAdv(d.runes, d.face.adv(bodyPt, tcD)) - tcD
	right := marginL + textW - 2*slot
	xs := right - ws
	xd := xs + 2*slot
	if xd+wd > right {
		xd = right - wd
		xs = xd - 2*slot
	}
	if xs < marginL { // a signing body longer than a line: right-aligned lines
		for _, l := range breakLines(s.runes, s.face.adv(bodyPt, tcS), gridFit(textW-2*slot, tcS), gridFit(textW-2*slot, tcS)) {
			if p.line >= linesPerPage {
				p.newPage()
			}
			p.show(s.face, bodyPt, right-(l.width-tcS), baseline(p.line, bodyPt), l.text, tcS)
			p.traceLine(s)
			p.line++
		}
		xd = right - wd
	} else {
		p.show(s.face, bodyPt, xs, baseline(p.line, bodyPt), s.runes, tcS)
		p.traceLine(s)
		p.line++
	}
	if p.line >= linesPerPage {
		p.newPage()
	}
	p.tag.cur = p.tag.add(nil, "P", "")
	p.show(d.face, bodyPt, xd, baseline(p.line, bodyPt), d.runes, tcD)
	p.traceLine(d)
	p.line++
}

// footer draws the page number “— N —” in 4号 type, its dash line 7 mm
// below the text block, one character in from the right on odd pages and
// from the left on even pages.
func (p *painter) footer() {
	f := p.d.digits.face
	n := p.pdf.PageNo()
	rs := []rune(fmt.Sprintf("— %d —", n))
	w := sumAdv(rs, f.adv(pageNumPt, 0))
	em := ptmm(pageNumPt)
	x := marginL + em
	if n%2 == 1 {
		x = marginL + textW - em - w
	}
	p.show(f, pageNumPt, x, marginT+textH+7+0.3*em, rs, 0)
}

// header marks a draft: a red line above the text block and a light
// diagonal watermark across the page, under the text.
func (p *painter) header() {
	m := p.d.mark
	if m == nil {
		return
	}
	f := m.face
	pdf := p.pdf
	p.color = "0.784 0.118 0.118 rg 0.784 0.118 0.118 RG"
	pdf.SetAlpha(0.13, "Normal")
	pdf.TransformBegin()
	pdf.TransformRotate(math.Atan2(pageH, pageW)*180/math.Pi, pageW/2, pageH/2)
	w := sumAdv(m.runes, f.adv(markPt, 0))
	p.show(f, markPt, (pageW-w)/2, pageH/2+0.38*ptmm(markPt), m.runes, 0)
	pdf.TransformEnd()
	pdf.SetAlpha(1, "Normal")
	w = sumAdv(m.runes, f.adv(pageNumPt, 0))
	p.show(f, pageNumPt, marginL+(textW-w)/2, marginT-12, m.runes, 0)
	p.color = ""
}

// table draws a table from the current grid line: whole when it fits on a
// page (moving to the next page if need be), else page by page with the
// header rows repeated and merged row labels drawn again on each page.
func (p *painter) table(tm *tableModel) {
	tm.layout(textW)
	if tm.laidOn == nil {
		return
	}
	pdf := p.pdf
	bottom := marginT + textH
	y := lineTop(p.line)
	if p.line >= linesPerPage || (y+tm.height() > bottom+1e-6 && tm.height() <= textH && p.line > 0) {
		p.newPage()
		y = marginT
	}
	p.tagTable(tm)
	pdf.Bookmark(utf16Text(tm.t.Name+" "+tm.t.Caption), 1, y)
	pdf.SetLineWidth(ruleWidth)
	pdf.SetDrawColor(0, 0, 0)
	hdrH := tm.spanH(0, tm.hdr)
	for pos := tm.hdr; ; {
		if y > marginT+1e-6 && pos < tm.nrows && y+hdrH+tm.rowH[pos] > bottom+1e-6 {
			p.newPage()
			y = marginT
		}
		p.segment(tm, 0, tm.hdr, y, nil)
		y += hdrH
		if pos >= tm.nrows {
			break
		}
		end, extra := tm.pageRows(pos, bottom-y)
		y += p.segment(tm, pos, end, y, extra)
		pos = end
		if pos >= tm.nrows {
			break
		}
		p.newPage()
		y = marginT
	}
	p.line = int(math.Ceil((y-marginT)/pitch - 1e-6))
	p.tag.cur = nil
}

// tagTable makes the table's structure elements: THead holding the header
// rows and TBody the others, a TR for each grid row where cells start, TH
// for header cells (scope Column) and row labels (scope Row), TD for
// values, with their spans.
func (p *painter) tagTable(tm *tableModel) {
	tbl := p.tag.add(nil, "Table", "")
	tm.elem, tm.drawn = map[*tcell]*selem{}, map[*tcell]bool{}
	var head, body, tr *selem
	row := -1
	for _, c := range tm.cells {
		if c.r != row || tr == nil {
			group := &body
			typ := "TBody"
			if c.r < tm.hdr {
				group, typ = &head, "THead"
			}
			if *group == nil {
				*group = p.tag.add(tbl, typ, "")
			}
			tr, row = p.tag.add(*group, "TR", ""), c.r
		}
		typ, attrs := "TD", ""
		switch {
		case c.header:
			typ, attrs = "TH", "/Scope /Column"
		case !c.value:
			typ, attrs = "TH", "/Scope /Row"
		}
		if c.rs > 1 {
			attrs += fmt.Sprintf(" /RowSpan %d", c.rs)
		}
		if c.cs > 1 {
			attrs += fmt.Sprintf(" /ColSpan %d", c.cs)
		}
		if attrs != "" {
			attrs = "/A <</O /Table " + attrs + ">>"
		}
		tm.elem[c] = p.tag.add(tr, typ, attrs)
	}
}

// keepWithTable starts a new page unless the heading line and the table's
// first page (all of it when it fits on a page) fit on this one.
func (p *painter) keepWithTable(tm *tableModel) {
	tm.layout(textW)
	if tm.laidOn == nil || p.line == 0 {
		return
	}
	need := tm.height()
	if need > textH-pitch {
		need = tm.spanH(0, min(tm.hdr+1, tm.nrows))
	}
	if lineTop(p.line+1)+need > marginT+textH+1e-6 {
		p.newPage()
	}
}

// segment draws layout rows [a, b) from y, each row taller by extra[row]
// (nil: none), and returns the height drawn. A cell spanning rows outside
// the segment is drawn over the part inside it, with its whole text.
func (p *painter) segment(tm *tableModel, a, b int, y float64, extra []float64) float64 {
	rowY := make([]float64, b-a+1)
	rowY[0] = y
	for i := a; i < b; i++ {
		h := tm.rowH[i]
		if extra != nil {
			h += extra[i]
		}
		rowY[i-a+1] = rowY[i-a] + h
	}
	colX := make([]float64, tm.ncols+1)
	colX[0] = marginL
	for i, w := range tm.colW {
		colX[i+1] = colX[i] + w
	}
	em := ptmm(tablePt)
	lh := em * tableLead
	for _, c := range tm.cells {
		if c.r >= b || c.r+c.rs <= a {
			continue
		}
		r0, r1 := max(c.r, a), min(c.r+c.rs, b)
		x, w := colX[c.c], colX[c.c+c.cs]-colX[c.c]
		top, h := rowY[r0-a], rowY[r1-a]-rowY[r0-a]
		p.rect(x, top, w, h)
		if p.d.trace != nil {
			txt := ""
			if c.t != nil {
				txt = string(c.t.runes)
			}
			*p.d.trace = append(*p.d.trace, drawnCell{table: tm.t, cell: c, page: p.pdf.PageNo(), text: txt})
		}
		p.tag.cur = nil // a cell drawn again on a later page is an artifact
		if e := tm.elem[c]; e != nil && !tm.drawn[c] {
			p.tag.cur, tm.drawn[c] = e, true
		}
		if c.t == nil {
			continue
		}
		f := c.t.face
		ty := top + (h-float64(len(c.lines))*lh)/2
		for _, l := range c.lines {
			lx := x + cellPadX
			if c.header || c.value || c.group {
				lx = x + (w-l.width)/2
			}
			p.show(f, tablePt, lx, ty+lh/2+0.38*em, l.text, 0)
			ty += lh
		}
	}
	return rowY[b-a] - y
}
