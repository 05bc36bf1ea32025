package text

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/schematest"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func render(t testing.TB, r *schema.Report, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, r, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	schematest.Golden(t, filepath.Join("testdata", name+".golden"), got, *update)
}

func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  Options
	}{
		{"sample", Options{}},
		{"sample.draft", Options{Draft: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, sample.Report(), tt.opt)
			golden(t, tt.name+".txt", got)
			if !bytes.Equal(got, render(t, sample.Report(), tt.opt)) {
				t.Error("two renderings differ")
			}
		})
	}
}

// TestTableFields checks that every table row has as many tab-separated
// fields as the table's grid has columns, so 文本转换成表格 rebuilds it.
func TestTableFields(t *testing.T) {
	r := sample.Report()
	out := strings.TrimPrefix(string(render(t, r, Options{})), bom)
	lines := strings.Split(out, eol)
	for _, s := range r.Format.Sections {
		if s.Kind != schema.TableSection {
			continue
		}
		tb := r.Format.Table(s.Table)
		i := indexOf(lines, s.Heading())
		if i < 0 {
			t.Fatalf("heading %s missing", s.Heading())
		}
		for k := range tb.Layout {
			l := lines[i+1+k]
			if n := strings.Count(l, "\t") + 1; n != tb.Width() {
				t.Errorf("%s row %d: %d fields, want %d: %q", tb.Name, k, n, tb.Width(), l)
			}
		}
		// the line after the table is not a table row
		if strings.Contains(lines[i+1+len(tb.Layout)], "\t") {
			t.Errorf("%s: more rows than the layout", tb.Name)
		}
	}
	// the merged 表三 note appears once, in the first field
	first := lines[indexOf(lines, r.Format.Section("requests").Heading())+1]
	if !strings.HasPrefix(first, r.Format.Table("t3").Note+"\t\t\t") {
		t.Errorf("表三 first row: %q", first)
	}
}

func TestDraftAndLineEnds(t *testing.T) {
	out := string(render(t, sample.Report(), Options{Draft: true}))
	if !strings.HasPrefix(out, bom+DraftMark+eol) {
		t.Errorf("draft output starts %q", out[:40])
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Error("bare LF line end")
	}
}

func TestNothingInvented(t *testing.T) {
	r := sample.Report()
	d := r.Tables["t4"]
	d.Values[0][0] = schema.Value{}                                // blank
	d.Values[0][1] = schema.Value{State: schema.Invalid, Raw: "三"} // invalid: raw text
	delete(r.Tables, "t2")                                         // absent table: empty grid
	r.Narrative["other"] = []schema.Block{{Text: "含\t制表符\r\n与换行"}}
	out := strings.TrimPrefix(string(render(t, r, Options{})), bom)
	lines := strings.Split(out, eol)
	vals := lines[indexOf(lines, r.Format.Section("appeals").Heading())+4]
	if !strings.HasPrefix(vals, "\t三\t0\t1\t2\t") {
		t.Errorf("表四 values: %q", vals)
	}
	t2 := lines[indexOf(lines, r.Format.Section("active").Heading())+3]
	if strings.Count(t2, "\t") != 3 || strings.Trim(t2, "\t") != "规章" {
		t.Errorf("absent 表二 row: %q", t2)
	}
	// a tab inside a paragraph prints as a space (schema.Tidy): in the
	// text output a tab separates table cells
	if indexOf(lines, indent+"含 制表符") < 0 || indexOf(lines, indent+"与换行") < 0 {
		t.Errorf("paragraph with breaks: %q", lines[len(lines)-6:])
	}
}

func indexOf(lines []string, s string) int {
	for i, l := range lines {
		if l == s {
			return i
		}
	}
	return -1
}

func BenchmarkRenderText(b *testing.B) {
	r := sample.Report()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestExamples renders every example in examples/ against its golden file.
func TestExamples(t *testing.T) {
	for name, r := range sample.Examples(t) {
		t.Run(name, func(t *testing.T) {
			golden(t, "example-"+name+".txt", render(t, r, Options{}))
		})
	}
}
