// Package ttf reads TrueType fonts (glyf outlines), single or inside a
// collection, and cuts them down to the glyphs one document uses.
//
// fpdf parses every glyph and cmap entry of a font each time a document adds
// it, which costs 10–25 ms for a GBK-size Chinese font. A font holding only
// the few hundred characters of one report loads in well under a
// millisecond. Parse the big font once per process (a Font is read-only and
// safe for concurrent use), then call Subset per document.
package ttf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
)

// Errors describing why a file is not a usable font.
var (
	ErrCFF        = errors.New("ttf: PostScript (CFF/OTF) outlines are not supported")
	ErrCollection = errors.New("ttf: a font collection needs a face index")
	ErrNotFont    = errors.New("ttf: not a TrueType font")
	ErrNoUnicode  = errors.New("ttf: no Unicode cmap")
	ErrRestricted = errors.New("ttf: the font's licence forbids embedding or subsetting")
)

// Font is a parsed TrueType font. It keeps references into the data it was
// parsed from; the data must not change.
type Font struct {
	data      []byte
	tables    map[string][]byte
	numGlyphs int
	numHMet   int
	locaLong  bool
	upem      int
	cmap      map[rune]uint16
	fsType    uint16
	names     map[uint16]string // name ID → best English (or any) name
}

// IsCollection reports whether data is a TrueType collection (TTC).
func IsCollection(data []byte) bool { return len(data) >= 4 && string(data[:4]) == "ttcf" }

// Faces returns the number of faces of a collection (1 for a single font).
func Faces(data []byte) (int, error) {
	if !IsCollection(data) {
		return 1, nil
	}
	if len(data) < 12 {
		return 0, ErrNotFont
	}
	return int(binary.BigEndian.Uint32(data[8:])), nil
}

