package pdf

import (
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/template/published"
)

// TestImportedBack: the PDF importer (template/published/pdftext) reads
// every figure of every example back from the PDF nianbao writes now —
// its fixtures are PDFs of an earlier renderer, so this guards the font
// objects and text encoding written here (embed.go).
func TestImportedBack(t *testing.T) {
	for name, r := range sample.Examples(t) {
		got, err := published.ReadPDF(name+".pdf", render(t, r, Options{}))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		exact, wrong := 0, 0
		for _, tbl := range r.Format.Tables {
			for _, row := range tbl.Rows {
				for _, c := range row.Cols {
					w, g := r.Cell(tbl.ID, row.Key, c.Key), got.Cell(tbl.ID, row.Key, c.Key)
					if g.Text() == w.Text() {
						exact++
						continue
					}
					wrong++
					t.Errorf("%s: %s.%s.%s = %q, want %q", name, tbl.ID, row.Key, c.Key, g.Text(), w.Text())
				}
			}
		}
		if got.Meta.Agency.Value != r.Meta.Agency.Value || got.Meta.Year.Value != r.Meta.Year.Value {
			t.Errorf("%s: agency, year = %q, %q", name, got.Meta.Agency.Value, got.Meta.Year.Value)
		}
		t.Logf("%s: %d cells exact, %d wrong or missing", name, exact, wrong)
	}
}
