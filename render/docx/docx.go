// Package docx renders a report as a Word document (.docx, Office Open XML
// WordprocessingML) that opens in Word, WPS and LibreOffice. It is written
// by hand with archive/zip and encoding/xml escaping, with no dependency.
//
// The page follows GB/T 9704 (党政机关公文格式): A4, top margin 37 mm, left
// 28 mm, a text block of 156 × 225 mm, the title in 方正小标宋简体 二号, the
// body in 仿宋_GB2312 三号 on a fixed 28.95 pt line pitch with a two-character
// first-line indent, 一、 headings in 黑体 and （一） sub-headings in
// 楷体_GB2312, page numbers “— N —” in 四号 on the outer side (odd pages
// right, even pages left). Fonts an office may lack have Windows fallbacks
// in the font table (仿宋, 宋体, 楷体), and every style names a generic
// family, so LibreOffice and WPS substitute a CJK serif or sans.
//
// The statistical tables are drawn by walking the declared layout, with
// real merged cells (gridSpan, vMerge), header rows repeated after a page
// break and rows that never split. Output is deterministic: fixed part
// order and zip timestamps taken from the report's date, never the clock.
package docx

import (
	"archive/zip"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/nianbao/nianbao/render/internal/guard"

	"github.com/nianbao/nianbao/render/internal/grid"
	"github.com/nianbao/nianbao/render/internal/outline"
	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the defaults.
type Options struct {
	Draft bool // header 草稿（未通过校验） on every page
}

// firstTallGroupEnd returns the index of the row after the first merged
// body label spanning at least tallLabel rows but not most of the body
// (the block label 三、本年度办理结果 is left out), or 0 when there is none.
func firstTallGroupEnd(g *schema.Grid, head int) int {
	body := len(g.Rows) - head
	for i := head; i < len(g.Rows); i++ {
		for _, s := range g.Rows[i] {
			if !s.Cont && !s.Cell.IsValue() && s.RowSpan >= tallLabel && s.RowSpan*4 <= body*3 {
				return i + s.RowSpan
			}
		}
	}
	return 0
}

// tallLabel is the row span from which a merged row label is set at the
// top of its cell rather than centred.
const tallLabel = 5

// DraftMark is the header text of a draft.
const DraftMark = schema.DraftLabel

// Page geometry in twentieths of a point (twips), GB/T 9704.
const (
	pageW, pageH = 11906, 16838 // A4, 210 × 297 mm
	marginTop    = 2098         // 37 mm
	marginBottom = 1984         // 35 mm: 297 − 37 − 225
	marginLeft   = 1587         // 28 mm
	marginRight  = 1474         // 26 mm: 210 − 28 − 156
	textWidth    = pageW - marginLeft - marginRight
	headerDist   = 851  // 15 mm
	footerDist   = 1247 // 22 mm: the page number sits about 7 mm under the text block
	linePitch    = 579  // 28.95 pt: 22 lines in 225 mm
	bodyChar     = 320  // one 三号 (16 pt) character
	// bodyTrack narrows every body character by 0.25 pt (in twips), so
	// that 28 三号 characters (28 × 15.75 = 441 pt) fit the 442.2 pt line
	// and 29 do not, as in the PDF; without it Word sets about 27.
	bodyTrack = -5
)

// Fonts: the names offices have, as GB/T 9704 prescribes them.
const (
	fontTitle   = "方正小标宋简体"
	fontBody    = "仿宋_GB2312"
	fontHeading = "黑体"
	fontKai     = "楷体_GB2312"
	fontSong    = "宋体"
	fontLatin   = "Times New Roman"
)

// Render writes r to w as a .docx file.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	defer guard.Recover(&err, "Word 文档")
	if err := guard.Check(r); err != nil {
		return err
	}
	doc, err := document(r, opt)
	if err != nil {
		return err
	}
	parts := []part{
		{"[Content_Types].xml", contentTypes(opt.Draft)},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(r)},
		{"docProps/app.xml", appProps},
		{"word/document.xml", doc},
		{"word/_rels/document.xml.rels", documentRels(opt.Draft)},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
		{"word/footer1.xml", footer(true)},
		{"word/footer2.xml", footer(false)},
	}
	if opt.Draft {
		parts = append(parts, part{"word/header1.xml", draftHeader}, part{"word/header2.xml", draftHeader})
	}
	return writeZip(w, parts, zipTime(r))
}

