package pdf

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

// tool runs one of poppler's or qpdf's programs on a PDF. A missing
// program fails the test: .ci/deps.sh installs poppler-utils and qpdf.
func tool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install it (make deps / .ci/deps.sh)", name)
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append(args, in)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// baselineSize is each example's PDF size before streams were compressed
// and objects packed (main at ee00d7a): the file must be at most 0.75 of it
// (issue 14); the test holds it to 0.70, which the fonts nianbao embeds
// itself (embed.go) reach with a margin (0.667–0.688), so a change that
// gives the gain back is noticed before the limit is.
var baselineSize = map[string]int{
	"baishan-2022":       237927,
	"baoshan-zwfw-2024":  217845,
	"chengnan-scjg-2023": 172130,
	"chengnan-scjg-2024": 205874,
	"rushanzhai-2022":    211611,
}

func TestSmallerThanBaseline(t *testing.T) {
	for name, r := range sample.Examples(t) {
		base, ok := baselineSize[name]
		if !ok {
			t.Errorf("%s: no baseline size", name)
			continue
		}
		if n := len(render(t, r, Options{})); float64(n) > 0.70*float64(base) {
			t.Errorf("%s: %d bytes, more than 0.70 × %d", name, n, base)
		}
	}
}

// TestQpdfCheck: qpdf finds no syntax or stream errors in the rewritten
// file (object streams, cross-reference stream).
func TestQpdfCheck(t *testing.T) {
	for name, r := range sample.Examples(t) {
		out := tool(t, render(t, r, Options{Draft: name == "baishan-2022"}), "qpdf", "--check")
		if !strings.Contains(out, "No syntax or stream encoding errors") {
			t.Errorf("%s: qpdf --check:\n%s", name, out)
		}
	}
}

// TestSubsetTags: every embedded font is named as a subset, ABCDEF+Name
// (ISO 32000-1 §9.6.4), and marked as one by pdffonts.
func TestSubsetTags(t *testing.T) {
	tag := regexp.MustCompile(`^[A-Z]{6}\+[A-Za-z0-9-]+$`)
	for name, r := range sample.Examples(t) {
		out := tool(t, render(t, r, Options{}), "pdffonts")
		lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
		if len(lines) < 3 {
			t.Fatalf("%s: pdffonts lists %d fonts:\n%s", name, len(lines), out)
		}
		for _, l := range lines {
			f := strings.Fields(l)
			// name type… encoding emb sub uni id gen
			if !tag.MatchString(f[0]) || f[len(f)-4] != "yes" || f[len(f)-5] != "yes" {
				t.Errorf("%s: font not an embedded tagged subset: %s", name, l)
			}
		}
	}
}

// TestOutline: qpdf --json shows a bookmark for each of the six sections
// (their headings from the declaration) and, under 二 三 四, one for the
// table, each pointing into the document.
func TestOutline(t *testing.T) {
	r := sample.Examples(t)["chengnan-scjg-2024"]
	var doc struct {
		Outlines []struct {
			Title string `json:"title"`
			Dest  any    `json:"dest"`
			Kids  []struct {
				Title string `json:"title"`
			} `json:"kids"`
		} `json:"outlines"`
	}
	if err := json.Unmarshal([]byte(tool(t, render(t, r, Options{}), "qpdf", "--json", "--json-key=outlines")), &doc); err != nil {
		t.Fatal(err)
	}
	f := r.Format
	if len(doc.Outlines) != len(f.Sections) {
		t.Fatalf("%d top-level bookmarks, want %d: %+v", len(doc.Outlines), len(f.Sections), doc.Outlines)
	}
	for i, s := range f.Sections {
		o := doc.Outlines[i]
		if o.Title != s.Heading() || o.Dest == nil {
			t.Errorf("bookmark %d = %q (dest %v), want %q", i, o.Title, o.Dest, s.Heading())
		}
		want := 0
		if s.Kind == schema.TableSection {
			want = 1
		}
		if len(o.Kids) != want {
			t.Errorf("%s: %d table bookmarks, want %d", s.Heading(), len(o.Kids), want)
			continue
		}
		if want == 1 {
			tb := f.Table(s.Table)
			if k := o.Kids[0].Title; k != tb.Name+" "+tb.Caption {
				t.Errorf("%s: table bookmark %q", s.Heading(), k)
			}
		}
	}
}

