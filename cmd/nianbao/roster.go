package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

const rosterUsage = `用法：nianbao roster --template 名单.xlsx|名单.csv
      nianbao roster 名单.xlsx|名单.csv

应报单位名单：政务公开办列出本行政区域内应当报送年度报告的单位，每行一个。第一行（表头）写列名：
%s（前三列必填，顺序不限；其他列如“序号”“备注”不读取）。名单可以是 Excel 工作簿（.xlsx），
也可以是 CSV 文件（UTF-8 或 GBK 编码，Excel“另存为 CSV”即可）。

  --template 文件  生成空白名单模板（.xlsx 带下拉列表；.csv 为 UTF-8 编码）；已有的文件不会被覆盖
  名单文件         检查名单：列出填写有误的单元格，无误时按层级和类别统计单位数

名单用于 nianbao batch --roster（谁未报、逾期、重复报送、不在名单中）和 nianbao sum --roster
（有单位未报时不汇总，除非加 --allow-missing）。

退出码：0 名单无误（或模板已生成）；2 名单有误或无法读取

参数：
`

func runRoster(e *env) int {
	fs := flag.NewFlagSet("roster", flag.ContinueOnError)
	tmpl := fs.String("template", "", "`文件` 生成空白名单模板（.xlsx 或 .csv）")
	force := fs.Bool("force", false, "--template 的文件已存在时覆盖它")
	usage := func(w io.Writer) {
		var labels []string
		for _, f := range schema.RosterFields {
			labels = append(labels, f.Label)
		}
		fmt.Fprintf(w, rosterUsage, strings.Join(labels, "、"))
		printFlags(w, fs)
	}
	args, code, ok := e.parseFlags(fs, usage)
	if !ok {
		return code
	}
	if *tmpl != "" {
		if len(args) > 0 {
			usage(e.stderr)
			return e.errorf("--template 生成模板时不再给出名单文件；多余的参数：%s", strings.Join(args, " "))
		}
		return writeRosterTemplate(e, *tmpl, *force)
	}
	switch len(args) {
	case 0:
		usage(e.stderr)
		return e.errorf("请给出名单文件，或用 --template 名单.xlsx 生成模板")
	case 1:
	default:
		usage(e.stderr)
		return e.errorf("只能给出一个名单文件；多余的参数：%s", strings.Join(args[1:], " "))
	}
	r, code := openRoster(e, args[0])
	if r == nil {
		return code
	}
	fmt.Fprintf(e.stdout, "名单 %s 无误：共 %d 个单位。\n", args[0], len(r.Units))
	for _, key := range []string{schema.RosterLevel, schema.RosterRole} {
		f := schema.RosterFieldOf(key)
		var parts []string
		for _, c := range f.Choices {
			n := 0
			for _, u := range r.Units {
				if u.Get(key) == c {
					n++
				}
			}
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c, n))
			}
		}
		fmt.Fprintf(e.stdout, "  按%s：%s\n", f.Label, strings.Join(parts, "，"))
	}
	if len(r.Ignored) > 0 {
		fmt.Fprintf(e.stdout, "  未读取的列：%s\n", strings.Join(r.Ignored, "、"))
	}
	return 0
}

func writeRosterTemplate(e *env, path string, force bool) int {
	if !force {
		if _, err := os.Lstat(path); err == nil {
			return e.errorf("%s 已存在，不会覆盖（确需覆盖请加 --force）", path)
		}
	}
	var buf bytes.Buffer
	if err := roster.WriteTemplate(&buf, path); err != nil {
		return e.errorf("无法生成名单模板：%s", osReason(err))
	}
	if err := outdir.Write(path, buf.Bytes()); err != nil {
		return e.errorf("无法写入 %s：%s", path, writeError(err))
	}
	fmt.Fprintf(e.stdout, "已生成名单模板 %s：每行填写一个应报单位，再用 nianbao roster %s 检查。\n", path, path)
	return 0
}

// openRoster reads a roster file, printing every problem on stderr; it
// returns nil and the exit code when the roster cannot be used.
func openRoster(e *env, path string) (*roster.Roster, int) {
	r, err := roster.Open(path)
	if err == nil {
		return r, 0
	}
	var re *roster.Error
	if errors.As(err, &re) {
		fmt.Fprintf(e.stderr, "nianbao：名单 %s 有 %d 处问题，请改正后重试：\n", path, len(re.Problems)+re.More)
		for _, p := range re.Problems {
			fmt.Fprintln(e.stderr, "  "+p.String())
		}
		if re.More > 0 {
			fmt.Fprintf(e.stderr, "  另有 %d 处问题\n", re.More)
		}
		return nil, 2
	}
	return nil, e.errorf("名单无法读取：%s", inputError(err))
}
