package published

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// A table that a PDF prints without borders has no cells to go by, only
// the places of its words. Its columns are those of its header: the
// header's words are grouped bottom-up into its columns (a word over
// several columns, such as 法人或其他组织, is a spanning header and left
// out), the columns right of the row labels are the value columns, and
// every figure of a row is put in the column whose header span it sits
// under. A column of the row with no figure under it is a blank cell,
// kept blank in its own place, never closed up; a row's whole label on a
// line with no figure at all is a row of blank cells. A figure that straddles
// the border of two columns is not placed: it is reported (IMPORT) and its
// cell left blank. When the header does not give as many value columns as
// the table's rows have cells, the table is read as before, by the order
// of its figures.

// hcol is a column of a table's header: where it is printed and its text.
type hcol struct {
	x0, x1 float64
	parts  []hpart
}

type hpart struct {
	x0, x1, y float64 // y: the line (larger is lower on the page)
	text      string
}

func (c *hcol) name() string {
	ps := append([]hpart(nil), c.parts...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].y != ps[j].y {
			return ps[i].y < ps[j].y
		}
		return ps[i].x0 < ps[j].x0
	})
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

// colTable is the value columns of a header: their spans (bounds[i] to
// bounds[i+1]) and names.
type colTable struct {
	bounds []float64
	names  []string
}

// overlap is the length two intervals share.
func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Min(a1, b1) - math.Max(a0, b0)
}

// headerWord reports whether a word is made of the characters of the
// table's header labels only.
func (s *spec) headerWord(w string) bool {
	n := norm(w)
	if n == "" || hanCount(n) == 0 {
		return false
	}
	for _, r := range n {
		if !s.header[r] {
			return false
		}
	}
	return true
}

// vline is the tokens printed on one line of a page.
type vline struct {
	toks         []token
	geo          bool // every token has its place
	header, data bool
}

// columnize reads the lines of a table printed without borders by the
// columns of its header: the figures of each line become one token per
// value column, in column order, a blank column an empty cell. Lines it
// cannot place stay as they are.
func (rd *reader) columnize(s *spec, toks []token) ([]token, []schema.Finding) {
	any := false
	for _, tk := range toks {
		if tk.vl != 0 {
			any = true
			break
		}
	}
	if !any {
		return toks, nil
	}
	// cut the tokens into printed lines
	var vls []vline
	for i := 0; i < len(toks); {
		j := i + 1
		for j < len(toks) && toks[i].vl != 0 && toks[j].vl == toks[i].vl {
			j++
		}
		v := vline{toks: toks[i:j], geo: toks[i].vl != 0}
		texts, figs := 0, 0
		hdr := true
		for _, tk := range v.toks {
			if tk.g == nil {
				v.geo = false
			}
			switch tk.kind {
			case tNum, tPlace:
				figs++
			case tText:
				texts++
				hdr = hdr && s.headerWord(tk.raw)
			}
		}
		v.data = figs > 0
		v.header = v.geo && figs == 0 && texts > 0 && hdr
		vls = append(vls, v)
		i = j
	}
	var out []token
	var issues []schema.Finding
	var cols *colTable
	var label strings.Builder // the text lines since the last line of figures
	for i := 0; i < len(vls); i++ {
		v := vls[i]
		if v.header || v.data || !v.geo {
			label.Reset()
		}
		if v.header {
			// the header's lines, then the lines it heads
			j := i
			var hdr []vline
			for j < len(vls) && vls[j].header {
				hdr = append(hdr, vls[j])
				j++
			}
			k := j
			for k < len(vls) && !vls[k].header {
				k++
			}
			if c := s.headerColumns(hdr, vls[j:k]); c != nil {
				cols = c
			}
			for _, h := range hdr {
				out = append(out, h.toks...)
			}
			i = j - 1
			continue
		}
		if !v.data && v.geo && cols != nil && s.labelEnds(&label, v.toks) {
			// a row's whole label (on this line, or wrapped over the lines
			// since the last figures) and no figure under any column:
			// every cell of the row is blank
			label.Reset()
			out = append(out, v.toks...)
			last := v.toks[len(v.toks)-1]
			for range cols.names {
				out = append(out, token{kind: tEmpty, line: last.line, vl: last.vl, of: len(cols.names)})
			}
			continue
		}
		if !v.data || !v.geo || cols == nil {
			out = append(out, v.toks...)
			continue
		}
		placed, f, ok := rd.place(s, cols, v.toks)
		if !ok {
			out = append(out, v.toks...)
			continue
		}
		out = append(out, placed...)
		issues = append(issues, f...)
	}
	return out, issues
}

// labelEnds adds a line of text to the text since the last figures and
// reports whether it now ends with the whole label of one of the table's
// rows, the label ending on this line.
func (s *spec) labelEnds(acc *strings.Builder, toks []token) bool {
	var b strings.Builder
	for _, tk := range toks {
		if tk.kind != tText {
			return false
		}
		b.WriteString(norm(tk.raw))
	}
	acc.WriteString(b.String())
	text := acc.String()
	for _, r := range s.rows {
		if r.anchor != "" && strings.HasSuffix(text, r.anchor) {
			return true
		}
	}
	return false
}

// maxHeaderParts and maxHeaderColumns bound the header read by columns:
// a real one has a few dozen pieces of text over at most 16 columns.
const (
	maxHeaderParts   = 400
	maxHeaderColumns = 64
)

