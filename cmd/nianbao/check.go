package main

import (
	"flag"
	"fmt"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

type checkOptions struct {
	prev   string
	format string
}

func runCheck(e *env) int {
	var opt checkOptions
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&opt.prev, "prev", "", "上年报告（用于跨年度检查：上年结转、现行有效文件数、内容雷同）")
	fs.StringVar(&opt.format, "format", check.OutText, "输出格式：text（给人看）或 json（给程序用）")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "用法：nianbao check 报告文件 [--prev 上年报告] [--format text|json]")
		fmt.Fprintln(e.stderr, "报告文件可以是 .yaml、.xlsx，或已发布报告的 .txt、.html、.docx。")
		fmt.Fprintln(e.stderr, "退出码：0 无错误（可有警告）；1 有错误；2 文件无法使用。")
		fs.PrintDefaults()
	}
	args, err := parseInterleaved(fs, e.args)
	if err != nil {
		return flagExit(err)
	}
	if len(args) != 1 {
		fs.Usage()
		return 2
	}
	if opt.format != check.OutText && opt.format != check.OutJSON {
		return e.errorf("未知的输出格式 %q：可用 text 或 json", opt.format)
	}
	r, err := template.Open(args[0])
	if err != nil {
		return e.errorf("%s", inputError(err))
	}
	var prev *schema.Report
	if opt.prev != "" {
		if prev, err = template.Open(opt.prev); err != nil {
			return e.errorf("上年报告：%s", inputError(err))
		}
	}
	res := &check.Result{File: args[0], Format: r.Format, Findings: check.Run(r, check.Options{Prev: prev})}
	if err := res.Write(e.stdout, opt.format); err != nil {
		return e.errorf("输出失败：%v", err)
	}
	return res.ExitCode()
}
