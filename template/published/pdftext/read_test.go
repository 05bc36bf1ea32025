package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// build makes a PDF of the given objects (numbered from 1) with a correct
// xref table and a trailer whose Root is object 1.
func build(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func flate(data []byte) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.String()
}

// onePage is a page showing text in a simple font, with a ruled box.
func onePage(content string) []byte {
	return build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Widths [] /FirstChar 32 >>",
	)
}

func TestReadText(t *testing.T) {
	pages, err := Read(onePage("BT /F1 12 Tf 72 700 Td (Hello) Tj ET 10 10 100 0.5 re f"))
	if err != nil {
		t.Fatal(err)
	}
	var s strings.Builder
	for _, g := range pages[0].Glyphs {
		s.WriteString(g.Text)
	}
	if s.String() != "Hello" || pages[0].Glyphs[0].X != 72 || pages[0].Glyphs[0].Y != 700 {
		t.Errorf("glyphs %+v", pages[0].Glyphs)
	}
	if len(pages[0].Rules) != 1 {
		t.Errorf("rules %+v", pages[0].Rules)
	}
}

// TestIdentityH reads a Type0 font with a ToUnicode CMap (bfchar and
// bfrange) and 2-byte codes, as fpdf and Word write them.
func TestIdentityH(t *testing.T) {
	cmap := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <5E74> <0004> <62A5> endbfchar
1 beginbfrange <0010> <0012> <4E00> endbfrange
endcmap end end`
	data := build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", flate([]byte("BT /F1 10 Tf 1 0 0 1 50 60 Tm <000300040010> Tj [<0011> -500 <0012>] TJ ET"))),
		"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /DW 1000 /W [3 [500 600]] >>",
		stream("", cmap),
	)
	pages, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	var s strings.Builder
	for _, g := range pages[0].Glyphs {
		s.WriteString(g.Text)
	}
	if s.String() != "年报一丁丂" {
		t.Errorf("text %q", s.String())
	}
	gs := pages[0].Glyphs
	// 年 is 500 units wide at 10 pt: 报 starts 5 pt later; the TJ gap of
	// −500 moves 七 5 pt right of where 丁 ends
	if gs[1].X != 55 || gs[4].X-gs[3].X != 15 {
		t.Errorf("positions %v %v %v", gs[1].X, gs[3].X, gs[4].X)
	}
}

func TestScanned(t *testing.T) {
	data := build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		stream("", "q 595 0 0 842 0 0 cm /Im1 Do Q"),
		stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00"),
	)
	pages, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || len(pages[0].Glyphs) != 0 || pages[0].Images != 1 {
		t.Errorf("pages %+v", pages)
	}
}

// TestHostile: malformed and hostile files end quickly with an error or
// few pages, never a panic or a hang.
func TestHostile(t *testing.T) {
	bomb := flate(make([]byte, maxStream+1024))
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"not a pdf", []byte("hello"), ErrNotPDF},
		{"encrypted", bytes.Replace(onePage("BT /F1 12 Tf (x) Tj ET"), []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt << /Filter /Standard >>"), 1), ErrEncrypted},
		{"page tree loop", build(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>",
			"<< /Type /Pages /Kids [2 0 R 3 0 R] >>",
		), ErrNoPages},
		{"reference loop", build("<< /Type /Catalog /Pages 2 0 R >>", "3 0 R", "2 0 R"), ErrNoPages},
		{"zip bomb", build(
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
			stream("/Filter /FlateDecode", bomb),
		), ErrTooLarge},
		{"deep nesting", build("<< /Type /Catalog /Pages " + strings.Repeat("[", 100000) + " >>"), ErrNoPages},
		{"broken xref", bytes.Replace(onePage("BT /F1 12 Tf (x) Tj ET"), []byte("startxref\n"), []byte("startxref\n999999"), 1), nil},
		{"no xref, no trailer", onePage("BT /F1 12 Tf (x) Tj ET")[:bytes.Index(onePage("BT /F1 12 Tf (x) Tj ET"), []byte("xref"))], nil},
		{"endless operators", onePage(strings.Repeat("q Q ", 600000)), nil},
		{"unterminated string", onePage("BT /F1 12 Tf (abc"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Read(tt.data)
			if !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
			if d := time.Since(start); d > time.Minute { // a blow-up guard, not a speed target (those are in make bench)
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestFixtures reads the committed PDFs of the importer's tests.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "pdf", "*.pdf"))
	if len(files) < 5 {
		t.Fatalf("only %d PDF fixtures", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages, err := Read(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		n := 0
		for _, p := range pages {
			n += len(p.Glyphs)
		}
		if strings.Contains(filepath.Base(f), "scan") {
			// a scan: its pages are images, it has no text layer
			if len(pages) != 2 || n != 0 {
				t.Errorf("%s: %d pages, %d glyphs; a scan has 2 pages, no glyph", f, len(pages), n)
			}
			continue
		}
		if len(pages) < 4 || n < 1500 {
			t.Errorf("%s: %d pages, %d glyphs", f, len(pages), n)
		}
	}
}
