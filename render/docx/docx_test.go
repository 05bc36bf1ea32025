package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/schematest"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/render/pdf"
	"github.com/nianbao/nianbao/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func render(t testing.TB, r *schema.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	schematest.Golden(t, filepath.Join("testdata", name+".golden"), got, *update)
}

// readable breaks document.xml after each paragraph and table row, so that
// a golden file's diff shows what changed.
func readable(doc []byte) []byte {
	r := strings.NewReplacer("</w:p>", "</w:p>\n", "</w:tr>", "</w:tr>\n", "<w:tbl>", "\n<w:tbl>")
	return []byte(r.Replace(string(doc)))
}

// zipPart returns one part of a .docx.
func zipPart(t testing.TB, docx []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			var b bytes.Buffer
			if _, err := b.ReadFrom(rc); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}
	}
	t.Fatalf("part %s missing", name)
	return nil
}

// TestGolden compares the document part (readable XML) with the golden
// files, and checks that two renderings of the whole zip are identical.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  Options
	}{
		{"sample", Options{}},
		{"sample.draft", Options{Draft: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, sample.Report(), tt.opt)
			golden(t, tt.name+".document.xml", readable(zipPart(t, got, "word/document.xml")))
			if !bytes.Equal(got, render(t, sample.Report(), tt.opt)) {
				t.Error("two renderings differ")
			}
		})
	}
}

// TestWellFormed decodes every XML part with encoding/xml.
func TestWellFormed(t *testing.T) {
	r := sample.Report()
	r.Narrative["other"] = []schema.Block{{Text: "<w:p>&\"引号\" \x01控制符 ]]>"}}
	r.Meta.Agency.Value = "<局&>"
	delete(r.Tables, "t2") // an absent table: its grid with blank cells
	for _, draft := range []bool{false, true} {
		data := render(t, r, Options{Draft: draft})
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, f := range zr.File {
			names[f.Name] = true
			if !f.Modified.Equal(zipTime(r)) {
				t.Errorf("%s: timestamp %v", f.Name, f.Modified)
			}
			d := xml.NewDecoder(bytes.NewReader(zipPart(t, data, f.Name)))
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
			}
		}
		for _, n := range []string{"[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"} {
			if !names[n] {
				t.Errorf("part %s missing", n)
			}
		}
		if names["word/header1.xml"] != draft || names["word/header2.xml"] != draft {
			t.Errorf("draft=%v: headers %v", draft, names)
		}
		doc := string(zipPart(t, data, "word/document.xml"))
		if !strings.Contains(doc, "&lt;w:p&gt;&amp;") || !strings.Contains(doc, "&lt;局&amp;&gt;") {
			t.Error("text not escaped")
		}
	}
	if !strings.Contains(string(zipPart(t, render(t, r, Options{}), "word/settings.xml")), "<w:evenAndOddHeaders/>") {
		t.Error("even and odd footers not enabled")
	}
}

// TestMerges walks document.xml and counts, per table, the cells, the
// horizontal merges (gridSpan) and the vertical ones (vMerge restart and
// continue) against the declared layout; it also checks the grid widths
// and the repeated header rows.
func TestMerges(t *testing.T) {
	r := sample.Report()
	doc := string(zipPart(t, render(t, r, Options{}), "word/document.xml"))
	tables := strings.Split(doc, "<w:tbl>")[1:]
	if len(tables) != len(r.Format.Tables) {
		t.Fatalf("%d tables, want %d", len(tables), len(r.Format.Tables))
	}
	spanRE := regexp.MustCompile(`<w:gridSpan w:val="(\d+)"/>`)
	colRE := regexp.MustCompile(`<w:gridCol w:w="(\d+)"/>`)
	for i, tb := range r.Format.Tables {
		x := tables[i][:strings.Index(tables[i], "</w:tbl>")]
		var spans, restarts, conts, cells int
		for _, row := range tb.Layout {
			for _, c := range row {
				cs, rs := c.Span()
				cells++
				if cs > 1 {
					spans += cs
				}
				if rs > 1 {
					restarts++
					conts += rs - 1
					cells += rs - 1
				}
			}
		}
		gotSpans := 0
		for _, m := range spanRE.FindAllStringSubmatch(x, -1) {
			n, _ := strconv.Atoi(m[1])
			gotSpans += n
		}
		if n := strings.Count(x, "<w:tc>"); n != cells {
			t.Errorf("%s: %d w:tc, want %d", tb.Name, n, cells)
		}
		if gotSpans < spans {
			t.Errorf("%s: gridSpan total %d, want at least %d", tb.Name, gotSpans, spans)
		}
		if n := strings.Count(x, `<w:vMerge w:val="restart"/>`); n != restarts {
			t.Errorf("%s: %d vMerge restarts, want %d", tb.Name, n, restarts)
		}
		if n := strings.Count(x, `<w:vMerge/>`); n != conts {
			t.Errorf("%s: %d vMerge continuations, want %d", tb.Name, n, conts)
		}
		if n := strings.Count(x, "<w:tr>"); n != len(tb.Layout) {
			t.Errorf("%s: %d rows, want %d", tb.Name, n, len(tb.Layout))
		}
		if n := strings.Count(x, "<w:tblHeader/>"); n != tb.HeaderRows() {
			t.Errorf("%s: %d header rows, want %d", tb.Name, n, tb.HeaderRows())
		}
		if n := strings.Count(x, "<w:cantSplit/>"); n != len(tb.Layout) {
			t.Errorf("%s: %d unsplittable rows, want %d", tb.Name, n, len(tb.Layout))
		}
		sum, cols := 0, colRE.FindAllStringSubmatch(x, -1)
		for _, m := range cols {
			n, _ := strconv.Atoi(m[1])
			sum += n
		}
		if len(cols) != tb.Width() || sum != textWidth {
			t.Errorf("%s: %d grid columns summing to %d, want %d summing to %d", tb.Name, len(cols), sum, tb.Width(), textWidth)
		}
	}
}

