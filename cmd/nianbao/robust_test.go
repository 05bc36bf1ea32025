package main

// Robustness: every reader under hostile input, every writer under hostile
// content. Each case runs the real command in process with a deadline and a
// memory bound: a clear Chinese error and exit 2 (or findings where the
// input is usable), never a panic, a hang or unbounded memory.
//
// Cases whose reader is not merged into main yet (template/workbook for
// .xlsx, template/published for .txt/.html/.docx, the renderers) skip with
// a message naming the package while it still answers "not implemented";
// they run as soon as it is merged.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/workbook"
	"github.com/nianbao/nianbao/template/yamlfile"
)

const (
	caseDeadline = 90 * time.Second
	heapBound    = 512 << 20 // bytes of Go heap any one case may use
)

// owner names the package that reads a file, for failure messages.
func owner(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "template/yamlfile"
	case ".xlsx":
		return "template/workbook"
	}
	return "template/published"
}

// within runs f with a deadline and returns the peak Go heap seen while it
// ran; it fails the test on a timeout.
func within(t *testing.T, d time.Duration, what string, f func()) uint64 {
	t.Helper()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak.Load() {
				peak.Store(m.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		close(stop)
		t.Fatalf("%s: no result within %v (hang)", what, d)
	}
	close(stop)
	<-sampled
	return peak.Load()
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// craftXLSX writes a minimal workbook package with one sheet whose XML body
// (the rows inside <sheetData>) is streamed by rows, compressed fast.
func craftXLSX(w io.Writer, sheet string, rows func(io.Writer)) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` + sheet + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		io.WriteString(f, p.body)
	}
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	rows(f)
	io.WriteString(f, `</sheetData></worksheet>`)
	return zw.Close()
}

// craftDOCX writes a .docx package whose document body is streamed.
func craftDOCX(w io.Writer, body func(io.Writer)) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	for _, p := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
	} {
		f, _ := zw.Create(p.name)
		io.WriteString(f, p.body)
	}
	f, err := zw.Create("word/document.xml")
	if err != nil {
		return err
	}
	io.WriteString(f, `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	body(f)
	io.WriteString(f, `</w:body></w:document>`)
	return zw.Close()
}

// spaces writes n bytes of spaces.
func spaces(w io.Writer, n int) {
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		w.Write(chunk[:k])
		n -= k
	}
}

var (
	oleHeader = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	pdfHeader = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
)

