package published

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/published/pdftext"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestPDF imports the PDFs of testdata/pdf (made by make.sh from the
// examples: nianbao's PDF, LibreOffice from the DOCX, Chromium's print of
// the HTML, on A4, Letter and A5, with and without table borders) and compares every cell, the agency and
// the year with the example it was made from.
func TestPDF(t *testing.T) {
	tests := []struct{ pdf, example string }{
		{"chengnan-2024-nianbao.pdf", "chengnan-scjg-2024"},
		{"chengnan-2024-libreoffice.pdf", "chengnan-scjg-2024"},
		{"chengnan-2024-chromium.pdf", "chengnan-scjg-2024"},
		{"baishan-2022-nianbao.pdf", "baishan-2022"},
		{"baishan-2022-libreoffice-letter.pdf", "baishan-2022"},
		{"rushanzhai-2022-chromium-a5.pdf", "rushanzhai-2022"},
		{"rushanzhai-2022-libreoffice.pdf", "rushanzhai-2022"},
		{"baoshan-2024-nianbao.pdf", "baoshan-zwfw-2024"},
		{"baoshan-2024-libreoffice.pdf", "baoshan-zwfw-2024"},
		// a browser's running head and foot; nianbao's draft watermark
		{"chengnan-2023-chromium-headers.pdf", "chengnan-scjg-2023"},
		{"chengnan-2023-nianbao-draft.pdf", "chengnan-scjg-2023"},
		{"chengnan-2023-libreoffice-draft.pdf", "chengnan-scjg-2023"},
		// tables without drawn borders, read by the x-positions of the glyphs
		{"chengnan-2024-chromium-nolines.pdf", "chengnan-scjg-2024"},
		{"baishan-2022-libreoffice-nolines.pdf", "baishan-2022"},
		// blank cells in tables without borders (8 cells of chengnan 2024
		// left blank: first, middle and last columns of 表二, 表三 and 表四):
		// each is read as blank in its own column, by the x-positions of the
		// table's header columns; no other cell moves
		{"chengnan-2024-blanks-chromium-nolines.pdf", "testdata/pdf/chengnan-2024-blanks.yaml"},
		{"chengnan-2024-blanks-chromium-nolines-a5.pdf", "testdata/pdf/chengnan-2024-blanks.yaml"},
		{"chengnan-2024-blanks-libreoffice-nolines.pdf", "testdata/pdf/chengnan-2024-blanks.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.pdf, func(t *testing.T) {
			src := filepath.Join("..", "..", "examples", tt.example+".yaml")
			if strings.HasSuffix(tt.example, ".yaml") {
				src = filepath.FromSlash(tt.example)
			}
			yd, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			want, err := yamlfile.Read(src, yd)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join("testdata", "pdf", tt.pdf)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Read(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tt.pdf, "nolines") {
				// no border to go by: the columns come from the glyphs' x-positions
				pages, err := pdftext.Read(data)
				if err != nil {
					t.Fatal(err)
				}
				for i, pg := range pages {
					var hs, vs []pdftext.Rule
					for _, r := range pg.Rules {
						if r.Y1-r.Y0 <= 2.5 {
							hs = append(hs, r)
						} else {
							vs = append(vs, r)
						}
					}
					if n := len(findTables(hs, vs)); n > 0 {
						t.Fatalf("page %d draws %d ruled tables", i+1, n)
					}
				}
			}
			if got.Meta.Agency.Value != want.Meta.Agency.Value || got.Meta.Year.Value != want.Meta.Year.Value {
				t.Errorf("agency, year = %q, %q, want %q, %q", got.Meta.Agency.Value, got.Meta.Year.Value, want.Meta.Agency.Value, want.Meta.Year.Value)
			}
			exact, wrong, missing := 0, 0, 0
			for _, tbl := range schema.Format2021.Tables {
				for _, row := range tbl.Rows {
					for _, c := range row.Cols {
						w, g := want.Cell(tbl.ID, row.Key, c.Key), got.Cell(tbl.ID, row.Key, c.Key)
						switch {
						case g.Text() == w.Text():
							exact++
							if g.OK() && g.Loc.Page == 0 {
								t.Errorf("%s.%s.%s: no page in its location %v", tbl.ID, row.Key, c.Key, g.Loc)
							}
						case g.IsBlank():
							missing++
							t.Errorf("missing %s.%s.%s, want %s", tbl.ID, row.Key, c.Key, w.Text())
						default:
							wrong++
							t.Errorf("WRONG %s.%s.%s = %s, want %s", tbl.ID, row.Key, c.Key, g.Text(), w.Text())
						}
					}
				}
			}
			t.Logf("exact %d, wrong %d, missing %d", exact, wrong, missing)
			for _, f := range got.Issues {
				t.Errorf("import finding %s %s %s", f.Rule, f.Location, f.Message)
			}
			for _, s := range schema.Format2021.Sections {
				if s.Kind != schema.Narrative {
					continue
				}
				count := func(bs []schema.Block) int {
					n := 0
					for _, b := range bs {
						n += len(schema.Paragraphs(b.Text))
					}
					return n
				}
				if count(got.Narrative[s.Key]) != count(want.Narrative[s.Key]) {
					var gs []string
					for _, b := range got.Narrative[s.Key] {
						gs = append(gs, b.Text)
					}
					t.Errorf("%s: %d paragraphs, want %d:\n%s", s.Heading(), count(got.Narrative[s.Key]), count(want.Narrative[s.Key]), strings.Join(gs, "\n"))
				}
			}
		})
	}
}

// TestScannedPDF: a PDF that only paints images is refused with a message
// that it is a scan and the figures must be typed; never an empty report.
func TestScannedPDF(t *testing.T) {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length 31 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream",
		"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1 >>\nstream\n\x00\nendstream",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	for i, o := range objs {
		b.WriteString(strconv.Itoa(i+1) + " 0 obj\n" + o + "\nendobj\n")
	}
	b.WriteString("trailer\n<< /Root 1 0 R >>\n%%EOF\n")
	_, err := Read("scan.pdf", []byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "扫描的图像") || !strings.Contains(err.Error(), "共 2 页") {
		t.Errorf("err = %v", err)
	}
}