// Parse reads a single TrueType font, or face index of a collection (the
// index is ignored for a single font).
func Parse(data []byte, index int) (f *Font, err error) {
	defer func() {
		if p := recover(); p != nil { // a truncated or corrupt table
			f, err = nil, fmt.Errorf("%w (damaged: %v)", ErrNotFont, p)
		}
	}()
	off := 0
	if IsCollection(data) {
		n, err := Faces(data)
		if err != nil {
			return nil, err
		}
		if index < 0 || index >= n || 12+4*index+4 > len(data) {
			return nil, fmt.Errorf("%w: face %d of %d", ErrCollection, index, n)
		}
		off = int(binary.BigEndian.Uint32(data[12+4*index:]))
	}
	if off+12 > len(data) {
		return nil, ErrNotFont
	}
	switch tag := string(data[off : off+4]); tag {
	case "OTTO":
		return nil, ErrCFF
	case "\x00\x01\x00\x00", "true":
	default:
		return nil, ErrNotFont
	}
	f = &Font{data: data, tables: map[string][]byte{}}
	nt := int(u16(data, off+4))
	for i := 0; i < nt; i++ {
		rec := off + 12 + 16*i
		tag := string(data[rec : rec+4])
		o, l := int(u32(data, rec+8)), int(u32(data, rec+12))
		if o < 0 || l < 0 || o+l > len(data) || o+l < o {
			return nil, fmt.Errorf("%w: table %q out of range", ErrNotFont, tag)
		}
		f.tables[tag] = data[o : o+l]
	}
	if f.tables["CFF "] != nil || f.tables["CFF2"] != nil {
		return nil, ErrCFF
	}
	for _, t := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[t] == nil {
			if t == "glyf" || t == "loca" {
				return nil, ErrCFF
			}
			return nil, fmt.Errorf("%w: no %s table", ErrNotFont, t)
		}
	}
	head := f.tables["head"]
	f.upem = int(u16(head, 18))
	if f.upem == 0 {
		return nil, fmt.Errorf("%w: unitsPerEm is 0", ErrNotFont)
	}
	f.locaLong = u16(head, 50) == 1
	f.numGlyphs = int(u16(f.tables["maxp"], 4))
	f.numHMet = int(u16(f.tables["hhea"], 34))
	if f.numHMet == 0 || f.numHMet > f.numGlyphs || len(f.tables["hmtx"]) < 4*f.numHMet {
		return nil, fmt.Errorf("%w: bad hmtx", ErrNotFont)
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 10 {
		f.fsType = u16(os2, 8)
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	f.parseNames()
	return f, nil
}

// Restricted reports whether the font's licence (OS/2 fsType) forbids
// embedding it in a document (restricted licence) or subsetting it.
func (f *Font) Restricted() bool {
	return f.fsType&0x000f == 0x0002 || f.fsType&0x0100 != 0 || f.fsType&0x0200 != 0
}

// UnitsPerEm is the font's design units per em.
func (f *Font) UnitsPerEm() int { return f.upem }

// NumGlyphs is the number of glyphs in the font.
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// Name returns the font's full name (name ID 4), or its family name.
func (f *Font) Name() string {
	if n := f.names[4]; n != "" {
		return n
	}
	return f.names[1]
}

// Glyph returns the glyph index of r, 0 when the font has no glyph for it.
func (f *Font) Glyph(r rune) uint16 { return f.cmap[r] }

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool { return f.cmap[r] != 0 }

// Advance returns the advance width of glyph g in font units.
func (f *Font) Advance(g uint16) int {
	hm := f.tables["hmtx"]
	if int(g) < f.numHMet {
		return int(u16(hm, 4*int(g)))
	}
	return int(u16(hm, 4*(f.numHMet-1)))
}

// Width returns r's advance in thousandths of an em, rounded as PDF width
// arrays hold it, so measured text matches what a viewer draws.
func (f *Font) Width(r rune) int {
	g := f.cmap[r]
	a := f.Advance(g)
	return (a*1000 + f.upem/2) / f.upem
}

// maxCmap bounds the characters read from a cmap (Unicode has about 155,000).
const maxCmap = 200000

func (f *Font) parseCmap() error {
	cm := f.tables["cmap"]
	n := int(u16(cm, 2))
	best, bestScore := -1, 0
	for i := 0; i < n; i++ {
		rec := 4 + 8*i
		pid, eid := u16(cm, rec), u16(cm, rec+2)
		off := int(u32(cm, rec+4))
		if off+2 > len(cm) {
			continue
		}
		format := u16(cm, off)
		score := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			score = 3
		case format == 4 && (pid == 3 && eid == 1 || pid == 0):
			score = 2
		}
		if score > bestScore {
			best, bestScore = off, score
		}
	}
	if best < 0 {
		return ErrNoUnicode
	}
	f.cmap = map[rune]uint16{}
	t := cm[best:]
	if u16(t, 0) == 12 {
		groups := min(int(u32(t, 12)), (len(t)-16)/12)
		for i := 0; i < groups; i++ {
			g := 16 + 12*i
			start, end, gid := u32(t, g), u32(t, g+4), u32(t, g+8)
			if end < start || end > 0x10ffff || len(f.cmap)+int(end-start) > maxCmap {
				continue // damaged: no real font maps this many characters
			}
			for c := start; c <= end; c++ {
				id := gid + (c - start)
				if id != 0 && int(id) < f.numGlyphs {
					f.cmap[rune(c)] = uint16(id)
				}
			}
		}
		return nil
	}
	segX2 := int(u16(t, 6))
	ends, starts, deltas, ranges := 14, 16+segX2, 16+2*segX2, 16+3*segX2
	for s := 0; s < segX2; s += 2 {
		end, start := int(u16(t, ends+s)), int(u16(t, starts+s))
		delta, ro := u16(t, deltas+s), int(u16(t, ranges+s))
		for c := start; c <= end && c < 0xffff; c++ {
			var id uint16
			if ro == 0 {
				id = uint16(c) + delta
			} else {
				p := ranges + s + ro + 2*(c-start)
				if p+2 > len(t) {
					continue
				}
				id = u16(t, p)
				if id != 0 {
					id += delta
				}
			}
			if id != 0 && int(id) < f.numGlyphs {
				f.cmap[rune(c)] = id
			}
		}
	}
	return nil
}

