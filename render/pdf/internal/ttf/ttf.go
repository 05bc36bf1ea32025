// Package ttf reads TrueType fonts (glyf outlines), single or inside a
// collection, and cuts them down to the glyphs one document uses.
//
// fpdf parses every glyph and cmap entry of a font each time a document adds
// it, which costs 10–25 ms for a GBK-size Chinese font. A font holding only
// the few hundred characters of one report loads in well under a
// millisecond. Parse the big font once per process (a Font is read-only and
// safe for concurrent use), then call Embed per document.
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
func Parse(data []byte, index int) (f *Font, err error) { return parse(data, index, true) }

// parse reads a font; without unicode, a font with no cmap is accepted
// (the programs Embed writes have none).
func parse(data []byte, index int, unicode bool) (f *Font, err error) {
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
		if f.tables[t] == nil && (unicode || t != "cmap") {
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
	if !unicode {
		f.cmap = map[rune]uint16{}
	} else if err := f.parseCmap(); err != nil {
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

// Embed returns the font program a PDF embeds for a CIDFont whose CIDs are
// its glyph IDs (CIDToGIDMap /Identity): glyph 0 is .notdef and glyph i
// (1 ≤ i ≤ len(runes)) draws runes[i-1] — a rune the font lacks, or one
// outside the BMP, gets an empty glyph with the advance Width gives it —
// followed by the components of composite glyphs. Two runes that share a
// glyph each get their own copy, so every CID stands for one character
// and a ToUnicode map can say which.
//
// It holds only what a PDF reader uses (ISO 32000-1 §9.9: head, hhea,
// maxp, loca, glyf, hmtx and the hinting tables when present) plus OS/2, a
// format 3 post and the name table cut to its copyright, name, trademark
// and licence records. There is no cmap: a CIDFont reaches its glyphs by
// ID. The result is deterministic.
func (f *Font) Embed(runes []rune) []byte {
	slots := make([]int, 1, len(runes)+1) // old glyph ID per new glyph; -1: empty
	for _, r := range runes {
		g := -1
		if r <= 0xfffe && f.cmap[r] != 0 {
			g = int(f.cmap[r])
		}
		slots = append(slots, g)
	}
	tables := f.build(slots)
	for _, t := range []string{"OS/2", "cvt ", "fpgm", "prep"} {
		if d := f.tables[t]; d != nil {
			tables[t] = d
		}
	}
	if nm := cutNames(f.tables["name"]); nm != nil {
		tables["name"] = nm
	}
	return assemble(tables)
}

// build lays out the glyphs of slots (old glyph IDs in new order; -1 for
// an empty glyph with .notdef's advance) followed by the components of
// composite glyphs not already among them, and returns the glyf, loca,
// hmtx, head, hhea, maxp and post tables.
func (f *Font) build(slots []int) map[string][]byte {
	newID := make(map[uint16]uint16, len(slots))
	for i, g := range slots {
		if _, ok := newID[uint16(g)]; g >= 0 && !ok {
			newID[uint16(g)] = uint16(i)
		}
	}
	for i := 0; i < len(slots); i++ { // slots grows: components of components
		if slots[i] < 0 {
			continue
		}
		for _, c := range f.components(uint16(slots[i])) {
			if _, ok := newID[c]; !ok && int(c) < f.numGlyphs && len(slots) < 0xffff {
				newID[c] = uint16(len(slots))
				slots = append(slots, int(c))
			}
		}
	}
	size := 0
	for _, g := range slots {
		if g >= 0 {
			size += (len(f.glyph(uint16(g))) + 3) &^ 3
		}
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*len(slots)+4)
	hmtx := make([]byte, 0, 4*len(slots))
	loca = binary.BigEndian.AppendUint32(loca, 0)
	for _, g := range slots {
		if g < 0 { // no outline, .notdef's advance
			loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
			hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.Advance(0)))
			hmtx = binary.BigEndian.AppendUint16(hmtx, 0)
			continue
		}
		at := len(glyf)
		glyf = append(glyf, f.glyph(uint16(g))...)
		if gd := glyf[at:]; len(gd) >= 10 && int16(u16(gd, 0)) < 0 {
			f.remapComponents(gd, newID)
		}
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.Advance(uint16(g))))
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.lsb(uint16(g))))
	}
	head := slices.Clone(f.tables["head"])
	put32(head, 8, 0)  // checksumAdjustment, set by assemble
	put16(head, 50, 1) // long loca offsets
	hhea := slices.Clone(f.tables["hhea"])
	put16(hhea, 34, uint16(len(slots)))
	maxp := slices.Clone(f.tables["maxp"])
	put16(maxp, 4, uint16(len(slots)))
	post := make([]byte, 32)
	if p := f.tables["post"]; len(p) >= 32 {
		copy(post, p[:32])
	}
	put32(post, 0, 0x00030000) // format 3: no glyph names
	return map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "post": post,
		"glyf": glyf, "loca": loca, "hmtx": hmtx,
	}
}

