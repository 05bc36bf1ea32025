package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/schema"
)

// partOf returns the uncompressed bytes of a part of a package.
func partOf(t testing.TB, x []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			defer rc.Close()
			b, _ := io.ReadAll(rc)
			return b
		}
	}
	t.Fatalf("no part %s", name)
	return nil
}

// amplified is a filled workbook whose narrative sheet 五 has n cells that
// all reference one shared string of size characters (issue 15, defect 1:
// 72 KB of workbook made check use 911 MB and 95 s).
func amplified(t testing.TB, n, size int) []byte {
	t.Helper()
	good := write(t.(*testing.T), readYAML(t.(*testing.T), "testdata/filled.yaml"))
	sst := partOf(t, good, "xl/sharedStrings.xml")
	idx := bytes.Count(sst, []byte("<si>"))
	sst = bytes.Replace(sst, []byte("</sst>"), []byte("<si><t>"+strings.Repeat("很", size)+"</t></si></sst>"), 1)
	problems := ""
	for _, s := range schema.Current.Sections {
		if s.Key == "problems" {
			problems = narrativeSheet(s)
		}
	}
	part := sheetPart(t, good, problems)
	sheet := string(partOf(t, good, part))
	var sb strings.Builder
	sb.WriteString(sheet[:strings.Index(sheet, `<row r="4"`)]) // the title and the header rows
	for i := 4; i < 4+n; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="B%d" t="s"><v>%d</v></c></row>`, i, i, idx)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	return rezip(t.(*testing.T), good, map[string][]byte{
		"xl/sharedStrings.xml": sst,
		part:                   []byte(sb.String()),
	})
}

// TestSharedStringAmplification: the text a workbook's cells add up to is
// bounded as the cells are read, each reference to a shared string counted
// again, and the error names the sheet.
func TestSharedStringAmplification(t *testing.T) {
	for _, tt := range []struct {
		name    string
		n, size int
	}{
		{"1000 references to 1 MB", 1000, 1 << 20 / 3},
		{"200000 references to 10 characters", 190000, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := amplified(t, tt.n, tt.size)
			start := time.Now()
			r, err := Read("x.xlsx", bytes.NewReader(x), int64(len(x)))
			if err == nil {
				t.Fatalf("read a report with %d narrative blocks (%d bytes of workbook)", len(r.Narrative["problems"]), len(x))
			}
			if !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), "文字过多") || !strings.Contains(err.Error(), "工作表") {
				t.Errorf("error %q, want ErrUnusable saying 文字过多 and naming the sheet", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
	// a workbook of normal size reads
	x := amplified(t, 20, 1000)
	if _, err := Read("x.xlsx", bytes.NewReader(x), int64(len(x))); err != nil {
		t.Errorf("20 paragraphs of 1000 characters refused: %v", err)
	}
}
