package svg

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func render(t *testing.T, r *schema.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGolden: the graphic of every example, and of 城南 2024 with 2023 as
// last year, matches testdata/NAME.svg byte for byte; -update rewrites.
func TestGolden(t *testing.T) {
	ex := sample.Examples(t)
	cases := map[string][]byte{}
	for name, r := range ex {
		cases[name] = render(t, r, Options{})
	}
	cases["chengnan-scjg-2024-prev"] = render(t, ex["chengnan-scjg-2024"], Options{Prev: ex["chengnan-scjg-2023"]})
	for name, got := range cases {
		path := filepath.Join("testdata", name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update rewrites it)", name, path)
		}
	}
}

// TestContent: the graphic is well-formed SVG whose text holds the title,
// the headings of the three table sections, every row label of 表二, the
// result categories of 表三 and the outcome labels of 表四, all from the
// declaration, and the report's figures; with last year's report, the
// changes. It is deterministic.
func TestContent(t *testing.T) {
	ex := sample.Examples(t)
	r, prev := ex["chengnan-scjg-2024"], ex["chengnan-scjg-2023"]
	out := render(t, r, Options{Prev: prev})
	if !bytes.Equal(out, render(t, r, Options{Prev: prev})) {
		t.Fatal("the same report gave different bytes")
	}
	var texts []string
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			texts = append(texts, string(cd))
		}
	}
	all := strings.Join(texts, "")
	want := []string{r.Meta.Agency.Value, "2024年政府信息公开工作年度报告"}
	for _, s := range r.Format.Sections {
		if s.Kind == schema.TableSection {
			want = append(want, s.Heading())
		}
	}
	for _, row := range r.Format.Table("t2").Rows {
		want = append(want, row.Label)
	}
	for _, row := range r.Format.Table("t3").Rows {
		if len(row.Path) >= 2 {
			want = append(want, row.Path[len(row.Path)-1])
		}
	}
	for _, col := range r.Format.Table("t4").Rows[0].Cols {
		if !col.Total {
			want = append(want, col.Label)
		}
	}
	want = append(want, "1520", "比上年 +120", "23（比上年 −3）")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the graphic lacks %q", w)
		}
	}
	if strings.Contains(string(render(t, r, Options{})), "比上年") {
		t.Error("changes shown without last year's report")
	}
}

// TestPhoneLegible: no text of the graphic is smaller than 12 px when its
// 750 units fill an upright phone 360 px wide (checked by eye in Chromium
// at 360 px, too), and the wide layout keeps the same type sizes.
func TestPhoneLegible(t *testing.T) {
	ex := sample.Examples(t)
	for _, opt := range []Options{{}, {Prev: ex["chengnan-scjg-2023"]}, {Wide: true}, {Draft: true}} {
		out := string(render(t, ex["chengnan-scjg-2024"], opt))
		m := regexp.MustCompile(`viewBox="0 0 (\d+) \d+"`).FindStringSubmatch(out)
		if m == nil {
			t.Fatal("no viewBox")
		}
		width, _ := strconv.ParseFloat(m[1], 64)
		if want := map[bool]float64{false: 750, true: 1050}[opt.Wide]; width != want {
			t.Errorf("width %v, want %v", width, want)
		}
		sizes := regexp.MustCompile(`<text [^>]*font-size="(\d+)"`).FindAllStringSubmatch(out, -1)
		if len(sizes) < 30 {
			t.Fatalf("%d texts", len(sizes))
		}
		for _, s := range sizes {
			n, _ := strconv.ParseFloat(s[1], 64)
			// the HTML page leaves the graphic 330 of the phone's 360 px
			if px := n * 330 / 750; px < 12 {
				t.Errorf("text of %v units: %.1f px in the page on a 360 px phone", n, px)
			}
		}
	}
}
