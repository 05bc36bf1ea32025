package published

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// want is a hand-written expectation: meta fields and, per table row, the
// figures (~ for blank).
type want struct {
	meta map[string]string
	rows map[string][]string // "t3.received" → figures
}

func readWant(t testing.TB, path string) want {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := want{meta: map[string]string{}, rows: map[string][]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("%s: bad line %q", path, l)
		}
		v = strings.TrimSpace(v)
		if m, ok := strings.CutPrefix(k, "meta."); ok {
			w.meta[m] = v
			continue
		}
		w.rows[k] = strings.Fields(v)
	}
	return w
}

func metaField(r *schema.Report, key string) string {
	m := r.Meta
	switch key {
	case "agency":
		return m.Agency.Value
	case "year":
		return m.Year.Value
	case "published":
		return m.Published.Value
	case "signer":
		return m.Signer.Value
	case "sign_date":
		return m.SignDate.Value
	case "website":
		return m.Website.Value
	}
	return "?" + key
}

// compareWant checks every figure listed in w (and, when w lists every row
// of the tables, that all 200 are there). src is the input's text, for
// checking that each figure's line holds it; nil skips that.
func compareWant(t *testing.T, rep *schema.Report, w want, src []string) {
	t.Helper()
	for k, v := range w.meta {
		if got := metaField(rep, k); got != v {
			t.Errorf("meta %s = %q, want %q", k, got, v)
		}
	}
	figures := 0
	for key, cells := range w.rows {
		tid, rkey, _ := strings.Cut(key, ".")
		tbl := rep.Format.Table(tid)
		row := tbl.Row(rkey)
		if row == nil {
			t.Fatalf("want row %s not declared", key)
		}
		if len(cells) != len(row.Cols) {
			t.Fatalf("want row %s has %d cells, declared %d", key, len(cells), len(row.Cols))
		}
		d := rep.Tables[tid]
		if d == nil {
			t.Errorf("%s: table missing", key)
			continue
		}
		for j, c := range row.Cols {
			v := d.Cell(rkey, c.Key)
			figures++
			if cells[j] == "~" {
				if !v.IsBlank() {
					t.Errorf("%s.%s = %q, want blank", key, c.Key, v.Text())
				}
				continue
			}
			if !v.OK() || v.Num.String() != cells[j] {
				t.Errorf("%s.%s = %q (state %d, raw %q, line %d), want %s", key, c.Key, v.Text(), v.State, v.Raw, v.Loc.Line, cells[j])
				continue
			}
			if src != nil {
				ln := v.Loc.Line
				if ln < 1 || ln > len(src) || !strings.Contains(src[ln-1], v.Raw) {
					t.Errorf("%s.%s: location line %d does not hold %q", key, c.Key, ln, v.Raw)
				}
			}
		}
	}
	if len(w.rows) > 0 && figures != 200 {
		t.Errorf("want file covers %d figures, want all 200", figures)
	}
}

func rules(fs []schema.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	slices.Sort(out)
	return out
}

func countRule(fs []schema.Finding, rule string) int {
	n := 0
	for _, f := range fs {
		if f.Rule == rule {
			n++
		}
	}
	return n
}

func readSeed(t testing.TB, id string) (*schema.Report, []byte) {
	t.Helper()
	name := filepath.Join("testdata", "seeds", id+".txt")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Read(name, data)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return rep, data
}

func TestSeeds(t *testing.T) {
	tests := []struct {
		id       string
		findings map[string]int // rule → count of import findings
	}{
		{"000", nil},
		{"001", map[string]int{RuleOldFormat: 1, RuleUnmapped: 9}},
		{"002", nil},
		{"003", nil},
		{"004", map[string]int{RuleTableMissing: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			rep, data := readSeed(t, tt.id)
			w := readWant(t, filepath.Join("testdata", "want", tt.id+".want"))
			compareWant(t, rep, w, strings.Split(string(data), "\n"))
			got := map[string]int{}
			for _, f := range rep.Issues {
				got[f.Rule]++
			}
			if len(got) != len(tt.findings) {
				t.Errorf("import findings %v, want %v", rules(rep.Issues), tt.findings)
				for _, f := range rep.Issues {
					t.Logf("  %s %s %s", f.Rule, f.Location, f.Message)
				}
			}
			for r, n := range tt.findings {
				if got[r] != n {
					t.Errorf("%s findings = %d, want %d", r, got[r], n)
				}
			}
			for _, s := range rep.Format.Sections {
				if _, ok := rep.SectionLoc[s.Key]; !ok {
					t.Errorf("section %s not found", s.Heading())
				}
			}
		})
	}
}

// TestSeedText checks the text the checker needs: the stale references of
// 000, the narrative figure of 001, the duplicated sub-heading of 003, the
// misplaced problem list of 004.
func TestSeedText(t *testing.T) {
	joined := func(bs []schema.Block) string {
		var ss []string
		for _, b := range bs {
			ss = append(ss, b.Text)
		}
		return strings.Join(ss, "\n")
	}
	headings := func(bs []schema.Block) []string {
		var hs []string
		for _, b := range bs {
			if b.Kind == schema.Heading {
				hs = append(hs, b.Text)
			}
		}
		return hs
	}
	r0, _ := readSeed(t, "000")
	intro := joined(r0.Intro)
	for _, s := range []string{"/2020j/", "国办公开办函〔2019〕60号"} {
		if !strings.Contains(intro, s) {
			t.Errorf("000 intro lacks %q", s)
		}
	}
	if got := joined(r0.Narrative["other"]); got != "无。" {
		t.Errorf("000 六 = %q, want 无。", got)
	}
	if n := len(r0.Narrative["overview"]); n != 7 {
		t.Errorf("000 一 has %d blocks, want 7", n)
	}

	r1, _ := readSeed(t, "001")
	if !strings.Contains(joined(r1.Narrative["overview"]), "予以公开15件") {
		t.Error("001 一 lacks 予以公开15件")
	}
	if got := r1.Narrative["other"]; len(got) != 1 || got[0].Text != "无。" || got[0].Loc.Line != 351 {
		t.Errorf("001 六 = %+v", got)
	}

	r3, _ := readSeed(t, "003")
	want := []string{"（一）政府信息公开收费情况", "（二）落实上级2022年度政务公开工作要点情况", "（二）人大代表建议和政协提案办理结果公开情况"}
	if got := headings(r3.Narrative["other"]); !slices.Equal(got, want) {
		t.Errorf("003 六 headings = %q, want %q", got, want)
	}
	if got := headings(r3.Narrative["overview"]); len(got) != 5 || got[0] != "（一）主动公开" {
		t.Errorf("003 一 headings = %q", got)
	}
	if bs := r3.Narrative["other"]; bs[len(bs)-1].Text != "2022年,我镇未承办过人大建议和政协提案办理。" {
		t.Errorf("003 六 ends with %q (page furniture kept?)", bs[len(bs)-1].Text)
	}

	r4, _ := readSeed(t, "004")
	if bs := r4.Narrative["appeals"]; len(bs) != 1 || bs[0].Loc.Line != 33 || !strings.HasSuffix(bs[0].Text, "具体改进措施如下:") {
		t.Errorf("004 四 narrative = %+v", bs)
	}
	if loc := r4.SectionLoc["problems"]; loc.Line != 33 {
		t.Errorf("004 五 at line %d, want 33", loc.Line)
	}
	if bs := r4.Narrative["other"]; len(bs) != 2 {
		t.Errorf("004 六 = %+v (信息来源 kept?)", bs)
	}
}
