package html

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/schematest"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/render/svg"
	"github.com/nianbao/nianbao/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func render(t testing.TB, r *schema.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	schematest.Golden(t, filepath.Join("testdata", name+".golden"), got, *update)
}

func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  Options
	}{
		{"sample", Options{}},
		{"sample.draft", Options{Draft: true}},
		{"sample.fragment", Options{Fragment: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, sample.Report(), tt.opt)
			golden(t, tt.name+".html", got)
			if !bytes.Equal(got, render(t, sample.Report(), tt.opt)) {
				t.Error("two renderings differ")
			}
		})
	}
}

// TestMerges parses the rendered tables and checks that every declared
// merge, and no other, is drawn, and that the headers carry their scope.
func TestMerges(t *testing.T) {
	r := sample.Report()
	out := string(render(t, r, Options{}))
	tables := strings.Split(out, "<table")[1:]
	if len(tables) != len(r.Format.Tables) {
		t.Fatalf("%d tables, want %d", len(tables), len(r.Format.Tables))
	}
	cellRE := regexp.MustCompile(`<(th|td)(\s[^>]*)?>`)
	spanRE := regexp.MustCompile(`(colspan|rowspan)="(\d+)"`)
	for i, tb := range r.Format.Tables {
		html := tables[i][:strings.Index(tables[i], "</table>")]
		var want, got []string
		for _, row := range tb.Layout {
			for _, c := range row {
				cs, rs := c.Span()
				want = append(want, fmt.Sprintf("%d×%d", cs, rs))
			}
		}
		heads, labels := 0, 0
		for _, m := range cellRE.FindAllStringSubmatch(html, -1) {
			cs, rs := 1, 1
			for _, s := range spanRE.FindAllStringSubmatch(m[2], -1) {
				n, _ := strconv.Atoi(s[2])
				if n < 2 {
					t.Errorf("%s: useless %s", tb.Name, s[0])
				}
				if s[1] == "colspan" {
					cs = n
				} else {
					rs = n
				}
			}
			got = append(got, fmt.Sprintf("%d×%d", cs, rs))
			if strings.Contains(m[2], `scope="col"`) {
				heads++
			}
			if strings.Contains(m[2], `scope="row"`) {
				labels++
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s spans:\n got %v\nwant %v", tb.Name, got, want)
		}
		wantHeads, wantLabels := 0, 0
		for _, row := range tb.Layout {
			for _, c := range row {
				switch {
				case c.Note, c.IsValue():
				case c.Header:
					wantHeads++
				default:
					wantLabels++
				}
			}
		}
		if heads != wantHeads || labels != wantLabels {
			t.Errorf("%s: %d col headers and %d row labels, want %d and %d", tb.Name, heads, labels, wantHeads, wantLabels)
		}
		if n := strings.Count(html, `class="num`); n != tb.CellCount() {
			t.Errorf("%s: %d number cells, want %d", tb.Name, n, tb.CellCount())
		}
	}
}

func TestEscaping(t *testing.T) {
	r := sample.Report()
	r.Meta.Agency.Value = `<b>局</b>`
	r.Narrative["other"] = []schema.Block{
		{Kind: schema.Heading, Text: `（一）<img src=x onerror=alert(1)>`},
		{Text: `<script>alert("x")</script> & 其他`},
	}
	r.Tables["t4"].Values[0][0] = schema.Value{State: schema.Invalid, Raw: `<i>1</i>`}
	out := string(render(t, r, Options{}))
	for _, bad := range []string{"<script>", "<img", "<b>", "<i>"} {
		if strings.Contains(out, bad) {
			t.Errorf("markup %q reached the page", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 其他", "&lt;b&gt;局&lt;/b&gt;", "&lt;i&gt;1&lt;/i&gt;"} {
		if !strings.Contains(out, good) {
			t.Errorf("escaped text %q missing", good)
		}
	}
}

func TestOptions(t *testing.T) {
	r := sample.Report()
	full := string(render(t, r, Options{}))
	frag := string(render(t, r, Options{Fragment: true}))
	draft := string(render(t, r, Options{Draft: true}))
	if !strings.HasPrefix(full, "<!DOCTYPE html>") || !strings.Contains(full, "@page") {
		t.Error("standalone page lacks doctype or print CSS")
	}
	for _, ext := range []string{"http://", "https://www", "src=", "<link", "@import", "url("} {
		if strings.Contains(strings.ReplaceAll(full, r.Meta.Website.Value, ""), ext) {
			t.Errorf("external reference %q", ext)
		}
	}
	if strings.Contains(frag, "<html") || strings.Contains(frag, "<style") || strings.Contains(frag, "<body") {
		t.Error("fragment is not body content only")
	}
	if strings.Contains(full, DraftMark) || !strings.Contains(draft, `class="nb-draft"`) || !strings.Contains(draft, `class="nb-watermark"`) {
		t.Error("draft marks wrong")
	}
	signer := strings.LastIndex(full, r.Signer())
	if signer < strings.LastIndex(full, "</table>") || !strings.Contains(full, "2025年1月20日") {
		t.Error("signer and date not at the end")
	}
}

func TestBlankAndInvalid(t *testing.T) {
	r := sample.Report()
	d := r.Tables["t4"]
	d.Values[0][0] = schema.Value{}
	d.Values[0][1] = schema.Value{State: schema.Invalid, Raw: "二十"}
	delete(r.Tables, "t2")
	out := string(render(t, r, Options{}))
	if !strings.Contains(out, `<td class="num" style="border:1px solid #000;padding:0.2em 0.3em;text-align:right;vertical-align:middle"></td><td class="num invalid"`) {
		t.Error("blank cell not empty or invalid cell not marked")
	}
	if !strings.Contains(out, ">二十</td>") {
		t.Error("invalid raw text missing")
	}
}

func BenchmarkRenderHTML(b *testing.B) {
	r := sample.Report()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExamples renders every example in examples/ against its golden file.
func TestExamples(t *testing.T) {
	for name, r := range sample.Examples(t) {
		t.Run(name, func(t *testing.T) {
			golden(t, "example-"+name+".html", render(t, r, Options{}))
		})
	}
}

// TestGraphic: with Graphic the page ends with the 图解 as inline SVG (the
// same markup render/svg writes), after the signature; without, it has
// none.
func TestGraphic(t *testing.T) {
	r := sample.Report()
	var with, without bytes.Buffer
	if err := Render(&with, r, Options{Graphic: true}); err != nil {
		t.Fatal(err)
	}
	if err := Render(&without, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var g bytes.Buffer
	if err := svg.Render(&g, r, svg.Options{}); err != nil {
		t.Fatal(err)
	}
	page := with.String()
	i, j := strings.Index(page, `class="nb-date"`), strings.Index(page, g.String())
	if j < 0 || i < 0 || j < i {
		t.Errorf("the graphic is not on the page after the signature (date at %d, graphic at %d)", i, j)
	}
	if strings.Contains(without.String(), "<svg") {
		t.Error("a graphic without Graphic")
	}
}
