package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

type checkOptions struct {
	prev     string
	format   string
	children string
}

func runCheck(e *env) int {
	var opt checkOptions
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.StringVar(&opt.prev, "prev", "", "`上年报告` 用于跨年度检查：上年结转、现行有效文件数、内容雷同")
	fs.StringVar(&opt.format, "format", check.OutText, "`text|json` 输出格式：text 给人看，json 给程序用")
	fs.StringVar(&opt.children, "children", "", "`下级报告文件夹` 汇总报告逐格与文件夹中各单位报告之和比较（SUM-CHILDREN）")
	usage := usageOf(fs,
		"用法：nianbao check 报告文件 [--prev 上年报告] [--children 下级报告文件夹] [--format text|json]",
		"报告文件可以是 "+template.ReadsText("，或")+"。",
		"退出码：0 无错误（可有警告）；1 有错误；2 文件无法使用。",
	)
	arg, code, ok := e.parseOne(fs, usage, "请给出要校验的报告文件", "一次只校验一个报告；多余的参数：%s（批量校验请用 nianbao batch）")
	if !ok {
		return code
	}
	opt.format = strings.ToLower(strings.TrimSpace(opt.format)) // as render --format: TXT, Json
	if opt.format != check.OutText && opt.format != check.OutJSON {
		return e.errorf("未知的输出格式“%s”：可用 text 或 json", opt.format)
	}
	// unusable reports a file that cannot be checked: on stderr, and as a
	// JSON object on stdout when JSON was asked for.
	unusable := func(msg string) int {
		if opt.format == check.OutJSON {
			check.WriteJSONUnusable(e.stdout, arg, msg)
		}
		return e.errorf("%s", msg)
	}
	r, err := template.Open(arg)
	if err != nil {
		return unusable(inputError(err))
	}
	var prev *schema.Report
	if opt.prev != "" {
		if prev, err = template.Open(opt.prev); err != nil {
			return unusable("上年报告：" + inputError(err))
		}
		if y, py := r.YearInt(), prev.YearInt(); y != 0 && py != 0 && py != y-1 {
			return unusable(fmt.Sprintf("--prev 给出的 %s 是 %d 年度报告，不是 %s（%d 年度）的上一年；请检查两个文件是否弄反，跨年度检查只和 %d 年度报告比较",
				opt.prev, py, arg, y, y-1))
		}
	}
	copt := check.Options{Prev: prev}
	if opt.children != "" {
		children, sources, err := batch.Children(opt.children, r, arg, nil)
		var ce *batch.ChildError
		switch {
		case errors.As(err, &ce):
			return unusable("下级报告 " + ce.File + "：" + inputError(ce.Err))
		case err != nil:
			return unusable("下级报告文件夹：" + inputError(err))
		}
		copt.Children = append([]*schema.Report{}, children...)
		for _, s := range sources {
			if s.Covered != "" {
				fmt.Fprintf(e.stderr, "nianbao：注意：下级报告 %s 未重复计入（%s）\n", s.File, s.Covered)
			}
		}
	}
	res := &check.Result{File: arg, Format: r.Format, Findings: check.Run(r, copt)}
	if err := res.Write(e.stdout, opt.format); err != nil {
		return e.errorf("输出失败：%s", writeError(err))
	}
	return res.ExitCode()
}
