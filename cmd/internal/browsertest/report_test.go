package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nianbao/nianbao/render/html"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// reportPages renders every example report as a standalone HTML page into
// a temporary folder and returns the file URLs by example name.
func reportPages(t *testing.T) map[string]string {
	t.Helper()
	dir := t.TempDir()
	pages := map[string]string{}
	paths, err := filepath.Glob("../../../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := template.Read(filepath.Base(path), data)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".yaml")
		var b bytes.Buffer
		if err := html.Render(&b, r, html.Options{}); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".html")
		if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		pages[name] = "file://" + p
		if name == "chengnan-scjg-2024" { // and once with the 图解 at its end
			b.Reset()
			if err := html.Render(&b, r, html.Options{Graphic: true}); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, name+"-graphic.html")
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			pages[name+"-graphic"] = "file://" + p
		}
	}
	return pages
}

// TestReportReflow: every example's page has no axe-core violation at 1280
// and at 320 CSS px (WCAG 2.1 reflow), the page never scrolls sideways at
// 320 px (long URLs and e-mail addresses wrap), and each table stays whole
// in a scrollable region that a keyboard reaches (tabindex 0) and that is
// named by the table's heading.
func TestReportReflow(t *testing.T) {
	b := Start(t)
	tab := b.Tab(t)
	for name, url := range reportPages(t) {
		tab.Go(t, url)
		tab.Axe(t, name)
		tab.Width(t, 320)
		if w := Eval[int](t, tab, `document.documentElement.scrollWidth`); w > 320 {
			t.Errorf("%s: the page is %d px wide at 320 px", name, w)
		}
		type region struct {
			Tab, Label string
			Cells      int
		}
		regions := Eval[[]region](t, tab, `[...document.querySelectorAll('.nb-scroll')].map(d => ({
			Tab: d.getAttribute('tabindex'), Cells: d.querySelectorAll('td').length,
			Label: (document.getElementById(d.getAttribute('aria-labelledby')) || {}).textContent || ''}))`)
		if len(regions) != 3 {
			t.Errorf("%s: %d table regions, want 3", name, len(regions))
		}
		for i, r := range regions {
			if r.Tab != "0" || r.Label == "" || r.Cells == 0 {
				t.Errorf("%s: table region %d: %+v", name, i, r)
			}
		}
		if strings.HasPrefix(name, "chengnan-scjg-2024") {
			tab.Screenshot(t, name+"-320.png")
		}
		tab.Width(t, Widths[0])
	}
}

// TestReportPrint prints each example from Chromium (A4, the page's own
// @page rules) and checks that the text of every tall merged row label
// (三、本年度办理结果) is on one page, whole.
func TestReportPrint(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (.ci/deps.sh)")
	}
	b := Start(t)
	tab := b.Tab(t)
	var labels []string
	for _, tb := range schema.Current.Tables {
		for _, row := range tb.Layout {
			for _, c := range row {
				if !c.Header && !c.IsValue() && c.RowSpan > 10 {
					labels = append(labels, c.Text)
				}
			}
		}
	}
	if len(labels) == 0 {
		t.Fatal("no tall row label in the format")
	}
	for name, url := range reportPages(t) {
		tab.Go(t, url)
		ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPreferCSSPageSize()))
		cancel()
		if err != nil {
			t.Fatalf("%s: print: %v", name, err)
		}
		in := filepath.Join(t.TempDir(), name+".pdf")
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		pages := columnTexts(string(out))
		for _, l := range labels {
			first := []rune(l)[0]
			whole := false
			for _, cols := range pages {
				for _, col := range cols {
					if strings.HasPrefix(col, string(first)) && strings.Contains(col, l) {
						whole = true
					}
				}
			}
			if !whole {
				t.Errorf("%s: the label %q is not whole on one printed page", name, l)
			}
		}
	}
}

var bboxWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>`)

// columnTexts reads pdftotext -bbox output: for each page, for each word,
// the text of the words below it that start within its width (its column),
// joined, top to bottom.
func columnTexts(bbox string) [][]string {
	var out [][]string
	for _, pg := range strings.Split(bbox, "<page ")[1:] {
		type word struct {
			x0, y, x1 float64
			s         string
		}
		var ws []word
		for _, m := range bboxWord.FindAllStringSubmatch(pg, -1) {
			x0, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			ws = append(ws, word{x0, y, x1, m[4]})
		}
		var cols []string
		for _, w := range ws {
			var b strings.Builder
			for _, v := range ws {
				if v.y >= w.y && v.x0 >= w.x0-2 && v.x0 <= w.x1 {
					b.WriteString(v.s)
				}
			}
			cols = append(cols, b.String())
		}
		out = append(out, cols)
	}
	return out
}
