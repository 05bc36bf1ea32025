package pdftext

import (
	"testing"
)

// FuzzRead reads any bytes as a PDF: never a panic, and bounded work (the
// limits end object loops, huge streams, deep nesting and broken xrefs).
func FuzzRead(f *testing.F) {
	f.Add(onePage("BT /F1 12 Tf 72 700 Td (Hello) Tj ET 10 10 100 0.5 re f"))
	f.Add(onePage("q 1 0 0 1 5 5 cm BT /F1 9 Tf [(A) -120 (B)] TJ T* (C) ' ET Q 0 0 m 100 0 l S"))
	f.Add(build("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] >>"))
	f.Add(build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", flate([]byte("BT /F1 10 Tf <00030004> Tj ET"))),
		"<< /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Subtype /CIDFontType2 /W [3 [500 600] 10 20 300] >>",
		stream("", "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar <0003> <5E74> endbfchar 1 beginbfrange <0004> <0006> [<62A5> <4E00> <4E01>] endbfrange"),
	))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /ObjStm /N 2 /First 8 /Length 30 >>\nstream\n2 0 3 5 (a) [1 2]\nendstream\nendobj"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pages, err := Read(data)
		if err != nil {
			return
		}
		for _, p := range pages {
			if len(p.Glyphs) > maxGlyphs || len(p.Rules) > maxGlyphs {
				t.Fatalf("%d glyphs, %d rules", len(p.Glyphs), len(p.Rules))
			}
		}
	})
}
