// Command nianbao checks and renders 政府信息公开工作年度报告 in the format of
// 国办公开办函〔2021〕30号.
//
// Exit codes, the same for every subcommand and output format:
//
//	0  no errors (warnings allowed)
//	1  the report has errors (findings of severity error)
//	2  the command could not run: usage, unreadable input, I/O
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a subcommand may touch: its arguments and the standard streams.
type env struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// errorf prints a Chinese error line to stderr and returns exit code 2.
func (e *env) errorf(format string, a ...any) int {
	fmt.Fprintf(e.stderr, "nianbao：%s\n", fmt.Sprintf(format, a...))
	return 2
}

type command struct {
	name    string
	summary string
	run     func(e *env) int
}

func commands() []command {
	return []command{
		{"init", "生成新的填报模板（YAML 或 Excel），可从上年报告结转", runInit},
		{"check", "按 2021 年格式校验报告，列出需要修改的问题", runCheck},
		{"render", "生成发布稿：HTML、Word 文本、DOCX、PDF", runRender},
		{"convert", "在 YAML 与 Excel 工作簿之间转换", runConvert},
		{"import", "导入已发布的报告（网页文本、HTML、DOCX）", runImport},
		{"batch", "批量校验一个文件夹中的报告，生成总览", runBatch},
		{"sum", "汇总多个报告，生成本行政区域汇总报告", runSum},
		{"roster", "应报单位名单：生成模板，检查名单", runRoster},
		{"org", "收集服务器的数据库：备份、恢复、核对", runOrg},
		{"rules", "列出全部校验规则；rules 规则号 显示详细说明", runRules},
		{"serve", "在浏览器中填报、校验、预览和下载（本机网页，不连接互联网）", runServe},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "nianbao — 政府信息公开工作年度报告（国办公开办函〔2021〕30号格式）填报、校验与生成工具")
	fmt.Fprintln(w, "\n用法：nianbao 命令 [参数]")
	fmt.Fprintln(w, "\n命令：")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n退出码：0 无错误（可有警告）；1 报告有错误；2 无法运行（参数错误、文件无法读取等）")
	fmt.Fprintln(w, "各命令的参数：nianbao 命令 -h")
	fmt.Fprintln(w, "不熟悉命令行？运行 nianbao serve，在浏览器中操作（Windows 上双击 nianbao.exe 即可）")
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		if doubleClicked {
			// started from Explorer: no terminal, so the browser is the way in
			return runServe(&env{stdin: stdin, stdout: stdout, stderr: stderr})
		}
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(&env{args: args[1:], stdin: stdin, stdout: stdout, stderr: stderr})
		}
	}
	fmt.Fprintf(stderr, "nianbao：没有“%s”命令\n\n", name)
	usage(stderr)
	return 2
}

// notYet is the body of a subcommand that is not built yet.
func notYet(e *env, name string) int {
	return e.errorf("%s 命令尚未实现", strings.TrimSpace(name))
}
