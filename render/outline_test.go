package render

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

// TestParagraphSplitEverywhere: a block with a line break prints as two
// paragraphs in all four outputs, which walk one outline.
func TestParagraphSplitEverywhere(t *testing.T) {
	r := sample.Report()
	r.Narrative["overview"] = append([]schema.Block{{Kind: schema.Paragraph, Text: "第一段。\n第二段。"}}, r.Narrative["overview"]...)
	paragraphs := map[string]func(b []byte) []string{
		Text: func(b []byte) []string { return strings.Split(string(b), "\r\n") },
		HTML: func(b []byte) []string {
			var out []string
			for _, m := range regexp.MustCompile(`<p[^>]*>([^<]*)</p>`).FindAllStringSubmatch(string(b), -1) {
				out = append(out, m[1])
			}
			return out
		},
		DOCX: func(b []byte) []string {
			var out []string
			for _, p := range strings.Split(docxText(t, b), "</w:p>") {
				out = append(out, regexp.MustCompile(`<[^>]*>`).ReplaceAllString(p, ""))
			}
			return out
		},
		PDF: func(b []byte) []string {
			dir := t.TempDir()
			p := filepath.Join(dir, "r.pdf")
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext (poppler-utils, installed by .ci/deps.sh): %v", err)
			}
			return strings.Split(string(out), "\n")
		},
	}
	// the formats that print the narrative (the svg 图解 draws figures only)
	for _, f := range []string{HTML, Text, DOCX, PDF} {
		var b bytes.Buffer
		if err := Render(&b, f, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var first, second string
		for _, l := range paragraphs[f](b.Bytes()) {
			switch {
			case strings.Contains(l, "第一段。") && strings.Contains(l, "第二段。"):
				t.Errorf("%s: one paragraph %q", f, l)
			case strings.Contains(l, "第一段。"):
				first = l
			case strings.Contains(l, "第二段。"):
				second = l
			}
		}
		indent := func(s string) string { return s[:len(s)-len(strings.TrimLeft(s, " \u3000"))] }
		if first == "" || second == "" || indent(first) != indent(second) || indent(first) == "" && f != HTML && f != DOCX {
			t.Errorf("%s: paragraphs %q and %q, want two alike, indented", f, first, second)
		}
	}
}
