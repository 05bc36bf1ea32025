package template

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestFromPrevious(t *testing.T) {
	prev, err := Open("testdata/last-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := FromPrevious(prev, 2025)
	m := r.Meta
	for _, c := range []struct{ got, want string }{
		{m.Agency.Value, "白山市某某局"}, {m.Year.Value, "2025"}, {m.Scope.Value, "本机关"},
		{m.Level.Value, "市"}, {m.Role.Value, "部门"}, {m.Website.Value, prev.Meta.Website.Value},
		{m.Contact.Phone.Value, "0439-3255077"}, {m.Contact.Office.Value, "白山市某某局办公室"},
		{m.Published.Value, ""}, {m.SignDate.Value, ""},
	} {
		if c.got != c.want {
			t.Errorf("meta %q, want %q", c.got, c.want)
		}
	}
	// 上年结转 ← last year's 结转下年度继续办理, every other figure blank
	for _, tb := range r.Format.Tables {
		d := r.Tables[tb.ID]
		for i, row := range tb.Rows {
			for j, col := range row.Cols {
				v := d.Values[i][j]
				if tb.ID == "t3" && row.Key == "carried_over" {
					want := prev.Cell("t3", "carried_forward", col.Key)
					if !v.OK() || v.Num.Cmp(want.Num) != 0 || !v.Loc.IsZero() {
						t.Errorf("上年结转 %s = %v, want %v", col.Label, v, want.Num)
					}
					continue
				}
				if v.State != schema.Blank {
					t.Errorf("%s %s %s = %v, want blank", tb.Name, row.Key, col.Key, v.Text())
				}
			}
		}
	}
	if h := r.Hints[schema.CellKey("t2", "normative", "valid")]; !strings.Contains(h, "2024年为 12") {
		t.Errorf("stock hint = %q", h)
	}
	// narrative: kept, year mentions flagged, the text itself unchanged
	for key, blocks := range prev.Narrative {
		got := r.Narrative[key]
		if len(got) != len(blocks) {
			t.Fatalf("%s: %d blocks, want %d", key, len(got), len(blocks))
		}
		for i, b := range blocks {
			g := got[i]
			if g.Kind != b.Kind || !strings.HasPrefix(g.Text, b.Text) {
				t.Errorf("%s[%d] = %q, want it to start with %q", key, i, g.Text, b.Text)
			}
			if marked := strings.Contains(g.Text, DraftMark); marked != (len(Years(b.Text)) > 0) {
				t.Errorf("%s[%d] %q: marked %v", key, i, g.Text, marked)
			}
		}
	}
	out := yamlfile.Write(r)
	golden := "testdata/next-2025.yaml.golden"
	if *update {
		os.WriteFile(golden, out, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("FromPrevious output differs from %s (go test -update rewrites it)", golden)
	}
	// the draft reads back, in YAML and in a workbook, as the same report
	for _, name := range []string{"next.yaml", "next.xlsx"} {
		var b bytes.Buffer
		if err := Encode(&b, name, r); err != nil {
			t.Fatal(err)
		}
		back, err := Read(name, b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(yamlfile.Write(back), yamlfile.Write(schemaWithoutHints(r))) {
			t.Errorf("%s: the template does not read back as the same report", name)
		}
	}
}

// schemaWithoutHints: hints are notes, not content; writers show them but
// readers do not read them back.
func schemaWithoutHints(r *schema.Report) *schema.Report {
	c := *r
	c.Hints = map[string]string{}
	return &c
}

func TestYears(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
	}{
		{"2024年，我局", "2024"},
		{"2023、2024年", "2023,2024"},
		{"２０２４年", "2024"},
		{"电话 0439-3255077，共1234条，20245件", ""},
		{"1999年与2099年", "1999,2099"},
		{"1989年", ""},
	} {
		if got := strings.Join(Years(tt.in), ","); got != tt.want {
			t.Errorf("Years(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBlank(t *testing.T) {
	r := Blank(" 某某局 ", 2025)
	if r.Meta.Agency.Value != "某某局" || r.Meta.Year.Value != "2025" {
		t.Errorf("meta %q %q", r.Meta.Agency.Value, r.Meta.Year.Value)
	}
	for _, tb := range r.Format.Tables {
		if r.Tables[tb.ID] == nil {
			t.Errorf("%s absent", tb.Name)
		}
	}
}

// TestCarryExplanations: init --from keeps last year's explanation only
// where the same rule still finds the same place wrong.
func TestCarryExplanations(t *testing.T) {
	prev, err := Open("../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	prev.Explanations = []schema.Explanation{
		// 上年结转 is carried from last year's 结转: it cannot fail again
		{Rule: "CARRY-OVER", Place: "t3.carried_over.total", Reason: "机构改革，并入原某某局的申请。"},
		// nothing stale in the draft of 五
		{Rule: "TEXT-STALE", Place: "problems", Reason: "沿用。"},
	}
	r := FromPrevious(prev, 2025)
	var kept []string
	for _, e := range r.Explanations {
		kept = append(kept, e.Rule+" "+e.Place)
	}
	if len(kept) != 0 {
		t.Errorf("explanations carried for places that no longer fail: %v", kept)
	}
	// a place that still fails keeps its explanation: last year's 2023
	// opening words are still there in the draft of 一
	prev.Explanations = []schema.Explanation{{Rule: "TEXT-STALE", Place: "overview", Reason: "保留上年表述。"}}
	prev.Narrative["overview"][0].Text = "2023年，" + prev.Narrative["overview"][0].Text
	r = FromPrevious(prev, 2025)
	if len(r.Explanations) != 1 || r.Explanations[0].Reason != "保留上年表述。" {
		t.Errorf("an explanation of a place that still fails was dropped: %+v", r.Explanations)
	}
}

// TestCarryGaps: the 上年结转 cells last year's report cannot give (its 表三
// was not published as text, or a figure was not read) are listed with
// the reason, for the member of staff to type; the text a table section
// held is carried too.
func TestCarryGaps(t *testing.T) {
	prev, err := Open("published/testdata/real/h2-013_nppa_2022_partial.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := FromPrevious(prev, 2023)
	gaps := CarryGaps(r)
	if len(gaps) != 7 || !strings.Contains(gaps[0], "没有表三") || !strings.Contains(gaps[0], "自然人") {
		t.Errorf("gaps %q", gaps)
	}
	seed, err := Open("published/testdata/seeds/004.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(seed.Narrative["appeals"]) == 0 || len(FromPrevious(seed, 2023).Narrative["appeals"]) != len(seed.Narrative["appeals"]) {
		t.Error("the paragraph printed before 表四 is not carried")
	}
	whole, err := Open("published/testdata/seeds/000.txt")
	if err != nil {
		t.Fatal(err)
	}
	if g := CarryGaps(FromPrevious(whole, 2023)); len(g) != 0 {
		t.Errorf("gaps from a whole report: %q", g)
	}
}
