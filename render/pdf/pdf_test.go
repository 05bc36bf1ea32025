package pdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/render/pdf/internal/ttf"
	"github.com/nianbao/nianbao/schema"
)

// pdftotext runs poppler's pdftotext on a PDF and returns the text. A
// missing pdftotext fails the test: `make deps` installs poppler-utils.
func pdftotext(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: install poppler-utils (make deps / .ci/deps.sh)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(append(args, "-enc", "UTF-8"), in, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext %v: %v", args, err)
	}
	return string(out)
}

func render(t *testing.T, r *schema.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// textBlockCrop limits pdftotext to the text block and the title, leaving
// out the page numbers below it: (37 + 225 + 2) mm in points at 72 dpi.
var textBlockCrop = []string{"-x", "0", "-y", "0", "-W", "596", "-H", "748"}

// testReports are the reports every output test runs on: the examples, the
// renderers' sample report and the seeds' text with generated tables.
func testReports(t *testing.T) map[string]*schema.Report {
	rs := sample.Examples(t)
	rs["sample"] = sample.Report()
	for _, s := range seeds {
		rs[s.file] = seedReport(t, s)
	}
	return rs
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestExamplesGolden: the text of every example's PDF, as pdftotext -layout
// lays it out page by page, matches testdata/example-NAME.pdf.txt (line
// breaks, page breaks, tables). -update rewrites the files.
func TestExamplesGolden(t *testing.T) {
	for name, r := range sample.Examples(t) {
		t.Run(name, func(t *testing.T) {
			got := pdftotext(t, render(t, r, Options{}), "-layout")
			path := filepath.Join("testdata", "example-"+name+".pdf.txt")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if gl[i] != wl[i] {
						t.Fatalf("%s differs at line %d:\n got %q\nwant %q\n(go test -update rewrites it)", path, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s differs in length (go test -update rewrites it)", path)
			}
		})
	}
}

// TestTextExtraction: the text pdftotext extracts holds the title, every
// heading, every paragraph (character for character, spaces aside) and the
// signature, in order.
func TestTextExtraction(t *testing.T) {
	for name, r := range testReports(t) {
		pdf := render(t, r, Options{})
		for _, mode := range [][]string{nil, {"-layout"}} {
			t.Run(fmt.Sprintf("%s%v", name, mode), func(t *testing.T) {
				got := noSpace(pdftotext(t, pdf, append(mode, textBlockCrop...)...))
				want := []string{r.Title()}
				want = append(want, r.IntroText()...)
				for _, s := range r.Format.Sections {
					want = append(want, s.Heading())
					for _, b := range r.Narrative[s.Key] {
						want = append(want, b.Text)
					}
				}
				want = append(want, r.Signer(), schema.ChineseDate(r.SignDate()))
				at := 0
				for _, w := range want {
					w = noSpace(string(normalize(w)))
					i := strings.Index(got[at:], w)
					if i < 0 {
						t.Fatalf("not found in order: %q\nafter: %.200q", w, got[at:])
					}
					at += i + len(w)
				}
			})
		}
	}
}

// narrativeOnly puts r in a format without its table sections and returns
// the text it then prints, signature aside: title, opening, headings and
// narrative, as normalize leaves them.
func narrativeOnly(r *schema.Report) string {
	f := *r.Format
	f.Sections = nil
	for _, s := range r.Format.Sections {
		if s.Kind == schema.Narrative {
			f.Sections = append(f.Sections, s)
		}
	}
	r.Format = &f
	want := r.Title() + strings.Join(r.IntroText(), "")
	for _, s := range f.Sections {
		want += s.Heading()
		for _, b := range r.Narrative[s.Key] {
			want += string(normalize(b.Text))
		}
	}
	return want
}

// TestNarrativeExact: for a report in a format without table sections,
// the extracted text is exactly title, opening, headings, narrative and
// signature: nothing lost, nothing added.
func TestNarrativeExact(t *testing.T) {
	for name, r := range testReports(t) {
		want := narrativeOnly(r)
		want = noSpace(want + r.Signer() + schema.ChineseDate(r.SignDate()))
		pdf := render(t, r, Options{})
		for _, mode := range [][]string{nil, {"-layout"}} {
			got := noSpace(pdftotext(t, pdf, append(mode, textBlockCrop...)...))
			if got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Fatalf("%s %v: extracted text differs at byte %d:\n got %.120q\nwant %.120q", name, mode, i, got[i:], want[i:])
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := seedReport(t, seeds[1])
	a := render(t, r, Options{Draft: true})
	b := render(t, seedReport(t, seeds[1]), Options{Draft: true})
	if !bytes.Equal(a, b) {
		t.Fatal("the same report gave different PDF bytes")
	}
	if info := tool(t, a, "pdfinfo", "-isodates"); !strings.Contains(info, "CreationDate:    2021-01-05T00:00:00+08") {
		t.Errorf("creation date is not the report's date:\n%s", info)
	}
}

func TestDraftMarksEveryPage(t *testing.T) {
	r := seedReport(t, seeds[0])
	pdf := render(t, r, Options{Draft: true})
	pages := strings.Split(strings.TrimRight(pdftotext(t, pdf), "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("only %d pages", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(noSpace(p), DraftMark) {
			t.Errorf("page %d has no draft mark", i+1)
		}
	}
	if clean := pdftotext(t, render(t, r, Options{})); strings.Contains(clean, "草稿") {
		t.Error("a final PDF carries the draft mark")
	}
}

// TestPageNumbers: “— N —” on every page, in order.
func TestPageNumbers(t *testing.T) {
	pdf := render(t, seedReport(t, seeds[0]), Options{})
	pages := strings.Split(strings.TrimRight(pdftotext(t, pdf), "\f"), "\f")
	for i, p := range pages {
		if !strings.Contains(noSpace(p), fmt.Sprintf("—%d—", i+1)) {
			t.Errorf("page %d: no page number — %d —", i+1, i+1)
		}
	}
}

// TestTablesAcrossPages: 表三 breaks across pages with its header rows
// repeated, no row split, and its merged group labels (三、本年度办理结果,
// （三）不予公开…) drawn again on the page where they continue.
func TestTablesAcrossPages(t *testing.T) {
	r := seedReport(t, seeds[2])
	fs, _ := loadFaces(Options{})
	d, err := prepare(r, fs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var trace []drawnCell
	d.trace = &trace
	if _, _, err := d.draw(); err != nil {
		t.Fatal(err)
	}
	t3 := r.Format.Table("t3")
	pages := map[int]bool{}
	rowsOn := map[int]map[int]int{} // layout row → page → times drawn
	groupPages := map[string]map[int]bool{}
	for _, c := range trace {
		if c.table != t3 {
			continue
		}
		pages[c.page] = true
		if c.cell.rs == 1 {
			if rowsOn[c.cell.r] == nil {
				rowsOn[c.cell.r] = map[int]int{}
			}
			rowsOn[c.cell.r][c.page]++
		}
		if c.cell.group {
			if groupPages[c.text] == nil {
				groupPages[c.text] = map[int]bool{}
			}
			groupPages[c.text][c.page] = true
		}
	}
	if len(pages) < 2 {
		t.Fatalf("表三 on %d page(s); the test needs it to break", len(pages))
	}
	for row, on := range rowsOn {
		if row < t3.HeaderRows() && len(on) != len(pages) {
			t.Errorf("header row %d on %d of %d pages", row, len(on), len(pages))
		}
		if row >= t3.HeaderRows() && len(on) != 1 {
			t.Errorf("body row %d drawn on %d pages", row, len(on))
		}
	}
	// every page's rows of a group have the group label on that page
	for _, cell := range trace {
		if cell.table != t3 || cell.cell.rs != 1 || cell.cell.r < t3.HeaderRows() {
			continue
		}
		for _, g := range trace {
			if g.table == t3 && g.cell.group && g.cell.r <= cell.cell.r && cell.cell.r < g.cell.r+g.cell.rs && !groupPages[g.text][cell.page] {
				t.Errorf("row %d on page %d has no label %q", cell.cell.r, cell.page, g.text)
			}
		}
	}
	if len(groupPages["三、本年度办理结果"]) < 2 {
		t.Errorf("三、本年度办理结果 drawn on %d page(s)", len(groupPages["三、本年度办理结果"]))
	}
}

func TestMissingGlyphAndOutsideBMP(t *testing.T) {
	r := seedReport(t, seeds[2])
	bl := &r.Narrative["overview"][2]
	if bl.Kind != schema.Paragraph {
		t.Fatal("test data: want a paragraph")
	}
	bl.Text += "有个生僻字𠀀和韩文한。"
	var buf bytes.Buffer
	err := Render(&buf, r, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	if buf.Len() != 0 {
		t.Error("output written despite the error")
	}
	msg := err.Error()
	for _, want := range []string{"U+20000", "U+D55C", "“𠀀”", "“한”", bl.Loc.String(), "“一、总体情况”第"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if !errors.Is(err, ErrOutsideBMP) || !errors.Is(err, ErrMissingGlyph) || !errors.Is(err, schema.ErrUnusable) {
		t.Errorf("error does not wrap the sentinels: %v", err)
	}
	// in a table cell and in the title
	r = seedReport(t, seeds[2])
	r.Tables["t3"].Values[0][0] = schema.Value{State: schema.Invalid, Raw: "十𠀀", Loc: schema.Location{Sheet: "表三", Cell: "D5"}}
	r.Meta.Agency.Value = "한국"
	err = Render(&buf, r, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"表三!D5：表三“一、本年新收政府信息公开申请数量”行“申请人情况·自然人”列", "report.yaml:2:9：机关名称（用于标题）"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}

// TestTitleFallback: a title or sub-heading character outside the GB2312
// title and 楷 faces is drawn in the body face (the title in synthetic
// bold), not refused.
func TestTitleFallback(t *testing.T) {
	r := seedReport(t, seeds[2])
	r.Meta.Agency.Value = "堃镇人民政府" // 堃 is in GBK, not GB2312
	sub := "（一）堃字小标题"
	r.Narrative["other"] = append(r.Narrative["other"], schema.Block{Kind: schema.Heading, Text: sub})
	got := noSpace(pdftotext(t, render(t, r, Options{})))
	for _, want := range []string{r.Title(), sub} {
		if !strings.Contains(got, noSpace(want)) {
			t.Errorf("%q missing from %q", want, got[:200])
		}
	}
}

// TestUserFonts: a TTC with face selection, a face index out of range, an
// OpenType/CFF font, and a user font lacking a character.
func TestUserFonts(t *testing.T) {
	sans, kai := sansMediumTTF, wenKaiTTF
	dir := t.TempDir()
	ttc := filepath.Join(dir, "agency.ttc")
	if err := os.WriteFile(ttc, ttf.MakeCollection(sans, kai), 0o644); err != nil {
		t.Fatal(err)
	}
	otf := filepath.Join(dir, "fz.otf")
	os.WriteFile(otf, append([]byte("OTTO"), make([]byte, 64)...), 0o644)

	f, err := loadUserFont(ttc+":1", "--font-body")
	if err != nil || f.Name() != "LXGW WenKai" {
		t.Fatalf("face 1: %v %v", f, err)
	}
	r := seedReport(t, seeds[2])
	opt := Options{BodyFont: ttc + ":1", TitleFont: ttc, HeadingFont: ttc + ":0"}
	got := noSpace(pdftotext(t, render(t, r, opt), textBlockCrop...))
	if !strings.Contains(got, noSpace(r.Narrative["overview"][0].Text)) {
		t.Error("text missing with user fonts")
	}
	for _, tc := range []struct {
		opt  Options
		want string
	}{
		{Options{BodyFont: ttc + ":2"}, "只有 2 款字体（0 Noto Sans SC Medium，1 LXGW WenKai），没有第 2 款"},
		{Options{TitleFont: otf}, "--font-title 指定的字体是 OpenType/CFF"},
		{Options{HeadingFont: filepath.Join(dir, "none.ttf")}, "无法读取 --font-heading 指定的字体文件：文件不存在"},
		{Options{HeadingFont: dir}, "无法读取 --font-heading 指定的字体文件：这是一个文件夹"},
	} {
		err := Render(&bytes.Buffer{}, r, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, schema.ErrUnusable) {
			t.Errorf("%+v: got %v, want …%s…", tc.opt, err, tc.want)
		}
	}
	// The GB2312 WenKai as body font lacks 堃 (GBK): an error naming the flag.
	r.Narrative["overview"][0].Text += "堃"
	err = Render(&bytes.Buffer{}, r, Options{BodyFont: ttc + ":1"})
	if err == nil || !strings.Contains(err.Error(), "U+5803") || !strings.Contains(err.Error(), "--font-body") || !errors.Is(err, ErrMissingGlyph) {
		t.Errorf("missing glyph in a user font: %v", err)
	}
}

// TestFontsSubsetAtOutput: every font is embedded once, as the program
// ttf.Embed cuts for the characters the document draws in it (Length1 is
// the uncompressed size), with CIDToGIDMap /Identity.
func TestFontsSubsetAtOutput(t *testing.T) {
	r := seedReport(t, seeds[1])
	pdf := render(t, r, Options{})
	fs, _ := loadFaces(Options{})
	d, err := prepare(r, fs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for fam, f := range d.fonts {
		want = append(want, len(f.font.Embed(d.runesOf(fam))))
	}
	var got []int
	for _, x := range regexp.MustCompile(`/Length1 (\d+)`).FindAllSubmatch(qdf(t, pdf), -1) {
		n, _ := strconv.Atoi(string(x[1]))
		got = append(got, n)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("embedded font programs of %v bytes, want %v", got, want)
	}
	if n := bytes.Count(qdf(t, pdf), []byte("/CIDToGIDMap /Identity")); n != len(d.fonts) {
		t.Errorf("%d fonts with CIDToGIDMap /Identity, want %d", n, len(d.fonts))
	}
	if len(pdf) > 400<<10 {
		t.Errorf("PDF of %d bytes: fonts not subset?", len(pdf))
	}
}

// qdf is pdf rewritten by qpdf with every stream and object stream
// expanded, to read its dictionaries as text.
func qdf(t *testing.T, pdf []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("qpdf", "--qdf", "--object-streams=disable", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --qdf: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNoPanic: odd text never panics.
func TestNoPanic(t *testing.T) {
	for _, s := range []string{"", " ", "\u3000\u3000", "a\x00b\tc\r\nd", "\u200b\ufeff", strings.Repeat("一", 3000), strings.Repeat("x", 500), "（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（", strings.Repeat("。", 100), "\xff\xfe"} {
		r := seedReport(t, seeds[2])
		r.Narrative["other"] = []schema.Block{{Text: s}, {Kind: schema.Heading, Text: s}}
		r.Meta.Signer.Value = s
		r.Meta.Agency.Value = s
		if err := Render(&bytes.Buffer{}, r, Options{Draft: true}); err != nil && !errors.Is(err, schema.ErrUnusable) {
			t.Errorf("%q: %v", s, err)
		}
	}
	if err := Render(&bytes.Buffer{}, schema.NewReport(nil), Options{}); err != nil {
		t.Errorf("empty report: %v", err)
	}
}