type part struct {
	name string
	data string
}

// zipTime is the timestamp of every zip entry: the report's signing date at
// noon, or a fixed epoch when it has none. Never the clock.
func zipTime(r *schema.Report) time.Time {
	if t, err := time.Parse("2006-01-02", strings.TrimSpace(r.SignDate())); err == nil && t.Year() >= 1980 && t.Year() < 2108 {
		return t.Add(12 * time.Hour)
	}
	return time.Date(2021, 9, 26, 0, 0, 0, 0, time.UTC) // the format's own date
}

func writeZip(w io.Writer, parts []part, mod time.Time) error {
	zw := zip.NewWriter(w)
	// BestSpeed: the XML still shrinks about tenfold, at a fraction of the
	// default level's time; the output stays deterministic.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: mod})
		if err != nil {
			return fmt.Errorf("docx: %w", err)
		}
		if _, err := io.WriteString(f, p.data); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

// xb builds WordprocessingML text. Word rejects a file whose property
// elements are out of the schema's order (pPr: pStyle, keepNext, …,
// spacing, ind, jc, outlineLvl; settings: zoom, defaultTabStop,
// evenAndOddHeaders, …), so every property list below keeps that order.
type xb struct{ strings.Builder }

// text writes s escaped for XML character data; characters XML cannot hold
// become U+FFFD (encoding/xml), tabs and line breaks become spaces.
func (b *xb) text(s string) {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	xml.EscapeText(b, []byte(s))
}

// run writes one text run with optional run properties.
func (b *xb) run(rPr, s string) {
	b.WriteString("<w:r>")
	if rPr != "" {
		b.WriteString("<w:rPr>" + rPr + "</w:rPr>")
	}
	b.WriteString(`<w:t xml:space="preserve">`)
	b.text(s)
	b.WriteString("</w:t></w:r>")
}

// para writes a paragraph of one run in the given style.
// addressRE is a web or e-mail address, or another run of Latin letters
// and digits too long to sit at a line's end.
var addressRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._~:/?#@!$&'*+,;=%\-]{19,}`)

// addressAlign aligns a paragraph holding an address left instead of
// justifying it: Word and LibreOffice cannot break an address where the
// PDF does (after “/”, before “.” or “@”) without a character inserted
// into the text, so a justified line before one is spread letter by letter
// (“电 子 版 可 在”); left-aligned, that line just ends short.
func addressAlign(s string) string {
	if addressRE.MatchString(s) {
		return `<w:jc w:val="left"/>`
	}
	return ""
}

func (b *xb) para(style, pPr, s string) {
	b.WriteString("<w:p>")
	if style != "" || pPr != "" {
		b.WriteString("<w:pPr>")
		if style != "" {
			b.WriteString(`<w:pStyle w:val="` + style + `"/>`)
		}
		b.WriteString(pPr + "</w:pPr>")
	}
	if s != "" {
		b.run("", s)
	}
	b.WriteString("</w:p>")
}

func document(r *schema.Report, opt Options) (string, error) {
	var b xb
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>`)
	parts, err := outline.Of(r)
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	var signer string
	for i, p := range parts {
		switch p.Kind {
		case outline.Title:
			title(&b, p.Text, r.Meta.Agency.Value)
		case outline.Paragraph:
			// the last paragraph keeps its last lines (widow control makes
			// it two) on the page of the signature
			keep := ""
			if i+1 < len(parts) && parts[i+1].Kind == outline.Signer {
				keep = "<w:keepNext/>"
			}
			b.para("", keep+addressAlign(p.Text), p.Text)
		case outline.Heading:
			b.para("Heading1", "", p.Text)
		case outline.SubHeading:
			b.para("Heading2", "", oneLine(p.Text))
		case outline.Table:
			if err := table(&b, p.Table, p.Data); err != nil {
				return "", err
			}
			b.para("TableGap", "", "")
		case outline.Signer:
			signer = p.Text
		case outline.Date:
			signature(&b, signer, p.Text)
		}
	}
	sectPr(&b, opt.Draft)
	b.WriteString("</w:body></w:document>")
	return b.String(), nil
}

// title writes the title; a title longer than one line (20 characters of
// 二号 in 156 mm) breaks after the agency's name, as published reports do.
func title(b *xb, title, agency string) {
	t, a := oneLine(title), oneLine(agency)
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>`)
	if a != "" && strings.HasPrefix(t, a) && len(t) > len(a) && width(t) > 20 {
		b.run("", a)
		b.WriteString("<w:r><w:br/></w:r>")
		b.run("", t[len(a):])
	} else {
		b.run("", t)
	}
	b.WriteString("</w:p>")
}