// libreOffice converts a DOCX to PDF and returns the PDF's path.
func libreOffice(t *testing.T, soffice string, docx []byte) string {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "report.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	return filepath.Join(dir, "report.pdf")
}

// TestLibreOfficeGrid: set by LibreOffice, the DOCX's document grid gives
// the lines nianbao's PDF has: a full page of the planted paragraph holds
// the same 22 lines of 28 ideographs in both, and the title takes the same
// grid lines, so the text after it starts on the same line of page 1 (a
// few points apart: LibreOffice sets the glyphs lower in their line).
// Lines holding figures can still break differently: LibreOffice spaces
// digits from ideographs although the DOCX turns that off (autoSpaceDN).
func TestLibreOfficeGrid(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice (LibreOffice) is required for this test: apt-get install libreoffice-writer")
	}
	r := sample.Report()
	var sec string
	for _, s := range r.Format.Sections {
		if s.Kind == schema.Narrative && sec == "" {
			sec = s.Key
		}
	}
	r.Narrative[sec] = []schema.Block{{Text: strings.Repeat("政", 1000)}}
	var pb bytes.Buffer
	if err := pdf.Render(&pb, r, pdf.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	nb := filepath.Join(dir, "nianbao.pdf")
	if err := os.WriteFile(nb, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	lo := libreOffice(t, soffice, render(t, r, Options{}))
	word := regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>`)
	// the planted lines of page 2 (their lengths), and where on page 1 the
	// text after the title starts
	read := func(file string) (page2 []int, top float64) {
		for page := 1; page <= 2; page++ {
			out, err := exec.Command("pdftotext", "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page), file, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			for _, m := range word.FindAllStringSubmatch(string(out), -1) {
				if page == 1 && top == 0 && strings.HasPrefix(m[2], "本报告") {
					top, _ = strconv.ParseFloat(m[1], 64)
				}
				if page == 2 && strings.Trim(m[2], "政") == "" {
					page2 = append(page2, len([]rune(m[2])))
				}
			}
		}
		return page2, top
	}
	want, wantTop := read(nb)
	got, gotTop := read(lo)
	if fmt.Sprint(got) != fmt.Sprint(want) || len(want) != 22 || want[0] != 28 {
		t.Errorf("page 2: LibreOffice sets lines of %v ideographs, nianbao's PDF %v; want 22 lines of 28", got, want)
	}
	if wantTop == 0 || gotTop-wantTop > 8 || wantTop-gotTop > 8 {
		t.Errorf("the text after the title starts at %.1f pt in LibreOffice, %.1f pt in nianbao's PDF", gotTop, wantTop)
	}
}

// TestLibreOffice converts the DOCX to PDF with LibreOffice and checks with
// pdftotext that every table label and value survives.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice (LibreOffice) is required for this test: apt-get install libreoffice-writer")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext is required for this test: apt-get install poppler-utils")
	}
	r := sample.Report()
	r.Tables["t2"].Values[5][0], _ = schema.ParseNumber("7984.47", schema.Amount)
	pdf := libreOffice(t, soffice, render(t, r, Options{Draft: true}))
	// -raw keeps the content stream order: LibreOffice draws a table cell
	// by cell, row by row, so each layout row reads as its cells' texts in
	// order once line breaks inside the wrapped cells are removed.
	out, err := exec.Command(pdftotext, "-raw", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, tb := range r.Format.Tables {
		for i, row := range tb.Layout {
			var want strings.Builder
			for _, c := range row {
				if c.IsValue() {
					want.WriteString(r.Cell(tb.ID, c.Row, c.Col).Text())
				} else {
					want.WriteString(c.Text)
				}
			}
			if !strings.Contains(text, want.String()) {
				t.Errorf("%s layout row %d lost in the PDF: %q", tb.Name, i, want.String())
			}
		}
	}
	for _, want := range []string{r.Title(), "7984.47", DraftMark, "—1—", "—2—", "—3—"} {
		if !strings.Contains(text, strings.Join(strings.Fields(want), "")) {
			t.Errorf("%q missing from the PDF text", want)
		}
	}
}

func BenchmarkRenderDOCX(b *testing.B) {
	r := sample.Report()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExamples renders every example in examples/ against its golden file.
func TestExamples(t *testing.T) {
	for name, r := range sample.Examples(t) {
		t.Run(name, func(t *testing.T) {
			golden(t, "example-"+name+".document.xml", readable(zipPart(t, render(t, r, Options{}), "word/document.xml")))
		})
	}
}

// schemaOrder lists, for the property elements this package writes, the
// order of their children in the WordprocessingML schema (ECMA-376 part 1,
// §17): Word refuses files whose properties are out of order.
var schemaOrder = map[string][]string{
	"pPr":        {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "autoSpaceDE", "autoSpaceDN", "snapToGrid", "spacing", "ind", "jc", "outlineLvl", "rPr"},
	"rPr":        {"rStyle", "rFonts", "b", "bCs", "i", "color", "spacing", "kern", "sz", "szCs", "lang"},
	"tcPr":       {"tcW", "gridSpan", "vMerge", "tcBorders", "shd", "vAlign"},
	"tblPr":      {"tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook"},
	"sectPr":     {"headerReference", "footerReference", "pgSz", "pgMar", "cols", "docGrid"},
	"settings":   {"zoom", "defaultTabStop", "evenAndOddHeaders", "characterSpacingControl", "compat", "themeFontLang"},
	"style":      {"name", "basedOn", "next", "qFormat", "pPr", "rPr", "tblPr"},
	"font":       {"altName", "charset", "family", "pitch"},
	"tblBorders": {"top", "left", "bottom", "right", "insideH", "insideV"},
}

func TestSchemaOrder(t *testing.T) {
	data := render(t, sample.Report(), Options{Draft: true})
	for _, name := range []string{"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml", "word/footer1.xml", "word/header1.xml"} {
		d := xml.NewDecoder(bytes.NewReader(zipPart(t, data, name)))
		type frame struct {
			name string
			last int
		}
		var stack []frame
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			switch el := tok.(type) {
			case xml.StartElement:
				if n := len(stack); n > 0 {
					if order, ok := schemaOrder[stack[n-1].name]; ok {
						i := slices.Index(order, el.Name.Local)
						if i < 0 {
							t.Errorf("%s: <%s> in <%s> not in the known order", name, el.Name.Local, stack[n-1].name)
						} else if i < stack[n-1].last {
							t.Errorf("%s: <%s> out of order in <%s>", name, el.Name.Local, stack[n-1].name)
						} else {
							stack[n-1].last = i
						}
					}
				}
				stack = append(stack, frame{name: el.Name.Local})
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// TestPublicationProperties: widow and orphan control on for the body
// text, the GB/T 9704 document grid (22 lines of 28 characters), numbers
// centred in their cells, group labels centred vertically (all but the
// block label over most of 表三's body), and the last paragraph, the gap
// and the signing body kept with the date.
func TestPublicationProperties(t *testing.T) {
	r := sample.Report()
	data := render(t, r, Options{})
	styles := string(zipPart(t, data, "word/styles.xml"))
	doc := string(zipPart(t, data, "word/document.xml"))
	normal := styles[strings.Index(styles, `w:styleId="Normal"`):]
	normal = normal[:strings.Index(normal, "</w:style>")]
	if !strings.Contains(normal, "<w:widowControl/>") || strings.Contains(styles, `<w:widowControl w:val="0"/>`) {
		t.Errorf("widow control is not on in Normal: %s", normal)
	}
	if !strings.Contains(doc, `<w:docGrid w:type="lines" w:linePitch="579"/>`) || !strings.Contains(normal, `<w:spacing w:val="-5"/>`) {
		t.Error("no 22-line document grid with 28 characters a line")
	}
	if n := strings.Count(doc, `<w:jc w:val="right"/></w:pPr><w:r><w:t>`); n != 0 {
		t.Errorf("%d right-aligned cells", n)
	}
	if n := strings.Count(doc, `<w:vMerge w:val="restart"/><w:vAlign w:val="top"/>`); n != 1 {
		t.Errorf("%d merged cells set at the top, want 1 (三、本年度办理结果)", n)
	}
	sig := doc[strings.LastIndex(doc, "</w:tbl>"):]
	if n := strings.Count(sig, "<w:keepNext/>"); n != 3 {
		t.Errorf("%d paragraphs kept with the next after the last table, want 3 (last paragraph, gap, signing body):\n%s", n, sig)
	}
}
