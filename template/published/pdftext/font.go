package pdftext

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// font maps a font's character codes to text and widths.
type font struct {
	twoByte  bool               // codes are 2 bytes (Identity-H and other 2-byte CMaps)
	ranges   []codeRange        // code space ranges of a ToUnicode CMap or predefined CMap
	uni      map[uint32]string  // ToUnicode bfchar
	uniRange []uniRange         // ToUnicode bfrange, looked up when shown
	simple   [256]string        // simple fonts: code -> text by encoding
	widths   map[uint32]float64 // CID fonts
	first    int                // simple fonts: FirstChar …
	fw       []float64          // … and its Widths
	dw       float64            // default width (glyph space, 1/1000 em unless Type3)
	scale    float64            // glyph space to text space (0.001, or Type3 FontMatrix)
	gbk      bool               // a predefined GBK/GB2312 CMap without ToUnicode
	ucs2     bool               // a predefined UCS2 CMap without ToUnicode
	vertical bool
}

// uniRange maps the codes lo…hi to text: base with its last character
// advanced by code−lo, or the strings of arr.
type uniRange struct {
	lo, hi uint32
	base   []rune
	arr    []string
}

type codeRange struct {
	n      int // bytes
	lo, hi uint32
}

// code is one character code read from a string.
type code struct {
	c uint32
	n int
}

