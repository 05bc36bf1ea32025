package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestPublishedRoundTrip renders every example as HTML, text and DOCX and
// imports the result with the published-report reader: every table value,
// the title fields and the narrative text must come back unchanged. It shows
// that the outputs are what they claim to be (the official headings and the
// official grid), not only that they look right.
func TestPublishedRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("../examples/*.yaml")
	if len(paths) == 0 {
		t.Fatal("no examples")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		orig, err := yamlfile.Read(filepath.Base(p), data)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{HTML, Text, DOCX} {
			t.Run(filepath.Base(p)+"/"+f, func(t *testing.T) {
				var b bytes.Buffer
				if err := Render(&b, f, orig, Options{}); err != nil {
					t.Fatal(err)
				}
				got, err := template.Read("report"+Ext(f), b.Bytes())
				if err != nil {
					t.Fatalf("import: %v", err)
				}
				for _, fi := range got.Issues {
					if fi.Severity == schema.Error {
						t.Errorf("import finding: %s %s", fi.Rule, fi.Message)
					}
				}
				if got.Meta.Agency.Value != orig.Meta.Agency.Value || got.Meta.Year.Value != orig.Meta.Year.Value {
					t.Errorf("title fields: %q %q", got.Meta.Agency.Value, got.Meta.Year.Value)
				}
				for _, tb := range orig.Format.Tables {
					for i, row := range tb.Rows {
						for j, col := range row.Cols {
							want := orig.Tables[tb.ID].Values[i][j].Text()
							g := got.Cell(tb.ID, row.Key, col.Key)
							if g.Text() != want {
								t.Errorf("%s %s·%s: %q, want %q", tb.Name, row.Label, col.Label, g.Text(), want)
							}
						}
					}
				}
				for _, s := range orig.Format.Sections {
					if want, have := blocksText(orig.Narrative[s.Key]), blocksText(got.Narrative[s.Key]); want != have {
						t.Errorf("%s narrative differs:\n got %.200q\nwant %.200q", s.Heading(), have, want)
					}
				}
			})
		}
	}
}

// blocksText joins the blocks' texts without white space; a sub-heading's
// ASCII brackets are compared as the full-width ones the importer writes.
func blocksText(bs []schema.Block) string {
	var s []string
	brackets := strings.NewReplacer("(", "（", ")", "）")
	for _, b := range bs {
		t := strings.Join(strings.Fields(b.Text), "")
		if b.Kind == schema.Heading {
			t = brackets.Replace(t)
		}
		s = append(s, t)
	}
	return strings.Join(s, "|")
}
