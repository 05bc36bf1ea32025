package check_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/check"
)

// TestExplanations: a 需说明 warning blocks publication until the report
// explains it (same rule, stable place); an explained warning is 已说明
// with its reason in the text and the JSON, and no longer blocks.
func TestExplanations(t *testing.T) {
	base := strings.Replace(string(load(t, complete)), "予以公开23件", "予以公开22件", 1)
	prev := strings.Replace(string(load(t, completePrev)), "licensing: 1400", "licensing: 400", 1)
	tests := []struct {
		name        string
		explain     string // the explanations: block
		publishable bool
		explained   int
	}{
		{"none", "", false, 0},
		{"both, by key and by heading", `
explanations:
  - rule: TEXT-NUMBER
    place: 一、总体情况
    reason: 另有 1 件予以公开的申请在年底前撤回，正文按实际公开件数填写。
  - rule: YOY-JUMP
    place: t2.licensing.decisions
    reason: 本年承接市级下放的食品经营许可。
`, true, 2},
		{"one of two", `
explanations:
  - rule: YOY-JUMP
    place: t2.licensing.decisions
    reason: 本年承接市级下放的食品经营许可。
`, false, 1},
		{"wrong place or rule explains nothing", `
explanations:
  - rule: YOY-JUMP
    place: t2.penalty.decisions
    reason: 无关。
  - rule: CARRY-OVER
    place: overview
    reason: 无关。
`, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := read(t, "report.yaml", []byte(base+tt.explain))
			res := &check.Result{File: "report.yaml", Format: r.Format, Findings: check.Run(r, check.Options{Prev: read(t, "prev.yaml", []byte(prev))})}
			if res.Publishable() != tt.publishable || res.Explained() != tt.explained {
				t.Fatalf("publishable %v, explained %d; want %v, %d: %+v", res.Publishable(), res.Explained(), tt.publishable, tt.explained, res.Findings)
			}
			if res.Errors() != 0 || res.ToExplain()+res.Explained() != 2 {
				t.Fatalf("errors %d, to explain %d: %+v", res.Errors(), res.ToExplain(), res.Findings)
			}
			var text bytes.Buffer
			res.WriteText(&text)
			var js bytes.Buffer
			res.WriteJSON(&js)
			var out struct {
				Publishable bool
				Findings    []struct{ Rule, Class, Place, Explained string }
			}
			if err := json.Unmarshal(js.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range out.Findings {
				switch {
				case f.Explained != "":
					n++
					if f.Class != "已说明" || !strings.Contains(text.String(), "【已说明："+f.Explained+"】") {
						t.Errorf("%s: class %s, text:\n%s", f.Rule, f.Class, text.String())
					}
				case f.Class != "需说明":
					t.Errorf("%s: class %s, want 需说明", f.Rule, f.Class)
				}
				if f.Rule == "YOY-JUMP" && f.Place != "t2.licensing.decisions" {
					t.Errorf("YOY-JUMP at place %q", f.Place)
				}
			}
			if n != tt.explained || out.Publishable != tt.publishable {
				t.Errorf("JSON: %d explained, publishable %v", n, out.Publishable)
			}
			if !tt.publishable && !strings.Contains(text.String(), "写明原因后才能发布") {
				t.Errorf("the verdict does not say how to get out:\n%s", text.String())
			}
		})
	}
}
