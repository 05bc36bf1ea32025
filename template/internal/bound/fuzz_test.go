package bound

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// xmlAttacks are the hostile XML shapes of the robustness table: nesting
// far past MaxDepth, an element never closed, mismatched tags, an entity
// XML does not define, and a well-formed part for contrast.
var xmlAttacks = []string{
	strings.Repeat("<a>", 10*MaxDepth),
	strings.Repeat("<a>", MaxDepth) + strings.Repeat("</a>", MaxDepth),
	`<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>正文`,
	`<worksheet><sheetData><row><c><v>1</v></row></c></sheetData></worksheet>`,
	`<w:t>&nbsp;一、总体情况</w:t>`,
	`<sst count="1"><si><t>政府信息公开</t></si></sst>`,
	``,
}

// readAll drains d and returns the deepest nesting it handed out and the
// error that ended it (nil at a clean end).
func readAll(d *xml.Decoder) (deepest int, err error) {
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return deepest, nil
		}
		if err != nil {
			return deepest, err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			deepest = max(deepest, depth)
		case xml.EndElement:
			depth--
		}
	}
}

// FuzzXML: whatever the bytes, the bounded decoder ends, never hands out
// an element deeper than MaxDepth, fails only with its own kinds of error,
// and accepts only documents that close every element they open.
func FuzzXML(f *testing.F) {
	for _, s := range xmlAttacks {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		deepest, err := readAll(NewXML("xl/worksheets/sheet1.xml", data))
		if deepest > MaxDepth {
			t.Fatalf("handed out an element %d deep (max %d)", deepest, MaxDepth)
		}
		if err != nil {
			var pe *PartError
			if !errors.As(err, &pe) || !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooDeep) {
				t.Fatalf("error of another kind: %v", err)
			}
			if _, ok := Explain("工作簿", "", err); !ok {
				t.Fatalf("Explain has no words for %v", err)
			}
			return
		}
		// accepted: the standard strict decoder must agree it is well-formed
		if _, err := readAll(xml.NewDecoder(bytes.NewReader(data))); err != nil {
			t.Fatalf("accepted a document the strict decoder refuses: %v", err)
		}
	})
}

// zipOf builds a package with the given entry names, each holding its name.
func zipOf(t testing.TB, names ...string) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, n := range names {
		fw, err := w.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(n))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzZip: whatever the bytes, OpenZip refuses with its own errors or
// yields a package whose entry names are unique as OPC compares them, and
// every entry reads within the bound or is refused with a PartError.
func FuzzZip(f *testing.F) {
	f.Add(zipOf(f, "[Content_Types].xml", "xl/workbook.xml"))
	f.Add(zipOf(f, "word/document.xml", "word/document.xml"))
	f.Add(zipOf(f, "xl/sharedStrings.xml", "/XL/SharedStrings.xml"))
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		z, err := OpenZip(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			var pe *PartError
			if !errors.As(err, &pe) {
				t.Fatalf("error of another kind: %v", err)
			}
			if _, ok := Explain("Word 文档", "", err); !ok {
				t.Fatalf("Explain has no words for %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, zf := range z.Files() {
			k := key(zf.Name)
			if seen[k] {
				t.Fatalf("two entries named %q accepted", zf.Name)
			}
			seen[k] = true
			if _, err := z.Read(zf.Name, 1<<20); err != nil {
				var pe *PartError
				if !errors.As(err, &pe) {
					t.Fatalf("reading %q: error of another kind: %v", zf.Name, err)
				}
			}
		}
	})
}

// TestAttacks: the seeds themselves are refused or read as the issue asks.
func TestAttacks(t *testing.T) {
	for i, s := range xmlAttacks[:5] {
		_, err := readAll(NewXML("part.xml", []byte(s)))
		if i == 1 {
			if err != nil {
				t.Errorf("nesting of exactly MaxDepth refused: %v", err)
			}
			continue
		}
		if err == nil {
			t.Errorf("attack %d read as a document", i)
		}
	}
	for _, names := range [][]string{{"a.xml", "a.xml"}, {"a.xml", "/A.XML"}} {
		if _, err := OpenZip(bytes.NewReader(zipOf(t, names...)), int64(len(zipOf(t, names...)))); !errors.Is(err, ErrDuplicate) {
			t.Errorf("%v: err = %v, want ErrDuplicate", names, err)
		}
	}
}
