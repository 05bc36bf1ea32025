package pdf

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
)

// TestGraphicPage: with Options.Graphic the PDF ends with one more page, the
// 图解, drawn as vector graphics and text (no image): its text holds the
// section headings, the figures and last year's changes; it is a Figure
// with alternate text in the structure tree, has a bookmark, passes qpdf
// --check, and the same input gives the same bytes. The rest of the
// document is unchanged.
func TestGraphicPage(t *testing.T) {
	ex := sample.Examples(t)
	r := ex["chengnan-scjg-2024"]
	opt := Options{Graphic: true, Prev: ex["chengnan-scjg-2023"]}
	plain, with := render(t, r, Options{}), render(t, r, opt)
	if !bytes.Equal(with, render(t, r, opt)) {
		t.Error("the same report gave different bytes")
	}
	pages := func(pdf []byte) int {
		for _, l := range strings.Split(tool(t, pdf, "pdfinfo"), "\n") {
			if f := strings.Fields(l); len(f) == 2 && f[0] == "Pages:" {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
		return 0
	}
	n := pages(plain)
	if got := pages(with); got != n+1 {
		t.Fatalf("%d pages with the graphic, %d without", got, n)
	}
	last := noSpace(pdftotext(t, with, "-f", strconv.Itoa(n+1), "-l", strconv.Itoa(n+1)))
	want := []string{r.Meta.Agency.Value, "1520", "比上年+120", "23（比上年−3）"}
	for _, s := range r.Format.Sections {
		if s.Table != "" {
			want = append(want, noSpace(s.Heading()))
		}
	}
	for _, w := range want {
		if !strings.Contains(last, w) {
			t.Errorf("the graphic page lacks %q:\n%s", w, last)
		}
	}
	if first := pdftotext(t, with, "-l", strconv.Itoa(n)); first != pdftotext(t, plain) {
		t.Error("the pages before the graphic changed")
	}
	if out := tool(t, with, "pdfimages", "-list"); strings.Count(out, "\n") > 2 {
		t.Errorf("the PDF holds images:\n%s", out)
	}
	if out := tool(t, with, "qpdf", "--check"); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	if st := tool(t, with, "pdfinfo", "-struct"); !strings.Contains(st, "\n  Figure") {
		t.Errorf("no Figure in the structure tree")
	}
	alt := false
	for _, o := range strings.Split(string(qdf(t, with)), "endobj") {
		alt = alt || strings.Contains(o, "/S /Figure") && strings.Contains(o, "/Alt ")
	}
	if !alt {
		t.Error("the Figure has no alternate text")
	}
	if !strings.Contains(tool(t, with, "qpdf", "--json", "--json-key=outlines"), `"title": "图解"`) {
		t.Error("no bookmark for the graphic")
	}
}
