package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
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
			if d := time.Since(start); d > time.Minute { // a blow-up guard, not a speed target (those are in make bench)
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

// withDuplicate appends a second entry named name to a package.
func withDuplicate(t *testing.T, x []byte, name string, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return b.Bytes()
}

// TestDamagedPackages: a package with two entries of one name (defect 8:
// the workbook and DOCX readers disagreed on which copy wins), XML nested
// deeper than any workbook (defect 5: 572 MB to 1.7 GB) and XML that never
// closes are refused as damaged files.
func TestDamagedPackages(t *testing.T) {
	good := write(t, readYAML(t, "testdata/filled.yaml"))
	t3 := sheetPart(t, good, "表三")
	deep := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + strings.Repeat("<x>", 1_000_000)
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"duplicate sheet", withDuplicate(t, good, t3, partOf(t, good, t3)), "同名"},
		{"duplicate workbook part, other case", withDuplicate(t, good, "XL/Workbook.xml", partOf(t, good, "xl/workbook.xml")), "同名"},
		{"duplicate shared strings, leading slash", withDuplicate(t, good, "/xl/sharedStrings.xml", partOf(t, good, "xl/sharedStrings.xml")), "同名"},
		{"deep sheet", rezip(t, good, map[string][]byte{t3: []byte(deep)}), "层"},
		{"deep shared strings", rezip(t, good, map[string][]byte{"xl/sharedStrings.xml": []byte(`<sst>` + strings.Repeat("<si>", 1_000_000))}), "层"},
		{"deep workbook part", rezip(t, good, map[string][]byte{"xl/workbook.xml": []byte(`<workbook>` + strings.Repeat("<a>", 1_000_000))}), "层"},
		{"unclosed sheet", rezip(t, good, map[string][]byte{t3: []byte(`<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`)}), "无法解析"},
		{"unclosed workbook part", rezip(t, good, map[string][]byte{"xl/workbook.xml": bytes.TrimSuffix(partOf(t, good, "xl/workbook.xml"), []byte("</workbook>"))}), "无法解析"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r, err := Read("x.xlsx", bytes.NewReader(tt.data), int64(len(tt.data)))
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("read a report (%d findings)", len(r.Issues))
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
