package pdf

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

func TestPageBreaks(t *testing.T) {
	for _, c := range []struct {
		n, at, keep int
		want        []int
	}{
		{5, 0, 0, nil},
		{5, 17, 0, nil},
		{5, 21, 0, []int{0}},      // orphan: one line at the bottom
		{5, 18, 0, []int{3}},      // 4 + 1 would leave a widow: 3 + 2
		{3, 20, 0, []int{0}},      // 2 + 1: cannot keep two on both pages
		{2, 21, 0, []int{0}},      // 1 + 1
		{23, 0, 0, []int{21}},     // 22 + 1: 21 + 2
		{30, 10, 0, []int{12}},    // 12 + 18
		{5, 14, 3, nil},           // 5 lines, then 3 for the signature: 22
		{5, 15, 3, []int{3}},      // the last two lines go with the signature
		{3, 17, 3, []int{0}},      // too short to split: all of it goes
		{1, 21, 3, []int{0}},      // one line goes with the signature
		{25, 0, 3, []int{22}},     // 22 + 3 → the signature fits after 3
		{42, 0, 3, []int{22, 40}}, // 22 + 20, +3 does not fit: 22 + 18 + 2
	} {
		if got := pageBreaks(c.n, c.at, c.keep); !slices.Equal(got, c.want) {
			t.Errorf("pageBreaks(%d, %d, %d) = %v, want %v", c.n, c.at, c.keep, got, c.want)
		}
	}
}

// drawLines lays r out and returns every paragraph and signature line.
func drawLines(t *testing.T, r *schema.Report) ([]drawnLine, *document) {
	t.Helper()
	fs, err := loadFaces(Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := prepare(r, fs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []drawnLine
	d.lines = &lines
	if _, _, err := d.draw(); err != nil {
		t.Fatal(err)
	}
	return lines, d
}

// checkKeeps: no page holds a single line of a paragraph of two or more
// lines (widow, orphan), and the last page holds more than the signature.
func checkKeeps(t *testing.T, name string, lines []drawnLine, d *document) {
	t.Helper()
	type key struct {
		t    *text
		page int
	}
	on := map[key]int{}
	for _, l := range lines {
		if l.of >= 2 {
			on[key{l.text, l.page}]++
		}
	}
	for k, n := range on {
		if n == 1 {
			t.Errorf("%s: page %d holds one line of %.40q", name, k.page, string(k.t.runes))
		}
	}
	for i, l := range lines {
		if (l.text.role == roleHeading || l.text.role == roleKai) && i+1 < len(lines) && lines[i+1].text != l.text &&
			lines[i+1].text.role == roleBody && lines[i+1].page != l.page && lines[i+1].text != d.signer {
			t.Errorf("%s: heading %q at the foot of page %d, its text on the next", name, string(l.text.runes), l.page)
		}
	}
	last := lines[len(lines)-1].page
	alone := true
	for _, l := range lines {
		if l.page == last && l.text != d.signer && l.text != d.date {
			alone = false
		}
	}
	if alone {
		t.Errorf("%s: the last page (%d) holds only the signature", name, last)
	}
}

// TestWidowsOrphansSignature: on every test report (the five examples, the
// seeds' texts, the sample) no page starts or ends with a single line of a
// paragraph and the signature never stands alone on the last page.
func TestWidowsOrphansSignature(t *testing.T) {
	for name, r := range testReports(t) {
		lines, d := drawLines(t, r)
		checkKeeps(t, name, lines, d)
	}
}

// TestSignatureKeptWithText grows the last paragraph of 六 a sentence at a
// time, so its end passes every line of a page: the signature always has
// text above it on its page, and no widows appear.
func TestSignatureKeptWithText(t *testing.T) {
	sec := sample.Report().Format.Sections
	last := sec[len(sec)-1].Key
	for k := 0; k < 30; k++ {
		r := sample.Report()
		blocks := r.Narrative[last]
		if len(blocks) == 0 {
			t.Fatal("sample has no text in its last section")
		}
		b := &blocks[len(blocks)-1]
		b.Text += strings.Repeat("本机关将继续做好政府信息公开工作。", k)
		lines, d := drawLines(t, r)
		checkKeeps(t, fmt.Sprintf("+%d sentences", k), lines, d)
	}
}

// TestNoInsertedSpaces: the text copied out of the PDF (pdftotext, as a
// reader's copy and paste gets it) has no space the report does not have:
// no line is letter-spaced so far that the characters come apart, and a
// URL or e-mail address broken at a line end joins up again. Tables are
// left out (their cells are laid out side by side).
func TestNoInsertedSpaces(t *testing.T) {
	for name, r := range testReports(t) {
		want := narrativeOnly(r)
		want += r.Signer()
		got := pdftotext(t, render(t, r, Options{}), textBlockCrop...)
		got = strings.NewReplacer("\n", "", "\f", "").Replace(got)
		g, w := []rune(got), []rune(want)
		for i, j := 0, 0; i < len(g) && j < len(w); {
			switch {
			case g[i] == w[j]:
				i++
				j++
			case w[j] == ' ' || w[j] == '\u3000':
				j++ // a space the line break took
			case g[i] == ' ':
				t.Errorf("%s: space inserted in %q", name, string(g[max(0, i-12):min(len(g), i+12)]))
				i++
			default:
				t.Fatalf("%s: text differs at %q, want %q", name, string(g[i:min(len(g), i+20)]), string(w[j:min(len(w), j+20)]))
			}
		}
	}
}
