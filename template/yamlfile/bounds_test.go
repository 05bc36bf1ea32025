package yamlfile_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestTextBounds: a YAML report over schema.MaxText characters of text,
// or with one paragraph over schema.MaxParagraph, is refused with the
// place of the paragraph.
func TestTextBounds(t *testing.T) {
	base, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	with := func(extra string) []byte {
		return []byte(strings.Replace(string(base), "\nproblems:", "\nproblems:"+extra, 1))
	}
	var many strings.Builder
	many.WriteString("\n")
	for range schema.MaxText/10000 + 1 {
		many.WriteString("  - \"" + strings.Repeat("很", 10000) + "\"\n")
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"long paragraph", with("\n  - \"" + strings.Repeat("长", schema.MaxParagraph+1) + "\"\n"), "过长"},
		{"too much text", with(many.String()), "文字过多"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := yamlfile.Read("a.yaml", tt.data)
			if err == nil {
				t.Fatalf("read %d paragraphs of 五", len(r.Narrative["problems"]))
			}
			if !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "a.yaml:") {
				t.Errorf("error %q, want ErrUnusable with a place containing %q", err, tt.want)
			}
		})
	}
	if _, err := yamlfile.Read("a.yaml", base); err != nil {
		t.Fatal(err)
	}
}
