package published

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkImport imports each seed and a few layouts in process. Target:
// at most 2 ms per report.
func BenchmarkImport(b *testing.B) {
	files := []string{
		"seeds/000.txt", "seeds/001.txt", "seeds/002.txt", "seeds/003.txt", "seeds/004.txt",
		"layouts/000-plain.html", "layouts/000-cms-gbk.html", "layouts/000-attachment.docx",
		"layouts/000-pdf-columns.txt", "layouts/000-run-together.txt",
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
