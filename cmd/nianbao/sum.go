package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

var sumUsage = `用法：nianbao sum 文件夹 --agency 某某市人民政府 --year 2024 [--level 市] [--roster 名单.xlsx [--allow-missing]] [-o 汇总.yaml]

把文件夹（含子文件夹）中各机关的年度报告汇总为本行政区域汇总报告：表二、表三、表四的每个单元格
逐一相加。每份报告都必须可读、年度相同、没有错误、没有空白单元格（空白不等于 0），同一机关只能出现
一次；否则不生成汇总，并逐一列出需要处理的文件和单元格。汇总报告的最后一部分列出参与汇总的
机关；正文部分请在生成的文件中补写。-o 以 .yaml 或 .xlsx 结尾。

逐级汇总（乡镇 → 县 → 市）：按` + schema.MetaField("scope").Label + `判断，子文件夹中有“` + string(schema.ScopeRegion) + `”报告的，只计入这份汇总报告
（它已包含该文件夹中其余的报告）；与某机关汇总报告同在一个文件夹的该机关“` + string(schema.ScopeGovernment) + `”报告已计入汇总，不重复计入；
所汇总机关自己的汇总报告不计入。未计入的报告逐一列出。

加 --roster 应报单位名单时，名单中的单位都有报告才汇总，机关名称不在名单中的报告不汇总；确需在有单位
未报时先行汇总，加 --allow-missing，汇总报告会写明未报送、未计入的单位。

退出码：0 汇总完成，汇总后的表格没有错误（正文等待补写的事项会列出）；1 汇总后的表格有错误；
2 无法汇总（见列出的原因）

参数：
`

