package published

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead reads any bytes as text, HTML, .docx and PDF: never a panic (the
// exported Read turns one into an "内部错误" error, which fails here),
// and every value it reports lies inside the input.
func FuzzRead(f *testing.F) {
	for _, p := range []string{
		"seeds/000.txt", "seeds/001.txt", "seeds/003.txt", "seeds/004.txt",
		"layouts/002-pipe-rows.txt", "layouts/000-run-together.txt", "layouts/002-pdf-columns.txt",
		"layouts/002-plain.html", "layouts/003-cms-gbk.html", "layouts/002-attachment.docx",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
		f.Add(data, uint8(1))
		f.Add(data, uint8(2))
	}
	// a PDF whose tables have no borders and blank cells: read by the
	// columns of their headers
	pdf, err := os.ReadFile(filepath.Join("testdata", "pdf", "chengnan-2024-blanks-libreoffice-nolines.pdf"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pdf, uint8(3))
	f.Add([]byte("三、收到和处理政府信息公开申请情况\n（一）予以公开 110000011\n"), uint8(0))
	f.Add([]byte("<table><tr><td>（一）予以公开</td><td rowspan=2>1</td></tr><table><tr><td>"), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		name := []string{"r.txt", "r.html", "r.docx", "r.pdf"}[int(kind)%4]
		rep, err := Read(name, data)
		if err != nil {
			if strings.Contains(err.Error(), "内部错误") {
				t.Fatalf("panic: %v", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1
		if name == "r.docx" || name == "r.pdf" {
			lines = len(data) // paragraphs, glyph lines: at most one per byte
		}
		for id, d := range rep.Tables {
			for i := range d.Values {
				for j, v := range d.Values[i] {
					if v.Loc.Line < 0 || v.Loc.Line > lines {
						t.Fatalf("%s[%d][%d] at line %d of %d", id, i, j, v.Loc.Line, lines)
					}
					if v.OK() && v.Num.Units < 0 {
						t.Fatalf("%s[%d][%d] negative: %v", id, i, j, v.Num)
					}
				}
			}
		}
	})
}
