package render

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// update is accepted so that `go test ./... -update` runs here too; this
// package has no golden files.
var _ = flag.Bool("update", false, "rewrite the golden files (none here)")

func TestRenderDispatch(t *testing.T) {
	r := sample.Report()
	for _, f := range []string{HTML, Text, DOCX} {
		var b bytes.Buffer
		if err := Render(&b, f, r, Options{}); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v (%d bytes)", f, err, b.Len())
		}
	}
	var b bytes.Buffer
	if err := Render(&b, "odt", r, Options{}); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("unknown format: %v", err)
	}
	if Ext(DOCX) != ".docx" || len(Formats()) != 5 || len(Defaults()) != 4 || Ext(SVG) != ".svg" {
		t.Error("names")
	}
}

// BenchmarkRenderAll renders the complete example in the four default formats, as
// `nianbao render` does for one report (target: 15 ms).
func BenchmarkRenderAll(b *testing.B) {
	r, err := template.Open("../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, f := range Defaults() {
			if err := Render(io.Discard, f, r, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestNoDoubledSpaces: a doubled space or a tab pasted into a paragraph
// (TEXT-SPACE warns of it) is printed as one space in every output.
func TestNoDoubledSpaces(t *testing.T) {
	r := sample.Report()
	key := r.Format.Sections[0].Key
	r.Narrative[key] = append(r.Narrative[key], schema.Block{Text: "依据《条例》，  按照\t要求，\u3000\u3000做好公开。"})
	for _, f := range []string{HTML, Text, DOCX} {
		var b bytes.Buffer
		if err := Render(&b, f, r, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if f == DOCX {
			out = docxText(t, b.Bytes())
		}
		if !strings.Contains(out, "依据《条例》， 按照 要求， 做好公开。") {
			t.Errorf("%s: the paragraph is not printed with single spaces", f)
		}
	}
}

// docxText returns word/document.xml of a DOCX.
func docxText(t *testing.T, b []byte) string {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			defer rc.Close()
			x, _ := io.ReadAll(rc)
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// TestOutputs: the declaration of the output formats is well formed.
func TestOutputs(t *testing.T) {
	seen := map[string]bool{}
	for _, o := range Outputs {
		if o.Name == "" || seen[o.Name] || o.Ext != "."+o.Name || o.Title == "" {
			t.Errorf("malformed output format %+v", o)
		}
		seen[o.Name] = true
		if Lookup(o.Name) == nil || Ext(o.Name) != o.Ext {
			t.Errorf("%s: not found by name", o.Name)
		}
	}
	if got, err := ParseFormats(" TXT,html,txt"); err != nil || strings.Join(got, ",") != "txt,html" {
		t.Errorf("ParseFormats: %v %v", got, err)
	}
	for _, bad := range []string{"odt", " , "} {
		if _, err := ParseFormats(bad); err == nil {
			t.Errorf("ParseFormats(%q) accepted", bad)
		}
	}
}