func runSum(e *env) int {
	fs := flag.NewFlagSet("sum", flag.ContinueOnError)
	agency := fs.String("agency", "", "汇总报告的机关名称（本级人民政府），必填")
	year := fs.String("year", "", "报告年度（四位数字），必填；每份报告都必须是这一年度")
	var levels []string
	for _, l := range schema.Levels {
		levels = append(levels, string(l))
	}
	level := fs.String("level", "", "机关层级："+strings.Join(levels, " / "))
	out := fs.String("o", "", "输出文件（"+template.Either(template.YAML, template.Workbook)+"）；默认为“机关名称+年度+本行政区域汇总.yaml”")
	jobs := fs.Int("jobs", runtime.NumCPU(), "同时读取的报告数")
	rosterFile := fs.String("roster", "", "`名单` 应报单位名单（.xlsx 或 .csv）：名单中的单位都有报告才汇总")
	allowMissing := fs.Bool("allow-missing", false, "与 --roster 同用：有单位未报时仍然汇总，并在汇总报告中写明未计入的单位")
	usage := func(w io.Writer) {
		fmt.Fprint(w, sumUsage)
		printFlags(w, fs)
	}
	arg, code, ok := e.parseOne(fs, usage, "请给出报告所在的文件夹", "只能给出一个文件夹；多余的参数：%s")
	if !ok {
		return code
	}
	if st, err := os.Stat(arg); err != nil {
		return e.errorf("文件夹不存在或无法打开：%s", arg)
	} else if !st.IsDir() {
		return e.errorf("%s 不是文件夹；sum 汇总的是一个文件夹中的全部报告，请把要汇总的报告放在一个文件夹中", arg)
	}
	if strings.TrimSpace(*agency) == "" {
		return e.errorf("请用 --agency 给出汇总报告的机关名称，例如 --agency 某某市人民政府")
	}
	y, err := strconv.Atoi(strings.TrimSpace(*year))
	if err != nil || y < 1000 || y > 9999 {
		return e.errorf("请用 --year 给出四位数字的报告年度，例如 --year 2024")
	}
	if *level != "" && !slices.Contains(levels, *level) {
		return e.errorf("--level 应为 %s 之一", strings.Join(levels, "、"))
	}
	path := *out
	if path == "" {
		path = outdir.SafeName(strings.TrimSpace(*agency)+*year+"年"+string(schema.ScopeRegion)) + ".yaml"
	}
	if k := template.KindOf(path); k != template.YAML && k != template.Workbook {
		return e.errorf("输出文件 %s 应以 %s 结尾", path, template.Either(template.YAML, template.Workbook))
	}
	sopt := batch.SumOptions{Dir: arg, Agency: strings.TrimSpace(*agency), Year: y,
		Level: *level, Out: path, Jobs: *jobs, AllowMissing: *allowMissing}
	if *allowMissing && *rosterFile == "" {
		return e.errorf("--allow-missing 须与 --roster 名单 同用")
	}
	if *rosterFile != "" {
		if sopt.Roster, code = openRoster(e, *rosterFile); sopt.Roster == nil {
			return code
		}
	}
	sum, sources, err := batch.Sum(sopt)
	if err != nil {
		var se *batch.SumError
		switch {
		case errors.As(err, &se):
			if len(se.Problems) > 0 {
				fmt.Fprintf(e.stderr, "nianbao：无法汇总，请先处理以下 %d 份报告的问题（或把它移出文件夹）：\n", se.Files)
				for _, p := range se.Problems {
					fmt.Fprintln(e.stderr, "  "+p)
				}
			}
			if len(se.Missing) > 0 {
				fmt.Fprintf(e.stderr, "nianbao：名单中有 %d 个单位没有报告，不汇总（催报后重试；确需先行汇总，加 --allow-missing）：\n", len(se.Missing))
				for _, u := range se.Missing {
					fmt.Fprintf(e.stderr, "  %s（名单 %s）\n", u.Agency(), u.Loc)
				}
			}
			return 2
		case errors.Is(err, batch.ErrOutInDir):
			return e.errorf("汇总报告 %s 不能写在要汇总的文件夹 %s 中（下次汇总会把它也算进去，也可能覆盖某份报告）；请换一个位置", path, arg)
		case errors.Is(err, batch.ErrNoReports):
			return e.errorf("文件夹 %s 中没有报告文件", arg)
		}
		return e.errorf("无法汇总：%s", osReason(err))
	}
	var buf bytes.Buffer
	if err := template.Encode(&buf, path, sum); err != nil {
		return e.errorf("无法生成 %s：%s", path, osReason(err))
	}
	var inputs []string
	for _, s := range sources {
		inputs = append(inputs, filepath.Join(arg, filepath.FromSlash(s.File)))
	}
	if err := outdir.Write(path, buf.Bytes(), inputs...); err != nil {
		return e.errorf("无法写入 %s：%s", path, writeError(err))
	}
	tables, rest := batch.TableFindings(sum.Format, check.Run(sum, check.Options{}))
	added := 0
	for _, s := range sources {
		if s.Covered == "" {
			added++
		}
	}
	fmt.Fprintf(e.stdout, "已汇总 %d 份报告，写入 %s。\n", added, path)
	for _, s := range sources {
		if s.Covered != "" {
			fmt.Fprintf(e.stdout, "  未重复计入：%s（%s）\n", s.File, s.Covered)
		}
	}
	if sopt.Roster != nil {
		if missing := batch.MissingUnits(sopt.Roster, sources); len(missing) > 0 {
			var names []string
			for _, u := range missing {
				names = append(names, u.Agency())
			}
			fmt.Fprintf(e.stdout, "注意：名单中 %d 个单位未报送、未计入汇总（已写入汇总报告）：%s\n", len(names), strings.Join(names, "、"))
		}
	}
	if _, others, err := batch.ListAll(arg, path); err == nil && len(others) > 0 {
		note := (&batch.Summary{Others: others}).OthersNote()
		fmt.Fprintf(e.stderr, "nianbao：注意：%s。\n", strings.Replace(note, "没有校验", "没有计入汇总", 1))
	}
	if len(tables) > 0 {
		fmt.Fprintln(e.stdout, "汇总后的表格有问题：")
		(&check.Result{File: path, Format: sum.Format, Findings: tables}).WriteText(e.stdout)
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stdout, "发布前还需在 %s 中补写（补写后用 nianbao check %s 校验）：\n", path, path)
		for _, f := range rest {
			fmt.Fprintf(e.stdout, "  %s %s\n", f.Severity.Chinese(), f.Message)
		}
		if *level == "" {
			fmt.Fprintf(e.stdout, "  （机关层级也可在汇总时指定：--level %s）\n", strings.Join(levels, " / "))
		}
	}
	if nerr, _ := check.Count(tables); nerr > 0 {
		return 1
	}
	return 0
}