func garbage(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

func validYAML(mod func(r *schema.Report)) []byte {
	r := fixture.Report(0, 2024)
	if mod != nil {
		mod(r)
	}
	return yamlfile.Write(r)
}

// hostileInput is one case: make writes the file; usable says the input
// may give a report (exit 0 or 1) instead of exit 2.
type hostileInput struct {
	name   string
	file   string
	make   func(path string) error
	usable bool
}

func bytesCase(name, file string, data []byte) hostileInput {
	return hostileInput{name: name, file: file, make: func(p string) error { return os.WriteFile(p, data, 0o644) }}
}

func hostileInputs() []hostileInput {
	var cs []hostileInput
	for _, ext := range []string{".xlsx", ".yaml", ".docx", ".txt", ".html"} {
		cs = append(cs,
			bytesCase("doc renamed to "+ext, "report"+ext, append(slices.Clone(oleHeader), garbage(4096)...)),
			bytesCase("pdf renamed to "+ext, "report"+ext, append(slices.Clone(pdfHeader), garbage(4096)...)),
			bytesCase("binary garbage "+ext, "report"+ext, garbage(64<<10)),
			bytesCase("empty "+ext, "report"+ext, nil),
		)
	}
	tableSheet := schema.Current.Table("t3").Name
	valid := validYAML(nil)
	cs = append(cs,
		hostileInput{name: "truncated xlsx", file: "report.xlsx", make: func(p string) error {
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", "机关名称")
			var b bytes.Buffer
			f.WriteTo(&b)
			return os.WriteFile(p, b.Bytes()[:b.Len()/2], 0o644)
		}},
		bytesCase("corrupt xlsx", "report.xlsx", append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), garbage(8192)...)),
		hostileInput{name: "xlsx that is no report", file: "report.xlsx", make: func(p string) error {
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", "=1+1")
			return f.SaveAs(p)
		}},
		hostileInput{name: "xlsx zip bomb (1 GB sheet)", file: "report.xlsx", make: func(p string) error {
			out, err := os.Create(p)
			if err != nil {
				return err
			}
			defer out.Close()
			return craftXLSX(out, tableSheet, func(w io.Writer) { spaces(w, 1<<30) })
		}},
		hostileInput{name: "xlsx sheet of 1,000,000 rows", file: "report.xlsx", make: func(p string) error {
			out, err := os.Create(p)
			if err != nil {
				return err
			}
			defer out.Close()
			return craftXLSX(out, tableSheet, func(w io.Writer) {
				bw := make([]byte, 0, 1<<16)
				for i := 1; i <= 1_000_000; i++ {
					bw = fmt.Appendf(bw, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c><c r="B%d"><v>1</v></c></row>`, i, i, i)
					if len(bw) > 60000 {
						w.Write(bw)
						bw = bw[:0]
					}
				}
				w.Write(bw)
			})
		}},
		hostileInput{name: "docx zip bomb (1 GB document)", file: "report.docx", make: func(p string) error {
			out, err := os.Create(p)
			if err != nil {
				return err
			}
			defer out.Close()
			return craftDOCX(out, func(w io.Writer) { spaces(w, 1<<30) })
		}},
		bytesCase("yaml alias bomb", "report.yaml", []byte(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`)),
		bytesCase("yaml deep nesting", "report.yaml", []byte(strings.Repeat("[", 100000))),
		hostileInput{name: "yaml 100 MB narrative", file: "report.yaml", make: func(p string) error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			f.Write(valid)
			io.WriteString(f, "\nproblems:\n  - \"")
			chunk := []byte(strings.Repeat("这是很长的一段文字。", 1<<14))
			for n := 0; n < 100<<20; n += len(chunk) {
				f.Write(chunk)
			}
			_, err = io.WriteString(f, "\"\n")
			return err
		}},
		hostileInput{name: "yaml 4 MB paragraph", file: "report.yaml", make: func(p string) error {
			return os.WriteFile(p, validYAML(func(r *schema.Report) {
				r.Narrative["problems"] = []schema.Block{{Text: strings.Repeat("主动公开2024年12件，依申请公开3件。", 4<<20/48)}}
			}), 0o644)
		}},
		hostileInput{name: "txt 100 MB", file: "report.txt", make: func(p string) error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			chunk := []byte(strings.Repeat("一、总体情况\n", 1<<14))
			for n := 0; n < 100<<20; n += len(chunk) {
				f.Write(chunk)
			}
			return nil
		}},
		bytesCase("yaml control characters", "report.yaml",
			bytes.Replace(valid, []byte("agency: "), []byte("agency: \x01\x02\x1b[31m"), 1)),
		// a title and a heading: the importer may read it and report what is missing
		hostileInput{name: "txt control characters", file: "report.txt", usable: true, make: func(p string) error {
			return os.WriteFile(p, []byte("某某局2024年政府信息公开工作年度报告\n\x00\x01\x02\x1b[2J一、总体情况\n"), 0o644)
		}},
		hostileInput{name: "characters outside the BMP", file: "report.yaml", usable: true, make: func(p string) error {
			return os.WriteFile(p, validYAML(func(r *schema.Report) {
				r.Meta.Agency.Value = "𠀀𠀁𪚥局😀"
				r.Narrative["other"] = []schema.Block{{Text: "本年度未收取信息处理费。𝕏𝔸😀🀄"}}
			}), 0o644)
		}},
		hostileInput{name: "xlsx characters outside the BMP", file: "report.xlsx", usable: true, make: func(p string) error {
			r := fixture.Report(0, 2024)
			r.Meta.Agency.Value = "𠀀𠀁𪚥局😀"
			r.Narrative["other"] = []schema.Block{{Text: "本年度未收取信息处理费。𝕏𝔸😀🀄"}}
			var b bytes.Buffer
			if err := workbook.Write(&b, r); err != nil {
				return err
			}
			return os.WriteFile(p, b.Bytes(), 0o644)
		}},
		bytesCase("html deeply nested", "report.html", []byte(strings.Repeat("<div>", 200000))),
		bytesCase("html script only", "report.html", []byte(`<html><body><script>alert(1)</script></body></html>`)),
		hostileInput{name: "docx without document", file: "report.docx", make: func(p string) error {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			f, _ := zw.Create("hello.txt")
			io.WriteString(f, "hi")
			zw.Close()
			return os.WriteFile(p, b.Bytes(), 0o644)
		}},
	)
	return cs
}

// TestHostileInputs runs every hostile input through nianbao batch and
// nianbao check.
func TestHostileInputs(t *testing.T) {
	for _, tc := range hostileInputs() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in")
			os.Mkdir(in, 0o755)
			path := filepath.Join(in, tc.file)
			if err := tc.make(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.Stat(path)
			out := filepath.Join(dir, "out")
			for _, args := range [][]string{{"batch", in, "-o", out}, {"check", path}} {
				var stdout, stderr bytes.Buffer
				code := -1
				peak := within(t, caseDeadline, strings.Join(args[:1], " "), func() {
					code = run(args, nil, &stdout, &stderr)
				})
				msg := stdout.String() + stderr.String()
				if args[0] == "batch" {
					page, _ := os.ReadFile(filepath.Join(out, batch.FindingsDir, "00001-"+outdir.SafeName(tc.file)+".html"))
					msg += string(page)
				}
				if strings.Contains(msg, "not implemented") {
					t.Fatalf("%s answers “not implemented”", owner(tc.file))
				}
				if strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine ") || strings.Contains(msg, "程序出错") {
					t.Errorf("%s: %s panicked on %s:\n%s", args[0], owner(tc.file), tc.name, msg)
				}
				switch {
				case tc.usable && code != 0 && code != 1:
					t.Errorf("%s: exit %d, want 0 or 1 (usable input); owner %s\n%s", args[0], code, owner(tc.file), msg)
				case !tc.usable && code != 2:
					t.Errorf("%s: exit %d, want 2 (unusable input); owner %s\n%s", args[0], code, owner(tc.file), msg)
				}
				if !tc.usable && !hasHan(stderr.String()+msg) {
					t.Errorf("%s: no Chinese reason; owner %s\n%s", args[0], owner(tc.file), msg)
				}
				if peak > heapBound {
					t.Errorf("%s: heap reached %d MB (bound %d MB); owner %s", args[0], peak>>20, heapBound>>20, owner(tc.file))
				}
			}
			after, err := os.Stat(path)
			if err != nil || !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
				t.Errorf("the input was changed or removed")
			}
		})
	}
}

