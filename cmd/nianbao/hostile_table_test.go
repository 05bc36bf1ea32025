//go:build linux

package main

// The robustness table of issue 15: every attack of the issue, generated
// here, run through the real binary (this test binary re-executed as
// nianbao) so that the exit code, the message, the peak RSS (rusage
// Maxrss) and the time of each are measured for the whole process. None may
// exceed maxRSS or maxTime.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/workbook"
	"github.com/nianbao/nianbao/template/yamlfile"
)

const (
	maxRSS = 300 << 20 // bytes of peak resident memory of any command on any input
	// hangAfter is a hang guard, not a speed target (those live in make
	// bench): a command still running after it is killed and the case fails.
	// The table logs each case's CPU time, which a loaded machine barely
	// changes (the worst case, a report at the bounds, takes about 2 s of CPU).
	hangAfter = 2 * time.Minute
)

// TestMain lets the test binary act as nianbao for TestHostileTable.
func TestMain(m *testing.M) {
	if os.Getenv("NIANBAO_TEST_AS_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if out := os.Getenv("NIANBAO_TEST_LAUNCH"); out != "" {
		os.Exit(launch(out, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// measured is one run of the binary.
type measured struct {
	code int
	out  string
	rss  int64 // bytes
	took time.Duration
	cpu  time.Duration // user + system, of the command and what it waited for
}

// launch runs nianbao as its child and writes the child's peak RSS to
// out. A child's ru_maxrss starts from the memory of the process it was
// started from, so the test (hundreds of MB) starts this small launcher,
// and the launcher starts nianbao.
func launch(out string, args []string) int {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NIANBAO_TEST_AS_MAIN=1", "NIANBAO_TEST_LAUNCH=")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Run()
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss << 10 // kilobytes on Linux
	}
	os.WriteFile(out, []byte(fmt.Sprint(rss)), 0o644)
	return cmd.ProcessState.ExitCode()
}

func runBinary(t *testing.T, args ...string) measured {
	t.Helper()
	rssFile := filepath.Join(t.TempDir(), "rss")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "NIANBAO_TEST_LAUNCH="+rssFile)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var killed atomic.Bool
	timer := time.AfterFunc(hangAfter, func() { killed.Store(true); cmd.Process.Kill() })
	cmd.Wait()
	timer.Stop()
	if killed.Load() {
		t.Errorf("still running after %v: killed (a hang)", hangAfter)
	}
	st := cmd.ProcessState
	m := measured{code: st.ExitCode(), out: out.String(), took: time.Since(start), cpu: st.UserTime() + st.SystemTime()}
	b, err := os.ReadFile(rssFile)
	if err != nil {
		t.Fatalf("no RSS measured: %v", err)
	}
	fmt.Sscan(string(b), &m.rss)
	return m
}

// zipOf writes a package of the given entries, in order (names may repeat).
func zipOf(path string, entries ...[2]string) error {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			return err
		}
		io.WriteString(w, e[1])
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// rezipWith copies a package, replacing entries, and appends extra ones.
func rezipWith(x []byte, replace map[string]string, extra ...[2]string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if s, ok := replace[f.Name]; ok {
			io.WriteString(w, s)
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	for _, e := range extra {
		w, _ := zw.Create(e[0])
		io.WriteString(w, e[1])
	}
	zw.Close()
	return b.Bytes(), nil
}

func entry(x []byte, name string) string {
	zr, _ := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return string(b)
		}
	}
	return ""
}

// filledWorkbook is a valid workbook written by the project's own writer.
func filledWorkbook(t *testing.T) []byte {
	var b bytes.Buffer
	if err := workbook.Write(&b, fixture.Report(0, 2024)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sheetOf finds the part of the sheet whose first shared string is title.
func sheetPartOf(t *testing.T, x []byte, sheet string) string {
	wb := entry(x, "xl/workbook.xml")
	i := strings.Index(wb, `name="`+sheet+`"`)
	if i < 0 {
		t.Fatalf("no sheet %s", sheet)
	}
	n := strings.Count(wb[:i], "<sheet ") + 1
	return fmt.Sprintf("xl/worksheets/sheet%d.xml", n)
}

func narrativeSheetName(key string) string {
	s := schema.Current.Section(key)
	return s.Heading()
}

// amplifiedWorkbook: the narrative sheet 五 has n cells that all reference
// one shared string of size characters (defect 1: 72 KB, 911 MB, 95 s).
func amplifiedWorkbook(t *testing.T, n, size int) []byte {
	x := filledWorkbook(t)
	sst := entry(x, "xl/sharedStrings.xml")
	idx := strings.Count(sst, "<si>")
	sst = strings.Replace(sst, "</sst>", "<si><t>"+strings.Repeat("很", size)+"</t></si></sst>", 1)
	part := sheetPartOf(t, x, narrativeSheetName("problems"))
	sheet := entry(x, part)
	var sb strings.Builder
	sb.WriteString(sheet[:strings.Index(sheet, `<row r="4"`)])
	for i := 4; i < 4+n; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="B%d" t="s"><v>%d</v></c></row>`, i, i, idx)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	y, err := rezipWith(x, map[string]string{"xl/sharedStrings.xml": sst, part: sb.String()})
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func docBody(paras []string, tail string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		b.WriteString("<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>")
	}
	b.WriteString(tail)
	return b.String()
}

// reportLines is a real report's text, one paragraph a line.
func reportLines(t *testing.T) []string {
	data, err := os.ReadFile("../../template/published/testdata/seeds/001.txt")
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return strings.Split(r.Replace(string(data)), "\n")
}

type hostileCase struct {
	name string
	// setup makes the files in dir and returns the command's arguments
	setup func(t *testing.T, dir string) []string
	want  int    // exit code
	say   string // in the output
	after func(t *testing.T, dir string)
}

func hostileTable() []hostileCase {
	write := func(t *testing.T, p string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	yamlWith := func(mod func(r *schema.Report)) []byte {
		r := fixture.Report(0, 2024)
		mod(r)
		return yamlfile.Write(r)
	}
	return []hostileCase{
		{"xlsx: 1000 references to one 2 MB shared string", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.xlsx"), amplifiedWorkbook(t, 1000, 2<<20/3))
			return []string{"check", filepath.Join(dir, "a.xlsx")}
		}, 2, "文字过多", nil},
		{"batch: the same workbook", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "in", "a.xlsx"), amplifiedWorkbook(t, 1000, 2<<20/3))
			return []string{"batch", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out")}
		}, 2, "无法读取 1", nil},
		{"xlsx: 200,000 references to 10 characters", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.xlsx"), amplifiedWorkbook(t, 190000, 10))
			return []string{"check", filepath.Join(dir, "a.xlsx")}
		}, 2, "文字过多", nil},
		{"yaml: one paragraph of 4 MB", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.yaml"), yamlWith(func(r *schema.Report) {
				r.Narrative["problems"] = []schema.Block{{Text: strings.Repeat("长", 4<<20/3)}}
			}))
			return []string{"render", filepath.Join(dir, "a.yaml"), "-o", filepath.Join(dir, "out")}
		}, 2, "上限", nil},
		{"yaml: a report at the bounds (10 paragraphs of 100,000 characters) renders", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.yaml"), yamlWith(func(r *schema.Report) {
				for range schema.MaxText/schema.MaxParagraph - 1 {
					r.Narrative["problems"] = append(r.Narrative["problems"], schema.Block{Text: strings.Repeat("本年度政府信息公开工作有序推进。", schema.MaxParagraph/16)})
				}
			}))
			return []string{"render", filepath.Join(dir, "a.yaml"), "-o", filepath.Join(dir, "out")}
		}, 0, "已生成", nil},
		{"docx: document.xml never closes", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "a.docx")
			if err := zipOf(p, [2]string{"word/document.xml", docBody(reportLines(t), "")}); err != nil {
				t.Fatal(err)
			}
			return []string{"import", p, "-o", filepath.Join(dir, "a.yaml")}
		}, 2, "无法解析", nil},
		{"docx: mismatched end tags", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "a.docx")
			if err := zipOf(p, [2]string{"word/document.xml", strings.ReplaceAll(docBody(reportLines(t), "</w:body></w:document>"), "</w:t></w:r>", "</w:r>")}); err != nil {
				t.Fatal(err)
			}
			return []string{"check", p}
		}, 2, "无法解析", nil},
		{"docx: 3 million open elements", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "a.docx")
			if err := zipOf(p, [2]string{"word/document.xml", docBody(reportLines(t), strings.Repeat("<w:p>", 3_000_000))}); err != nil {
				t.Fatal(err)
			}
			return []string{"check", p}
		}, 2, "嵌套超过", nil},
		{"docx: two document.xml", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "a.docx")
			good := docBody(reportLines(t), "</w:body></w:document>")
			if err := zipOf(p, [2]string{"word/document.xml", good}, [2]string{"word/document.xml", docBody(nil, "</w:body></w:document>")}); err != nil {
				t.Fatal(err)
			}
			return []string{"check", p}
		}, 2, "同名", nil},
		{"xlsx: two workbook parts", func(t *testing.T, dir string) []string {
			x := filledWorkbook(t)
			y, _ := rezipWith(x, nil, [2]string{"xl/workbook.xml", entry(x, "xl/workbook.xml")})
			write(t, filepath.Join(dir, "a.xlsx"), y)
			return []string{"check", filepath.Join(dir, "a.xlsx")}
		}, 2, "同名", nil},
		{"xlsx: 4 million open elements in a sheet", func(t *testing.T, dir string) []string {
			x := filledWorkbook(t)
			part := sheetPartOf(t, x, schema.Current.Table("t3").Name)
			y, _ := rezipWith(x, map[string]string{part: `<worksheet><sheetData>` + strings.Repeat("<x>", 4_000_000)})
			write(t, filepath.Join(dir, "a.xlsx"), y)
			return []string{"check", filepath.Join(dir, "a.xlsx")}
		}, 2, "嵌套超过", nil},
		{"html: 4 million nested tables", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.html"), []byte("<html><body>"+strings.Repeat("<table>", 4_000_000)))
			return []string{"check", filepath.Join(dir, "a.html")}
		}, 2, "嵌套超过", nil},
		{"txt: 30 MB of one heading", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "a.txt"), bytes.Repeat([]byte("一、总体情况\n"), 30<<20/19))
			return []string{"check", filepath.Join(dir, "a.txt")}
		}, 2, "", nil},
		{"check: a FIFO", func(t *testing.T, dir string) []string {
			if err := syscall.Mkfifo(filepath.Join(dir, "a.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
			return []string{"check", filepath.Join(dir, "a.yaml")}
		}, 2, "命名管道", nil},
		{"render: a FIFO", func(t *testing.T, dir string) []string {
			syscall.Mkfifo(filepath.Join(dir, "a.xlsx"), 0o644)
			return []string{"render", filepath.Join(dir, "a.xlsx")}
		}, 2, "命名管道", nil},
		{"convert: a FIFO", func(t *testing.T, dir string) []string {
			syscall.Mkfifo(filepath.Join(dir, "a.yaml"), 0o644)
			return []string{"convert", filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.xlsx")}
		}, 2, "命名管道", nil},
		{"check: a device", func(t *testing.T, dir string) []string {
			os.Symlink("/dev/zero", filepath.Join(dir, "a.txt"))
			return []string{"check", filepath.Join(dir, "a.txt")}
		}, 2, "设备", nil},
		{"batch --render: the agency's folder is a link", func(t *testing.T, dir string) []string {
			r := fixture.Report(0, 2024)
			write(t, filepath.Join(dir, "in", "a.yaml"), yamlfile.Write(r))
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			os.MkdirAll(filepath.Join(dir, "elsewhere"), 0o755)
			os.Symlink(filepath.Join(dir, "elsewhere"), filepath.Join(dir, "out", outdir.SafeName(r.Meta.Agency.Value)))
			return []string{"batch", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out"), "--render"}
		}, 2, "部分输出未能生成", func(t *testing.T, dir string) {
			if entries, _ := os.ReadDir(filepath.Join(dir, "elsewhere")); len(entries) > 0 {
				t.Errorf("wrote %s through the link", entries[0].Name())
			}
		}},
		{"batch out/问题清单 -o out keeps its input", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "out", batch.FindingsDir, "00001-报告.html"), []byte("<p>某某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"))
			return []string{"batch", filepath.Join(dir, "out", batch.FindingsDir), "-o", filepath.Join(dir, "out")}
		}, 1, "", func(t *testing.T, dir string) {
			if _, err := os.Stat(filepath.Join(dir, "out", batch.FindingsDir, "00001-报告.html")); err != nil {
				t.Errorf("the input was removed: %v", err)
			}
		}},
		{"batch: another batch holds the output folder", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "in", "a.yaml"), fixture.YAML(0, 2024))
			host, _ := os.Hostname()
			lock, _ := json.Marshal(map[string]any{"PID": os.Getpid(), "Host": host, "Started": time.Now()})
			write(t, filepath.Join(dir, "out", outdir.LockName), lock)
			return []string{"batch", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out")}
		}, 2, "正由另一个 nianbao batch", nil},
		{"batch: a killed batch's lock and temporary files", func(t *testing.T, dir string) []string {
			write(t, filepath.Join(dir, "in", "a.yaml"), fixture.YAML(0, 2024))
			host, _ := os.Hostname()
			lock, _ := json.Marshal(map[string]any{"PID": 1 << 30, "Host": host, "Started": time.Now()})
			write(t, filepath.Join(dir, "out", outdir.LockName), lock)
			write(t, filepath.Join(dir, "out", ".总览.html.12345678.tmp"), []byte("半截"))
			return []string{"batch", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out")}
		}, 0, "可发布 1", func(t *testing.T, dir string) {
			if _, err := os.Stat(filepath.Join(dir, "out", ".总览.html.12345678.tmp")); err == nil {
				t.Error("the temporary file was left")
			}
		}},
		{"batch --render: long agency names keep their year", func(t *testing.T, dir string) []string {
			long := strings.Repeat("某某市某某区某某街道办事处", 10)
			for i, y := range []int{2023, 2024} {
				r := fixture.Report(0, y)
				r.Meta.Agency.Value = long
				write(t, filepath.Join(dir, "in", fmt.Sprint(i, ".yaml")), yamlfile.Write(r))
			}
			return []string{"batch", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out"), "--render"}
		}, 0, "发布稿 2 份", func(t *testing.T, dir string) {
			for _, y := range []string{"2023", "2024"} {
				m, _ := filepath.Glob(filepath.Join(dir, "out", "*", "*"+y+"年政府信息公开工作年度报告"+render.Ext(render.PDF)))
				if len(m) != 1 {
					t.Errorf("%s: %d PDF outputs, want 1", y, len(m))
				}
			}
		}},
	}
}

// TestHostileTable runs the table and logs, for each case, the exit code,
// the message, the peak RSS and the time.
func TestHostileTable(t *testing.T) {
	var log strings.Builder
	fmt.Fprintf(&log, "\n%-66s %4s %8s %8s %8s  %s\n", "case", "exit", "RSS MB", "seconds", "CPU s", "message")
	for _, tc := range hostileTable() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := tc.setup(t, dir)
			m := runBinary(t, args...)
			first := strings.TrimSpace(m.out)
			if lines := strings.Split(first, "\n"); len(lines) > 0 {
				first = lines[len(lines)-1]
			}
			fmt.Fprintf(&log, "%-66s %4d %8.1f %8.2f %8.2f  %s\n", tc.name, m.code, float64(m.rss)/(1<<20), m.took.Seconds(), m.cpu.Seconds(), first)
			if m.code != tc.want {
				t.Errorf("exit %d, want %d:\n%s", m.code, tc.want, m.out)
			}
			if tc.say != "" && !strings.Contains(m.out, tc.say) {
				t.Errorf("output does not say %q:\n%s", tc.say, m.out)
			}
			if strings.Contains(m.out, "panic") || strings.Contains(m.out, "goroutine ") {
				t.Errorf("panicked:\n%s", m.out)
			}
			if m.rss > maxRSS {
				t.Errorf("peak RSS %d MB, bound %d MB", m.rss>>20, maxRSS>>20)
			}
			if tc.after != nil {
				tc.after(t, dir)
			}
		})
	}
	t.Log(log.String())
}
