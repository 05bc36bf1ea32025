package batch

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// writeReport writes r as YAML to dir/name.
func writeReport(t testing.TB, dir, name string, r *schema.Report) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, yamlfile.Write(r), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[rel(dir, p)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestRunCorpus checks a generated corpus of 200 reports with 1 and with 4
// workers: the same rows, byte-identical outputs, statuses as generated.
func TestRunCorpus(t *testing.T) {
	in := t.TempDir()
	const n = 200
	if _, err := fixture.Corpus(in, n, 2024); err != nil {
		t.Fatal(err)
	}
	outs := []string{t.TempDir(), t.TempDir()}
	// a file that looks like a page but that no run of nianbao wrote (it
	// is not in the manifest) stays, as do other files (issue 15); the
	// pages an earlier run wrote are removed (TestPagesAreNotRemovedIfNotOurs)
	os.MkdirAll(filepath.Join(outs[0], FindingsDir), 0o755)
	os.WriteFile(filepath.Join(outs[0], FindingsDir, "99999-old.yaml.html"), nil, 0o644)
	os.WriteFile(filepath.Join(outs[0], "mine.txt"), nil, 0o644)
	var sums []*Summary
	for i, jobs := range []int{1, 4} {
		s, err := Run(Options{Dir: in, Out: outs[i], Jobs: jobs})
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	s := sums[0]
	if len(s.Rows) != n {
		t.Fatalf("%d rows, want %d", len(s.Rows), n)
	}
	for i, r := range s.Rows {
		want := map[fixture.Kind]Status{fixture.Valid: Publishable, fixture.WithErrors: HasErrors,
			fixture.Unreadable: Unreadable}[fixture.KindOf(i)]
		if r.Status != want {
			t.Errorf("row %d (%s): status %s, want %s; notes %v", i, r.File, r.Status, want, r.Notes)
		}
		if r.Status == Unreadable && !hasHan(r.Reason) {
			t.Errorf("row %d: reason %q is not Chinese", i, r.Reason)
		}
		if r.Status != Unreadable && r.Agency != fixture.Agency(i) {
			t.Errorf("row %d: agency %q, want %q", i, r.Agency, fixture.Agency(i))
		}
		if r.Page == "" {
			t.Errorf("row %d: no findings page", i)
		}
	}
	if got := s.ExitCode(); got != 2 {
		t.Errorf("exit code %d, want 2 (some file unreadable)", got)
	}
	if _, err := os.Stat(filepath.Join(outs[0], "mine.txt")); err != nil {
		t.Error("a file of the user's in the output folder was removed")
	}
	os.Remove(filepath.Join(outs[0], "mine.txt"))
	if err := os.Remove(filepath.Join(outs[0], FindingsDir, "99999-old.yaml.html")); err != nil {
		t.Errorf("a page nianbao did not write was removed: %v", err)
	}
	a, b := readTree(t, outs[0]), readTree(t, outs[1])
	for _, m := range []map[string][]byte{a, b} {
		if _, ok := m[outdir.ManifestName]; !ok {
			t.Errorf("no manifest %s", outdir.ManifestName)
		}
		delete(m, outdir.ManifestName)
	}
	if len(a) != n+2 {
		t.Errorf("%d output files, want %d (overview page, workbook, one findings page per report)", len(a), n+2)
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	for name := range a {
		if strings.Contains(name, ".tmp") {
			t.Errorf("temporary file left behind: %s", name)
		}
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name  string
		files map[string][]byte
		want  int
	}{
		{"clean", map[string][]byte{"a.yaml": fixture.YAML(0, 2024), "b.yaml": fixture.YAML(1, 2024)}, 0},
		{"errors", map[string][]byte{"a.yaml": fixture.YAML(0, 2024), "b.yaml": fixture.YAML(3, 2024)}, 1},
		{"unreadable", map[string][]byte{"a.yaml": fixture.YAML(3, 2024), "b.yaml": fixture.YAML(37, 2024)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := t.TempDir()
			for name, data := range tt.files {
				os.WriteFile(filepath.Join(in, name), data, 0o644)
			}
			s, err := Run(Options{Dir: in, Out: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.ExitCode(); got != tt.want {
				t.Errorf("exit code %d, want %d: %+v", got, tt.want, s.Rows)
			}
		})
	}
}

func TestFigures(t *testing.T) {
	r := fixture.Report(5, 2024)
	f := Figures(r)
	cell := func(tb, row string) schema.Decimal { return r.Cell(tb, row, "total").Num }
	suit, _ := cell("t4", "direct").Add(cell("t4", "after_review"))
	want := [numFigures]schema.Decimal{cell("t3", "received"), cell("t3", "total"), cell("t3", "carried_forward"),
		cell("t4", "review"), suit}
	for i := range want {
		if !f[i].OK || f[i].Num.Cmp(want[i]) != 0 {
			t.Errorf("figure %d = %v, want %v", i, f[i], want[i])
		}
	}
	*r.Cell("t4", "direct", "total") = schema.Value{}
	if f := Figures(r); f[FigSuit].OK {
		t.Errorf("a blank 表四 total gave a figure %v", f[FigSuit])
	}
	delete(r.Tables, "t3")
	if f := Figures(r); f[FigReceived].OK {
		t.Error("an absent 表三 gave a figure")
	}
}

var hostileNames = []string{
	"=HYPERLINK(\"http://evil.example/\",\"点击\")",
	"+1+cmd|' /C calc'!A0",
	"-2+3",
	"@SUM(A1:A9)",
	"<script>alert(1)</script>某局",
	"\"><img src=x onerror=alert(1)>",
	"../../../etc/passwd",
	"局名\u202e称\u200b",
	"𠀀𠀁局😀",
}

// TestInjection: names from reports never become formulas in the overview
// workbook or markup in the pages.
func TestInjection(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	for i, name := range hostileNames {
		r := fixture.Report(i, 2024)
		r.Meta.Agency.Value = name
		writeReport(t, in, filepath.Join("sub", string(rune('a'+i))+".yaml"), r)
	}
	s, err := Run(Options{Dir: in, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range s.Rows {
		if r.Status == Unreadable {
			t.Fatalf("row %d unreadable: %s", i, r.Reason)
		}
	}
	// workbook: no formula at all, every name a string cell
	data, err := os.ReadFile(filepath.Join(out, OverviewWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
			t.Errorf("%s holds a formula", f.Name)
		}
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("总览")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range hostileNames {
		if got, want := rows[i+1][2], clean(name); got != want {
			t.Errorf("workbook agency %d = %q, want %q", i, got, want)
		}
	}
	// pages: only our own elements, one script (ours), names as text
	allowed := map[string]bool{"html": true, "head": true, "meta": true, "title": true, "style": true,
		"body": true, "h1": true, "p": true, "table": true, "thead": true, "tbody": true, "tr": true,
		"th": true, "td": true, "a": true, "script": true, "span": true, "button": true}
	pages := []string{OverviewPage}
	for _, r := range s.Rows {
		pages = append(pages, r.Page)
	}
	for _, p := range pages {
		b, err := os.ReadFile(filepath.Join(out, p))
		if err != nil {
			t.Fatal(err)
		}
		z := html.NewTokenizer(bytes.NewReader(b))
		scripts := 0
		var text strings.Builder
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			tok := z.Token()
			switch tt {
			case html.StartTagToken, html.SelfClosingTagToken:
				if !allowed[tok.Data] {
					t.Errorf("%s: unexpected element <%s>", p, tok.Data)
				}
				if tok.Data == "script" {
					scripts++
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(a.Key, "on") || a.Key == "src" {
						t.Errorf("%s: unexpected attribute %s", p, a.Key)
					}
				}
			case html.TextToken:
				text.WriteString(tok.Data)
			}
		}
		if p == OverviewPage {
			if scripts != 1 {
				t.Errorf("%s: %d scripts, want 1", p, scripts)
			}
			for _, name := range hostileNames {
				if !strings.Contains(text.String(), clean(name)) {
					t.Errorf("%s: name %q missing from the text", p, clean(name))
				}
			}
		} else if scripts != 0 {
			t.Errorf("%s: %d scripts", p, scripts)
		}
	}
}

func TestPrev(t *testing.T) {
	in, prev, out := t.TempDir(), t.TempDir(), t.TempDir()
	for i := range 4 {
		writeReport(t, in, fixture.Agency(i)+".yaml", fixture.Report(i, 2024))
	}
	// last year: the same agencies, spelled with spaces and full-width
	// digits, under other file names; none for agency 3, two for agency 2.
	for i := range 3 {
		r := fixture.ReportOf(" "+strings.ReplaceAll(fixture.Agency(i), "1", "１")+" ", 2023, uint64(i+100))
		writeReport(t, prev, "old-"+string(rune('a'+i))+".yaml", r)
	}
	writeReport(t, prev, "old-z.yaml", fixture.ReportOf(fixture.Agency(2), 2023, 7))
	// agency 1 also has an older and a same-year report there: the year
	// before this one's is chosen.
	writeReport(t, prev, "old-b-2022.yaml", fixture.ReportOf(fixture.Agency(1), 2022, 8))
	writeReport(t, prev, "old-b-2024.yaml", fixture.ReportOf(fixture.Agency(1), 2024, 9))
	s, err := Run(Options{Dir: in, Prev: prev, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	byAgency := map[string]Row{}
	for _, r := range s.Rows {
		byAgency[r.Agency] = r
	}
	for i, want := range []string{"old-a.yaml", "old-b.yaml", "", ""} {
		r := byAgency[fixture.Agency(i)]
		if r.Prev != want {
			t.Errorf("%s: prev %q, want %q (notes %v)", r.Agency, r.Prev, want, r.Notes)
		}
		if want == "" && len(r.Notes) == 0 {
			t.Errorf("%s: no note on the missing or ambiguous match", r.Agency)
		}
	}
	// the cross-year rules ran: the figures were drawn independently, so
	// last year's 结转下年度 does not match this year's 上年结转.
	page, _ := os.ReadFile(filepath.Join(out, byAgency[fixture.Agency(0)].Page))
	if !bytes.Contains(page, []byte("CARRY-OVER")) {
		t.Errorf("no CARRY-OVER finding with --prev:\n%s", page)
	}
}

func TestDuplicatesAndFolders(t *testing.T) {
	in := t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	writeReport(t, in, "b/a-again.yaml", fixture.Report(0, 2024))
	writeReport(t, in, ".hidden.yaml", fixture.Report(1, 2024))
	writeReport(t, in, "~$lock.yaml", fixture.Report(1, 2024))
	os.WriteFile(filepath.Join(in, "notes.doc"), []byte{0xD0, 0xCF, 0x11, 0xE0}, 0o644)
	out := filepath.Join(in, "out")
	writeReport(t, out, "stale.yaml", fixture.Report(2, 2024)) // inside the output folder: skipped
	old := filepath.Join(in, "old-run")                        // an earlier batch's output: skipped
	writeReport(t, old, "某局/某局2024年政府信息公开工作年度报告.yaml", fixture.Report(3, 2024))
	os.WriteFile(filepath.Join(old, OverviewPage), nil, 0o644)
	s, err := Run(Options{Dir: in, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, r := range s.Rows {
		files = append(files, r.File)
	}
	if got := strings.Join(files, " "); got != "a.yaml b/a-again.yaml" {
		t.Fatalf("files %q", got)
	}
	// the old .doc is not checked, but said, in the overview too; hidden
	// and lock files are not
	if got := strings.Join(s.Others, " "); got != "notes.doc" {
		t.Errorf("other files %q, want notes.doc", got)
	}
	if page, _ := os.ReadFile(filepath.Join(out, OverviewPage)); !bytes.Contains(page, []byte("另有 1 个文件不是 nianbao 能读取的格式，没有校验（notes.doc）")) {
		t.Errorf("overview does not name the file not checked")
	}
	if n := s.Rows[1].Notes; len(n) == 0 || !strings.Contains(n[0], "a.yaml") {
		t.Errorf("duplicate not noted: %v", n)
	}
	// the first of the two is noted too, on its findings page as well:
	// the office must decide which one stands
	if n := s.Rows[0].Notes; len(n) == 0 || !strings.Contains(n[0], "b/a-again.yaml") {
		t.Errorf("duplicate not noted on the first report: %v", n)
	}
	if page, _ := os.ReadFile(filepath.Join(out, s.Rows[0].Page)); !bytes.Contains(page, []byte("b/a-again.yaml")) {
		t.Errorf("duplicate not noted on the first report's findings page:\n%s", page)
	}
	if _, err := Run(Options{Dir: in, Out: in}); err == nil {
		t.Error("output folder = report folder was accepted")
	}
	if _, err := Run(Options{Dir: t.TempDir(), Out: t.TempDir()}); err == nil {
		t.Error("an empty folder was accepted")
	}
}

// TestOtherYear: last year's report handed in among this year's is not
// shown as 可发布, and says why, in the overview and on its page.
func TestOtherYear(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	for i := range 3 {
		writeReport(t, in, fixture.Agency(i)+".yaml", fixture.Report(i, 2024))
	}
	writeReport(t, in, "late.yaml", fixture.Report(3, 2023))
	s, err := Run(Options{Dir: in, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Rows {
		noted := strings.Contains(strings.Join(r.Notes, ""), "报告年度是 2023")
		if r.File == "late.yaml" {
			if r.Status != HasWarnings || !noted {
				t.Errorf("%s: status %s, notes %v; want 有警告 and a note on the year", r.File, r.Status, r.Notes)
			}
			page, _ := os.ReadFile(filepath.Join(out, r.Page))
			if !bytes.Contains(page, []byte("报告年度是 2023")) || !bytes.Contains(page, []byte(string(HasWarnings))) {
				t.Errorf("page of %s does not say the year:\n%s", r.File, page)
			}
		} else if r.Status != Publishable || noted {
			t.Errorf("%s: status %s, notes %v", r.File, r.Status, r.Notes)
		}
	}
	// two years in equal numbers: no year is the batch's, nothing noted
	writeReport(t, in, "late2.yaml", fixture.Report(4, 2023))
	writeReport(t, in, "late3.yaml", fixture.Report(5, 2023))
	if s, err = Run(Options{Dir: in, Out: out}); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Rows {
		if len(r.Notes) != 0 || r.Status != Publishable {
			t.Errorf("%s: status %s, notes %v in a batch of two years", r.File, r.Status, r.Notes)
		}
	}
}

// renderReady reports whether every renderer is implemented; the render
// cases wait for render/html, render/text, render/docx and render/pdf.
func renderReady(t *testing.T) {
	t.Helper()
	for _, f := range render.Formats() {
		if err := render.Render(io.Discard, f, fixture.Report(0, 2024), render.Options{}); err != nil &&
			strings.Contains(err.Error(), "not implemented") {
			t.Fatalf("render/%s: %v", f, err)
		}
	}
}

func TestRender(t *testing.T) {
	renderReady(t)
	in, out := t.TempDir(), t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	evil := fixture.Report(1, 2024)
	evil.Meta.Agency.Value = "../../逃逸/..\\局"
	writeReport(t, in, "b.yaml", evil)
	os.WriteFile(filepath.Join(in, "c.yaml"), fixture.YAML(3, 2024), 0o644) // errors: not rendered
	s, err := Run(Options{Dir: in, Out: out, Render: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.ExitCode() != 1 || len(s.Failed) > 0 {
		t.Fatalf("exit %d, failed %v: %+v", s.ExitCode(), s.Failed, s.Rows)
	}
	for _, r := range s.Rows[:2] {
		for _, f := range render.Defaults() {
			p := filepath.Join(out, filepath.FromSlash(r.Rendered)+render.Ext(f))
			if st, err := os.Stat(p); err != nil || st.Size() == 0 {
				t.Errorf("%s: no %s output: %v", r.File, f, err)
			}
			if !strings.HasPrefix(p, out+string(filepath.Separator)) {
				t.Errorf("%s escapes %s", p, out)
			}
		}
	}
	if s.Rows[2].Rendered != "" {
		t.Errorf("a report with errors was rendered: %s", s.Rows[2].Rendered)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(out), "逃逸")); err == nil {
		t.Error("an output left the output folder")
	}
}

func TestNormaliseAgency(t *testing.T) {
	for _, tt := range [][2]string{
		{" 某某市 教育局 ", "某某市教育局"},
		{"某某市第１中学", "某某市第1中学"},
		{"某某(集团)公司", "某某（集团）公司"},
		{"某某\u200b局", "某某局"},
	} {
		if got, want := NormaliseAgency(tt[0]), NormaliseAgency(tt[1]); got != want {
			t.Errorf("NormaliseAgency(%q) = %q, want %q", tt[0], got, want)
		}
	}
}

var pageNameRE = regexp.MustCompile(`^[0-9]{5}-[^/\\]+\.html$`)

func TestPageName(t *testing.T) {
	for i, f := range []string{"a.yaml", "../../x.yaml", "sub/dir/名.xlsx", strings.Repeat("长", 300) + ".txt"} {
		if p := pageName(i, f); !pageNameRE.MatchString(p) || len(p) > 250 {
			t.Errorf("pageName(%q) = %q", f, p)
		}
	}
}

// TestGuard: a reader that panics or hangs costs one row, not the batch.
func TestGuard(t *testing.T) {
	in := t.TempDir()
	for _, name := range []string{"a.yaml", "b.yaml", "c.yaml"} {
		writeReport(t, in, name, fixture.Report(0, 2024))
	}
	hang := make(chan struct{}) // never closed: the hung reader stays hung
	open := func(path string) (*schema.Report, error) {
		switch filepath.Base(path) {
		case "a.yaml":
			panic("boom")
		case "b.yaml":
			<-hang
		}
		return fixture.Report(1, 2024), nil
	}
	// The timeout covers a sound report's check too, so it is long enough for
	// one on a machine under heavy load (200 ms failed at load average 30).
	s, err := Run(Options{Dir: in, Out: t.TempDir(), Timeout: 3 * time.Second, open: open})
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{Unreadable, Unreadable, Publishable}
	for i, r := range s.Rows {
		if r.Status != want[i] || (r.Status == Unreadable && !hasHan(r.Reason)) {
			t.Errorf("%s: %s %q, want %s", r.File, r.Status, r.Reason, want[i])
		}
	}
	if !strings.Contains(s.Rows[0].Reason, "程序出错") || !strings.Contains(s.Rows[1].Reason, "仍未完成") {
		t.Errorf("reasons: %q, %q", s.Rows[0].Reason, s.Rows[1].Reason)
	}
}

func TestProgress(t *testing.T) {
	var plain, bar bytes.Buffer
	p := newProgress(&plain, false, 3)
	// the workers finish out of order; the lines keep the files' order
	p.done(1, Row{File: "b.yaml", Status: Unreadable, Reason: "文件为空\n第二行"})
	if plain.Len() != 0 {
		t.Errorf("printed b.yaml before a.yaml: %q", plain.String())
	}
	p.done(2, Row{File: "c.yaml", Status: Publishable})
	p.done(0, Row{File: "a.yaml", Status: HasErrors, Errors: 2})
	p.finish()
	if got, want := plain.String(), "[1/3] a.yaml：有错误（错误 2，警告 0）\n[2/3] b.yaml：无法读取（文件为空）\n[3/3] c.yaml：可发布\n"; got != want {
		t.Errorf("plain progress:\n%q\nwant\n%q", got, want)
	}
	p = newProgress(&bar, true, 2)
	p.done(1, Row{File: "b.yaml", Status: Publishable})
	p.done(0, Row{File: "a.yaml", Status: Publishable})
	p.finish()
	if s := bar.String(); !strings.HasPrefix(s, "\r校验中 [") || !strings.Contains(s, "2/2") || !strings.HasSuffix(s, "\n") {
		t.Errorf("terminal progress: %q", s)
	}
}

func TestBound(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{{"abc", 3, "abc"}, {"abcd", 3, "abc…"}, {"一二三四", 2, "一二…"}, {"", 0, ""}, {"x", 0, "…"}} {
		if got := bound(tt.s, tt.n); got != tt.want {
			t.Errorf("bound(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestOverviewWorkbookLayout: the workbook prints landscape one page wide,
// and a long note is wrapped in a row tall enough to read it whole.
func TestOverviewWorkbookLayout(t *testing.T) {
	long := strings.Repeat("与 部门/01-某局.yaml 是同一机关同一年度的报告；", 4)
	s := &Summary{Rows: []Row{
		{File: "a.yaml", Agency: "甲局", Year: "2024", Status: Publishable},
		{File: "b.yaml", Agency: "乙局", Year: "2024", Status: HasWarnings, Notes: []string{long}},
	}}
	var buf bytes.Buffer
	if err := overviewWorkbook(&buf, s); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	const sheet = "总览"
	pl, err := x.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("page layout %+v: want landscape, one page wide", pl)
	}
	if sp, _ := x.GetSheetProps(sheet); sp.FitToPage == nil || !*sp.FitToPage {
		t.Error("sheet not fitted to the page")
	}
	if pl.Size == nil || *pl.Size != 9 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v: want A4, as many pages tall as needed", pl)
	}
	titles := false
	for _, dn := range x.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet && dn.RefersTo == "'总览'!$1:$1" {
			titles = true
		}
	}
	if !titles {
		t.Errorf("the header row is not repeated on printed pages: %+v", x.GetDefinedName())
	}
	// every cell of the table is ruled on all four sides
	for row := 1; row <= 3; row++ {
		for col := 1; col <= 7+int(numFigures)+2; col++ {
			ref, _ := excelize.CoordinatesToCellName(col, row)
			id, _ := x.GetCellStyle(sheet, ref)
			st, _ := x.GetStyle(id)
			if st == nil || len(st.Border) != 4 {
				t.Errorf("%s has no border all round", ref)
			}
		}
	}
	note, _ := excelize.CoordinatesToCellName(7+int(numFigures)+1, 3)
	id, _ := x.GetCellStyle(sheet, note)
	st, _ := x.GetStyle(id)
	if st == nil || st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("%s (说明) is not wrapped", note)
	}
	if got, _ := x.GetCellValue(sheet, note); got != long {
		t.Errorf("%s = %q, want the note", note, got)
	}
	short, _ := x.GetRowHeight(sheet, 2)
	tall, _ := x.GetRowHeight(sheet, 3)
	if want := 15 * float64(noteLines(long)); tall != want || noteLines(long) < 3 {
		t.Errorf("row of the long note is %v high, want %v (%d lines); a short row is %v", tall, want, noteLines(long), short)
	}
}

// TestOverviewPageGuidance: the overview page says which reports cannot be
// published and what to do, sorts by status worst first, and gives the key-figure headers room enough
// not to stack one character a line.
func TestOverviewPageGuidance(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	if _, err := Run(Options{Dir: in, Out: out}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, OverviewPage))
	if err != nil {
		t.Fatal(err)
	}
	// sorting by 状态 puts the worst first: the status cell carries its rank
	for _, want := range []string{"的报告不能发布", "交报送机关改正后重新校验", "th.f{min-width:",
		`data-k="4">可发布</td>`, `hasAttribute("data-k")`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("overview page does not hold %q", want)
		}
	}
	if n := bytes.Count(page, []byte(`<th class="f">`)); n != int(numFigures) {
		t.Errorf("%d key-figure headers with room, want %d", n, numFigures)
	}
}

// TestStaleRenders: a report rendered by an earlier run that now has errors
// loses its publish-ready files, with a note; the other report's stay, and
// an input is never removed.
func TestStaleRenders(t *testing.T) {
	renderReady(t)
	in, out := t.TempDir(), t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	writeReport(t, in, "b.yaml", fixture.Report(1, 2024))
	if _, err := Run(Options{Dir: in, Out: out, Render: true}); err != nil {
		t.Fatal(err)
	}
	broken := fixture.Report(1, 2024)
	*broken.Cell("t2", "penalty", "decisions") = schema.Value{}
	writeReport(t, in, "b.yaml", broken)
	for _, rend := range []bool{true, false} {
		s, err := Run(Options{Dir: in, Out: out, Render: rend})
		if err != nil {
			t.Fatal(err)
		}
		a, b := s.Rows[0], s.Rows[1]
		if b.Status != HasErrors {
			t.Fatalf("b: status %s", b.Status)
		}
		for _, f := range render.Defaults() {
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(b.stale+render.Ext(f)))); err == nil {
				t.Errorf("render=%v: stale %s output of b left", rend, f)
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(claimOf(fixture.Report(0, 2024), &a)+render.Ext(f)))); err != nil {
				t.Errorf("render=%v: a's %s output removed: %v", rend, f, err)
			}
		}
		if rend && !strings.Contains(strings.Join(b.Notes, ""), "已删除以前生成的发布稿") {
			t.Errorf("no note on the removed outputs: %v", b.Notes)
		}
	}
	// an input lying where a report's output would go stays
	out2 := t.TempDir()
	r := fixture.Report(2, 2024)
	claim := claimOf(r, &Row{})
	dir := filepath.Join(out2, filepath.Dir(filepath.FromSlash(claim)))
	input := filepath.Join(out2, filepath.FromSlash(claim)+".txt")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(input, []byte("已发布的报告"), 0o644)
	*r.Cell("t2", "penalty", "decisions") = schema.Value{}
	open := func(string) (*schema.Report, error) { return r, nil }
	if _, err := Run(Options{Dir: dir, Out: out2, open: open}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(input); err != nil {
		t.Errorf("an input was removed: %v", err)
	}
}

func TestStatusRank(t *testing.T) {
	order := []Status{Unreadable, HasErrors, HasWarnings, Publishable}
	for i := 1; i < len(order); i++ {
		if statusRank(order[i-1]) >= statusRank(order[i]) {
			t.Errorf("%s does not sort before %s", order[i-1], order[i])
		}
	}
}

func TestPageLoc(t *testing.T) {
	for _, tt := range []struct {
		loc  schema.Location
		want string
	}{
		{schema.Location{File: "/tmp/县/部门/05-某局.yaml", Line: 38, Col: 12}, "05-某局.yaml:38:12"},
		{schema.Location{File: "/tmp/县/部门/某局.xlsx", Sheet: "表三", Cell: "D7"}, "表三!D7"},
		{schema.Location{File: "/tmp/县/某局.txt"}, "某局.txt"},
		{schema.Location{}, ""},
	} {
		if got := pageLoc(schema.Finding{Location: tt.loc}); got != tt.want {
			t.Errorf("pageLoc(%+v) = %q, want %q", tt.loc, got, tt.want)
		}
	}
	// a finding about a whole relation shows all its cells
	rel := schema.Finding{Related: []schema.Location{
		{File: "/tmp/县/某局.yaml", Line: 51, Col: 5}, {File: "/tmp/县/某局.yaml", Line: 52, Col: 5}, {File: "/tmp/县/某局.yaml", Line: 75, Col: 5}}}
	if got := pageLoc(rel); got != "某局.yaml:51,52,75" {
		t.Errorf("pageLoc of a relation = %q", got)
	}
}

// TestExplainStatus: a report that contradicts itself is 需说明, not 有错误;
// the same report with the explanation is publishable and its explained
// warning is counted apart; the 说明 column gives the first error in one
// line and how many more; a status the batch-wide checks change is told
// again on the terminal, so the terminal and the overview agree.
func TestExplainStatus(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	src, err := os.ReadFile("../../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	contradicts := strings.Replace(string(src), "予以公开23件", "予以公开22件", 1)
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(in, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", strings.Replace(contradicts, "agency: 城南县市场监督管理局", "agency: 甲局", 1))
	write("b.yaml", strings.Replace(contradicts, "agency: 城南县市场监督管理局", "agency: 乙局", 1)+
		"\nexplanations:\n  - rule: TEXT-NUMBER\n    place: overview\n    reason: 按年底实际公开件数填写。\n")
	write("c.yaml", strings.NewReplacer("agency: 城南县市场监督管理局", "agency: 丙局", "review: [2, 1, 0, 1, 4]", "review: [2, 1, 0, 1, 5]",
		"coercion: 18", "coercion: -18").Replace(string(src)))
	write("d.yaml", strings.NewReplacer("agency: 城南县市场监督管理局", "agency: 丁局", "year: 2024", "year: 2023",
		"published: 2025-01-22", "published: 2024-01-22").Replace(string(src)))
	var progress bytes.Buffer
	sum, err := Run(Options{Dir: in, Out: out, Progress: &progress, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		status    Status
		warnings  int
		explained int
		note      string
	}{
		"a.yaml": {NeedsExplain, 1, 0, "需说明：TEXT-NUMBER 正文写“予以公开22件”"},
		"b.yaml": {Publishable, 0, 1, "1 个问题已说明"},
		"c.yaml": {HasErrors, 1, 0, "（另有 1 个错误）"}, // and TEXT-NUMBER: 行政复议4件
		"d.yaml": {HasWarnings, 0, 0, "报告年度是 2023"},
	}
	for _, r := range sum.Rows {
		w := want[r.File]
		if r.Status != w.status || r.Warnings != w.warnings || r.Explained != w.explained || !strings.Contains(strings.Join(r.Notes, "；"), w.note) {
			t.Errorf("%s: %s, %d warnings, %d explained, notes %q; want %s, %d, %d, %q", r.File, r.Status, r.Warnings, r.Explained, r.Notes, w.status, w.warnings, w.explained, w.note)
		}
		if r.File == "c.yaml" && !strings.HasPrefix(r.Notes[0], "错误：") {
			t.Errorf("c.yaml: the first note is not its first error: %q", r.Notes)
		}
	}
	if !strings.Contains(progress.String(), "d.yaml：有警告（原为可发布：报告年度是 2023") {
		t.Errorf("the terminal was not told of d.yaml's status:\n%s", progress.String())
	}
	page, _ := os.ReadFile(filepath.Join(out, OverviewPage))
	if !bytes.Contains(page, []byte("需说明 1 份")) {
		t.Errorf("the overview does not count 需说明")
	}
}
