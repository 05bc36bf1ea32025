package main

import (
	"strings"
	"testing"
)

// TestUsageErrors: every wrong use of a command gets a Chinese message that
// says what is wrong, exit 2; -h is help on stdout, exit 0.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args   []string
		code   int
		stdout string // substring of stdout ("" = no check)
		stderr string // substring of stderr
	}{
		{[]string{"check", "-h"}, 0, "--prev 上年报告", ""},
		{[]string{"render", "--help"}, 0, "--format 格式", ""},
		{[]string{"import", "-h"}, 0, "-o 文件", ""},
		{[]string{"init", "-h"}, 0, "--year 年度", ""},
		{[]string{"convert", "-h"}, 0, "--force", ""},
		{[]string{"rules", "-h"}, 0, "用法：nianbao rules", ""},
		{[]string{"check", "--bogus", "r.yaml"}, 2, "", "没有参数 --bogus"},
		{[]string{"render", "r.yaml", "-o"}, 2, "", "参数 -o 后面缺少取值"},
		{[]string{"init", "--year", "二〇二五"}, 2, "", "参数 --year 的取值“二〇二五”无效"},
		{[]string{"convert", "--force=maybe", "a.yaml", "b.xlsx"}, 2, "", "参数 --force 的取值“maybe”无效"},
		{[]string{"check"}, 2, "", "请给出要校验的报告文件"},
		{[]string{"check", "a.yaml", "b.yaml"}, 2, "", "多余的参数：b.yaml"},
		{[]string{"render"}, 2, "", "请给出要生成发布稿的报告文件"},
		{[]string{"import"}, 2, "", "请给出要导入的已发布报告文件"},
		{[]string{"check", dir}, 2, "", "这是一个文件夹"},
		{[]string{"rules", "NOPE"}, 2, "", "没有规则“NOPE”"},
		{[]string{"chek"}, 2, "", "没有“chek”命令"},
		{[]string{"check", "--format", "JSON", "../../examples/chengnan-scjg-2024.yaml"}, 0, `"ok": true`, ""},
		{[]string{"check", "--format", "xml", "../../examples/chengnan-scjg-2024.yaml"}, 2, "", "未知的输出格式“xml”：可用 text 或 json"},
		{[]string{"check", "../../examples/chengnan-scjg-2023.yaml", "--prev", "../../examples/chengnan-scjg-2024.yaml"}, 2, "",
			"是 2024 年度报告，不是 ../../examples/chengnan-scjg-2023.yaml（2023 年度）的上一年"},
		{[]string{"check", "../../examples/chengnan-scjg-2024.yaml", "--prev", "../../examples/chengnan-scjg-2024.yaml"}, 2, "", "请检查两个文件是否弄反"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, tt.args...)
		name := strings.Join(tt.args, " ")
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, tt.code, stderr)
		}
		if !strings.Contains(stdout, tt.stdout) {
			t.Errorf("%s: stdout %q, want %q", name, stdout, tt.stdout)
		}
		if !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: stderr %q, want %q", name, stderr, tt.stderr)
		}
		for _, english := range []string{"flag provided", "flag needs", "invalid value", "(default", "Usage:"} {
			if strings.Contains(stdout+stderr, english) {
				t.Errorf("%s: English %q in the output", name, english)
			}
		}
	}
}

// TestInitWithoutAgency: a template made without --agency says where to
// write the agency's name.
func TestInitWithoutAgency(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ out, want string }{
		{"r.xlsx", "请在“基本信息”工作表中填写"},
		{"r.yaml", "请在文件开头的 agency（机关名称）一行中填写"},
	} {
		code, stdout, stderr := runIn(t, dir, "init", "--year", "2025", "-o", tt.out)
		if code != 0 || !strings.Contains(stdout, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, want %q\n%s", tt.out, code, stdout, tt.want, stderr)
		}
	}
	_, stdout, _ := runIn(t, dir, "init", "--year", "2025", "--agency", "某某局", "-o", "named.yaml")
	if strings.Contains(stdout, "没有指定机关名称") {
		t.Errorf("named template: %q", stdout)
	}
}

// TestBatchSumUsage: batch and sum explain wrong flags in Chinese and print
// their help on stdout, like every other command.
func TestBatchSumUsage(t *testing.T) {
	for _, name := range []string{"batch", "sum"} {
		code, out, errOut := runCmd(t, name, "-h")
		if code != 0 || !strings.Contains(out, "用法：nianbao "+name) || strings.Contains(out, "default") {
			t.Errorf("%s -h: exit %d\n%s%s", name, code, out, errOut)
		}
		code, _, errOut = runCmd(t, name, "--bogus", "x")
		if code != 2 || !strings.Contains(errOut, "没有参数 --bogus") || strings.Contains(errOut, "flag provided") {
			t.Errorf("%s --bogus: exit %d\n%s", name, code, errOut)
		}
	}
}
