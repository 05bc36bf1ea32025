package pdftext

import (
	"math"
	"strings"
)

// Glyph is one character shown on a page, in page space (points, origin
// at the bottom left): X, Y its baseline origin, W its advance, Size the
// effective font size.
type Glyph struct {
	X, Y, W, Size float64
	Text          string
}

// Rule is a drawn line or a thin filled rectangle (a table border), as
// the segment from (X0, Y0) to (X1, Y1) with X0 <= X1 and Y0 <= Y1.
type Rule struct{ X0, Y0, X1, Y1 float64 }

// Page is what a page shows: its size, glyphs, rules and whether it
// paints images.
type Page struct {
	Width, Height float64
	Glyphs        []Glyph
	Rules         []Rule
	Images        int
	// Rotated counts the glyphs left out because their baseline is not
	// horizontal (watermarks printed across the page).
	Rotated int
}

type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm                        matrix
	font                       *font
	size, tc, tw, th, tl, rise float64
}

// interp runs content streams.
type interp struct {
	d     *doc
	page  *Page
	fonts map[*object]*font
	cache map[int64]*font
	ops   *int
}

func (in *interp) run(data []byte, res map[string]object, gs gstate, depth int) {
	if depth > 8 {
		return
	}
	l := &lexer{b: data}
	var stack []object
	var stateStack []gstate
	var tm, tlm matrix
	var path []Rule // segments and rectangles of the current path
	var thin []bool // path[i] is a thin rectangle (a border when filled)
	var cx, cy, sx, sy float64
	fontCache := map[string]*font{}
	getFont := func(n string) *font {
		if f, ok := fontCache[n]; ok {
			return f
		}
		fd := in.d.get(in.d.get(res, "Font").d, n)
		var f *font
		if fd.k == kDict || fd.k == kStream {
			ref := in.d.get(res, "Font").d[n]
			if ref.k == kRef {
				if c, ok := in.cache[ref.i]; ok {
					f = c
				} else {
					f = in.d.loadFont(fd.d)
					in.cache[ref.i] = f
				}
			} else {
				f = in.d.loadFont(fd.d)
			}
		}
		fontCache[n] = f
		return f
	}
	nums := func(k int) ([]float64, bool) {
		if len(stack) < k {
			return nil, false
		}
		out := make([]float64, k)
		for i := 0; i < k; i++ {
			v, ok := stack[len(stack)-k+i].num()
			if !ok {
				return nil, false
			}
			out[i] = v
		}
		return out, true
	}
	show := func(s string) {
		f := gs.font
		if f == nil {
			return
		}
		for _, c := range f.codes(s) {
			w0 := f.width(c)
			trm := matrix{gs.size * gs.th, 0, 0, gs.size, 0, gs.rise}.mul(tm).mul(gs.ctm)
			x, y := trm.apply(0, 0)
			size := math.Sqrt(math.Abs(trm[2]*trm[2] + trm[3]*trm[3]))
			adv := w0*gs.size + gs.tc
			if c.n == 1 && c.c == 32 {
				adv += gs.tw
			}
			adv *= gs.th
			ex, _ := matrix{1, 0, 0, 1, adv, 0}.mul(tm).mul(gs.ctm).apply(0, 0)
			if math.Abs(trm[1]) > 0.1*math.Abs(trm[0]) {
				// a slanted or upright baseline: a watermark across the
				// page (“草稿”, the unit's name), not a line of the report
				in.page.Rotated++
			} else if t := foldRadicals(f.text(c)); t != "" && len(in.page.Glyphs) < maxGlyphs {
				in.page.Glyphs = append(in.page.Glyphs, Glyph{X: x, Y: y, W: ex - x, Size: size, Text: t})
			}
			tm = matrix{1, 0, 0, 1, adv, 0}.mul(tm)
		}
	}
	addRule := func(x0, y0, x1, y1 float64, isThin bool) {
		ax, ay := gs.ctm.apply(x0, y0)
		bx, by := gs.ctm.apply(x1, y1)
		if len(path) < 100000 {
			path = append(path, Rule{math.Min(ax, bx), math.Min(ay, by), math.Max(ax, bx), math.Max(ay, by)})
			thin = append(thin, isThin)
		}
	}
	for {
		*in.ops++
		if *in.ops > maxOps {
			return
		}
		o, ok := l.parse(0)
		if !ok {
			return
		}
		if o.k != kOp {
			stack = append(stack, o)
			if len(stack) > 10000 {
				stack = stack[:0]
			}
			continue
		}
		switch o.s {
		case "q":
			if len(stateStack) < 256 {
				stateStack = append(stateStack, gs)
			}
		case "Q":
			if n := len(stateStack); n > 0 {
				gs = stateStack[n-1]
				stateStack = stateStack[:n-1]
			}
		case "cm":
			if v, ok := nums(6); ok {
				gs.ctm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}.mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(stack) >= 2 {
				if v, ok := stack[len(stack)-1].num(); ok {
					gs.size = v
				}
				gs.font = getFont(name(stack[len(stack)-2]))
			}
		case "Tc":
			if v, ok := nums(1); ok {
				gs.tc = v[0]
			}
		case "Tw":
			if v, ok := nums(1); ok {
				gs.tw = v[0]
			}
		case "Tz":
			if v, ok := nums(1); ok {
				gs.th = v[0] / 100
			}
		case "TL":
			if v, ok := nums(1); ok {
				gs.tl = v[0]
			}
		case "Ts":
			if v, ok := nums(1); ok {
				gs.rise = v[0]
			}
		case "Td", "TD":
			if v, ok := nums(2); ok {
				tlm = matrix{1, 0, 0, 1, v[0], v[1]}.mul(tlm)
				tm = tlm
				if o.s == "TD" {
					gs.tl = -v[1]
				}
			}
		case "Tm":
			if v, ok := nums(6); ok {
				tlm = matrix{v[0], v[1], v[2], v[3], v[4], v[5]}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
		case "Tj":
			if len(stack) >= 1 && stack[len(stack)-1].k == kString {
				show(stack[len(stack)-1].s)
			}
		case "'", "\"":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
			if o.s == "\"" {
				if v, ok := nums(3); ok {
					gs.tw, gs.tc = v[0], v[1]
				}
			}
			if len(stack) >= 1 && stack[len(stack)-1].k == kString {
				show(stack[len(stack)-1].s)
			}
		case "TJ":
			if len(stack) >= 1 && stack[len(stack)-1].k == kArray {
				for _, e := range stack[len(stack)-1].a {
					if e.k == kString {
						show(e.s)
					} else if v, ok := e.num(); ok {
						tm = matrix{1, 0, 0, 1, -v / 1000 * gs.size * gs.th, 0}.mul(tm)
					}
				}
			}
		case "m":
			if v, ok := nums(2); ok {
				cx, cy, sx, sy = v[0], v[1], v[0], v[1]
			}
		case "l":
			if v, ok := nums(2); ok {
				addRule(cx, cy, v[0], v[1], false)
				cx, cy = v[0], v[1]
			}
		case "h":
			addRule(cx, cy, sx, sy, false)
			cx, cy = sx, sy
		case "re":
			if v, ok := nums(4); ok {
				x, y, w, h := v[0], v[1], v[2], v[3]
				if math.Abs(w) < 2.5 || math.Abs(h) < 2.5 {
					// a thin box is a rule; keep it whole
					addRule(x, y, x+w, y+h, true)
				} else {
					addRule(x, y, x+w, y, false)
					addRule(x+w, y, x+w, y+h, false)
					addRule(x, y+h, x+w, y+h, false)
					addRule(x, y, x, y+h, false)
				}
				cx, cy, sx, sy = x, y, x, y
			}
		case "S", "s", "B", "B*", "b", "b*", "f", "F", "f*":
			// a stroke draws every edge; a fill draws only thin boxes (a
			// filled page or cell background is no border)
			stroke := o.s != "f" && o.s != "F" && o.s != "f*"
			for i, r := range path {
				if (stroke || thin[i]) && len(in.page.Rules) < maxGlyphs {
					in.page.Rules = append(in.page.Rules, r)
				}
			}
			path, thin = path[:0], thin[:0]
		case "n":
			path, thin = path[:0], thin[:0]
		case "BI":
			in.page.Images++
			// skip the inline image's data up to EI
			if i := strings.Index(string(l.b[l.pos:]), "EI"); i >= 0 {
				l.pos += i + 2
			} else {
				l.pos = len(l.b)
			}
		case "Do":
			if len(stack) >= 1 {
				in.xobject(name(stack[len(stack)-1]), res, gs, depth)
			}
		}
		stack = stack[:0]
	}
}

func (in *interp) xobject(n string, res map[string]object, gs gstate, depth int) {
	xo := in.d.get(in.d.get(res, "XObject").d, n)
	if xo.k != kStream {
		return
	}
	switch name(in.d.get(xo.d, "Subtype")) {
	case "Image":
		in.page.Images++
	case "Form":
		data, err := in.d.decode(xo)
		if err != nil && xo.d["Filter"].k != kNull {
			return
		}
		if xo.d["Filter"].k == kNull {
			data = xo.data
		}
		if m := in.d.get(xo.d, "Matrix"); m.k == kArray && len(m.a) == 6 {
			var v [6]float64
			for i := range v {
				v[i], _ = in.d.resolve(m.a[i]).num()
			}
			gs.ctm = matrix(v).mul(gs.ctm)
		}
		r := res
		if fr := in.d.get(xo.d, "Resources"); fr.k == kDict {
			r = fr.d
		}
		in.run(data, r, gs, depth+1)
	}
}

// Read reads the text layer of a PDF: every page's glyphs with their
// positions, its rules and how many images it paints. It never panics on
// malformed input and bounds its memory and time (objects, decoded bytes,
// operators interpreted).
func Read(data []byte) (pages []Page, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, err = nil, ErrTooLarge // unreachable by design; never a crash
		}
	}()
	d, err := open(data)
	if err != nil {
		return nil, err
	}
	pds := d.pages()
	if len(pds) == 0 {
		return nil, ErrNoPages
	}
	ops := 0
	in := &interp{d: d, cache: map[int64]*font{}, ops: &ops}
	for _, pd := range pds {
		pg := Page{Width: 595, Height: 842}
		if mb := d.get(pd, "MediaBox"); mb.k == kArray && len(mb.a) == 4 {
			var v [4]float64
			for i := range v {
				v[i], _ = d.resolve(mb.a[i]).num()
			}
			if w, h := v[2]-v[0], v[3]-v[1]; w > 0 && h > 0 && w < 20000 && h < 20000 {
				pg.Width, pg.Height = w, h
			}
		}
		var data []byte
		c := d.get(pd, "Contents")
		var parts []object
		if c.k == kArray {
			for _, x := range c.a {
				parts = append(parts, d.resolve(x))
			}
		} else {
			parts = []object{c}
		}
		for _, p := range parts {
			if p.k != kStream {
				continue
			}
			b := p.data
			if p.d["Filter"].k != kNull {
				if b, err = d.decode(p); err != nil {
					if err == ErrTooLarge {
						return nil, err
					}
					continue
				}
			}
			data = append(data, b...)
			data = append(data, '\n')
		}
		res := d.get(pd, "Resources").d
		in.page = &pg
		in.run(data, res, gstate{ctm: identity, th: 1}, 0)
		pages = append(pages, pg)
	}
	return pages, nil
}