// keptNames are the name records an embedded font keeps: copyright,
// family, subfamily, full name, PostScript name, trademark, licence URL.
var keptNames = map[uint16]bool{0: true, 1: true, 2: true, 4: true, 6: true, 7: true, 14: true}

// cutNames returns a format 0 name table holding only the Windows
// (platform 3) records of keptNames, or nil when the table is damaged or
// has none of them.
func cutNames(nm []byte) []byte {
	if len(nm) < 6 {
		return nil
	}
	count, store := int(u16(nm, 2)), int(u16(nm, 4))
	if 6+12*count > len(nm) || store > len(nm) {
		return nil
	}
	var recs, data []byte
	n := 0
	for i := 0; i < count; i++ {
		r := nm[6+12*i:]
		id, l, o := u16(r, 6), int(u16(r, 8)), store+int(u16(r, 10))
		if u16(r, 0) != 3 || !keptNames[id] || o+l > len(nm) || len(data)+l > 0xffff {
			continue
		}
		rec := slices.Clone(r[:12])
		put16(rec, 10, uint16(len(data)))
		recs = append(recs, rec...)
		data = append(data, nm[o:o+l]...)
		n++
	}
	if n == 0 {
		return nil
	}
	out := make([]byte, 6, 6+len(recs)+len(data))
	put16(out, 2, uint16(n))
	put16(out, 4, uint16(6+len(recs)))
	return append(append(out, recs...), data...)
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

// Metrics are the values of a PDF font descriptor (ISO 32000-1 §9.8), in
// thousandths of an em.
type Metrics struct {
	Ascent, Descent, CapHeight int
	BBox                       [4]int // xMin yMin xMax yMax
	ItalicAngle                float64
	Weight                     int // OS/2 usWeightClass, 400 when absent
	FixedPitch                 bool
}

// Metrics reads the descriptor values from head, hhea, OS/2 and post: the
// ascent and descent of hhea (OS/2's typographic values when hhea has
// none), the cap height of OS/2 version 2 and later (else the ascent).
func (f *Font) Metrics() Metrics {
	sc := func(v int16) int { return int(float64(v) * 1000 / float64(f.upem)) }
	var m Metrics
	if h := f.tables["head"]; len(h) >= 44 {
		m.BBox = [4]int{sc(int16(u16(h, 36))), sc(int16(u16(h, 38))), sc(int16(u16(h, 40))), sc(int16(u16(h, 42)))}
	}
	if h := f.tables["hhea"]; len(h) >= 8 {
		m.Ascent, m.Descent = sc(int16(u16(h, 4))), sc(int16(u16(h, 6)))
	}
	m.Weight = 400
	m.CapHeight = m.Ascent
	if o := f.tables["OS/2"]; len(o) >= 72 {
		m.Weight = int(u16(o, 4))
		if m.Ascent == 0 {
			m.Ascent = sc(int16(u16(o, 68)))
		}
		if m.Descent == 0 {
			m.Descent = sc(int16(u16(o, 70)))
		}
		m.CapHeight = m.Ascent
		if u16(o, 0) >= 2 && len(o) >= 90 {
			m.CapHeight = sc(int16(u16(o, 88)))
		}
	}
	if p := f.tables["post"]; len(p) >= 16 {
		m.ItalicAngle = float64(int32(u32(p, 4))) / 65536
		m.FixedPitch = u32(p, 12) != 0
	}
	return m
}