func (f *Font) parseNames() {
	f.names = map[uint16]string{}
	nm := f.tables["name"]
	if len(nm) < 6 {
		return
	}
	count, strOff := int(u16(nm, 2)), int(u16(nm, 4))
	score := map[uint16]int{}
	for i := 0; i < count; i++ {
		rec := 6 + 12*i
		if rec+12 > len(nm) {
			return
		}
		pid, eid, lang, id := u16(nm, rec), u16(nm, rec+2), u16(nm, rec+4), u16(nm, rec+6)
		l, o := int(u16(nm, rec+8)), strOff+int(u16(nm, rec+10))
		if o+l > len(nm) {
			continue
		}
		raw := nm[o : o+l]
		var s string
		sc := 0
		switch {
		case pid == 3 && (eid == 1 || eid == 10) || pid == 0:
			u := make([]uint16, len(raw)/2)
			for j := range u {
				u[j] = u16(raw, 2*j)
			}
			s = string(utf16.Decode(u))
			sc = 2
			if pid == 3 && lang == 0x804 { // Chinese (PRC): the name people know
				sc = 4
			} else if pid == 3 && lang == 0x409 {
				sc = 3
			}
		case pid == 1 && eid == 0:
			s, sc = string(raw), 1
		default:
			continue
		}
		if s = strings.TrimSpace(s); s != "" && sc > score[id] {
			f.names[id], score[id] = s, sc
		}
	}
}

// Subset returns a standalone TrueType font holding .notdef, the glyphs of
// runes (and the components of composite glyphs), with their metrics, a
// format 4 cmap and the font's name, OS/2 and hinting tables. Runes the font
// lacks and runes outside the BMP are left out. The result is deterministic.
func (f *Font) Subset(runes []rune) []byte {
	// Old glyph IDs to keep, with composite components, in ascending order.
	keep := map[uint16]bool{0: true}
	var queue []uint16
	cmap := map[rune]uint16{}
	for _, r := range runes {
		if r > 0xfffe {
			continue
		}
		if g := f.cmap[r]; g != 0 {
			cmap[r] = g
			if !keep[g] {
				keep[g] = true
				queue = append(queue, g)
			}
		}
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, c := range f.components(g) {
			if !keep[c] && int(c) < f.numGlyphs {
				keep[c] = true
				queue = append(queue, c)
			}
		}
	}
	old := make([]uint16, 0, len(keep))
	for g := range keep {
		old = append(old, g)
	}
	slices.Sort(old)
	newID := make(map[uint16]uint16, len(old))
	for i, g := range old {
		newID[g] = uint16(i)
	}

	size := 0
	for _, g := range old {
		size += (len(f.glyph(g)) + 3) &^ 3
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*len(old)+4)
	hmtx := make([]byte, 0, 4*len(old))
	loca = binary.BigEndian.AppendUint32(loca, 0)
	for _, g := range old {
		at := len(glyf)
		glyf = append(glyf, f.glyph(g)...)
		if gd := glyf[at:]; len(gd) >= 10 && int16(u16(gd, 0)) < 0 {
			f.remapComponents(gd, newID)
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.Advance(g)))
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.lsb(g)))
	}

	head := slices.Clone(f.tables["head"])
	put32(head, 8, 0)  // checksumAdjustment, set below
	put16(head, 50, 1) // long loca offsets
	hhea := slices.Clone(f.tables["hhea"])
	put16(hhea, 34, uint16(len(old)))
	maxp := slices.Clone(f.tables["maxp"])
	put16(maxp, 4, uint16(len(old)))
	post := make([]byte, 32)
	if p := f.tables["post"]; len(p) >= 32 {
		copy(post, p[:32])
	}
	put32(post, 0, 0x00030000) // format 3: no glyph names
	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "post": post,
		"glyf": glyf, "loca": loca, "hmtx": hmtx,
		"cmap": cmap4(cmap, newID),
	}
	for _, t := range []string{"name", "OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if d := f.tables[t]; d != nil {
			tables[t] = d
		}
	}
	if nm := tables["name"]; len(nm) >= 6 && u16(nm, 0) != 0 {
		// fpdf reads format 0 only (and prints to stdout otherwise); a
		// format 1 table is format 0 plus language tags it can do without.
		nm = slices.Clone(nm)
		put16(nm, 0, 0)
		tables["name"] = nm
	}
	return assemble(tables)
}

