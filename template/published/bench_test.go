package published

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImport imports each seed, a few layouts, two real reports of
// crawler text and three PDFs in process. Targets: a text or HTML report at
// most 5 ms, a 6-page PDF at most 50 ms.
func BenchmarkImport(b *testing.B) {
	files := []string{
		"seeds/000.txt", "seeds/001.txt", "seeds/002.txt", "seeds/003.txt", "seeds/004.txt",
		"layouts/000-plain.html", "layouts/000-cms-gbk.html", "layouts/000-attachment.docx",
		"layouts/000-pdf-columns.txt", "layouts/000-run-together.txt",
		"real/h2-001_pingtan_zone_2025.txt", "real/h2-006_pingtan_gaj_2024.txt",
		// 6-page PDFs; target: at most 50 ms each
		"pdf/chengnan-2024-nianbao.pdf", "pdf/chengnan-2024-libreoffice.pdf", "pdf/chengnan-2024-chromium.pdf",
		// tables without borders, blank cells read by the header's columns
		"pdf/chengnan-2024-blanks-chromium-nolines.pdf",
	}
	for _, f := range files {
		path := filepath.Join("testdata", f)
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(path, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportScaling imports seed 000 with its narrative repeated 1, 10
// and 100 times: the time per byte stays flat (no quadratic scans).
func BenchmarkImportScaling(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "seeds", "000.txt"))
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(data, []byte("\n"))
	overview := bytes.Join(lines[3:10], []byte("\n"))
	for _, n := range []int{1, 10, 100} {
		var in bytes.Buffer
		in.Write(bytes.Join(lines[:10], []byte("\n")))
		for range n - 1 {
			in.WriteByte('\n')
			in.Write(overview)
		}
		in.WriteByte('\n')
		in.Write(bytes.Join(lines[10:], []byte("\n")))
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			b.SetBytes(int64(in.Len()))
			for b.Loop() {
				if _, err := Read("000.txt", in.Bytes()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
