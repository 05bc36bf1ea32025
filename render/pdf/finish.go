package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
)

// finish rewrites the file fpdf wrote into the one nianbao publishes. fpdf
// cannot write what a publishing office asks of a PDF, so its output (made
// uncompressed, with a simple object layout: one "N 0 obj … endobj" after
// the other and one xref table) is read back object by object and written
// out again with
//
//   - every stream that fpdf left unfiltered compressed (the page
//     contents), with one reused zlib writer per goroutine instead of a
//     new one per page, which is what made fpdf's own compression slow;
//   - the fonts, which nianbao embeds itself (embed.go): fpdf is given
//     none, and the page resources get them here;
//   - an XMP metadata stream (title, agency, year, date; PDF/A-2B and
//     PDF/UA-1 identification) matching the document information
//     dictionary, which is rewritten from the same values;
//   - an sRGB OutputIntent (icc.go), a trailer /ID and the binary
//     header comment PDF/A asks for;
//   - the structure tree (Tagged PDF, tags.go): StructTreeRoot, ParentTree,
//     MarkInfo, and /StructParents on every page.
//
// The outline (bookmarks) fpdf writes itself; the new catalog points to it.

// docMeta is what the XMP and the information dictionary say.
type docMeta struct {
	title, author, agency, year string
	date                        time.Time
}

// rawObj is one object of fpdf's output.
type rawObj struct {
	num    int
	dict   []byte // the dictionary (or whole body for a non-stream object)
	stream []byte // stream data, nil when the object has none
}

var errLayout = errors.New("pdf: unexpected object layout from fpdf")

// parseRaw reads fpdf's objects through its xref table.
func parseRaw(raw []byte) (objs []*rawObj, root, info int, err error) {
	sx := bytes.LastIndex(raw, []byte("startxref\n"))
	if sx < 0 {
		return nil, 0, 0, errLayout
	}
	rest := raw[sx+len("startxref\n"):]
	end := bytes.IndexByte(rest, '\n')
	xref, err := strconv.Atoi(string(rest[:max(end, 0)]))
	if err != nil || xref <= 0 || xref >= sx {
		return nil, 0, 0, errLayout
	}
	p := raw[xref:]
	if !bytes.HasPrefix(p, []byte("xref\n0 ")) {
		return nil, 0, 0, errLayout
	}
	p = p[len("xref\n0 "):]
	nl := bytes.IndexByte(p, '\n')
	n, err := strconv.Atoi(string(p[:max(nl, 0)]))
	if err != nil || n < 1 {
		return nil, 0, 0, errLayout
	}
	p = p[nl+1:]
	if len(p) < 20*n {
		return nil, 0, 0, errLayout
	}
	offs := make([]int, n)
	for i := 1; i < n; i++ {
		offs[i], err = strconv.Atoi(string(p[20*i : 20*i+10]))
		if err != nil || offs[i] <= 0 || offs[i] >= xref {
			return nil, 0, 0, errLayout
		}
	}
	trailer := p[20*n:]
	root, info = refAfter(trailer, "/Root "), refAfter(trailer, "/Info ")
	order := make([]int, 0, n-1)
	for i := 1; i < n; i++ {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int { return offs[a] - offs[b] })
	for k, num := range order {
		stop := xref
		if k+1 < len(order) {
			stop = offs[order[k+1]]
		}
		body := raw[offs[num]:stop]
		head := fmt.Sprintf("%d 0 obj\n", num)
		if !bytes.HasPrefix(body, []byte(head)) {
			return nil, 0, 0, errLayout
		}
		body = bytes.TrimSuffix(body[len(head):], []byte("endobj\n"))
		o := &rawObj{num: num, dict: body}
		if i := bytes.Index(body, []byte("\nstream\n")); i >= 0 && bytes.HasSuffix(body, []byte("\nendstream\n")) {
			o.dict = body[:i]
			o.stream = body[i+len("\nstream\n") : len(body)-len("\nendstream\n")]
		}
		objs = append(objs, o)
	}
	if root <= 0 || info <= 0 || root >= n || info >= n {
		return nil, 0, 0, errLayout
	}
	return objs, root, info, nil
}

// refAfter reads the object number of "key N 0 R" in b, 0 when absent.
func refAfter(b []byte, key string) int {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+len(key):])
	if len(f) < 3 || string(f[2]) != "R" && !bytes.HasPrefix(f[2], []byte("R")) {
		return 0
	}
	n, _ := strconv.Atoi(string(f[0]))
	return n
}

// zlib writers, reused: a new one costs about 1 MB of allocation. Level 9
// would make the fonts (most of the file) 0.02 % smaller than the default
// level 6, and level 4 1 % larger.
var zpool = sync.Pool{New: func() any { w, _ := zlib.NewWriterLevel(nil, zlib.DefaultCompression); return w }}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data)/3 + 64)
	w := zpool.Get().(*zlib.Writer)
	w.Reset(&b)
	w.Write(data)
	w.Close()
	zpool.Put(w)
	return b.Bytes()
}

