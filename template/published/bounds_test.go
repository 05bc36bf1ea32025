package published

import (
	"archive/zip"
	"bytes"
	"errors"
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
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// the report itself reads
	if _, err := Read("a.txt", []byte(strings.Join(lines, "\n"))); err != nil {
		t.Fatalf("the base report: %v", err)
	}
}
