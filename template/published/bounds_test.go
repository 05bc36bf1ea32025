package published

import (
	"archive/zip"
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/schema"
)

// docxOf wraps paragraphs in a minimal .docx package.
func docxOf(t *testing.T, paras []string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	for _, p := range paras {
		w.Write([]byte("<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>"))
	}
	w.Write([]byte(`</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTextBounds: a published report is bounded by the text it produces
// (schema.MaxText in all, schema.MaxParagraph in one paragraph) before it
// is parsed, in every kind of file.
func TestTextBounds(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(report("三", "")), "\n")
	many := append([]string{}, lines...)
	for range schema.MaxText/1000 + 10 {
		many = append(many, strings.Repeat("很", 1000))
	}
	long := append(append([]string{}, lines...), strings.Repeat("长", schema.MaxParagraph+1))
	html := func(ls []string) []byte {
		return []byte("<html><body><p>" + strings.Join(ls, "</p><p>") + "</p></body></html>")
	}
	for _, tt := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"txt too much text", "a.txt", []byte(strings.Join(many, "\n")), "文字过多"},
		{"txt long paragraph", "a.txt", []byte(strings.Join(long, "\n")), "过长"},
		{"html too much text", "a.html", html(many), "文字过多"},
		{"html long paragraph", "a.html", html(long), "过长"},
		{"docx too much text", "a.docx", docxOf(t, many), "文字过多"},
		{"docx long paragraph", "a.docx", docxOf(t, long), "过长"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r, err := Read(tt.file, tt.data)
			if err == nil {
				t.Fatalf("read a report (%d issues) from %d bytes", len(r.Issues), len(tt.data))
			}
			if !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrUnusable containing %q", err, tt.want)
			}
			if d := time.Since(start); d > time.Minute { // a blow-up guard, not a speed target (those are in make bench)
				t.Errorf("took %v", d)
			}
		})
	}
	// the report itself reads
	if _, err := Read("a.txt", []byte(strings.Join(lines, "\n"))); err != nil {
		t.Fatalf("the base report: %v", err)
	}
}

// rawDocx writes a package with the given entries, in order (names may
// repeat).
func rawDocx(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	zw.Close()
	return b.Bytes()
}

// TestDamagedDocx: two entries of one name, XML nested deeper than any
// document (defect 5), XML that is malformed or never closes: refused as
// a damaged file, never read as a report.
func TestDamagedDocx(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(report("三", "")), "\n")
	body := func(tmpl string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
		for _, l := range lines {
			b.WriteString(strings.ReplaceAll(tmpl, "TEXT", l))
		}
		return b.String()
	}
	good := body("<w:p><w:r><w:t>TEXT</w:t></w:r></w:p>") + "</w:body></w:document>"
	if _, err := Read("a.docx", rawDocx(t, [2]string{"word/document.xml", good})); err != nil {
		t.Fatalf("the well-formed document: %v", err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"duplicate document", rawDocx(t, [2]string{"word/document.xml", good}, [2]string{"word/document.xml", "<w:document/>"}), "同名"},
		{"duplicate document, other case", rawDocx(t, [2]string{"word/document.xml", good}, [2]string{"Word/Document.xml", good}), "同名"},
		{"never closes", rawDocx(t, [2]string{"word/document.xml", body("<w:p><w:r><w:t>TEXT</w:t></w:r></w:p>")}), "已损坏"},
		{"mismatched end tags", rawDocx(t, [2]string{"word/document.xml", body("<w:p><w:r><w:t>TEXT</w:r></w:p>") + "</w:body></w:document>"}), "已损坏"},
		{"unknown entity", rawDocx(t, [2]string{"word/document.xml", body("<w:p><w:r><w:t>TEXT&nbsp;</w:t></w:r></w:p>") + "</w:body></w:document>"}), "已损坏"},
		{"deep nesting", rawDocx(t, [2]string{"word/document.xml", good[:len(good)-len("</w:body></w:document>")] + strings.Repeat("<w:p>", 2_000_000)}), "层"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r, err := Read("a.docx", tt.data)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("read a report (%d sections)", len(r.SectionLoc))
			}
			if !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrUnusable containing %q", err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 100<<20 {
				t.Errorf("allocated %d MB", grew>>20)
			}
		})
	}
}

// TestDeepHTML: tables nested deeper than bound.MaxDepth (each level kept
// on a stack: 4 million levels in 28 MB cost 220 MB) are refused.
func TestDeepHTML(t *testing.T) {
	page := "<html><body><p>" + strings.Join(strings.Split(strings.TrimSpace(report("三", "")), "\n"), "</p><p>") + "</p>" + strings.Repeat("<table><tr><td>", 300) + "</body></html>"
	_, err := Read("a.html", []byte(page))
	if err == nil || !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), "层") {
		t.Errorf("error %v, want ErrUnusable saying the tables nest too deep", err)
	}
	if _, err := Read("a.html", []byte(strings.Replace(page, strings.Repeat("<table><tr><td>", 300), strings.Repeat("<table><tr><td>", 20), 1))); err != nil {
		t.Errorf("20 nested tables refused: %v", err)
	}
}