var lengthKey = regexp.MustCompile(`/Length \d+`)

// finish turns fpdf's output raw into the published file.
func (d *document) finish(raw []byte, tags *tagger) ([]byte, error) {
	objs, root, info, err := parseRaw(raw)
	if err != nil {
		return nil, err
	}
	next := 0
	for _, o := range objs {
		next = max(next, o.num+1)
	}
	alloc := func() int { next++; return next - 1 }

	var pages []int // page object numbers in order
	var outlines int
	for _, o := range objs {
		if o.num == root {
			outlines = refAfter(o.dict, "/Outlines ")
		}
		if bytes.HasPrefix(o.dict, []byte("<</Type /Pages\n")) {
			if i, j := bytes.Index(o.dict, []byte("/Kids [")), bytes.IndexByte(o.dict, ']'); i >= 0 && j > i {
				f := bytes.Fields(o.dict[i+len("/Kids [") : j])
				for k := 0; k+2 < len(f); k += 3 {
					n, _ := strconv.Atoi(string(f[k]))
					pages = append(pages, n)
				}
			}
		}
	}
	meta := d.meta()
	metaNum, oiNum, iccNum := alloc(), alloc(), alloc()
	var extra []*rawObj
	structRoot := 0
	if tags != nil {
		structRoot = alloc()
		extra = tags.objects(structRoot, pages, alloc)
	}
	fontNums := make([]int, len(d.embedOrder))
	for i, e := range d.embedOrder {
		fontNums[i] = alloc()
		extra = append(extra, e.objects(fontNums[i], alloc)...)
	}

	var out bytes.Buffer
	out.Grow(len(raw) * 2 / 3)
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	objStm := alloc()
	xrefNum := alloc()
	offs := make([]int, next)
	// Objects without a stream go into one compressed object stream (PDF
	// 1.5, allowed by PDF/A-2): the structure tree is hundreds of small
	// dictionaries.
	type packedObj struct {
		num  int
		body []byte
	}
	var packed []packedObj
	put := func(num int, dict []byte, stream []byte) {
		if stream == nil {
			packed = append(packed, packedObj{num, dict})
			return
		}
		offs[num] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n", num)
		out.Write(dict)
		if stream != nil {
			out.WriteString("\nstream\n")
			out.Write(stream)
			out.WriteString("\nendstream")
		}
		out.WriteString("\nendobj\n")
	}
	pageIndex := map[int]int{}
	for i, n := range pages {
		pageIndex[n] = i
	}
	for _, o := range objs {
		switch {
		case o.num == root:
			var c bytes.Buffer
			fmt.Fprintf(&c, "<<\n/Type /Catalog\n/Pages 1 0 R\n/Lang (zh-CN)\n/Metadata %d 0 R\n/OutputIntents [%d 0 R]\n/ViewerPreferences <</DisplayDocTitle true>>\n", metaNum, oiNum)
			if outlines > 0 {
				fmt.Fprintf(&c, "/Outlines %d 0 R\n/PageMode /UseOutlines\n", outlines)
			}
			if structRoot > 0 {
				fmt.Fprintf(&c, "/MarkInfo <</Marked true>>\n/StructTreeRoot %d 0 R\n", structRoot)
			}
			c.WriteString(">>")
			put(o.num, c.Bytes(), nil)
		case o.num == info:
			put(o.num, meta.info(), nil)
		case o.num == 2: // fpdf's page resources, with no fonts
			if !bytes.Contains(o.dict, []byte("/Font <<\n>>")) {
				return nil, errLayout
			}
			put(o.num, bytes.Replace(o.dict, []byte("/Font <<\n>>"), d.fontResources(fontNums), 1), nil)
		case o.stream != nil && !bytes.Contains(o.dict, []byte("/Filter")):
			z := deflate(o.stream)
			dict := lengthKey.ReplaceAll(o.dict, []byte(fmt.Sprintf("/Length %d /Filter /FlateDecode", len(z))))
			put(o.num, dict, z)
		default:
			dict := o.dict
			if i, ok := pageIndex[o.num]; ok && structRoot > 0 {
				k := bytes.LastIndex(dict, []byte(">>"))
				if k < 0 {
					return nil, errLayout
				}
				dict = slices.Concat(dict[:k], []byte(fmt.Sprintf("\n/StructParents %d\n/Tabs /S", i)), dict[k:])
			}
			put(o.num, dict, o.stream)
		}
	}
	xmp := meta.xmp()
	put(metaNum, []byte(fmt.Sprintf("<</Type /Metadata /Subtype /XML /Length %d>>", len(xmp))), xmp)
	put(oiNum, []byte(fmt.Sprintf("<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /DestOutputProfile %d 0 R>>", iccNum)), nil)
	icc := deflate(srgbProfile())
	put(iccNum, []byte(fmt.Sprintf("<</N 3 /Length %d /Filter /FlateDecode>>", len(icc))), icc)
	for _, o := range extra {
		put(o.num, o.dict, o.stream)
	}
	var head, body bytes.Buffer
	index := make([]int, next) // 1-based position in the object stream
	for i, o := range packed {
		fmt.Fprintf(&head, "%d %d ", o.num, body.Len())
		body.Write(o.body)
		body.WriteByte('\n')
		index[o.num] = i + 1
	}
	first := head.Len()
	head.Write(body.Bytes())
	z := deflate(head.Bytes())
	offs[objStm] = out.Len()
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode>>\nstream\n", objStm, len(packed), first, len(z))
	out.Write(z)
	out.WriteString("\nendstream\nendobj\n")
	// The cross-reference stream: type, offset or object stream, index.
	id := sha256.Sum256(out.Bytes())
	xref := out.Len()
	offs[xrefNum] = xref
	rows := make([]byte, 0, 7*next)
	rows = append(rows, 0, 0, 0, 0, 0, 0xff, 0xff)
	for i := 1; i < next; i++ {
		switch {
		case index[i] > 0:
			rows = append(rows, 2, byte(objStm>>24), byte(objStm>>16), byte(objStm>>8), byte(objStm), byte((index[i]-1)>>8), byte(index[i]-1))
		case offs[i] > 0:
			o := offs[i]
			rows = append(rows, 1, byte(o>>24), byte(o>>16), byte(o>>8), byte(o), 0, 0)
		default:
			return nil, errLayout
		}
	}
	z = deflate(rows)
	fmt.Fprintf(&out, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] /Length %d /Filter /FlateDecode>>\nstream\n", xrefNum, next, root, info, id[:16], id[:16], len(z))
	out.Write(z)
	fmt.Fprintf(&out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}

// meta is the document's metadata, from the report.
func (d *document) meta() docMeta {
	return docMeta{
		title:  string(d.title.runes),
		author: d.r.Signer(),
		agency: d.r.Meta.Agency.Value,
		year:   d.r.Meta.Year.Value,
		date:   docDate(d.r),
	}
}

// pdfText encodes s as a PDF text string (UTF-16BE with a BOM, in hex).
func pdfText(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

const producer = "nianbao"

func (m docMeta) pdfDate() string { return m.date.Format("D:20060102150405") + "+08'00'" }
func (m docMeta) xmpDate() string { return m.date.Format("2006-01-02T15:04:05") + "+08:00" }

func (m docMeta) info() []byte {
	return []byte(fmt.Sprintf("<<\n/Title %s\n/Author %s\n/Subject %s\n/Creator (%s)\n/Producer (%s)\n/CreationDate (%s)\n/ModDate (%s)\n>>",
		pdfText(m.title), pdfText(m.author), pdfText(m.subject()), producer, producer, m.pdfDate(), m.pdfDate()))
}

// subject is dc:description and /Subject: the agency and the year.
func (m docMeta) subject() string { return strings.TrimSpace(m.agency + " " + m.year) }

func xmlEsc(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// xmp is the metadata packet: Dublin Core (title, creator = the signing
// body, publisher = the agency, coverage = the report year, date), the
// dates, the producer, and the PDF/A-2B and PDF/UA-1 identification.
func (m docMeta) xmp() []byte {
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\xef\xbb\xbf\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
`)
	fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", xmlEsc(m.title))
	fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", xmlEsc(m.author))
	fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", xmlEsc(m.subject()))
	fmt.Fprintf(&b, "<dc:publisher><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:publisher>\n", xmlEsc(m.agency))
	fmt.Fprintf(&b, "<dc:coverage>%s</dc:coverage>\n", xmlEsc(m.year))
	fmt.Fprintf(&b, "<dc:date><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:date>\n", m.date.Format("2006-01-02"))
	b.WriteString("<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>\n")
	fmt.Fprintf(&b, "<xmp:CreateDate>%s</xmp:CreateDate>\n<xmp:ModifyDate>%s</xmp:ModifyDate>\n<xmp:MetadataDate>%s</xmp:MetadataDate>\n", m.xmpDate(), m.xmpDate(), m.xmpDate())
	fmt.Fprintf(&b, "<xmp:CreatorTool>%s</xmp:CreatorTool>\n<pdf:Producer>%s</pdf:Producer>\n", producer, producer)
	b.WriteString("<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n<pdfuaid:part>1</pdfuaid:part>\n")
	b.WriteString("</rdf:Description>\n")
	// pdfuaid is not among PDF/A-2's predefined schemas: describe it.
	b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates which part of ISO 14289 the file follows</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
`)
	b.WriteString("</rdf:RDF>\n</x:xmpmeta>\n")
	b.WriteString("<?xpacket end=\"w\"?>")
	return b.Bytes()
}
