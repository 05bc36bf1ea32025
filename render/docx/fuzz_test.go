package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

// FuzzText puts arbitrary text in the report's fields, narrative and an
// invalid cell: the renderer must not fail, and document.xml must stay
// well-formed XML holding the text.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "<w:p>&amp;", "]]>\x00\x1f\ufffe", "“三安全一稳定”\t\r\n", "\xff\xfe无效"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := sample.Report()
		r.Meta.Agency.Value = s
		r.Narrative["other"] = []schema.Block{{Kind: schema.Heading, Text: s}, {Text: s}}
		r.Tables["t4"].Values[0][0] = schema.Value{State: schema.Invalid, Raw: s}
		var b bytes.Buffer
		if err := Render(&b, r, Options{Draft: true}); err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(zipPart(t, b.Bytes(), "word/document.xml")))
		var text strings.Builder
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("document.xml: %v", err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text.Write(cd)
			}
		}
		if !strings.Contains(text.String(), "江州市") {
			t.Error("content lost")
		}
	})
}