// glyph returns the raw data of glyph g (empty for a blank glyph).
func (f *Font) glyph(g uint16) []byte {
	if int(g) >= f.numGlyphs {
		return nil
	}
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	var a, b int
	if f.locaLong {
		if 4*int(g)+8 > len(loca) {
			return nil
		}
		a, b = int(u32(loca, 4*int(g))), int(u32(loca, 4*int(g)+4))
	} else {
		if 2*int(g)+4 > len(loca) {
			return nil
		}
		a, b = 2*int(u16(loca, 2*int(g))), 2*int(u16(loca, 2*int(g)+2))
	}
	if a >= b || b > len(glyf) {
		return nil
	}
	return glyf[a:b]
}

func (f *Font) lsb(g uint16) int16 {
	hm := f.tables["hmtx"]
	if int(g) < f.numHMet {
		return int16(u16(hm, 4*int(g)+2))
	}
	p := 4*f.numHMet + 2*(int(g)-f.numHMet)
	if p+2 > len(hm) {
		return 0
	}
	return int16(u16(hm, p))
}

// Composite glyph flags.
const (
	argWords     = 0x0001
	haveScale    = 0x0008
	moreComps    = 0x0020
	haveXYScale  = 0x0040
	have2x2      = 0x0080
	haveInstruct = 0x0100
)

// walkComponents calls fn with the offset of each component's glyph index.
func walkComponents(gd []byte, fn func(at int)) {
	if len(gd) < 10 || int16(u16(gd, 0)) >= 0 {
		return
	}
	p := 10
	for p+4 <= len(gd) {
		flags := u16(gd, p)
		fn(p + 2)
		p += 4
		if flags&argWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&have2x2 != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			return
		}
	}
}

func (f *Font) components(g uint16) []uint16 {
	var out []uint16
	gd := f.glyph(g)
	walkComponents(gd, func(at int) { out = append(out, u16(gd, at)) })
	return out
}

func (f *Font) remapComponents(gd []byte, newID map[uint16]uint16) {
	walkComponents(gd, func(at int) { put16(gd, at, newID[u16(gd, at)]) })
}

// cmap4 builds a cmap table with one (3,1) format 4 subtable.
func cmap4(cmap map[rune]uint16, newID map[uint16]uint16) []byte {
	codes := make([]rune, 0, len(cmap))
	for r := range cmap {
		codes = append(codes, r)
	}
	slices.Sort(codes)
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, r := range codes {
		g := newID[cmap[r]]
		d := g - uint16(r)
		if n := len(segs); n > 0 && segs[n-1].end+1 == uint16(r) && segs[n-1].delta == d {
			segs[n-1].end++
			continue
		}
		segs = append(segs, seg{uint16(r), uint16(r), d})
	}
	segs = append(segs, seg{0xffff, 0xffff, 1})
	n := len(segs)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	sr *= 2
	sub := make([]byte, 0, 16+8*n)
	for _, v := range []uint16{4, uint16(16 + 8*n), 0, uint16(2 * n), uint16(sr), uint16(es), uint16(2*n - sr)} {
		sub = binary.BigEndian.AppendUint16(sub, v)
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.end)
	}
	sub = binary.BigEndian.AppendUint16(sub, 0)
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.start)
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.delta)
	}
	for range segs {
		sub = binary.BigEndian.AppendUint16(sub, 0)
	}
	out := []byte{0, 0, 0, 1, 0, 3, 0, 1, 0, 0, 0, 12}
	return append(out, sub...)
}

