package published_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/template/published"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestGolden imports every seed and compares the YAML written from it with
// testdata/golden (go test -update rewrites them): the meta fields, the
// narrative split into sections, sub-headings and paragraphs, the figures
// and the hints of an imported report, byte for byte.
func TestGolden(t *testing.T) {
	update := flag.Lookup("update").Value.(flag.Getter).Get().(bool)
	for _, id := range []string{"000", "001", "002", "003", "004"} {
		t.Run(id, func(t *testing.T) {
			name := filepath.Join("testdata", "seeds", id+".txt")
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			r, err := published.ReadText(id+".txt", data)
			if err != nil {
				t.Fatal(err)
			}
			got := yamlfile.Write(r)
			again, err := published.ReadText(id+".txt", data)
			if err != nil || !bytes.Equal(yamlfile.Write(again), got) {
				t.Fatal("import is not deterministic")
			}
			golden := filepath.Join("testdata", "golden", id+".yaml")
			if update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the import (go test -update rewrites it)", golden)
			}
		})
	}
}
