package pdf

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/render/internal/grid"
	"github.com/nianbao/nianbao/schema"
)

// Tables are drawn by walking the format's printed grid (Table.Layout):
// every cell at its grid position with its spans, labels from the
// declaration, values from the report.
//
// Type size: 10.5 pt (五号), the size of tables in official documents; it
// fits 表三's seven value columns and 表四's fifteen in the 156 mm text
// block. 表四 stays on a portrait page with its outcome labels (结果维持…)
// wrapped onto two lines, as in the format's own template: a reader keeps
// the page the right way up, and a four-row table does not justify turning a
// page sideways in the middle of a portrait document.

const (
	tablePt   = 10.5
	cellPadX  = 1.2  // mm
	cellPadY  = 1.1  // mm
	tableLead = 1.32 // line height as a multiple of the type size
	ruleWidth = 0.25 // mm
)

type tcell struct {
	t      *text // nil: a blank value cell
	r, c   int
	rs, cs int
	header bool
	value  bool
	group  bool // a row label spanning several rows (（三）不予公开)
	lines  []line
	need   float64 // height the text needs, padding included
}

type tableModel struct {
	t      *schema.Table
	cells  []*tcell
	nrows  int
	ncols  int
	hdr    int
	colW   []float64
	rowH   []float64
	laidOn *face
	elem   map[*tcell]*selem // structure element of each cell
	drawn  map[*tcell]bool   // cells drawn (and tagged) once already
}

// buildTable places the layout's cells on the grid (render/internal/grid,
// shared by every renderer so all draw the same merges) and checks their
// text.
func (d *document) buildTable(t *schema.Table, data *schema.TableData) *tableModel {
	g, err := t.Place()
	if err != nil {
		d.errs = append(d.errs, err)
		return nil
	}
	tm := &tableModel{t: t, nrows: len(g.Rows), ncols: g.Width, hdr: t.HeaderRows()}
	loc := schema.Location{}
	if data != nil {
		loc = data.Loc
	}
	for r, row := range g.Rows {
		for _, s := range row {
			if s.Cont {
				continue
			}
			cell := s.Cell
			tc := &tcell{r: r, c: s.Col, rs: s.RowSpan, cs: s.ColSpan, header: cell.Header, value: cell.IsValue()}
			if cell.IsValue() {
				v := grid.Value(data, cell)
				if txt := v.Text(); txt != "" {
					where := t.Name
					if row := t.Row(cell.Row); row != nil {
						if col := row.Col(cell.Col); col != nil {
							where = fmt.Sprintf("%s“%s”行“%s”列", t.Name, row.FullLabel(), col.FullLabel())
						}
					}
					tc.t = d.add(roleBody, txt, where, v.Loc)
				}
			} else {
				kind := "行标签"
				if cell.Header {
					kind = "表头"
				}
				tc.t = d.add(roleBody, cell.Text, fmt.Sprintf("%s%s“%s”", t.Name, kind, cell.Text), loc)
				tc.group = !cell.Header && s.RowSpan > 1
			}
			tm.cells = append(tm.cells, tc)
		}
	}
	return tm
}

// layout sets column widths and row heights for a table width of width mm.
func (tm *tableModel) layout(width float64) {
	if tm.laidOn != nil {
		return
	}
	em := ptmm(tablePt)
	lh := em * tableLead
	var f *face
	for _, c := range tm.cells {
		if c.t != nil {
			f = c.t.face
			break
		}
	}
	if f == nil {
		return
	}
	tm.laidOn = f
	n := tm.ncols
	minW, maxW := make([]float64, n), make([]float64, n)
	valueCol := make([]bool, n)
	type span struct {
		c, cs int
		mn    float64
	}
	var spans []span
	for _, c := range tm.cells {
		if c.value && c.cs == 1 {
			valueCol[c.c] = true
		}
		if c.t == nil {
			continue
		}
		adv := c.t.face.adv(tablePt, 0)
		full, widest := 0.0, 0.0
		for _, tk := range tokenize(c.t.runes, adv) {
			full += tk.w
			widest = max(widest, tk.w)
		}
		mn, mx := widest+2*cellPadX, full+2*cellPadX
		if c.value {
			mn = mx // a number never wraps
		}
		if c.group { // the ordinal （三） stays on one line
			if p := ordinalPrefix(c.t.runes); p > 0 {
				mn = max(mn, sumAdv(c.t.runes[:p], adv)+2*cellPadX)
			}
		}
		if c.rs > 1 && !c.value {
			mx = max(mn, full/float64(c.rs)+2*cellPadX)
		}
		if c.cs > 1 {
			spans = append(spans, span{c.c, c.cs, mn})
			continue
		}
		minW[c.c], maxW[c.c] = max(minW[c.c], mn), max(maxW[c.c], mx)
	}
	for i := range minW {
		minW[i] = max(minW[i], 2*em+2*cellPadX) // no column narrower than two characters
	}
	for _, s := range spans {
		sum := 0.0
		for i := s.c; i < s.c+s.cs; i++ {
			sum += minW[i]
		}
		if sum < s.mn {
			for i := s.c; i < s.c+s.cs; i++ {
				minW[i] += (s.mn - sum) / float64(s.cs)
			}
		}
	}
	// Value columns share one width, as in the official tables.
	vmin, vmax := 0.0, 0.0
	for i, v := range valueCol {
		if v {
			vmin, vmax = max(vmin, minW[i]), max(vmax, maxW[i])
		}
	}
	for i, v := range valueCol {
		if v {
			minW[i], maxW[i] = vmin, vmax
		}
		maxW[i] = max(maxW[i], minW[i])
	}
	// Auto layout as browsers do it: every column gets its minimum, and the
	// rest of the width goes in proportion to what each still wants.
	smin, smax := 0.0, 0.0
	for i := range minW {
		smin, smax = smin+minW[i], smax+maxW[i]
	}
	tm.colW = make([]float64, n)
	for i := range tm.colW {
		switch {
		case smax <= width:
			tm.colW[i] = maxW[i] * width / smax
		case smin >= width:
			tm.colW[i] = minW[i] * width / smin
		default:
			k := (width - smin) / (smax - smin)
			tm.colW[i] = minW[i] + k*(maxW[i]-minW[i])
		}
	}
	// Break the text of every cell and size the rows.
	tm.rowH = make([]float64, tm.nrows)
	for i := range tm.rowH {
		tm.rowH[i] = lh + 2*cellPadY
	}
	for _, c := range tm.cells {
		if c.t == nil {
			continue
		}
		w := tm.spanW(c) - 2*cellPadX
		c.lines = cellLines(c.t.runes, c.t.face.adv(tablePt, 0), w, c.group, c.header || c.group)
		c.need = float64(len(c.lines))*lh + 2*cellPadY
		if c.rs == 1 {
			tm.rowH[c.r] = max(tm.rowH[c.r], c.need)
		}
	}
	for _, c := range tm.cells {
		if c.rs > 1 {
			if h := tm.spanH(c.r, c.r+c.rs); h < c.need {
				for i := c.r; i < c.r+c.rs; i++ {
					tm.rowH[i] += (c.need - h) / float64(c.rs)
				}
			}
		}
	}
}

