package yamlfile

import (
	"bytes"
	"flag"
	"github.com/nianbao/nianbao/schema/schematest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	schematest.Golden(t, filepath.Join("testdata", name), got, *update)
}

// TestRoundTrip reads every example, writes it and reads it back: the
// second write equals the first, and every value survives.
func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.yaml")
	if len(files) < 4 {
		t.Fatalf("expected the examples, found %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, _ := os.ReadFile(f)
			r, err := Read(f, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Issues) != 0 {
				t.Fatalf("issues reading an example: %+v", r.Issues)
			}
			out := Write(r)
			r2, err := Read(f, out)
			if err != nil {
				t.Fatal(err)
			}
			if out2 := Write(r2); !bytes.Equal(out, out2) {
				t.Fatal("second write differs")
			}
			for id, d := range r.Tables {
				d2 := r2.Tables[id]
				for i := range d.Values {
					for j := range d.Values[i] {
						if a, b := d.Values[i][j], d2.Values[i][j]; a.State != b.State || a.Num != b.Num {
							t.Errorf("%s[%d][%d]: %v became %v", id, i, j, a.Text(), b.Text())
						}
					}
				}
			}
			for k, bs := range r.Narrative {
				if len(bs) != len(r2.Narrative[k]) {
					t.Errorf("section %s: %d blocks became %d", k, len(bs), len(r2.Narrative[k]))
				}
			}
			golden(t, strings.TrimSuffix(filepath.Base(f), ".yaml")+".golden.yaml", out)
		})
	}
}

func TestBlankTemplate(t *testing.T) {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value, r.Meta.Year.Value = "某某局", "2025"
	r.Hints[schema.CellKey("t2", "normative", "valid")] = "上年现行有效件数 12；本年应为 12 + 本年制发 − 本年废止"
	golden(t, "template.golden.yaml", Write(r))
	back, err := Read("template.yaml", Write(r))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range back.Tables {
		for _, row := range d.Values {
			for _, v := range row {
				if !v.IsBlank() {
					t.Fatalf("a template cell is not blank: %+v", v)
				}
			}
		}
	}
}

func TestLocations(t *testing.T) {
	src := "agency: 某某局\nyear: 2025\nrequests:\n  received: [1, 2, ~, 0, 0, 0, 3]\n"
	r, err := Read("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v := r.Cell("t3", "received", "research")
	if v.State != schema.Blank || v.Loc.String() != "r.yaml:4:20" {
		t.Fatalf("blank cell %+v at %s", v, v.Loc)
	}
	if v := r.Cell("t3", "received", "total"); !v.OK() || v.Num.String() != "3" || v.Loc.String() != "r.yaml:4:32" {
		t.Fatalf("total %+v at %s", v, v.Loc)
	}
	if r.Meta.Agency.Loc.String() != "r.yaml:1:9" {
		t.Fatalf("agency at %s", r.Meta.Agency.Loc)
	}
}

func TestUnusable(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "文件为空"},
		{"gbk", "agency: \xc4\xb3\xc4\xb3\xbe\xd6\n", "UTF-8"},
		{"nul", "agency: a\x00b\n", "空字符"},
		{"list", "- a\n- b\n", "顶层"},
		{"syntax", "agency: [1, 2\n", "YAML 格式错误"},
		{"alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "别名"},
		{"too large", "agency: " + strings.Repeat("字", MaxSize/3+1), "文件过大"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read("x.yaml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestStructureIssues(t *testing.T) {
	src := "agnecy: 某某局\nrequests:\n  recieved: [1]\n  received: [1, 2]\nappeals: [1, 2]\n"
	r, err := Read("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Issues {
		got = append(got, f.Rule+" "+f.Location.String())
	}
	want := []string{"STRUCTURE r.yaml:1:1", "STRUCTURE r.yaml:3:3", "STRUCTURE r.yaml:4:13", "STRUCTURE r.yaml:5:10"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("issues\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Read("r.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTableText keeps paragraphs printed before a table (a published report
// may explain its table) through a round trip.
func TestTableText(t *testing.T) {
	src := "appeals:\n  text:\n    - 本年度被申请行政复议1件。\n  review: [0, 1, 0, 0, 1]\n"
	r, err := Read("r.yaml", []byte(src))
	if err != nil || len(r.Issues) != 0 {
		t.Fatalf("read: %v %+v", err, r.Issues)
	}
	if bs := r.Narrative["appeals"]; len(bs) != 1 || bs[0].Text != "本年度被申请行政复议1件。" || bs[0].Loc.Line != 3 {
		t.Fatalf("table text %+v", bs)
	}
	r2, err := Read("r.yaml", Write(r))
	if err != nil || len(r2.Narrative["appeals"]) != 1 || !r2.Cell("t4", "review", "total").OK() {
		t.Fatalf("round trip lost the text or the values: %v %+v", err, r2.Narrative)
	}
}

// TestControlCharacters: whatever a field holds, Write gives YAML that Read
// accepts and that keeps the values.
func TestControlCharacters(t *testing.T) {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value = "某某\x01局\x1b[31m\n第二行"
	r.Narrative["other"] = []schema.Block{{Text: "段落\x02含有控制字符\x7f\u2028"}}
	r.Hints[schema.CellKey("t2", "rules", "valid")] = "提示\n\x00换行"
	back, err := Read("x.yaml", Write(r))
	if err != nil {
		t.Fatalf("Write gave YAML its own Read refuses: %v\n%s", err, Write(r))
	}
	if back.Meta.Agency.Value != strings.TrimSpace(r.Meta.Agency.Value) || back.Narrative["other"][0].Text != "段落\x02含有控制字符\x7f" {
		t.Fatalf("values changed: %q %q", back.Meta.Agency.Value, back.Narrative["other"][0].Text)
	}
}

// TestExplanationsRoundTrip: explanations: is read and written back the same.
func TestExplanationsRoundTrip(t *testing.T) {
	orig, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r0, err := Read("r.yaml", orig)
	if err != nil {
		t.Fatal(err)
	}
	src := append(Write(r0), "\nexplanations:  # 说明：对需说明的问题写明原因（规则号、位置、原因）\n  - rule: YOY-JUMP\n    place: t2.licensing.decisions\n    reason: 本年承接市级下放的许可事项。\n"...)
	r, err := Read("r.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Explanations) != 1 || r.Explanations[0].Reason != "本年承接市级下放的许可事项。" || len(r.Issues) != 0 {
		t.Fatalf("%+v %+v", r.Explanations, r.Issues)
	}
	if got := Write(r); !bytes.Equal(got, src) {
		t.Errorf("written back differently:\n%s", got[len(got)-300:])
	}
	bad, _ := Read("r.yaml", append(src, "  - rule: YOY-JUMP\n"...))
	if len(bad.Issues) != 1 || bad.Issues[0].Rule != "STRUCTURE" {
		t.Errorf("an explanation without place and reason: %+v", bad.Issues)
	}
}
