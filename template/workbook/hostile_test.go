package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// rezip copies a workbook, replacing (or with nil, dropping) some parts and
// adding others.
func rezip(t testing.TB, x []byte, parts map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	done := map[string]bool{}
	for _, f := range zr.File {
		data, ok := parts[f.Name]
		done[f.Name] = true
		if ok && data == nil {
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			w.Write(data)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	for name, data := range parts {
		if !done[name] && data != nil {
			w, _ := zw.Create(name)
			w.Write(data)
		}
	}
	zw.Close()
	return b.Bytes()
}

// sheetPart is the zip path of a sheet of a workbook written by Write.
func sheetPart(t testing.TB, x []byte, name string) string {
	t.Helper()
	for i, s := range append([]string{sheetGuide, sheetMeta}, sheetOrder()...) {
		if s == name {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
	}
	t.Fatalf("no sheet %s", name)
	return ""
}

func sheetOrder() []string {
	var out []string
	for _, s := range schema.Current.Sections {
		if s.Kind == schema.Narrative {
			out = append(out, narrativeSheet(s))
		} else {
			out = append(out, schema.Current.Table(s.Table).Name)
		}
	}
	return out
}

// bigSheet streams a sheet of n rows, one number each, into a zip entry.
func bigSheet(t testing.TB, x []byte, part string, n int) []byte {
	t.Helper()
	var sb bytes.Buffer
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	return rezip(t, x, map[string][]byte{part: sb.Bytes()})
}

func TestHostile(t *testing.T) {
	good := write(t, readYAML(t, "testdata/filled.yaml"))
	t3 := sheetPart(t, good, "表三")
	// a zip bomb: one entry of 300 MB of zeros, compressed to a few hundred KB
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	zeros := make([]byte, 1<<20)
	for range 300 {
		w.Write(zeros)
	}
	zw.Close()
	tests := []struct {
		name string
		data []byte
		want string // part of the Chinese error
	}{
		{"empty", nil, "空的"},
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "PDF"},
		{"doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "旧版 Office"},
		{"text", []byte("agency: 某某局\n"), "不是 Excel 工作簿"},
		{"truncated", good[:len(good)/2], "已损坏"},
		{"truncated end", good[:len(good)-10], "已损坏"},
		{"zip bomb", bomb.Bytes(), "过大"},
		{"docx", rezip(t, good, map[string][]byte{"word/document.xml": []byte("<w/>")}), "Word"},
		{"no workbook part", rezip(t, good, map[string][]byte{"xl/workbook.xml": nil}), "缺少工作簿主体"},
		{"bad sheet xml", rezip(t, good, map[string][]byte{t3: []byte("<worksheet><sheetData><row r=\"1\"><c r=\"A1\"")}), "无法解析"},
		{"bad cell reference", rezip(t, good, map[string][]byte{t3: []byte(`<worksheet><sheetData><row r="1"><c r="A0"><v>1</v></c></row></sheetData></worksheet>`)}), "无法解析"},
		{"shared string out of range", rezip(t, good, map[string][]byte{t3: []byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>99999999</v></c></row></sheetData></worksheet>`)}), "无法解析"},
		{"million rows", bigSheet(t, good, t3, 1000000), "过大"},
		{"no known sheet", rezip(t, good, map[string][]byte{"xl/workbook.xml": []byte(`<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)}), "不是年报填报表"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			r, err := Read("x.xlsx", bytes.NewReader(tt.data), int64(len(tt.data)))
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("read %d findings, want an error containing %q", len(r.Issues), tt.want)
			}
			if !errors.Is(err, schema.ErrUnusable) {
				t.Errorf("error %v does not wrap ErrUnusable", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 200<<20 {
				t.Errorf("allocated %d MB reading a hostile file", grew>>20)
			}
		})
	}
}

// TestMissingParts: a sheet part or the shared strings missing still reads,
// with findings, never a panic.
func TestMissingParts(t *testing.T) {
	good := write(t, readYAML(t, "testdata/filled.yaml"))
	for _, part := range []string{sheetPart(t, good, "表三"), "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"} {
		t.Run(part, func(t *testing.T) {
			x := rezip(t, good, map[string][]byte{part: nil})
			r, err := Read("x.xlsx", bytes.NewReader(x), int64(len(x)))
			if err != nil {
				if !errors.Is(err, schema.ErrUnusable) {
					t.Fatalf("error %v does not wrap ErrUnusable", err)
				}
				return
			}
			if part == sheetPart(t, good, "表三") {
				if r.Tables["t3"] != nil || len(r.Issues) == 0 {
					t.Errorf("a missing 表三 part: table read %v, %d findings", r.Tables["t3"] != nil, len(r.Issues))
				}
			}
		})
	}
}

// TestSparseHugeSheet: a tiny sheet that names the last row and column
// (what makes dense readers allocate gigabytes) reads in bounded memory.
func TestSparseHugeSheet(t *testing.T) {
	good := write(t, readYAML(t, "testdata/filled.yaml"))
	var sb strings.Builder
	sb.WriteString(`<worksheet><sheetData>`)
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, 1048576-2000+i, 1048576-2000+i)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	x := rezip(t, good, map[string][]byte{sheetPart(t, good, "表四"): []byte(sb.String())})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := Read("x.xlsx", bytes.NewReader(x), int64(len(x)))
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if r.Tables["t4"] != nil {
		t.Error("an empty 表四 was read as a table")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 50<<20 {
		t.Errorf("allocated %d MB", grew>>20)
	}
}

// FuzzRead feeds arbitrary bytes to Read: it must never panic, and whatever
// it reads must survive a round trip through Write unchanged.
func FuzzRead(f *testing.F) {
	blank := schema.NewReport(nil)
	var b bytes.Buffer
	if err := Write(&b, blank); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	data, err := yamlReport("testdata/errors.yaml")
	if err != nil {
		f.Fatal(err)
	}
	b.Reset()
	Write(&b, data)
	f.Add(b.Bytes())
	f.Add(b.Bytes()[:b.Len()/3])
	if text, err := yamlReport("testdata/tabletext.yaml"); err == nil { // text areas above the tables
		var tb bytes.Buffer
		Write(&tb, text)
		f.Add(tb.Bytes())
	}
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("%PDF-1.4"))
	// "sheet:" and "sst:" inputs replace 表三's XML or the shared strings
	// of a filled workbook, so the fuzzer reaches the XML readers instead
	// of stopping at the zip checksums.
	base := b.Bytes()
	zr, _ := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	t3 := sheetPart(f, base, "表三")
	for _, zf := range zr.File {
		if zf.Name == t3 || zf.Name == "xl/sharedStrings.xml" {
			rc, _ := zf.Open()
			body, _ := io.ReadAll(rc)
			rc.Close()
			prefix := "sheet:"
			if zf.Name != t3 {
				prefix = "sst:"
			}
			f.Add(append([]byte(prefix), body...))
		}
	}
	f.Add([]byte(`sheet:<worksheet><sheetData><row><c t="inlineStr"><is><t>５０</t></is></c><c><f>SUM(A1)</f><v>1</v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if rest, ok := bytes.CutPrefix(data, []byte("sheet:")); ok {
			data = rezip(t, base, map[string][]byte{t3: rest})
		} else if rest, ok := bytes.CutPrefix(data, []byte("sst:")); ok {
			data = rezip(t, base, map[string][]byte{"xl/sharedStrings.xml": rest})
		}
		r, err := Read("fuzz.xlsx", bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if !errors.Is(err, schema.ErrUnusable) {
				t.Fatalf("error %v does not wrap ErrUnusable", err)
			}
			return
		}
		var out bytes.Buffer
		if err := Write(&out, r); err != nil {
			t.Fatalf("write of a read workbook failed: %v", err)
		}
		r2, err := Read("fuzz.xlsx", bytes.NewReader(out.Bytes()), int64(out.Len()))
		if err != nil {
			t.Fatalf("re-read of a written workbook failed: %v", err)
		}
		if a, b := yamlfile.Write(r), yamlfile.Write(r2); !bytes.Equal(a, b) {
			t.Fatalf("round trip changed the report:\n%s", diff(string(a), string(b)))
		}
	})
}

func yamlReport(path string) (*schema.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return yamlfile.Read(path, data)
}
