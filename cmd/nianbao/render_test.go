package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const renderExample = "../../examples/chengnan-scjg-2024.yaml"

// exampleWith copies the example into dir with one replacement applied.
func exampleWith(t *testing.T, dir, name, old, new string) string {
	t.Helper()
	src, err := os.ReadFile(renderExample)
	if err != nil {
		t.Fatal(err)
	}
	if old != "" && !bytes.Contains(src, []byte(old)) {
		t.Fatalf("example lacks %q", old)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, bytes.Replace(src, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// files lists the files under dir, relative, sorted.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

const title = "城南县市场监督管理局2024年政府信息公开工作年度报告"

func TestRender(t *testing.T) {
	dir := t.TempDir()
	broken := exampleWith(t, dir, "broken.yaml", "disclosed: [18, 3, 1, 0, 1, 0, 23]", "disclosed: [18, 3, 1, 0, 1, 0, 24]")
	tests := []struct {
		name  string
		args  []string // -o OUT is appended
		code  int
		files []string
		want  string // substring of stdout+stderr
	}{
		{"clean", []string{"render", renderExample, "--format", "html,txt,docx"}, 0,
			[]string{title + ".docx", title + ".html", title + ".txt"}, "已生成"},
		{"one format, flag first", []string{"render", "--format", "TXT", renderExample}, 0,
			[]string{title + ".txt"}, "已生成"},
		{"errors render nothing", []string{"render", broken}, 1, nil, "未生成发布稿"},
		{"errors are listed", []string{"render", broken}, 1, nil, "T3-ROW"},
		{"draft", []string{"render", broken, "--draft", "--format", "html,txt,docx"}, 1,
			[]string{title + ".docx", title + ".html", title + ".txt"}, "草稿"},
		{"unknown format", []string{"render", renderExample, "--format", "html,odt"}, 2, nil, "未知的输出格式 \"odt\""},
		{"empty format", []string{"render", renderExample, "--format", ","}, 2, nil, "没有给出输出格式"},
		{"missing file", []string{"render", filepath.Join(dir, "nope.yaml")}, 2, nil, "文件不存在"},
		{"no args", []string{"render"}, 2, nil, "用法"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := runCmd(t, append(tt.args, "-o", out)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tt.want, stdout, stderr)
			}
			if got := files(t, out); strings.Join(got, "|") != strings.Join(tt.files, "|") {
				t.Errorf("files %q, want %q", got, tt.files)
			}
		})
	}
}

// TestRenderAllFormats runs the default (all four formats). While the PDF
// renderer cannot render, its failure is reported in Chinese, the other
// formats are still written, and the exit code is 2.
func TestRenderAllFormats(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCmd(t, "render", renderExample, "-o", out)
	got := files(t, out)
	switch code {
	case 0:
		if len(got) != 4 {
			t.Errorf("files %q, want four", got)
		}
	case 2:
		if !strings.Contains(stderr, "PDF 生成失败") || len(got) != 3 {
			t.Errorf("exit 2 with files %q\nstderr: %s", got, stderr)
		}
	default:
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

func TestRenderDraftMarks(t *testing.T) {
	dir := t.TempDir()
	broken := exampleWith(t, dir, "broken.yaml", "disclosed: [18, 3, 1, 0, 1, 0, 23]", "disclosed: [18, 3, 1, 0, 1, 0, 24]")
	for _, tt := range []struct {
		input string
		draft bool
	}{{broken, true}, {renderExample, false}} {
		out := t.TempDir()
		runCmd(t, "render", tt.input, "--draft", "--format", "html,txt", "-o", out)
		for _, ext := range []string{".html", ".txt"} {
			data, err := os.ReadFile(filepath.Join(out, title+ext))
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(data, []byte("草稿（未通过校验）")); got != tt.draft {
				t.Errorf("%s%s: draft mark %v, want %v", filepath.Base(tt.input), ext, got, tt.draft)
			}
		}
	}
}

func TestRenderFragment(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runCmd(t, "render", renderExample, "--fragment", "--format", "html", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(out, title+".html"))
	if bytes.Contains(data, []byte("<html")) || !bytes.Contains(data, []byte("<table")) {
		t.Error("fragment is not the body content")
	}
}

// TestRenderUnsafeName: an agency name with path separators and .. cannot
// place an output outside -o DIR.
func TestRenderUnsafeName(t *testing.T) {
	for _, agency := range []string{"../../etc/x", "..", `a\..\..\b`, "/abs/path", "a\x00b\nc"} {
		root := t.TempDir()
		input := exampleWith(t, root, "in.yaml", "agency: 城南县市场监督管理局", "agency: "+yamlQuote(agency))
		out := filepath.Join(root, "out", "deeper")
		code, _, stderr := runCmd(t, "render", input, "--format", "html,txt", "-o", out)
		if code == 2 {
			t.Fatalf("%q: exit 2: %s", agency, stderr)
		}
		all := files(t, root)
		for _, f := range all {
			if f != "in.yaml" && !strings.HasPrefix(f, filepath.Join("out", "deeper")+string(filepath.Separator)) {
				t.Errorf("%q: file %s outside the output folder", agency, f)
			}
			if strings.Count(f, string(filepath.Separator)) > 2 {
				t.Errorf("%q: file %s in a subfolder of the output folder", agency, f)
			}
		}
		if len(all) != 3 {
			t.Errorf("%q: files %q", agency, all)
		}
	}
}

func yamlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\x00", `\0`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// TestRenderNeverOverwritesInput: an output path that is (a link to) the
// input is refused, and the input is unchanged.
func TestRenderNeverOverwritesInput(t *testing.T) {
	dir := t.TempDir()
	input := exampleWith(t, dir, "in.yaml", "", "")
	before, _ := os.ReadFile(input)
	if err := os.Symlink(input, filepath.Join(dir, title+".html")); err != nil {
		t.Fatal("cannot make a symlink:", err)
	}
	code, _, stderr := runCmd(t, "render", input, "--format", "html,txt")
	if code != 2 || !strings.Contains(stderr, "输出文件与输入文件相同") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	after, _ := os.ReadFile(input)
	if !bytes.Equal(before, after) {
		t.Error("input overwritten")
	}
	if _, err := os.Stat(filepath.Join(dir, title+".txt")); err != nil {
		t.Error("the other format was not written next to the input (default -o)")
	}
}

// TestRenderDeterministic: the same input gives the same bytes, whatever the day.
func TestRenderDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	runCmd(t, "render", renderExample, "--format", "html,txt,docx", "-o", a)
	runCmd(t, "render", renderExample, "--format", "html,txt,docx", "-o", b)
	for _, ext := range []string{".html", ".txt", ".docx"} {
		x, err1 := os.ReadFile(filepath.Join(a, title+ext))
		y, err2 := os.ReadFile(filepath.Join(b, title+ext))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs (%v, %v)", ext, err1, err2)
		}
	}
}

// TestRenderGateExplain: a report that contradicts itself (TEXT-NUMBER, a
// 需说明 warning) is not rendered; the message gives both ways out; once
// the report explains it, it renders.
func TestRenderGateExplain(t *testing.T) {
	dir := t.TempDir()
	in := exampleWith(t, dir, "r.yaml", "予以公开23件", "予以公开22件")
	out := filepath.Join(dir, "out")
	code, _, errOut := runCmd(t, "render", in, "-o", out, "--format", "txt")
	if code != 1 || len(files(t, out)) != 0 {
		t.Fatalf("exit %d, files %v:\n%s", code, files(t, out), errOut)
	}
	for _, s := range []string{"需说明 TEXT-NUMBER", "1 个需说明的问题", "改正有关数字或文字", "在报告的说明中写明原因", "explanations:", "--draft"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("the message does not say %q:\n%s", s, errOut)
		}
	}
	src, _ := os.ReadFile(in)
	src = append(src, "\nexplanations:\n  - rule: TEXT-NUMBER\n    place: overview\n    reason: 正文按年底实际公开件数填写。\n"...)
	os.WriteFile(in, src, 0o644)
	code, _, errOut = runCmd(t, "render", in, "-o", out, "--format", "txt")
	if code != 0 || len(files(t, out)) != 1 || !strings.Contains(errOut, "已说明 TEXT-NUMBER") || !strings.Contains(errOut, "【已说明：正文按年底实际公开件数填写。】") {
		t.Fatalf("explained: exit %d, files %v:\n%s", code, files(t, out), errOut)
	}
}
