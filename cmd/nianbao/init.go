package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// initOptions are the flags of nianbao init.
type initOptions struct {
	year   int
	agency string
	from   string
	out    string
	force  bool
}

func runInit(e *env) int {
	var o initOptions
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.IntVar(&o.year, "year", 0, "`年度` 报告年度，如 2025（用 --from 时默认为上年报告的下一年）")
	fs.StringVar(&o.agency, "agency", "", "`机关名称` 机关名称（用 --from 时默认沿用上年报告）")
	fs.StringVar(&o.from, "from", "", "`上年报告` 上年报告（"+template.ReadsText("，或")+"）：结转机关信息、上年结转数和文字草稿")
	fs.StringVar(&o.out, "o", "", "`文件` 输出文件（"+template.Either(template.Workbook, template.YAML)+"）；默认为“机关名称+年度”命名的 .xlsx")
	fs.BoolVar(&o.force, "force", false, "输出文件已存在时覆盖它")
	usage := usageOf(fs,
		"用法：nianbao init --year 2025 --agency 某某局 [-o 报告.xlsx|报告.yaml]",
		"      nianbao init [--year 2025] --from 上年报告.yaml|.xlsx|.txt [-o 报告.xlsx]",
		"\n生成填报模板：表格中的数字一律为空白（空白不等于 0）。用 --from 时沿用上年的机关信息，",
		"预填“上年结转”，在现行有效文件数旁提示上年数，上年文字作为草稿保留（含年份的段落末尾标有【待修改…】）。",
	)
	if code, ok := e.parseNone(fs, usage); !ok {
		return code
	}
	var r *schema.Report
	if o.from != "" {
		prev, err := template.Open(o.from)
		if err != nil {
			return e.errorf("无法读取上年报告：%s", inputError(err))
		}
		py := prev.YearInt()
		if o.year == 0 {
			if py == 0 {
				return e.errorf("上年报告 %s 中没有有效的报告年度；请用 --year 指定本年度", o.from)
			}
			o.year = py + 1
		}
		if py != 0 && py != o.year-1 {
			fmt.Fprintf(e.stderr, "nianbao：注意：上年报告 %s 的年度是 %d，不是 %d\n", o.from, py, o.year-1)
		}
		if n := countErrors(prev.Issues); n > 0 {
			fmt.Fprintf(e.stderr, "nianbao：注意：读取上年报告时发现 %d 个问题，可用 nianbao check %s 查看\n", n, o.from)
		}
		r = template.FromPrevious(prev, o.year)
		if o.agency != "" {
			r.Meta.Agency.Value = o.agency
		}
	} else {
		if o.year == 0 {
			usage(e.stderr)
			return e.errorf("请用 --year 指定报告年度，如 --year 2025")
		}
		r = template.Blank(o.agency, o.year)
	}
	if o.year < 2000 || o.year > 2100 {
		return e.errorf("报告年度 %d 不合理", o.year)
	}
	if o.out == "" {
		o.out = outdir.SafeName(r.Meta.Agency.Value+strconv.Itoa(o.year)+"年政府信息公开工作年度报告填报表") + ".xlsx"
	}
	kind := template.KindOf(o.out)
	if kind != template.YAML && kind != template.Workbook {
		return e.errorf("输出文件 %s 的类型不支持：请用 .xlsx（Excel 工作簿）或 .yaml", o.out)
	}
	if !o.force {
		if _, err := os.Stat(o.out); err == nil {
			return e.errorf("%s 已存在；如要覆盖，请加 --force", o.out)
		}
	}
	var buf bytes.Buffer
	if err := template.Encode(&buf, o.out, r); err != nil {
		return e.errorf("无法生成模板：%s", osReason(err))
	}
	var inputs []string
	if o.from != "" {
		inputs = append(inputs, o.from)
	}
	if err := outdir.Write(o.out, buf.Bytes(), inputs...); err != nil {
		return e.errorf("无法写入 %s：%s", o.out, writeError(err))
	}
	fmt.Fprintf(e.stdout, "已生成 %s：%s%d年度填报模板\n", o.out, r.Meta.Agency.Value, o.year)
	if strings.TrimSpace(r.Meta.Agency.Value) == "" {
		where := "“基本信息”工作表"
		if kind == template.YAML {
			where = "文件开头的 agency（机关名称）一行"
		}
		fmt.Fprintf(e.stdout, "  没有指定机关名称（--agency）：请在%s中填写\n", where)
	}
	if o.from != "" {
		fmt.Fprintf(e.stdout, "  从 %s 结转：%s\n", filepath.Base(o.from), carrySummary(r))
		if gaps := template.CarryGaps(r); len(gaps) > 0 {
			fmt.Fprintf(e.stdout, "  以下 %d 格应从上年报告结转，但上年报告中没有可用的数字，请手工填写：\n", len(gaps))
			for _, g := range gaps {
				fmt.Fprintf(e.stdout, "    %s\n", g)
			}
		}
	}
	return 0
}

// carrySummary says what FromPrevious carried over, for the member of staff.
func carrySummary(r *schema.Report) string {
	carried := template.Carried(r)
	drafts := 0
	for _, bs := range r.Narrative {
		for _, b := range bs {
			if strings.Contains(b.Text, template.DraftMark) {
				drafts++
			}
		}
	}
	for _, b := range r.Intro {
		if strings.Contains(b.Text, template.DraftMark) {
			drafts++
		}
	}
	return fmt.Sprintf("上年结转 %d 格已预填，提示 %d 处，含年份待修改的段落 %d 段；其余数字均为空白", carried, len(r.Hints), drafts)
}

func countErrors(fs []schema.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Severity == schema.Error {
			n++
		}
	}
	return n
}
