package published

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/template/published/pdftext"
)

// A PDF's text is rebuilt from the geometry of its glyphs, never from the
// order the file happens to draw them in: a table whose borders are drawn
// becomes one line per row band with its cells, blank cells included,
// separated by " | " (as a web page's table); other glyphs become lines by
// baseline, and lines become paragraphs by indent and margins. Line
// numbers count within a page: line.n = page × pdfPage + line.

// pdfPage is the factor of the page in a PDF line number.
const pdfPage = 10000

// pdfLines lays out the pages of a PDF as lines. It also reports whether
// the file has no text layer but paints images (a scan).
func pdfLines(pages []pdftext.Page) (out []line, scanned bool) {
	glyphs, images := 0, 0
	var paras []para
	for pi, pg := range pages {
		glyphs += len(pg.Glyphs)
		images += pg.Images
		paras = append(paras, layoutPage(pi+1, pg)...)
	}
	if glyphs == 0 {
		return nil, images > 0 || len(pages) > 0
	}
	out = joinParas(dropRunning(paras, pages))
	return out, false
}

var digitsRe = regexp.MustCompile(`[0-9]+`)

// dropRunning removes running heads and feet after their first page: a
// line printed with the same words at the same height in the top or
// bottom margin of several pages (a browser print's date, title and
// address, a Word header such as the unit's name or “草稿”). Left in, it
// would cut the paragraph that runs on across the page break, and on the
// first page run into the title (“12/2/26, 5:01 AM 白山市…”). It is not
// the report's text: the report's title and its words are in the body.
func dropRunning(ps []para, pages []pdftext.Page) []para {
	type key struct {
		text string
		y    int
	}
	at := func(p *para) (key, bool) {
		if p.row || p.page < 1 || p.page > len(pages) {
			return key{}, false
		}
		h := pages[p.page-1].Height
		if h <= 0 || p.y < h*0.88 && p.y > h*0.12 {
			return key{}, false
		}
		n := norm(p.text)
		if runeLen(n) < 4 || strings.Trim(n, "0123456789.,-") == "" {
			return key{}, false // a figure or a cell of a table running on
		}
		// the page number beside a running foot's words changes
		return key{digitsRe.ReplaceAllString(n, "#"), int(math.Round(p.y / 3))}, true
	}
	keys := make([]key, len(ps))
	in := make([]bool, len(ps)) // in a margin, a candidate
	seen := map[key]map[int]bool{}
	for i := range ps {
		if keys[i], in[i] = at(&ps[i]); in[i] {
			if seen[keys[i]] == nil {
				seen[keys[i]] = map[int]bool{}
			}
			seen[keys[i]][ps[i].page] = true
		}
	}
	out := ps[:0:0]
	for i := range ps {
		if in[i] && len(seen[keys[i]]) >= 2 {
			continue
		}
		out = append(out, ps[i])
	}
	return out
}

// para is a laid-out line of a page: running text, or a table row.
type para struct {
	text         string
	page, n      int
	y, x, right  float64 // top (page space, larger is higher), left and right edge
	size         float64
	row          bool // a table row
	cells        int  // a ruled table's row: its number of cells
	left, margin float64
	// lead is the width of the line's first unbreakable word: a figure
	// such as “98.83%,”, a Latin word, or an opening quote with the
	// character after it. A line before that ends short by less than this
	// ended because the word did not fit, not because its paragraph did.
	lead  float64
	words []pword // the words of running text with their places
}

// pword is a word of a line of a page with its place, so that a table
// drawn without borders can be read by the columns of its header (see
// columns.go).
type pword struct {
	text   string
	x0, x1 float64
	vl     int    // its line (page × pdfPage + line), as para.n
	runs   []span // its runs of touching glyphs
}

// span is a run of touching glyphs of a word.
type span struct {
	x0, x1 float64
	text   string
}

type box struct{ x0, y0, x1, y1 float64 }

func (b box) has(x, y float64) bool { return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1 }

// layoutPage returns the page's lines top to bottom.
func layoutPage(page int, pg pdftext.Page) []para {
	var hs, vs []pdftext.Rule
	for _, r := range pg.Rules {
		w, h := r.X1-r.X0, r.Y1-r.Y0
		switch {
		case h <= 2.5 && w >= 4:
			hs = append(hs, r)
		case w <= 2.5 && h >= 4:
			vs = append(vs, r)
		}
	}
	tables := findTables(hs, vs)
	var free []pdftext.Glyph
	cellGlyphs := make([]map[int][]pdftext.Glyph, len(tables))
	for i := range cellGlyphs {
		cellGlyphs[i] = map[int][]pdftext.Glyph{}
	}
glyphs:
	for _, g := range pg.Glyphs {
		cx, cy := g.X+g.W/2, g.Y+g.Size*0.3
		for ti, t := range tables {
			if t.bounds.has(cx, cy) {
				if c := t.cellAt(cx, cy); c >= 0 {
					cellGlyphs[ti][c] = append(cellGlyphs[ti][c], g)
					continue glyphs
				}
			}
		}
		free = append(free, g)
	}
	var out []para
	for ti, t := range tables {
		out = append(out, t.rows(page, cellGlyphs[ti])...)
	}
	out = append(out, glyphLines(page, free)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].y > out[j].y })
	for i := range out {
		out[i].n = page*pdfPage + i + 1
		for k := range out[i].words {
			out[i].words[k].vl = out[i].n
		}
	}
	setMargins(out, pg.Height)
	return out
}