// headerColumns finds the value columns of a header (its lines, bottom
// line last) over the lines it heads, or nil.
func (s *spec) headerColumns(hdr, body []vline) *colTable {
	var parts []hpart
	for _, v := range hdr {
		for _, tk := range v.toks {
			for _, r := range tk.g.runs {
				parts = append(parts, hpart{x0: r.x0, x1: r.x1, y: float64(tk.vl), text: r.text})
			}
		}
	}
	if len(parts) > maxHeaderParts {
		return nil // no table's header
	}
	// bottom-up: a leaf's lines join its column; a part over two columns
	// heads them both and is left out
	sort.SliceStable(parts, func(i, j int) bool { return parts[i].y > parts[j].y })
	var cs []*hcol
	for _, p := range parts {
		var hit []*hcol
		for _, c := range cs {
			if overlap(p.x0, p.x1, c.x0, c.x1) > 0.5 {
				hit = append(hit, c)
			}
		}
		switch len(hit) {
		case 0:
			cs = append(cs, &hcol{x0: p.x0, x1: p.x1, parts: []hpart{p}})
		case 1:
			c := hit[0]
			c.x0, c.x1 = math.Min(c.x0, p.x0), math.Max(c.x1, p.x1)
			c.parts = append(c.parts, p)
		}
	}
	if len(cs) > maxHeaderColumns {
		return nil
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].x0 < cs[j].x0 })
	// the row labels: the text that starts left of every figure, on the
	// lines the header heads
	minFig := math.Inf(1)
	for _, v := range body {
		for _, tk := range v.toks {
			if tk.g != nil && (tk.kind == tNum || tk.kind == tPlace) {
				minFig = math.Min(minFig, tk.g.x0)
			}
		}
	}
	stub := math.Inf(-1)
	var labels []*pword
	for _, v := range body {
		for _, tk := range v.toks {
			if tk.g != nil && tk.kind == tText && tk.g.x0 < minFig {
				stub = math.Max(stub, tk.g.x1)
				labels = append(labels, tk.g)
			}
		}
	}
	// the value columns follow the last column over the labels (its
	// header is over them, or centred left of their end)
	first := 0
	for i, c := range cs {
		if (c.x0+c.x1)/2 <= stub {
			first = i + 1
			continue
		}
		for _, l := range labels {
			if overlap(c.x0, c.x1, l.x0, l.x1) > 0.5 {
				first = i + 1
				break
			}
		}
	}
	// labels shorter than their column's header: a column left of every
	// figure heads the labels when the table has one column too many
	for first < len(cs) && !s.widths[len(cs)-first] && cs[first].x1 < minFig {
		first++
	}
	vcs := cs[first:]
	if len(vcs) == 0 || !s.widths[len(vcs)] {
		return nil
	}
	for i := 1; i < len(vcs); i++ {
		if vcs[i].x0 < vcs[i-1].x1 {
			return nil
		}
	}
	t := &colTable{}
	left := vcs[0].x0
	if first > 0 {
		left = (math.Max(cs[first-1].x1, stub) + vcs[0].x0) / 2
	} else if !math.IsInf(stub, -1) {
		left = (stub + vcs[0].x0) / 2
	} else {
		left = math.Inf(-1)
	}
	t.bounds = append(t.bounds, left)
	for i := 0; i+1 < len(vcs); i++ {
		t.bounds = append(t.bounds, (vcs[i].x1+vcs[i+1].x0)/2)
	}
	t.bounds = append(t.bounds, math.Inf(1))
	for _, c := range vcs {
		t.names = append(t.names, c.name())
	}
	return t
}

// straddle is how far past a column's border a figure may reach and still
// be read as under that column.
const straddle = 0.5

// place puts the figures of a printed line into the value columns: the
// labels before them, a token per column (a blank column an empty cell),
// the text after. It fails when a figure is outside every column, two
// share a column or text lies among the figures.
func (rd *reader) place(s *spec, cols *colTable, toks []token) ([]token, []schema.Finding, bool) {
	n := len(cols.names)
	slots := make([]*token, n)
	first, last := -1, -1
	var issues []schema.Finding
	for i := range toks {
		tk := &toks[i]
		if tk.kind != tNum && tk.kind != tPlace {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
		var in []int
		for c := 0; c < n; c++ {
			if overlap(tk.g.x0, tk.g.x1, cols.bounds[c], cols.bounds[c+1]) > straddle ||
				tk.g.x0 >= cols.bounds[c] && tk.g.x1 <= cols.bounds[c+1] {
				in = append(in, c)
			}
		}
		switch len(in) {
		case 0:
			return nil, nil, false
		case 1:
			if slots[in[0]] != nil {
				return nil, nil, false
			}
			slots[in[0]] = tk
		default:
			var names []string
			for _, c := range in {
				names = append(names, "“"+cols.names[c]+"”")
			}
			issues = append(issues, rd.finding(RuleImport, tk.line,
				fmt.Sprintf("%s中的数字“%s”跨在%s两栏之间，无法确定属于哪一栏，未导入，该格留空；请按原表填写",
					s.t.Name, tk.raw, strings.Join(names, "与"))))
		}
	}
	for i := first; i <= last; i++ {
		if toks[i].kind == tText {
			return nil, nil, false // text among the figures
		}
	}
	line := toks[first].line
	out := make([]token, 0, len(toks)+n)
	out = append(out, toks[:first]...)
	for c := 0; c < n; c++ {
		if slots[c] != nil {
			tk := *slots[c]
			tk.of = n
			out = append(out, tk)
			continue
		}
		out = append(out, token{kind: tEmpty, line: line, vl: toks[first].vl, of: n})
	}
	out = append(out, toks[last+1:]...)
	return out, issues, true
}