// codes splits a shown string into character codes.
func (f *font) codes(s string) []code {
	var out []code
	for i := 0; i < len(s); {
		n := 1
		if len(f.ranges) > 0 {
			n = 0
			for l := 1; l <= 4 && i+l <= len(s); l++ {
				v := be(s[i : i+l])
				for _, r := range f.ranges {
					if r.n == l && v >= r.lo && v <= r.hi {
						n = l
						break
					}
				}
				if n > 0 {
					break
				}
			}
			if n == 0 {
				n = 1
				if f.twoByte {
					n = 2
				}
			}
		} else if f.twoByte {
			n = 2
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		out = append(out, code{be(s[i : i+n]), n})
		i += n
	}
	return out
}

func be(s string) uint32 {
	var v uint32
	for i := 0; i < len(s); i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

// text returns the Unicode text of a code.
func (f *font) text(c code) string {
	if t, ok := f.uni[c.c]; ok {
		return t
	}
	for i := len(f.uniRange) - 1; i >= 0; i-- {
		r := f.uniRange[i]
		if c.c < r.lo || c.c > r.hi {
			continue
		}
		if r.arr != nil {
			if int(c.c-r.lo) < len(r.arr) {
				return r.arr[c.c-r.lo]
			}
			return ""
		}
		if len(r.base) == 0 {
			return ""
		}
		u := append([]rune(nil), r.base...)
		u[len(u)-1] += rune(c.c - r.lo)
		return string(u)
	}
	switch {
	case f.ucs2 && c.n == 2:
		return string(rune(c.c))
	case f.gbk:
		var b []byte
		for k := c.n - 1; k >= 0; k-- {
			b = append(b, byte(c.c>>(8*k)))
		}
		if out, err := simplifiedchinese.GBK.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
		return ""
	case !f.twoByte && c.n == 1:
		return f.simple[c.c&0xff]
	}
	return ""
}

// width returns a code's advance in text space units per unit font size.
func (f *font) width(c code) float64 {
	if k := int(c.c) - f.first; f.fw != nil && c.n == 1 && k >= 0 && k < len(f.fw) && !math.IsNaN(f.fw[k]) {
		return f.fw[k] * f.scale
	}
	if w, ok := f.widths[c.c]; ok {
		return w * f.scale
	}
	return f.dw * f.scale
}

// loadFont reads a font dictionary.
func (d *doc) loadFont(fd map[string]object) *font {
	f := &font{uni: map[uint32]string{}, widths: map[uint32]float64{}, scale: 0.001}
	sub := name(d.get(fd, "Subtype"))
	enc := d.get(fd, "Encoding")
	if sub == "Type0" {
		f.twoByte = true
		f.dw = 1000
		switch e := name(enc); {
		case e == "Identity-H" || e == "Identity-V":
			f.vertical = e == "Identity-V"
		case strings.Contains(e, "UCS2") || strings.Contains(e, "UTF16"):
			f.ucs2 = true
		case strings.HasPrefix(e, "GB") || strings.Contains(e, "GBK") || strings.Contains(e, "EUC"):
			f.gbk = true
			f.twoByte = false
			f.ranges = []codeRange{{1, 0x00, 0x80}, {2, 0x8140, 0xfefe}}
		case enc.k == kStream:
			f.parseCMap(d, enc, false)
		}
		if ds := d.get(fd, "DescendantFonts"); ds.k == kArray && len(ds.a) > 0 {
			cid := d.resolve(ds.a[0])
			if cid.k == kDict || cid.k == kStream {
				if w, ok := d.get(cid.d, "DW").num(); ok {
					f.dw = w
				}
				f.cidWidths(d, d.get(cid.d, "W"))
			}
		}
	} else {
		f.simpleEncoding(d, enc)
		if fc, ok := d.get(fd, "FirstChar").num(); ok {
			if ws := d.get(fd, "Widths"); ws.k == kArray && fc >= 0 && fc < 256 {
				f.first = int(fc)
				f.fw = make([]float64, min(len(ws.a), 256))
				for i := range f.fw {
					f.fw[i] = math.NaN() // not a number: the default width
					if v, ok := d.resolve(ws.a[i]).num(); ok {
						f.fw[i] = v
					}
				}
			}
		}
		f.dw = 500
		if sub == "Type3" {
			if m := d.get(fd, "FontMatrix"); m.k == kArray && len(m.a) >= 1 {
				if v, ok := d.resolve(m.a[0]).num(); ok && v > 0 && v < 10 {
					f.scale = v
				}
			}
			f.dw = 0.5 / f.scale
		}
	}
	if tu := d.get(fd, "ToUnicode"); tu.k == kStream {
		f.parseCMap(d, tu, true)
	}
	return f
}

func (f *font) cidWidths(d *doc, w object) {
	if w.k != kArray {
		return
	}
	a := w.a
	for i := 0; i < len(a) && len(f.widths) < 70000; {
		first, ok := d.resolve(a[i]).num()
		if !ok || i+1 >= len(a) {
			return
		}
		next := d.resolve(a[i+1])
		if next.k == kArray {
			for k, x := range next.a {
				if v, ok := d.resolve(x).num(); ok {
					f.widths[uint32(int(first)+k)] = v
				}
			}
			i += 2
			continue
		}
		last, ok1 := next.num()
		if i+2 >= len(a) {
			return
		}
		v, ok2 := d.resolve(a[i+2]).num()
		if !ok1 || !ok2 || last < first || last-first > 70000 {
			return
		}
		for c := int(first); c <= int(last); c++ {
			f.widths[uint32(c)] = v
		}
		i += 3
	}
}

// parseCMap reads codespace ranges and, for a ToUnicode map, bfchar and
// bfrange entries; for an encoding CMap, only the code space.
func (f *font) parseCMap(d *doc, s object, toUnicode bool) {
	data, err := d.decode(s)
	if err != nil {
		return
	}
	l := &lexer{b: data}
	var stack []object
	var ranges []codeRange
	for n := 0; n < 500000; n++ {
		o, ok := l.parse(0)
		if !ok {
			break
		}
		if o.k != kOp {
			stack = append(stack, o)
			if len(stack) > 100000 {
				return
			}
			continue
		}
		switch o.s {
		case "begincodespacerange", "beginbfchar", "beginbfrange", "begincidrange", "begincidchar":
			stack = stack[:0]
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, hi := stack[i], stack[i+1]
				if lo.k == kString && hi.k == kString && len(lo.s) == len(hi.s) && len(lo.s) >= 1 && len(lo.s) <= 4 {
					ranges = append(ranges, codeRange{len(lo.s), be(lo.s), be(hi.s)})
				}
			}
			stack = stack[:0]
		case "endbfchar":
			for i := 0; i+1 < len(stack) && toUnicode; i += 2 {
				if stack[i].k == kString {
					f.uni[be(stack[i].s)] = utf16be(stack[i+1])
				}
			}
			stack = stack[:0]
		case "endbfrange":
			for i := 0; i+2 < len(stack) && toUnicode; i += 3 {
				lo, hi, dst := stack[i], stack[i+1], stack[i+2]
				if lo.k != kString || hi.k != kString {
					continue
				}
				a, b := be(lo.s), be(hi.s)
				if b < a || len(f.uniRange) >= 100000 {
					continue
				}
				switch dst.k {
				case kString:
					f.uniRange = append(f.uniRange, uniRange{lo: a, hi: b, base: []rune(utf16be(dst))})
				case kArray:
					var arr []string
					for k := 0; k < len(dst.a) && k <= int(b-a); k++ {
						arr = append(arr, utf16be(dst.a[k]))
					}
					f.uniRange = append(f.uniRange, uniRange{lo: a, hi: b, arr: arr})
				}
			}
			stack = stack[:0]
		default:
			stack = stack[:0]
		}
	}
	if len(ranges) > 0 && (len(f.ranges) == 0 || !toUnicode) {
		if f.twoByte || !toUnicode {
			f.ranges = ranges
		}
	}
}

func utf16be(o object) string {
	if o.k != kString {
		return ""
	}
	s := o.s
	var u []uint16
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	if len(s)%2 == 1 {
		u = append(u, uint16(s[len(s)-1]))
	}
	return string(utf16.Decode(u))
}

// simpleEncoding fills the code table of a simple font: WinAnsi (for
// ASCII and Latin-1 the same as the code) and /Differences glyph names.
// latin1 is the text of the codes of a simple font without Differences.
var latin1 = func() (t [256]string) {
	for c := 32; c < 256; c++ {
		if c < 127 || c >= 160 {
			t[c] = string(rune(c))
		}
	}
	return t
}()

func (f *font) simpleEncoding(d *doc, enc object) {
	f.simple = latin1
	var diffs object
	if enc.k == kDict {
		diffs = d.get(enc.d, "Differences")
	}
	if diffs.k != kArray {
		return
	}
	c := 0
	for _, x := range diffs.a {
		x = d.resolve(x)
		switch x.k {
		case kInt:
			c = int(x.i)
		case kName:
			if c >= 0 && c < 256 {
				f.simple[c] = glyphText(x.s)
			}
			c++
		}
	}
}

var glyphNames = map[string]string{
	"space": " ", "period": ".", "comma": ",", "hyphen": "-", "minus": "-", "percent": "%", "slash": "/",
	"colon": ":", "semicolon": ";", "parenleft": "(", "parenright": ")", "plus": "+", "equal": "=",
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "at": "@", "underscore": "_", "bar": "|", "quotedbl": "\"", "quotesingle": "'",
	"numbersign": "#", "ampersand": "&", "asterisk": "*", "question": "?", "exclam": "!", "bracketleft": "[",
	"bracketright": "]", "emdash": "—", "endash": "–", "bullet": "•",
}

// glyphText gives the text of a glyph name: uniXXXX, uXXXX, a letter, or a
// common name; unknown names give "".
func glyphText(n string) string {
	if t, ok := glyphNames[n]; ok {
		return t
	}
	if len(n) == 1 {
		return n
	}
	if h, ok := strings.CutPrefix(n, "uni"); ok && len(h) >= 4 {
		var rs []rune
		for i := 0; i+4 <= len(h); i += 4 {
			v, err := strconv.ParseUint(h[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			rs = append(rs, rune(v))
		}
		return string(rs)
	}
	if h, ok := strings.CutPrefix(n, "u"); ok && len(h) >= 4 && len(h) <= 6 {
		if v, err := strconv.ParseUint(h, 16, 32); err == nil {
			return string(rune(v))
		}
	}
	return ""
}