// setMargins sets the text's left and right margins on a page: the
// outermost edges of its lines of text, leaving out page numbers and the
// lines in the page's top and bottom edge (a browser print's running head
// and foot: the date at the far left, the address and page number at the
// far right), which would make every line of the text look indented or
// short. A page with nothing else takes all its lines.
func setMargins(ps []para, height float64) {
	edges := func(all bool) (left, right float64, ok bool) {
		left, right = math.Inf(1), math.Inf(-1)
		for _, p := range ps {
			if p.row {
				continue
			}
			if !all && (pageNumber.MatchString(norm(p.text)) || height > 0 && (p.y > height*0.94 || p.y < height*0.06)) {
				continue
			}
			left, right, ok = math.Min(left, p.x), math.Max(right, p.right), true
		}
		return left, right, ok
	}
	left, right, ok := edges(false)
	if !ok {
		left, right, _ = edges(true)
	}
	for i := range ps {
		ps[i].left, ps[i].margin = left, right
	}
}

// ruledGrid is a table whose borders are drawn.
type ruledGrid struct {
	bounds box
	xs, ys []float64 // column and row boundaries; ys top to bottom
	root   []int     // merged cell of each elementary cell (r*len(xs)+c)
}

// findTables groups the rules of a page into tables: rules that touch
// belong together; a group with at least two rows or two columns of cells
// is a table.
func findTables(hs, vs []pdftext.Rule) []*ruledGrid {
	all := append(append([]pdftext.Rule(nil), hs...), vs...)
	if len(all) == 0 || len(all) > 20000 {
		return nil
	}
	parent := make([]int, len(all))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	const tol = 2.0
	touch := func(a, b pdftext.Rule) bool {
		return a.X0-tol <= b.X1 && b.X0-tol <= a.X1 && a.Y0-tol <= b.Y1 && b.Y0-tol <= a.Y1
	}
	// sweep by x to avoid comparing every pair
	idx := make([]int, len(all))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return all[idx[a]].X0 < all[idx[b]].X0 })
	for a := 0; a < len(idx); a++ {
		ra := all[idx[a]]
		for b := a + 1; b < len(idx) && all[idx[b]].X0 <= ra.X1+tol; b++ {
			if touch(ra, all[idx[b]]) {
				parent[find(idx[a])] = find(idx[b])
			}
		}
	}
	groups := map[int][]int{}
	var order []int
	for i := range all {
		r := find(i)
		if _, ok := groups[r]; !ok {
			order = append(order, r)
		}
		groups[r] = append(groups[r], i)
	}
	var out []*ruledGrid
	for _, g := range order {
		var h, v []pdftext.Rule
		for _, i := range groups[g] {
			r := all[i]
			if r.Y1-r.Y0 <= 2.5 && r.X1-r.X0 >= 4 {
				h = append(h, r)
			} else {
				v = append(v, r)
			}
		}
		if t := newGrid(h, v); t != nil {
			out = append(out, t)
		}
	}
	return out
}

// cluster returns the distinct values of vs (within tol), sorted.
func cluster(vs []float64, tol float64) []float64 {
	sort.Float64s(vs)
	var out []float64
	for _, v := range vs {
		if len(out) > 0 && v-out[len(out)-1] <= tol {
			continue
		}
		out = append(out, v)
	}
	return out
}

