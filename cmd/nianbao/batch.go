package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

var batchUsage = `用法：nianbao batch 文件夹 [--prev 上年文件夹] [--roster 名单.xlsx] [--children] [-o 输出文件夹] [--render] [--jobs N]

校验文件夹（含子文件夹）中的每一份报告（` + template.Extensions(true, template.YAML, template.Workbook) +
	`，已发布报告的 ` + template.Extensions(true, template.Published) + `），
在输出文件夹中生成：
  总览.xlsx、总览.html  每份报告一行：机关名称、年度、状态（可发布/有警告/有错误/无法读取）、
                        错误和警告个数、主要数字；可排序、筛选
  问题清单/             每份报告的问题清单（在总览.html 中点击文件名打开）
  机关名称/             加 --render 时，每份没有错误的报告的 HTML、TXT、DOCX、PDF 发布稿

加 --children 时，每份` + schema.MetaField("scope").Label + `为“` + string(schema.ScopeRegion) + `”的报告与它所在文件夹（含子文件夹）中下级单位的报告
逐格核对（SUM-CHILDREN），不相等的格子和汇总报告列出但没有报告的机关列在它的问题清单中；子文件夹中有
汇总报告的，只与这份汇总报告核对，不重复计入其下的报告。

加 --roster 应报单位名单（nianbao roster --template 名单.xlsx 生成模板）时，逐个单位列出
已报、逾期报送、重复报送、未报、逾期未报，以及机关名称不在名单中的报告（屏幕上和总览中）。

退出码：0 全部可读且没有错误；1 有报告存在错误；2 有文件无法读取、输出无法写入或命令无法运行

参数：
`

func runBatch(e *env) int {
	fs := flag.NewFlagSet("batch", flag.ContinueOnError)
	prev := fs.String("prev", "", "上年报告所在文件夹：按机关名称匹配上年报告，做跨年度核对")
	out := fs.String("o", "批量校验结果", "输出文件夹")
	rend := fs.Bool("render", false, "为每份没有错误的报告生成全部格式的发布稿")
	jobs := fs.Int("jobs", runtime.NumCPU(), "同时处理的报告数")
	rosterFile := fs.String("roster", "", "`名单` 应报单位名单（.xlsx 或 .csv）：列出未报、逾期、重复和不在名单中的报告")
	year := fs.Int("year", 0, "与名单核对的报告年度（默认：本批多数报告的年度）")
	today := fs.String("date", "", "按哪一天判断“逾期未报”（YYYY-MM-DD，默认今天）")
	children := fs.Bool("children", false, "把每份本行政区域汇总报告与所在文件夹及其子文件夹中下级单位的报告逐格核对（SUM-CHILDREN）")
	usage := func(w io.Writer) {
		fmt.Fprint(w, batchUsage)
		printFlags(w, fs)
	}
	arg, code, ok := e.parseOne(fs, usage, "请给出报告所在的文件夹", "只能给出一个文件夹；多余的参数：%s")
	if !ok {
		return code
	}
	opt := batch.Options{Dir: arg, Prev: *prev, Out: *out, Render: *rend, Jobs: *jobs,
		Progress: e.stderr, TTY: isTerminal(e.stderr), Year: *year, Children: *children}
	if *today != "" {
		y, m, d, ok := schema.ParseDate(*today)
		if !ok {
			return e.errorf("--date 应为日期，例如 --date 2025-02-01")
		}
		opt.Today = time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.Local)
	}
	if *rosterFile != "" {
		if opt.Roster, code = openRoster(e, *rosterFile); opt.Roster == nil {
			return code
		}
	}
	sum, err := batch.Run(opt)
	if err != nil {
		return e.errorf("%s", batchError(opt, err))
	}
	fmt.Fprintf(e.stdout, "共 %d 份报告：可发布 %d，有警告 %d，需说明 %d，有错误 %d，无法读取 %d。\n", len(sum.Rows),
		sum.Count(batch.Publishable), sum.Count(batch.HasWarnings), sum.Count(batch.NeedsExplain), sum.Count(batch.HasErrors), sum.Count(batch.Unreadable))
	if note := sum.OthersNote(); note != "" {
		fmt.Fprintln(e.stdout, note+"。")
	}
	for _, f := range sum.Failed {
		fmt.Fprintf(e.stderr, "nianbao：%s 的部分输出未能生成，见总览的说明列\n", f)
	}
	fmt.Fprintf(e.stdout, "总览：%s、%s\n", filepath.Join(opt.Out, batch.OverviewPage), filepath.Join(opt.Out, batch.OverviewWorkbook))
	if opt.Render {
		n := 0
		for _, r := range sum.Rows {
			if r.Rendered != "" {
				n++
			}
		}
		fmt.Fprintf(e.stdout, "发布稿 %d 份（没有错误的报告），在 %s 下以机关名称命名的文件夹中\n", n, opt.Out)
	}
	if sum.Roster != nil {
		printRoster(e, sum.Roster)
	}
	if opt.Prev != "" && !anyPrev(sum) {
		fmt.Fprintf(e.stderr, "nianbao：注意：%s 中没有一份报告是本批报告上一年度的，没有做跨年度核对；请确认 --prev 给的是上年报告所在的文件夹，两个文件夹没有弄反\n", opt.Prev)
	}
	return sum.ExitCode()
}

