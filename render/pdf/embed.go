package pdf

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
)

// The fonts are written by nianbao, not fpdf. fpdf would parse each font
// it is given again (building its width table and a JSON font ID), cut it
// to the used glyphs a second time, compress it, and write a CIDToGIDMap of
// 65,536 entries; finish then had to decompress the program again to
// compress it tighter — most of the time of a PDF. Here each font is cut
// once (ttf.Embed: glyph i draws the i-th character the document uses in
// that font, so CIDToGIDMap is /Identity and the ToUnicode map is a
// handful of ranges), compressed once, on its own goroutine while the
// pages are laid out, and the painter writes the text as those CIDs.

// embedded is one font as the document embeds it.
type embedded struct {
	face  *face
	res   string          // resource name in the page resources: /F1 …
	runes []rune          // CID i+1 draws runes[i]; sorted
	cid   map[rune]uint16 // rune → CID
	prog  []byte          // the font program (uncompressed)
	z     []byte          // prog compressed, set when done is
	done  sync.WaitGroup
}

// embedFonts cuts the document's fonts and starts compressing them.
func (d *document) embedFonts() {
	families := make([]string, 0, len(d.fonts))
	for fam := range d.fonts {
		families = append(families, fam)
	}
	sort.Strings(families)
	d.embeds = map[string]*embedded{}
	for i, fam := range families {
		f := d.fonts[fam]
		e := &embedded{face: f, res: fmt.Sprintf("F%d", i+1), runes: d.runesOf(fam)}
		e.cid = make(map[rune]uint16, len(e.runes))
		for k, r := range e.runes {
			e.cid[r] = uint16(k + 1)
		}
		e.prog = f.font.Embed(e.runes)
		e.done.Add(1)
		go func() {
			defer e.done.Done()
			e.z = deflate(e.prog)
		}()
		d.embeds[fam] = e
		d.embedOrder = append(d.embedOrder, e)
	}
}

// encode writes rs as a PDF literal string of 2-byte CIDs.
func (e *embedded) encode(b *strings.Builder, rs []rune) {
	b.WriteByte('(')
	for _, r := range rs {
		c := e.cid[r] // every rune drawn was recorded by document.add
		for _, x := range [2]byte{byte(c >> 8), byte(c)} {
			switch x {
			case '(', ')', '\\':
				b.WriteByte('\\')
				b.WriteByte(x)
			case '\r': // read as a line end otherwise
				b.WriteString(`\r`)
			default:
				b.WriteByte(x)
			}
		}
	}
	b.WriteByte(')')
}

// tag is the subset tag (ISO 32000-1 §9.6.4): six capitals derived from
// the font program, so the same subset always has the same name.
func (e *embedded) tag() string {
	sum := sha256.Sum256(e.prog)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	ps := e.face.font.PostScriptName()
	if ps == "" {
		ps = e.face.family
	}
	return string(tag) + "+" + ps
}

// objects returns the font's objects: the Type0 font (number num), its
// CIDFontType2, descriptor, program and ToUnicode map.
func (e *embedded) objects(num int, alloc func() int) []*rawObj {
	cidNum, descNum, progNum, uniNum := alloc(), alloc(), alloc(), alloc()
	name := e.tag()
	m := e.face.font.Metrics()
	flags := 4 // symbolic: glyphs reached by CID
	if m.FixedPitch {
		flags |= 1
	}
	if m.ItalicAngle != 0 {
		flags |= 64
	}
	if m.Weight >= 600 {
		flags |= 1 << 18 // ForceBold
	}
	stemV := 50 + (m.Weight*m.Weight)/(65*65)
	var w bytes.Buffer
	// widths that differ from /DW 1000, as runs "first [w …]"
	for i := 0; i < len(e.runes); {
		if e.face.font.Width(e.runes[i]) == 1000 {
			i++
			continue
		}
		fmt.Fprintf(&w, "%d [", i+1)
		for sep := ""; i < len(e.runes) && e.face.font.Width(e.runes[i]) != 1000; i++ {
			fmt.Fprintf(&w, "%s%d", sep, e.face.font.Width(e.runes[i]))
			sep = " "
		}
		w.WriteString("] ")
	}
	uni := deflate(e.toUnicode())
	e.done.Wait()
	return []*rawObj{
		{num: num, dict: []byte(fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R>>", name, cidNum, uniNum))},
		{num: cidNum, dict: []byte(fmt.Sprintf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity>>", name, descNum, bytes.TrimSpace(w.Bytes())))},
		{num: descNum, dict: []byte(fmt.Sprintf("<</Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %g /Ascent %d /Descent %d /CapHeight %d /StemV %d /MissingWidth 1000 /FontFile2 %d 0 R>>",
			name, flags, m.BBox[0], m.BBox[1], m.BBox[2], m.BBox[3], m.ItalicAngle, m.Ascent, m.Descent, m.CapHeight, stemV, progNum))},
		{num: progNum, dict: []byte(fmt.Sprintf("<</Length %d /Length1 %d /Filter /FlateDecode>>", len(e.z), len(e.prog))), stream: e.z},
		{num: uniNum, dict: []byte(fmt.Sprintf("<</Length %d /Filter /FlateDecode>>", len(uni))), stream: uni},
	}
}

// toUnicode is the ToUnicode CMap: CID i+1 → runes[i], as ranges where
// consecutive CIDs are consecutive characters.
func (e *embedded) toUnicode() []byte {
	type span struct {
		cid  int
		r    rune
		size int
	}
	var spans []span
	for i, r := range e.runes {
		// a range varies in its last byte only, in the CID and the character
		if n := len(spans); n > 0 && spans[n-1].r+rune(spans[n-1].size) == r && r&0xff != 0 && (i+1)&0xff != 0 {
			spans[n-1].size++
			continue
		}
		spans = append(spans, span{i + 1, r, 1})
	}
	var ranges, chars []span
	for _, s := range spans {
		if s.size > 1 {
			ranges = append(ranges, s)
		} else {
			chars = append(chars, s)
		}
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(chars) > 0 {
		n := min(len(chars), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, s := range chars[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X>\n", s.cid, s.r)
		}
		b.WriteString("endbfchar\n")
		chars = chars[n:]
	}
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, s := range ranges[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X> <%04X>\n", s.cid, s.cid+s.size-1, s.r)
		}
		b.WriteString("endbfrange\n")
		ranges = ranges[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return b.Bytes()
}

// fontResources is the /Font entry of the page resources.
func (d *document) fontResources(nums []int) []byte {
	var b bytes.Buffer
	b.WriteString("/Font <<")
	for i, e := range d.embedOrder {
		fmt.Fprintf(&b, " /%s %d 0 R", e.res, nums[i])
	}
	b.WriteString(" >>")
	return b.Bytes()
}

// utf16Text is s as the bytes of a PDF text string in UTF-16BE with its
// byte order mark, for fpdf's Bookmark: fpdf converts text only while a
// font of its own is selected, and nianbao selects none.
func utf16Text(s string) string {
	b := []byte{0xfe, 0xff}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return string(b)
}
