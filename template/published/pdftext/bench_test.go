package pdftext

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead reads a 6-page PDF of each kind the importer is tested on.
func BenchmarkRead(b *testing.B) {
	for _, f := range []string{"chengnan-2024-nianbao.pdf", "chengnan-2024-libreoffice.pdf", "chengnan-2024-chromium.pdf"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "pdf", f))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