// anyPrev reports whether some report was matched with last year's.
func anyPrev(sum *batch.Summary) bool {
	for _, r := range sum.Rows {
		if r.Prev != "" {
			return true
		}
	}
	return false
}

// batchError says in Chinese why a batch could not run.
func batchError(opt batch.Options, err error) string {
	path := opt.Dir
	var pe *os.PathError
	if errors.As(err, &pe) {
		path = pe.Path
	}
	switch {
	case errors.Is(err, batch.ErrNoReports):
		return fmt.Sprintf("文件夹 %s 中没有报告文件（%s）", opt.Dir, template.Extensions(false))
	case errors.Is(err, batch.ErrOutIsDir):
		return fmt.Sprintf("输出文件夹不能是报告所在的文件夹 %s；请用 -o 指定另一个文件夹", opt.Dir)
	case errors.Is(err, batch.ErrNoOut):
		return "请用 -o 指定输出文件夹"
	case errors.Is(err, batch.ErrNotFolder) && pe != nil && pe.Op == "prev":
		return fmt.Sprintf("--prev 应是上年报告所在的文件夹，%s 不是文件夹", path)
	case errors.Is(err, batch.ErrNotFolder):
		return fmt.Sprintf("%s 不是文件夹；batch 检查的是一个文件夹中的全部报告（单个文件请用 nianbao check）", path)
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("文件夹不存在：%s", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Sprintf("没有权限：%s", path)
	}
	return "批量校验无法完成：" + osReason(err)
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// printRoster lists, after the batch's counts, every unit of the roster
// that is not plainly 已报 and every report not on the roster.
func printRoster(e *env, res *roster.Result) {
	fmt.Fprintf(e.stdout, "%d 年度%s。\n", res.Year, res.Summary())
	for _, st := range roster.States[1:] {
		var names []string
		for _, l := range res.Lines {
			if l.State == st {
				n := l.Unit.Agency()
				if st == roster.Overdue || st == roster.Missing {
					n += "（期限 " + l.Due + "）"
				}
				names = append(names, n)
			}
		}
		if len(names) > 0 {
			fmt.Fprintf(e.stdout, "  %s（%d）：%s\n", st, len(names), strings.Join(names, "、"))
		}
	}
	if len(res.NotListed) > 0 {
		var files []string
		for _, s := range res.NotListed {
			files = append(files, s.File+"（"+s.Agency+"）")
		}
		fmt.Fprintf(e.stdout, "  不在名单中（%d）：%s\n", len(files), strings.Join(files, "、"))
	}
}