// assemble writes the tables as a font file with a sorted table directory
// and correct checksums.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	sr *= 16
	total := 12 + 16*n
	for _, d := range tables {
		total += (len(d) + 3) &^ 3
	}
	out := make([]byte, 0, total)
	out = binary.BigEndian.AppendUint32(out, 0x00010000)
	for _, v := range []uint16{uint16(n), uint16(sr), uint16(es), uint16(16*n - sr)} {
		out = binary.BigEndian.AppendUint16(out, v)
	}
	off := 12 + 16*n
	headAt := 0
	for _, t := range tags {
		d := tables[t]
		if t == "head" {
			headAt = off
		}
		out = append(out, t...)
		out = binary.BigEndian.AppendUint32(out, checksum(d))
		out = binary.BigEndian.AppendUint32(out, uint32(off))
		out = binary.BigEndian.AppendUint32(out, uint32(len(d)))
		off += (len(d) + 3) &^ 3
	}
	for _, t := range tags {
		out = append(out, tables[t]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	put32(out, headAt+8, 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var s uint32
	n := len(b) &^ 3
	for i := 0; i < n; i += 4 {
		s += binary.BigEndian.Uint32(b[i:])
	}
	if n < len(b) {
		var w [4]byte
		copy(w[:], b[n:])
		s += binary.BigEndian.Uint32(w[:])
	}
	return s
}

func u16(b []byte, i int) uint16      { return binary.BigEndian.Uint16(b[i:]) }
func u32(b []byte, i int) uint32      { return binary.BigEndian.Uint32(b[i:]) }
func put16(b []byte, i int, v uint16) { binary.BigEndian.PutUint16(b[i:], v) }
func put32(b []byte, i int, v uint32) { binary.BigEndian.PutUint32(b[i:], v) }

// MakeCollection joins single TrueType fonts into a collection (TTC), the
// way Windows ships simsun.ttc. Tests use it to exercise face selection.
func MakeCollection(fonts ...[]byte) []byte {
	hdr := 12 + 4*len(fonts)
	out := []byte("ttcf\x00\x01\x00\x00")
	out = binary.BigEndian.AppendUint32(out, uint32(len(fonts)))
	// Each face's table directory is copied and its offsets moved; the
	// table data follows all directories.
	dirs := make([][]byte, len(fonts))
	at := hdr
	for i, f := range fonts {
		n := int(u16(f, 4))
		dirs[i] = slices.Clone(f[:12+16*n])
		out = binary.BigEndian.AppendUint32(out, uint32(at))
		at += len(dirs[i])
	}
	for at%4 != 0 {
		at++
	}
	base := make([]int, len(fonts))
	for i, f := range fonts {
		base[i] = at
		at += (len(f) + 3) &^ 3
	}
	for i, d := range dirs {
		n := int(u16(d, 4))
		for j := 0; j < n; j++ {
			rec := 12 + 16*j
			put32(d, rec+8, u32(d, rec+8)+uint32(base[i]))
		}
		out = append(out, d...)
	}
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	for _, f := range fonts {
		out = append(out, f...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// PostScriptName returns the font's PostScript name (name ID 6) with every
// character outside A–Z a–z 0–9 - removed, as a PDF font name needs it, or
// "" when the font has none.
func (f *Font) PostScriptName() string {
	var b strings.Builder
	for _, r := range f.names[6] {
		if r == '-' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