// TestBatchCommand runs nianbao batch and sum in process: exit codes,
// messages, outputs.
func TestBatchCommand(t *testing.T) {
	dir := t.TempDir()
	clean, mixed := filepath.Join(dir, "clean"), filepath.Join(dir, "mixed")
	for i := range 6 {
		for _, d := range []string{clean, mixed} {
			os.MkdirAll(d, 0o755)
			data := fixture.YAML(10*i, 2024)
			if d == mixed {
				data = fixture.YAML(10*i+3*(i%2), 2024) // 13, 33, 53 have errors
			}
			os.WriteFile(filepath.Join(d, fmt.Sprintf("r%d.yaml", i)), data, 0o644)
		}
	}
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "a.yaml"), fixture.YAML(0, 2024), 0o644)
	os.WriteFile(filepath.Join(bad, "b.yaml"), fixture.YAML(37, 2024), 0o644)
	withPDF := filepath.Join(dir, "with-pdf")
	os.MkdirAll(withPDF, 0o755)
	os.WriteFile(filepath.Join(withPDF, "a.yaml"), fixture.YAML(0, 2024), 0o644)
	os.WriteFile(filepath.Join(withPDF, "b.doc"), []byte{0xD0, 0xCF, 0x11, 0xE0}, 0o644)
	out := filepath.Join(dir, "out")
	tests := []struct {
		args []string
		want int
		say  string
	}{
		{[]string{"batch", clean, "-o", out}, 0, "可发布 6"},
		{[]string{"batch", clean, "-o", out}, 0, "总览：" + filepath.Join(out, "总览.html")},
		{[]string{"batch", clean, "--prev", clean, "-o", out}, 0, "两个文件夹没有弄反"},
		{[]string{"batch", clean, "-o", out, "--render"}, 0, "发布稿 6 份"},
		{[]string{"batch", mixed, "-o", out, "--jobs", "3"}, 1, "有错误 3"},
		{[]string{"batch", "-o", out, bad}, 2, "无法读取 1"},
		{[]string{"batch", clean, "-o", clean}, 2, "输出文件夹"},
		{[]string{"batch", filepath.Join(dir, "nope"), "-o", out}, 2, "文件夹不存在：" + filepath.Join(dir, "nope")},
		{[]string{"batch", filepath.Join(clean, "r0.yaml"), "-o", out}, 2, "r0.yaml 不是文件夹；batch"},
		{[]string{"batch", clean, "--prev", filepath.Join(clean, "r0.yaml"), "-o", out}, 2, "--prev 应是上年报告所在的文件夹"},
		{[]string{"batch", clean, "--prev", filepath.Join(dir, "nope"), "-o", out}, 2, "文件夹不存在：" + filepath.Join(dir, "nope")},
		{[]string{"sum", filepath.Join(dir, "nope"), "--agency", "某市", "--year", "2024"}, 2, "文件夹不存在"},
		{[]string{"sum", filepath.Join(clean, "r0.yaml"), "--agency", "某市", "--year", "2024", "-o", filepath.Join(dir, "r4.yaml")}, 2, "不是文件夹；sum"},
		{[]string{"batch", dir + "/empty-none", "-o", out}, 2, "nianbao："},
		{[]string{"batch"}, 2, "用法"},
		{[]string{"batch", "-h"}, 0, "退出码"},
		{[]string{"batch", clean, "--bogus"}, 2, "bogus"},
		{[]string{"sum", clean, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(dir, "region.yaml")}, 0, "已汇总 6 份"},
		{[]string{"sum", clean, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(dir, "region2.yaml")}, 0, "--level 国家 / 省 / 市 / 县 / 乡镇"},
		{[]string{"sum", mixed, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(dir, "r2.yaml")}, 2, "r1.yaml：有 2 个错误"},
		{[]string{"sum", mixed, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(dir, "r2.yaml")}, 2, "以下 3 份报告的问题"},
		{[]string{"sum", clean, "--agency", "某某市人民政府", "--year", "2023", "-o", filepath.Join(dir, "r3.yaml")}, 2, "不是 2023 年"},
		{[]string{"sum", clean, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(clean, "r0.yaml")}, 2, "不能写在要汇总的文件夹"},
		{[]string{"sum", withPDF, "--agency", "某某市人民政府", "--year", "2024", "-o", filepath.Join(dir, "r5.yaml")}, 0, "没有计入汇总"},
		{[]string{"sum", clean, "--year", "2024"}, 2, "--agency"},
		{[]string{"sum", clean, "--agency", "某市", "--year", "24"}, 2, "四位数字"},
		{[]string{"sum", clean, "--agency", "某市", "--year", "2024", "--level", "区"}, 2, "--level"},
		{[]string{"sum", clean, "--agency", "某市", "--year", "2024", "-o", filepath.Join(dir, "x.pdf")}, 2, ".yaml 或 .xlsx"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, nil, &stdout, &stderr)
			msg := stdout.String() + stderr.String()
			if code != tt.want || !strings.Contains(msg, tt.say) {
				t.Errorf("exit %d, want %d; want %q in:\n%s", code, tt.want, tt.say, msg)
			}
			for _, english := range []string{"no such file", "not a folder", "lstat", "stat "} {
				if strings.Contains(msg, english) {
					t.Errorf("message in English (%q):\n%s", english, msg)
				}
			}
		})
	}
	// a refused sum leaves no file behind, and the input folder is untouched
	for _, name := range []string{"r2.yaml", "r3.yaml", "r4.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("refused sum wrote %s", name)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(clean, "r0.yaml")); !bytes.Equal(got, fixture.YAML(0, 2024)) {
		t.Error("an input was overwritten")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// TestOutputNames: names from reports never leave the output folder.
func TestOutputNames(t *testing.T) {
	out := t.TempDir()
	for _, name := range []string{"../../etc/passwd", "..", ".", "/etc/shadow", `..\..\windows`, "a/../../b",
		"\x00\x01", strings.Repeat("../", 200), "CON", "局/../../..", "…/..", "‥/‥", " ", ""} {
		safe := outdir.SafeName(name)
		p, err := outdir.Join(out, safe)
		if err != nil {
			t.Errorf("SafeName(%q) = %q is refused by Join: %v", name, safe, err)
			continue
		}
		if filepath.Dir(p) != out || strings.ContainsAny(safe, `/\`) || safe == "." || safe == ".." {
			t.Errorf("SafeName(%q) = %q → %s leaves %s", name, safe, p, out)
		}
		if _, err := outdir.Join(out, name); err == nil && !strings.HasPrefix(filepath.Clean(filepath.Join(out, name)), out) {
			t.Errorf("Join accepted %q", name)
		}
	}
}

// TestAtomicWrites: a failed write leaves nothing behind and inputs are
// never overwritten.
func TestAtomicWrites(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.yaml")
	os.WriteFile(in, []byte("原文"), 0o644)
	if err := outdir.Write(in, []byte("x"), in); err == nil {
		t.Error("an input was overwritten")
	}
	link := filepath.Join(dir, "link.yaml")
	os.Link(in, link)
	if err := outdir.Write(link, []byte("x"), in); err == nil {
		t.Error("an input was overwritten through a hard link")
	}
	if b, _ := os.ReadFile(in); string(b) != "原文" {
		t.Errorf("input changed: %q", b)
	}
	sub := filepath.Join(dir, "taken")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "keep"), nil, 0o644)
	if err := outdir.Write(sub, []byte("x")); err == nil { // rename onto a non-empty folder fails
		t.Error("writing over a folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a failed write left %s", e.Name())
		}
	}
}

var hostileText = []string{
	"=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-1+1", "@SUM(A1:A2)", "=cmd|' /C calc'!A0",
	"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "</w:t></w:r><w:r><w:t>INJECT",
	"]]><!--", "&amp;&lt;&#0;",
}

func hostileReport() *schema.Report {
	r := fixture.Report(0, 2024)
	r.Meta.Agency.Value = hostileText[0]
	r.Meta.Contact.Office.Value = hostileText[4]
	var blocks []schema.Block
	for _, s := range hostileText {
		blocks = append(blocks, schema.Block{Text: s})
	}
	r.Narrative["overview"] = append(r.Narrative["overview"], blocks...)
	r.Narrative["other"] = blocks
	return r
}

// TestWorkbookFormulaInjection: template/workbook writes text from a report
// as text, never as a formula.
func TestWorkbookFormulaInjection(t *testing.T) {
	var b bytes.Buffer
	if err := workbook.Write(&b, hostileReport()); err != nil {
		if strings.Contains(err.Error(), "not implemented") {
			t.Fatalf("template/workbook: %v", err)
		}
		t.Fatalf("template/workbook: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("template/workbook wrote an unreadable workbook: %v", err)
	}
	found := map[string]bool{}
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for i, row := range rows {
			for j, v := range row {
				if !slices.Contains(hostileText, v) {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if fm, _ := f.GetCellFormula(sh, cell); fm != "" {
					t.Errorf("template/workbook: %s!%s = %q is a formula %q", sh, cell, v, fm)
				}
				found[v] = true
			}
		}
	}
	for _, s := range hostileText[:5] {
		if !found[s] && !strings.Contains(strings.Join(keys(found), "\n"), s) {
			t.Errorf("template/workbook: text %q not written as a cell of its own", s)
		}
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRenderMarkupInjection: nothing from a report becomes markup in the
// HTML or DOCX output.
func TestRenderMarkupInjection(t *testing.T) {
	r := hostileReport()
	for _, format := range []string{render.HTML, render.DOCX} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := render.Render(&b, format, r, render.Options{}); err != nil {
				if strings.Contains(err.Error(), "not implemented") {
					t.Fatalf("render/%s: %v", format, err)
				}
				t.Fatalf("render/%s: %v", format, err)
			}
			var docs [][]byte
			if format == render.HTML {
				docs = append(docs, b.Bytes())
			} else {
				zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
				if err != nil {
					t.Fatalf("render/docx: not a zip: %v", err)
				}
				for _, f := range zr.File {
					if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
						rc, _ := f.Open()
						x, _ := io.ReadAll(rc)
						rc.Close()
						d := xml.NewDecoder(bytes.NewReader(x))
						for {
							if _, err := d.Token(); err != nil {
								if err != io.EOF {
									t.Errorf("render/docx: %s is not well-formed XML: %v", f.Name, err)
								}
								break
							}
						}
						docs = append(docs, x)
					}
				}
			}
			for _, d := range docs {
				for _, s := range []string{"<script>alert(1)</script>", "<img src=x", "</w:t></w:r><w:r><w:t>INJECT", "]]><!--"} {
					if bytes.Contains(d, []byte(s)) {
						t.Errorf("render/%s: %q reached the output as markup", format, s)
					}
				}
			}
		})
	}
}

// TestYAMLWriterControlCharacters: text read from a workbook or a published
// report may hold control characters; the YAML writer must still write a
// file its reader accepts.
func TestYAMLWriterControlCharacters(t *testing.T) {
	r := fixture.Report(0, 2024)
	r.Meta.Agency.Value = "某某\x01局\x1b[31m"
	r.Narrative["other"] = []schema.Block{{Text: "段落\x02含有控制字符\x7f"}}
	if _, err := yamlfile.Read("x.yaml", yamlfile.Write(r)); err != nil {
		t.Fatalf("template/yamlfile: Write gave YAML its own Read refuses (the title comment on line 1 "+
			"carries the agency's control characters raw; values are escaped): %v", err)
	}
}