// signature writes the signing body and the date, right-aligned: the date
// four characters from the right margin and the signer centred over it
// (GB/T 9704 7.3.5.1).
func signature(b *xb, signer, date string) {
	signer, date = oneLine(signer), oneLine(date)
	const dateRight = 4.0
	center := dateRight + width(date)/2
	signerRight := max(0, center-width(signer)/2)
	b.para("", "<w:keepNext/>", "")
	b.para("Signature", fmt.Sprintf(`<w:keepNext/><w:ind w:right="%d"/>`, int(math.Round(signerRight*bodyChar))), signer)
	b.para("Signature", fmt.Sprintf(`<w:ind w:right="%d"/>`, int(dateRight*bodyChar)), date)
}

// width is the width of s in body characters: CJK 1, ASCII ½.
func width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

func sectPr(b *xb, draft bool) {
	b.WriteString("<w:sectPr>")
	if draft {
		b.WriteString(`<w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="even" r:id="rIdHeader2"/>`)
	}
	b.WriteString(`<w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/>`)
	fmt.Fprintf(b, `<w:pgSz w:w="%d" w:h="%d"/>`, pageW, pageH)
	fmt.Fprintf(b, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="%d" w:footer="%d" w:gutter="0"/>`,
		marginTop, marginRight, marginBottom, marginLeft, headerDist, footerDist)
	// The document grid of GB/T 9704: 22 lines a page (the line pitch is
	// the body's exact line height) of 28 characters. The characters come
	// from the body style's −0.25 pt spacing (bodyTrack), not from a
	// character grid: LibreOffice gives every 16 pt character two cells
	// of a 15.8 pt character grid and sets 14 a line.
	fmt.Fprintf(b, `<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="%d"/></w:sectPr>`, linePitch)
}

func oneLine(s string) string {
	return strings.TrimSpace(strings.Join(schema.Paragraphs(s), " "))
}

// table writes one table: the grid columns sized from the layout, one w:tr
// per layout row, a w:tc per slot: a cell's first row carries gridSpan and
// vMerge="restart", each further row of a row span a vMerge continuation.
func table(b *xb, t *schema.Table, d *schema.TableData) error {
	g, err := t.Place()
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	cols := twips(grid.Widths(g), textWidth)
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="NbTable"/>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/>`, textWidth)
	b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>`)
	b.WriteString(`<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, c)
	}
	b.WriteString(`</w:tblGrid>`)
	head := t.HeaderRows()
	// keepRows is how many leading rows keep with the next one: a short
	// table (表二, 表四) stays whole on one page; a long one (表三) at least
	// keeps its header and first rows with the section heading.
	keepRows := head + 3
	if len(g.Rows) <= 16 {
		keepRows = len(g.Rows) - 1
	} else if end := firstTallGroupEnd(g, head); end > keepRows {
		// and its first tall group (（三）不予公开, 8 rows) whole, so that
		// the labels merged over it and over the block around it start on
		// one page with room for their text.
		keepRows = end - 1
	}
	for i, row := range g.Rows {
		keep := ""
		if i < keepRows {
			keep = "<w:keepNext/>"
		}
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if i < head {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		for _, s := range row {
			w := 0
			for _, c := range cols[s.Col : s.Col+s.ColSpan] {
				w += c
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
			if s.ColSpan > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, s.ColSpan)
			}
			switch {
			case s.Cont:
				b.WriteString(`<w:vMerge/>`)
			case s.RowSpan > 1:
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			}
			// A tall merged row label (三、本年度办理结果 over 22 rows) may
			// cross a page break: centred, Word and LibreOffice print it
			// wherever the middle falls, even split over the pages ("果"
			// alone on the next page). Set at the top it stays whole, on the
			// first page of its rows.
			// Group labels (（三）不予公开 over 8 rows) are centred: the rows
			// of the first tall group are kept on one page (keepRows).
			valign := "center"
			if s.RowSpan >= tallLabel && i >= head && s.RowSpan*4 > (len(g.Rows)-head)*3 {
				valign = "top"
			}
			fmt.Fprintf(b, `<w:vAlign w:val="%s"/></w:tcPr>`, valign)
			if s.Cont {
				b.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/>` + keep + `</w:pPr></w:p></w:tc>`)
				continue
			}
			style, jc, txt := "TableText", "left", s.Cell.Text
			switch {
			case s.Cell.IsValue():
				jc, txt = "center", grid.Value(d, s.Cell).Text()
			case s.Cell.Note:
				style = "TableNote"
			case s.Cell.Header:
				style, jc = "TableHead", "center"
			}
			b.para(style, keep+`<w:jc w:val="`+jc+`"/>`, oneLine(txt))
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return nil
}

// twips turns relative widths into whole twips summing exactly to total.
func twips(ws []float64, total int) []int {
	out := make([]int, len(ws))
	sum := 0
	for i, w := range ws {
		out[i] = int(math.Floor(w * float64(total)))
		sum += out[i]
	}
	for i := 0; sum < total; i = (i + 1) % len(out) {
		out[i]++
		sum++
	}
	return out
}

func coreProps(r *schema.Report) string {
	var b xb
	b.WriteString(xml.Header)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	b.text(r.Title())
	b.WriteString(`</dc:title><dc:creator>`)
	b.text(r.Signer())
	b.WriteString(`</dc:creator><dc:language>zh-CN</dc:language>`)
	if _, err := time.Parse("2006-01-02", strings.TrimSpace(r.SignDate())); err == nil {
		d := strings.TrimSpace(r.SignDate()) + "T00:00:00Z"
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + d + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + d + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

func contentTypes(draft bool) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	over := func(name, typ string) {
		b.WriteString(`<Override PartName="/` + name + `" ContentType="` + typ + `"/>`)
	}
	const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	over("word/document.xml", wml+"document.main+xml")
	over("word/styles.xml", wml+"styles+xml")
	over("word/settings.xml", wml+"settings+xml")
	over("word/fontTable.xml", wml+"fontTable+xml")
	over("word/footer1.xml", wml+"footer+xml")
	over("word/footer2.xml", wml+"footer+xml")
	if draft {
		over("word/header1.xml", wml+"header+xml")
		over("word/header2.xml", wml+"header+xml")
	}
	over("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")
	over("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")
	b.WriteString(`</Types>`)
	return b.String()
}

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appProps = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>nianbao</Application></Properties>`

func documentRels(draft bool) string {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	add := func(id, typ, target string) {
		b.WriteString(`<Relationship Id="` + id + `" Type="` + rel + typ + `" Target="` + target + `"/>`)
	}
	add("rIdStyles", "styles", "styles.xml")
	add("rIdSettings", "settings", "settings.xml")
	add("rIdFontTable", "fontTable", "fontTable.xml")
	add("rIdFooter1", "footer", "footer1.xml")
	add("rIdFooter2", "footer", "footer2.xml")
	if draft {
		add("rIdHeader1", "header", "header1.xml")
		add("rIdHeader2", "header", "header2.xml")
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

const wns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// footer is the page number “— N —” in 宋体 四号 (14 pt): odd pages right,
// one character in from the margin, even pages left (GB/T 9704 7.5).
func footer(odd bool) string {
	jc, ind := "right", `w:right="280"`
	if !odd {
		jc, ind = "left", `w:left="280"`
	}
	return xml.Header + `<w:ftr ` + wns + `><w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind ` + ind + `/><w:jc w:val="` + jc + `"/></w:pPr>` +
		`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
		`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`
}

var draftHeader = xml.Header + `<w:hdr ` + wns + `><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>` +
	`<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t>` + DraftMark + `</w:t></w:r></w:p></w:hdr>`

const settings = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>`

// fonts names a run's fonts: Latin, East Asian.
func fonts(latin, eastAsia string) string {
	return `<w:rFonts w:ascii="` + latin + `" w:hAnsi="` + latin + `" w:eastAsia="` + eastAsia + `" w:cs="` + latin + `" w:hint="eastAsia"/>`
}

var styles = xml.Header + `<w:styles ` + wns + `>` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + fonts(fontLatin, fontBody) +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="` + fmt.Sprint(linePitch) + `" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	// Normal: the body text, 仿宋_GB2312 三号, justified, first-line indent 2 characters.
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr>` +
	`<w:rPr>` + fonts(fontLatin, fontBody) + `<w:spacing w:val="` + fmt.Sprint(bodyTrack) + `"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
	// Title: 方正小标宋 二号, one grid line a line (not snapped: a 22 pt line
	// would take two) and a blank grid line after, as the PDF sets it, so
	// both break pages alike.
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="` + fmt.Sprint(linePitch) + `" w:line="` + fmt.Sprint(linePitch) + `" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr>` + fonts(fontTitle, fontTitle) + `<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr>` + fonts(fontHeading, fontHeading) + `<w:b w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:jc w:val="left"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr>` + fonts(fontKai, fontKai) + `<w:b w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>` +
	// Table text: 五号 (10.5 pt) single spacing, no indent, so that 表三 and 表四 fit 156 mm.
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/></w:pPr>` +
	`<w:rPr><w:spacing w:val="0"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableHead"><w:name w:val="Table Heading"/><w:basedOn w:val="TableText"/>` +
	`<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr>` + fonts(fontHeading, fontHeading) + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableNote"><w:name w:val="Table Note"/><w:basedOn w:val="TableText"/>` +
	`<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableGap"><w:name w:val="Table Gap"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + fonts(fontHeading, fontHeading) + `<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>` +
	`<w:rPr>` + fonts(fontSong, fontSong) + `<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="NbTable"><w:name w:val="Normal Table"/>` +
	`<w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

// fontTable declares the fonts with a Windows fallback (altName) and the
// generic family, charset and pitch a substituting application uses to pick
// a near face (a CJK serif for 仿宋 and 宋体, a sans for 黑体).
var fontTable = func() string {
	var b strings.Builder
	b.WriteString(xml.Header + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	for _, f := range []struct{ name, alt, family, pitch string }{
		{fontBody, "仿宋", "modern", "fixed"},
		{fontTitle, "宋体", "roman", "variable"},
		{fontHeading, "SimHei", "modern", "fixed"},
		{fontKai, "楷体", "modern", "fixed"},
		{fontSong, "SimSun", "auto", "variable"},
		{fontLatin, "", "roman", "variable"},
	} {
		b.WriteString(`<w:font w:name="` + f.name + `">`)
		if f.alt != "" {
			b.WriteString(`<w:altName w:val="` + f.alt + `"/><w:charset w:val="86"/>`)
		} else {
			b.WriteString(`<w:charset w:val="00"/>`)
		}
		b.WriteString(`<w:family w:val="` + f.family + `"/><w:pitch w:val="` + f.pitch + `"/></w:font>`)
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}()
