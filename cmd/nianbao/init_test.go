package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// runIn runs the command in dir and returns its exit code and output.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	last, _ := filepath.Abs("../../template/testdata/last-2024.yaml")
	copyFile(t, last, filepath.Join(dir, "last.yaml"))
	tests := []struct {
		name   string
		args   []string
		code   int
		file   string // the file that must exist afterwards
		stderr string
	}{
		{"blank xlsx", []string{"init", "--year", "2025", "--agency", "某某局"}, 0, "某某局2025年政府信息公开工作年度报告填报表.xlsx", ""},
		{"blank yaml", []string{"init", "--year", "2025", "--agency", "某某局", "-o", "r.yaml"}, 0, "r.yaml", ""},
		{"exists", []string{"init", "--year", "2025", "--agency", "某某局", "-o", "r.yaml"}, 2, "", "已存在"},
		{"force", []string{"init", "--year", "2025", "--agency", "某某局", "-o", "r.yaml", "--force"}, 0, "r.yaml", ""},
		{"no year", []string{"init", "--agency", "某某局"}, 2, "", "--year"},
		{"bad output", []string{"init", "--year", "2025", "-o", "r.pdf"}, 2, "", ".xlsx"},
		{"from yaml", []string{"init", "--from", "last.yaml", "-o", "next.xlsx"}, 0, "next.xlsx", ""},
		{"from xlsx", []string{"init", "--from", "next.xlsx", "-o", "next2.yaml", "--year", "2026"}, 0, "next2.yaml", ""},
		{"from itself", []string{"init", "--from", "last.yaml", "-o", "last.yaml", "--force"}, 2, "", "不会覆盖输入"},
		{"from missing", []string{"init", "--from", "nope.yaml"}, 2, "", "文件不存在"},
		{"year gap", []string{"init", "--from", "last.yaml", "--year", "2027", "-o", "gap.yaml"}, 0, "gap.yaml", "年度是 2024"},
		{"help", []string{"init", "-h"}, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runIn(t, dir, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if tt.stderr != "" && !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", errs, tt.stderr)
			}
			if tt.file != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	// last.yaml untouched
	a, _ := os.ReadFile(last)
	b, _ := os.ReadFile(filepath.Join(dir, "last.yaml"))
	if !bytes.Equal(a, b) {
		t.Error("the input was changed")
	}
	// the next year's workbook: 2025, 上年结转 filled, other figures blank
	r, err := template.Open(filepath.Join(dir, "next.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Meta.Year.Value != "2025" || r.Meta.Agency.Value != "白山市某某局" {
		t.Errorf("meta %q %q", r.Meta.Year.Value, r.Meta.Agency.Value)
	}
	if v := r.Cell("t3", "carried_over", "natural"); !v.OK() || v.Num.String() != "2" {
		t.Errorf("上年结转 自然人 = %v", v)
	}
	if v := r.Cell("t3", "received", "natural"); v.State != schema.Blank {
		t.Errorf("本年新收 自然人 = %v, want blank", v)
	}
	// a blank template is blank
	r, err = template.Open(filepath.Join(dir, "r.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range r.Tables {
		for _, row := range d.Values {
			for _, v := range row {
				if v.State != schema.Blank {
					t.Fatalf("blank template holds %v", v)
				}
			}
		}
	}
}

func TestConvert(t *testing.T) {
	dir := t.TempDir()
	src, _ := filepath.Abs("../../template/workbook/testdata/filled.yaml")
	copyFile(t, src, filepath.Join(dir, "r.yaml"))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"to xlsx", []string{"convert", "r.yaml", "r.xlsx"}, 0, ""},
		{"back to yaml", []string{"convert", "r.xlsx", "back.yaml"}, 0, ""},
		{"flags after", []string{"convert", "r.xlsx", "back.yaml", "--force"}, 0, ""},
		{"exists", []string{"convert", "r.xlsx", "back.yaml"}, 2, "已存在"},
		{"same file", []string{"convert", "r.yaml", "./r.yaml", "--force"}, 2, "不会覆盖输入"},
		{"one argument", []string{"convert", "r.yaml"}, 2, "两个参数"},
		{"bad output", []string{"convert", "r.yaml", "r.docx"}, 2, ".xlsx"},
		{"missing input", []string{"convert", "nope.xlsx", "x.yaml"}, 2, "文件不存在"},
		{"not a workbook", []string{"convert", "fake.xlsx", "x.yaml"}, 2, "不是 Excel 工作簿"},
	}
	os.WriteFile(filepath.Join(dir, "fake.xlsx"), []byte("hello"), 0o644)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runIn(t, dir, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
			if tt.stderr != "" && !strings.Contains(errs, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", errs, tt.stderr)
			}
		})
	}
	a, _ := os.ReadFile(filepath.Join(dir, "r.yaml"))
	r1, err := yamlfile.Read("r.yaml", a)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "back.yaml"))
	if !bytes.Equal(yamlfile.Write(r1), b) {
		t.Error("YAML → xlsx → YAML changed the report")
	}
}

// TestInitTodo: init --from prints what is still to type in the template —
// the list the browser app's 新建 shows (template.ToType) — not only the
// carry-over cells it could not fill: every group, every field and text,
// the carry-over gaps marked 【结转】 with their reason, every row to type.
// The previous report is a real one imported from text whose 表三 was cut
// off (h2-013), so its 上年结转 cells cannot be carried over.
func TestInitTodo(t *testing.T) {
	dir := t.TempDir()
	src, _ := filepath.Abs("../../template/published/testdata/real/h2-013_nppa_2022_partial.txt")
	copyFile(t, src, filepath.Join(dir, "last.txt"))
	if code, _, errs := runIn(t, dir, "import", "last.txt", "-o", "last.yaml"); code == 2 {
		t.Fatalf("import: %s", errs)
	}
	code, out, errs := runIn(t, dir, "init", "--from", "last.yaml", "--year", "2023", "-o", "next.yaml")
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	// the template as init makes it (as the browser app's 新建 does)
	prev, err := template.Open(filepath.Join(dir, "last.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	todo := template.ToType(template.FromPrevious(prev, 2023))
	cells, gaps := 0, 0
	for _, g := range todo {
		if !strings.Contains(out, "【"+g.Group+"】") {
			t.Errorf("group %s not printed", g.Group)
		}
		for _, it := range g.Items {
			if g.Table == "" && !strings.Contains(out, it.Note) {
				t.Errorf("%s: %s not printed", it.Label, it.Note)
			}
			if g.Table != "" && !strings.Contains(out, "    "+it.Label+"：") {
				t.Errorf("row %s not printed", it.Label)
			}
			for _, c := range it.Cells {
				cells++
				if c.Carry {
					gaps++
					if !strings.Contains(out, "【结转】"+c.Name+"："+c.Note) {
						t.Errorf("carry-over gap %s not printed", c.Name)
					}
				}
			}
		}
	}
	if gaps == 0 || !strings.Contains(out, fmt.Sprintf("表格 %d 格（其中 %d 格应从上年结转", cells, gaps)) {
		t.Errorf("summary of %d cells, %d gaps not printed:\n%s", cells, gaps, out)
	}
}
