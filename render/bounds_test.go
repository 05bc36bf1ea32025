package render_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
)

// TestRenderRefusesOversizedText: a report built by hand with one paragraph
// over schema.MaxParagraph, or more than schema.MaxText characters in all,
// is refused by every renderer before it renders anything (issue 15: one
// paragraph of 14 MB made the PDF renderer use 1 GB and write 118 MB).
func TestRenderRefusesOversizedText(t *testing.T) {
	oneLong := func() *schema.Report {
		r := odd("one table")
		r.Narrative["problems"] = []schema.Block{{Text: strings.Repeat("长", schema.MaxParagraph+1)}}
		return r
	}
	tooMuch := func() *schema.Report {
		r := odd("one table")
		for range schema.MaxText/schema.MaxParagraph + 1 {
			r.Narrative["other"] = append(r.Narrative["other"], schema.Block{Text: strings.Repeat("多", schema.MaxParagraph)})
		}
		return r
	}
	for name, mk := range map[string]func() *schema.Report{"one long paragraph": oneLong, "too much text": tooMuch} {
		for _, f := range render.Formats() {
			t.Run(name+"/"+f, func(t *testing.T) {
				var b bytes.Buffer
				start := time.Now()
				err := render.Render(&b, f, mk(), render.Options{})
				if err == nil || !errors.Is(err, schema.ErrUnusable) {
					t.Fatalf("rendered (%d bytes in %v), want an error wrapping ErrUnusable; err = %v", b.Len(), time.Since(start), err)
				}
				if b.Len() != 0 {
					t.Errorf("wrote %d bytes before refusing", b.Len())
				}
				if !strings.Contains(err.Error(), "上限") {
					t.Errorf("error %q does not name the bound", err)
				}
			})
		}
	}
}

// odd returns the odd report of that name (one that fits its declaration).
func odd(name string) *schema.Report {
	for _, o := range schematest.OddReports() {
		if o.Name == name {
			return o.Report
		}
	}
	panic("no odd report " + name)
}
