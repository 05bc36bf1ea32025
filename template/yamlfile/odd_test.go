package yamlfile_test

import (
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestWriteOddReports writes reports built by hand: Write must not panic,
// and what it writes must read back.
func TestWriteOddReports(t *testing.T) {
	for _, tt := range schematest.OddReports() {
		t.Run(tt.Name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			out := yamlfile.Write(tt.Report)
			if _, err := yamlfile.Read("odd.yaml", out); err != nil {
				t.Errorf("written YAML does not read back: %v\n%s", err, out)
			}
		})
	}
}

// TestWriteOddCharacters: text imported from a published report may hold
// characters YAML does not allow raw (U+FFFF in a .txt, bytes that are not
// UTF-8); what Write makes of them still reads back, with the same text.
func TestWriteOddCharacters(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"noncharacter FFFF", "\uffff", "\uffff"},
		{"noncharacter FFFE", "\ufffe", "\ufffe"},
		{"not UTF-8", "\xff\xfe", "\ufffd\ufffd"},
		{"NUL", "\x00", "\x00"},
		{"escape", "\x1b[31m", "\x1b[31m"},
		{"BOM", "\ufeff", "\ufeff"},
		{"right-to-left", "\u202e", "\u202e"},
		{"outside the BMP", "😀𠀀", "😀𠀀"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := schema.NewReport(nil)
			r.Meta.Agency.Value = "某某局" + tt.text + "办公室"
			r.Narrative["overview"] = []schema.Block{{Text: "前" + tt.text + "后"}, {Kind: schema.Heading, Text: tt.text + "标题"}}
			r.Hints["t2.rules.made"] = "提示" + tt.text
			out := yamlfile.Write(r)
			back, err := yamlfile.Read("odd.yaml", out)
			if err != nil {
				t.Fatalf("written YAML does not read back: %v\n%s", err, out)
			}
			if got, want := back.Meta.Agency.Value, "某某局"+tt.want+"办公室"; got != want {
				t.Errorf("agency %q, want %q", got, want)
			}
			if bs := back.Narrative["overview"]; len(bs) != 2 || bs[0].Text != "前"+tt.want+"后" || bs[1].Text != tt.want+"标题" {
				t.Errorf("narrative %+v", bs)
			}
		})
	}
}
