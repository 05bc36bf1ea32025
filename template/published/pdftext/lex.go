package pdftext

import (
	"bytes"
	"strconv"
)

// kind is the type of a PDF object.
type kind uint8

const (
	kNull kind = iota
	kBool
	kInt
	kReal
	kString
	kName
	kArray
	kDict
	kRef
	kStream
	kOp // an operator or unknown keyword (content streams)
)

// object is a parsed PDF object. Streams keep their dictionary and raw
// (still encoded) data.
type object struct {
	k    kind
	b    bool
	gen  int32 // kRef: the generation; the object number is i
	i    int64
	f    float64
	s    string // string bytes, name (without /) or operator
	a    []object
	d    map[string]object
	data []byte
}

func (o object) num() (float64, bool) {
	switch o.k {
	case kInt:
		return float64(o.i), true
	case kReal:
		return o.f, true
	}
	return 0, false
}

// maxDepth bounds the nesting of arrays and dictionaries.
const maxDepth = 64

// lexer reads objects from PDF bytes.
type lexer struct {
	b   []byte
	pos int
	// scratch holds the elements of the arrays being parsed, nested ones
	// after their parent's, so that each array is allocated once at its
	// final size (a font's Widths and Differences have 256 elements)
	scratch []object
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%'
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		break
	}
}

// token kinds returned by next
type tok uint8

const (
	tEOF tok = iota
	tObj     // a complete scalar object
	tArrOpen
	tArrClose
	tDictOpen
	tDictClose
	tWord // keyword or number text
)

// next returns the next token; for tObj the object, for tWord the word.
func (l *lexer) next() (tok, object, string) {
	l.skipSpace()
	if l.pos >= len(l.b) {
		return tEOF, object{}, ""
	}
	c := l.b[l.pos]
	switch c {
	case '[':
		l.pos++
		return tArrOpen, object{}, ""
	case ']':
		l.pos++
		return tArrClose, object{}, ""
	case '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return tDictOpen, object{}, ""
		}
		return tObj, l.hexString(), ""
	case '>':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '>' {
			l.pos += 2
			return tDictClose, object{}, ""
		}
		l.pos++
		return tWord, object{}, ">"
	case '(':
		return tObj, l.litString(), ""
	case '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		return tObj, object{k: kName, s: unescapeName(l.b[start:l.pos])}, ""
	case ')', '{', '}':
		l.pos++
		return tWord, object{}, string(c)
	}
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	if l.pos == start {
		l.pos++
	}
	return tWord, object{}, string(l.b[start:l.pos])
}

func unescapeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func (l *lexer) hexString() object {
	l.pos++ // <
	var out []byte
	var hi byte
	half := false
	for l.pos < len(l.b) && l.b[l.pos] != '>' {
		c := l.b[l.pos]
		l.pos++
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	if l.pos < len(l.b) {
		l.pos++
	}
	return object{k: kString, s: string(out)}
}

func (l *lexer) litString() object {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return object{k: kString, s: string(out)}
			}
		case '\\':
			if l.pos >= len(l.b) {
				continue
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return object{k: kString, s: string(out)}
}

// number parses a word as an integer or real.
func number(w string) (object, bool) {
	if w == "" {
		return object{}, false
	}
	c := w[0]
	if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return object{}, false
	}
	if i, err := strconv.ParseInt(w, 10, 64); err == nil {
		return object{k: kInt, i: i}, true
	}
	if f, err := strconv.ParseFloat(w, 64); err == nil {
		return object{k: kReal, f: f}, true
	}
	// malformed reals such as "1.2.3" or "--5" read as 0, as readers do
	return object{k: kReal}, true
}

// parse reads one object (with "N G R" references) at the lexer's position.
// In a content stream (content true) keywords are returned as kOp.
func (l *lexer) parse(depth int) (object, bool) {
	t, o, w := l.next()
	return l.parseFrom(t, o, w, depth)
}

func (l *lexer) parseFrom(t tok, o object, w string, depth int) (object, bool) {
	if depth > maxDepth {
		return object{}, false
	}
	switch t {
	case tEOF:
		return object{}, false
	case tObj:
		return o, true
	case tArrOpen:
		base := len(l.scratch)
		done := func() []object {
			a := append([]object(nil), l.scratch[base:]...)
			clear(l.scratch[base:])
			l.scratch = l.scratch[:base]
			return a
		}
		for {
			t2, o2, w2 := l.next()
			if t2 == tArrClose {
				return object{k: kArray, a: done()}, true
			}
			if t2 == tEOF || t2 == tDictClose {
				return object{k: kArray, a: done()}, t2 != tEOF
			}
			v, ok := l.parseFrom(t2, o2, w2, depth+1)
			if !ok {
				return object{k: kArray, a: done()}, false
			}
			l.scratch = l.refs(l.scratch, base, v)
		}
	case tDictOpen:
		d := map[string]object{}
		for {
			t2, o2, _ := l.next()
			if t2 == tDictClose || t2 == tEOF {
				return object{k: kDict, d: d}, t2 != tEOF
			}
			if t2 != tObj || o2.k != kName {
				continue // a malformed key: skip it
			}
			v, ok := l.parse(depth + 1)
			if !ok {
				return object{k: kDict, d: d}, false
			}
			// a reference "N G R" as value
			if v.k == kInt {
				save := l.pos
				t3, _, w3 := l.next()
				t4, _, w4 := l.next()
				if t3 == tWord && t4 == tWord && w4 == "R" {
					if g, ok := number(w3); ok && g.k == kInt {
						v = object{k: kRef, i: v.i, gen: int32(g.i)}
						save = l.pos
					}
				}
				l.pos = save
			}
			d[o2.s] = v
		}
	case tWord:
		if n, ok := number(w); ok {
			return n, true
		}
		switch w {
		case "true":
			return object{k: kBool, b: true}, true
		case "false":
			return object{k: kBool}, true
		case "null":
			return object{}, true
		}
		return object{k: kOp, s: w}, true
	}
	return object{}, true
}

// refs appends v to the array a[base:], folding "N G R" into a reference.
func (l *lexer) refs(a []object, base int, v object) []object {
	if v.k == kOp && v.s == "R" && len(a)-base >= 2 && a[len(a)-1].k == kInt && a[len(a)-2].k == kInt {
		n, g := a[len(a)-2].i, a[len(a)-1].i
		return append(a[:len(a)-2], object{k: kRef, i: n, gen: int32(g)})
	}
	return append(a, v)
}