func newGrid(hs, vs []pdftext.Rule) *ruledGrid {
	var yv, xv []float64
	for _, r := range hs {
		yv = append(yv, (r.Y0+r.Y1)/2)
	}
	for _, r := range vs {
		xv = append(xv, (r.X0+r.X1)/2)
	}
	ys, xs := cluster(yv, 1.5), cluster(xv, 1.5)
	if len(ys) < 2 || len(xs) < 2 || (len(ys) < 3 && len(xs) < 3) || len(ys)*len(xs) > 40000 {
		return nil
	}
	// top to bottom
	for i, j := 0, len(ys)-1; i < j; i, j = i+1, j-1 {
		ys[i], ys[j] = ys[j], ys[i]
	}
	t := &ruledGrid{xs: xs, ys: ys, bounds: box{xs[0], ys[len(ys)-1], xs[len(xs)-1], ys[0]}}
	nr, nc := len(ys)-1, len(xs)-1
	t.root = make([]int, nr*nc)
	for i := range t.root {
		t.root[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for t.root[i] != i {
			t.root[i] = t.root[t.root[i]]
			i = t.root[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			t.root[rb] = ra
		} else {
			t.root[ra] = rb
		}
	}
	covered := func(rs []pdftext.Rule, vertical bool, at, lo, hi float64) bool {
		mid := (lo + hi) / 2
		for _, r := range rs {
			if vertical {
				if math.Abs((r.X0+r.X1)/2-at) <= 1.5 && r.Y0-1 <= mid && r.Y1+1 >= mid {
					return true
				}
			} else if math.Abs((r.Y0+r.Y1)/2-at) <= 1.5 && r.X0-1 <= mid && r.X1+1 >= mid {
				return true
			}
		}
		return false
	}
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !covered(vs, true, xs[c+1], ys[r+1], ys[r]) {
				union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !covered(hs, false, ys[r+1], xs[c], xs[c+1]) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	for i := range t.root {
		t.root[i] = find(i)
	}
	cells := map[int]bool{}
	for _, r := range t.root {
		cells[r] = true
	}
	if len(cells) < 2 {
		return nil // a frame around text, not a table
	}
	return t
}

// cellAt returns the merged cell holding a point, or −1.
func (t *ruledGrid) cellAt(x, y float64) int {
	c := sort.SearchFloat64s(t.xs, x) - 1
	r := -1
	for i := 0; i+1 < len(t.ys); i++ {
		if y <= t.ys[i] && y >= t.ys[i+1] {
			r = i
			break
		}
	}
	nc := len(t.xs) - 1
	if r < 0 || c < 0 || c >= nc {
		return -1
	}
	return t.root[r*nc+c]
}

// rows lays out the table: one line per row band, holding the merged
// cells that start in that band, left to right, " | " between them (an
// empty cell stays an empty cell).
func (t *ruledGrid) rows(page int, glyphs map[int][]pdftext.Glyph) []para {
	nc := len(t.xs) - 1
	var out []para
	for r := 0; r+1 < len(t.ys); r++ {
		var cells []string
		any := false
		seen := map[int]bool{}
		for c := 0; c < nc; c++ {
			root := t.root[r*nc+c]
			if seen[root] {
				continue
			}
			seen[root] = true
			if root/nc != r { // starts in an earlier band
				continue
			}
			txt := cellText(glyphs[root])
			if txt != "" {
				any = true
			}
			cells = append(cells, strings.ReplaceAll(txt, "|", " "))
		}
		if !any {
			continue
		}
		out = append(out, para{text: strings.Join(cells, " | "), page: page, y: t.ys[r], x: t.xs[0], right: t.xs[nc], row: true, cells: len(cells)})
	}
	return out
}

// cellText is the text of one cell: its lines in reading order, joined.
func cellText(gs []pdftext.Glyph) string {
	if len(gs) == 0 {
		return ""
	}
	var parts []string
	for _, p := range glyphLines(0, gs) {
		parts = append(parts, p.text)
	}
	return joinWrapped(parts)
}

// joinWrapped joins lines of text wrapped in a column: no space between
// Chinese characters, one between two words of Latin letters or digits.
func joinWrapped(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(p)
			if isWordRune(last) && isWordRune(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// glyphLines groups glyphs into lines by baseline, each left to right; a
// wide gap becomes a space, a gap of several characters a tab (a column
// of a table without borders).
func glyphLines(page int, gs []pdftext.Glyph) []para {
	if len(gs) == 0 {
		return nil
	}
	gs = append([]pdftext.Glyph(nil), gs...)
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Y > gs[j].Y })
	var groups [][]pdftext.Glyph
	for _, g := range gs {
		if k := len(groups) - 1; k >= 0 {
			ref := groups[k][0]
			tol := math.Max(1, math.Min(ref.Size, g.Size)*0.4)
			if math.Abs(ref.Y-g.Y) <= tol {
				groups[k] = append(groups[k], g)
				continue
			}
		}
		groups = append(groups, []pdftext.Glyph{g})
	}
	var out []para
	for _, grp := range groups {
		sort.SliceStable(grp, func(i, j int) bool { return grp[i].X < grp[j].X })
		var b strings.Builder
		size := 0.0
		for _, g := range grp {
			size = math.Max(size, g.Size)
		}
		var words []pword
		var w *pword // the word being written
		var run strings.Builder
		endRun := func() {
			if w != nil && run.Len() > 0 {
				w.runs[len(w.runs)-1].text = run.String()
			}
			run.Reset()
		}
		end := grp[0].X
		for i, g := range grp {
			if strings.TrimSpace(g.Text) == "" {
				end = math.Max(end, g.X+g.W)
				if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
					b.WriteByte(' ')
				}
				endRun()
				w = nil
				continue
			}
			gap := g.X - end
			if i > 0 {
				switch {
				case gap > 2*size:
					b.WriteByte('\t')
					endRun()
					w = nil
				case gap > 0.5*size && !strings.HasSuffix(b.String(), " "):
					b.WriteByte(' ')
					endRun()
					w = nil
				}
			}
			right := g.X + math.Max(g.W, 0)
			switch {
			case w == nil:
				words = append(words, pword{x0: g.X, x1: right})
				w = &words[len(words)-1]
				w.runs = []span{{x0: g.X, x1: right}}
			case gap > 0.25*size:
				endRun()
				w.runs = append(w.runs, span{x0: g.X, x1: right})
			}
			w.text += g.Text
			w.x1 = math.Max(w.x1, right)
			r := &w.runs[len(w.runs)-1]
			r.x1 = math.Max(r.x1, right)
			run.WriteString(g.Text)
			b.WriteString(g.Text)
			end = math.Max(end, right)
		}
		endRun()
		txt := strings.TrimSpace(b.String())
		if txt == "" {
			continue
		}
		out = append(out, para{text: txt, page: page, y: grp[0].Y + size*0.8, x: grp[0].X, right: end, size: size, lead: leadWidth(grp), words: words})
	}
	return out
}

// joinParas joins the lines of running text into paragraphs: a line
// continues the one before when that one reaches the right margin, it
// starts at the left margin (no indent), has the same size and follows
// closely (or begins the next page). Table rows and page numbers stand
// alone.
func joinParas(ps []para) []line {
	var out []line
	var cur *para
	var parts []string
	var words []pword
	flush := func() {
		if cur != nil {
			out = append(out, line{text: joinWrapped(parts), n: cur.page*pdfPage + cur.n%pdfPage, geo: words})
		}
		cur, parts, words = nil, nil, nil
	}
	var prev *para
	for i := range ps {
		p := &ps[i]
		if pageNumber.MatchString(norm(p.text)) {
			continue // page furniture: the paragraph may go on after it
		}
		if p.row {
			flush()
			out = append(out, line{text: p.text, n: p.n, cells: p.cells})
			prev = nil
			continue
		}
		if cur != nil && prev != nil && continues(prev, p) {
			parts = append(parts, p.text)
			words = append(words, p.words...)
			prev = p
			continue
		}
		flush()
		cur, parts, prev = p, []string{p.text}, p
		words = append([]pword(nil), p.words...)
	}
	flush()
	return out
}

// numHeadRe is a heading's number: 一、 二、 …
var numHeadRe = regexp.MustCompile(`^[一二三四五六七八九十]{1,3}、`)

// leadWidth returns the width of the first word of a line of glyphs that
// a line break cannot split: a run of Latin letters and digits with the
// signs inside and after a figure (98.83%, 1,234 12345), or an opening
// bracket or quote with the character it opens, and the closing
// punctuation that may not begin a line.
func leadWidth(grp []pdftext.Glyph) float64 {
	i := 0
	for i < len(grp) && strings.TrimSpace(grp[i].Text) == "" {
		i++
	}
	if i == len(grp) {
		return 0
	}
	start, end := grp[i].X, grp[i].X+math.Max(grp[i].W, 0)
	first, _ := utf8.DecodeRuneInString(grp[i].Text)
	word := isWordRune(first)
	if strings.ContainsRune("“‘（《【〔「『(", first) && i+1 < len(grp) {
		i++
		end = grp[i].X + math.Max(grp[i].W, 0)
		r, _ := utf8.DecodeRuneInString(grp[i].Text)
		word = isWordRune(r)
	}
	for i++; i < len(grp); i++ {
		r, _ := utf8.DecodeRuneInString(grp[i].Text)
		switch {
		case word && (isWordRune(r) || strings.ContainsRune(".%‰:/-", r)):
		case strings.ContainsRune("，。、；：？！）》」』”’,;!?)", r):
		default:
			return end - start
		}
		end = grp[i].X + math.Max(grp[i].W, 0)
	}
	return end - start
}

func continues(prev, p *para) bool {
	if math.Abs(prev.size-p.size) > 0.6 {
		return false
	}
	if prev.right+p.lead < prev.margin-1.5*prev.size {
		return false // the line before ends short: the paragraph ended
	}
	if p.x > p.left+0.8*p.size {
		return false // indented: a new paragraph
	}
	if p.page == prev.page && prev.y-p.y > 2.6*p.size {
		return false
	}
	if n := norm(p.text); subHeadRe.MatchString(n) || numHeadRe.MatchString(n) && runeLen(n) < 30 {
		return false
	}
	return true
}