// TestXMP: the metadata stream is well-formed XML giving the title, the
// signing body, the agency, the year and the date, and identifies the
// file as PDF/A-2B and PDF/UA-1; the information dictionary agrees.
func TestXMP(t *testing.T) {
	r := sample.Examples(t)["chengnan-scjg-2024"]
	pdf := render(t, r, Options{})
	meta := tool(t, pdf, "pdfinfo", "-meta")
	i := strings.Index(meta, "<?xpacket begin")
	if i < 0 {
		t.Fatalf("no XMP packet:\n%s", meta)
	}
	meta = meta[i:]
	d := xml.NewDecoder(strings.NewReader(meta))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("XMP is not well-formed: %v", err)
			}
			break
		}
	}
	for _, want := range []string{
		"<rdf:li xml:lang=\"x-default\">" + r.Title() + "</rdf:li>",
		"<dc:creator><rdf:Seq><rdf:li>" + r.Signer() + "</rdf:li>",
		"<dc:publisher><rdf:Bag><rdf:li>" + r.Meta.Agency.Value + "</rdf:li>",
		"<dc:coverage>" + r.Meta.Year.Value + "</dc:coverage>",
		"<dc:date><rdf:Seq><rdf:li>" + r.SignDate() + "</rdf:li>",
		"<xmp:CreateDate>" + r.SignDate() + "T00:00:00+08:00</xmp:CreateDate>",
		"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", "<pdfuaid:part>1</pdfuaid:part>",
	} {
		if !strings.Contains(meta, want) {
			t.Errorf("XMP lacks %s", want)
		}
	}
	info := tool(t, pdf, "pdfinfo")
	for _, want := range []string{"Title:           " + r.Title(), "Author:          " + r.Signer(), "Tagged:          yes", "Metadata Stream: yes"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
}

// TestStructureTree: pdfinfo -struct shows the tagged structure: the title
// as H1, the six section headings as H2, the three tables each with a
// THead (the header rows) followed by a TBody, header cells (TH, scope
// Column) and row labels (TH, scope Row), data cells TD; the text of every
// heading is in its element.
func TestStructureTree(t *testing.T) {
	r := sample.Examples(t)["chengnan-scjg-2024"]
	pdf := render(t, r, Options{})
	st := tool(t, pdf, "pdfinfo", "-struct-text")
	count := func(s string) int { return strings.Count(st, "\n"+s) + strings.Count(st, "\n  "+s) }
	if n := count("H1"); n != 1 {
		t.Errorf("%d H1", n)
	}
	if n := count("H2"); n != len(r.Format.Sections) {
		t.Errorf("%d H2, want %d", n, len(r.Format.Sections))
	}
	if n := count("Table"); n != 3 {
		t.Errorf("%d Table", n)
	}
	groups := regexp.MustCompile(`(?m)^ {4}(THead|TBody)$`).FindAllString(st, -1)
	if want := strings.Repeat("    THead    TBody", 3); strings.Join(groups, "") != want {
		t.Errorf("table row groups %q, want THead then TBody in each of the three tables", groups)
	}
	for _, s := range r.Format.Sections {
		if !strings.Contains(st, "\""+s.Heading()+"\"") {
			t.Errorf("no element holds %q", s.Heading())
		}
	}
	for _, want := range []string{"/Scope /Column", "/Scope /Row", "TD", "/RowSpan", "/ColSpan"} {
		if !strings.Contains(st, want) {
			t.Errorf("structure lacks %s", want)
		}
	}
}

// TestPDFAChecks runs testdata/pdfa_check.py — a subset of the PDF/A-2b and
// PDF/UA-1 rules veraPDF applies (XMP identification, OutputIntent and ICC
// header, trailer ID, embedded subset-tagged fonts with ToUnicode and
// CIDToGIDMap, widths in /W equal to the font programs' advances, every
// painting operator inside marked content or an artifact, Figure /Alt, TH
// /Scope, Tabs /S, DisplayDocTitle, Lang) — on the five examples, a draft
// and a PDF with the 图解 page. veraPDF itself cannot be installed here.
func TestPDFAChecks(t *testing.T) {
	py := "/usr/bin/python3"
	if out, err := exec.Command(py, "-c", "import pikepdf, fontTools").CombinedOutput(); err != nil {
		t.Fatalf("%s with pikepdf and fontTools is needed (.ci/deps.sh installs python3-pikepdf python3-fonttools): %v\n%s", py, err, out)
	}
	dir := t.TempDir()
	ex := sample.Examples(t)
	args := []string{"testdata/pdfa_check.py"}
	files := map[string][]byte{
		"draft":   render(t, ex["baishan-2022"], Options{Draft: true}),
		"graphic": render(t, ex["chengnan-scjg-2024"], Options{Graphic: true, Prev: ex["chengnan-scjg-2023"]}),
	}
	for name, r := range ex {
		files[name] = render(t, r, Options{})
	}
	for name, b := range files {
		p := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Errorf("pdfa_check.py: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " checks, 0 failed"); n != len(files) {
		t.Errorf("%d of %d files passed:\n%s", n, len(files), out)
	}
}