func (tm *tableModel) spanW(c *tcell) float64 {
	w := 0.0
	for i := c.c; i < c.c+c.cs; i++ {
		w += tm.colW[i]
	}
	return w
}

func (tm *tableModel) spanH(from, to int) float64 {
	h := 0.0
	for i := from; i < to; i++ {
		h += tm.rowH[i]
	}
	return h
}

// height is the height of the whole table.
func (tm *tableModel) height() float64 { return tm.spanH(0, tm.nrows) }

// pageRows decides how many body rows from row pos go on a page with room
// mm left below the repeated header: whole rows only, and a break never
// leaves a merged row label (（三）不予公开) a fragment too short for its
// text, on either side; the break moves up to where that group begins.
func (tm *tableModel) pageRows(pos int, room float64) (end int, extra []float64) {
	limit := tm.nrows
	for {
		end, extra = tm.tryRows(pos, limit, room)
		total := tm.spanH(pos, end)
		for _, e := range extra {
			total += e
		}
		if total <= room+1e-6 || end <= pos+1 {
			return end, extra
		}
		limit = end - 1
	}
}

func (tm *tableModel) tryRows(pos, limit int, room float64) (end int, extra []float64) {
	end, acc := pos, 0.0
	for end < limit && acc+tm.rowH[end] <= room+1e-6 {
		acc += tm.rowH[end]
		end++
	}
	if end == pos {
		end = pos + 1 // a row taller than a page: draw it anyway
	}
	for {
		moved := false
		for _, c := range tm.cells {
			if c.rs == 1 || c.r >= end || c.r+c.rs <= end || c.r <= pos {
				continue
			}
			if tm.spanH(c.r, end) < c.need { // the fragment on this page is too short
				end = c.r
				moved = true
			}
		}
		if !moved {
			break
		}
	}
	// A group continued from the previous page gets its label again; its
	// last row here grows when the rows on this page are too short for it.
	extra = make([]float64, tm.nrows)
	for _, c := range tm.cells {
		if c.rs == 1 || c.r >= pos || c.r+c.rs <= pos {
			continue
		}
		last := min(c.r+c.rs, end)
		if h := tm.spanH(pos, last); h < c.need {
			extra[last-1] = max(extra[last-1], c.need-h)
		}
	}
	return end, extra
}

// cellLines breaks a cell's text. A merged row label puts its ordinal
// （三） on a line of its own; centred labels are balanced: broken at the
// narrowest width that needs no more lines (社会/公益/组织, not 社会公/益组织).
func cellLines(rs []rune, adv func(rune) float64, w float64, group, balance bool) []line {
	if group && sumAdv(rs, adv) > w {
		if p := ordinalPrefix(rs); p > 0 && p < len(rs) {
			return append(cellLines(rs[:p], adv, w, false, balance), cellLines(rs[p:], adv, w, false, balance)...)
		}
	}
	ls := breakLines(rs, adv, w, w)
	if !balance || len(ls) < 2 {
		return ls
	}
	lo, hi := w/float64(len(ls))*0.9, w
	for range 14 {
		mid := (lo + hi) / 2
		if len(breakLines(rs, adv, mid, mid)) > len(ls) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return breakLines(rs, adv, hi, hi)
}

// ordinalPrefix returns the length of a leading （三） or 三、, or 0.
func ordinalPrefix(rs []rune) int {
	const digits = "一二三四五六七八九十"
	i := 0
	open := len(rs) > 0 && rs[0] == '（'
	if open {
		i++
	}
	j := i
	for j < len(rs) && strings.ContainsRune(digits, rs[j]) {
		j++
	}
	switch {
	case j == i || j >= len(rs):
		return 0
	case open && rs[j] == '）', !open && rs[j] == '、':
		return j + 1
	}
	return 0
}
