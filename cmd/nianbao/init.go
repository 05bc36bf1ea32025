package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
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
		printTodo(e.stdout, r.Format, template.ToType(r))
	}
	return 0
}

// printTodo prints what is still to type in a template (template.ToType,
// the list the browser app's 新建 shows): a summary, then group by group
// the fields and texts, a table's cells with a note (the carry-over cells
// last year's report could not give first marked 【结转】) and every cell
// to type, row by row.
func printTodo(w io.Writer, f *schema.Format, todo []template.Todo) {
	fields, texts, cells, gaps := 0, 0, 0, 0
	for _, g := range todo {
		for _, it := range g.Items {
			switch {
			case g.Table != "":
				cells += len(it.Cells)
				for _, c := range it.Cells {
					if c.Carry {
						gaps++
					}
				}
			case it.Key == check.IntroSection || f.Section(it.Key) != nil:
				texts++
			default:
				fields++
			}
		}
	}
	var parts []string
	if fields > 0 {
		parts = append(parts, fmt.Sprintf("基本信息 %d 项", fields))
	}
	if texts > 0 {
		parts = append(parts, fmt.Sprintf("文字 %d 部分", texts))
	}
	if cells > 0 {
		p := fmt.Sprintf("表格 %d 格", cells)
		if gaps > 0 {
			p += fmt.Sprintf("（其中 %d 格应从上年结转，但上年报告中没有可用的数字）", gaps)
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		fmt.Fprintln(w, "  没有需要填写的内容")
		return
	}
	fmt.Fprintf(w, "  还需填写：%s\n", strings.Join(parts, "、"))
	for _, g := range todo {
		fmt.Fprintf(w, "  【%s】\n", g.Group)
		if g.Table == "" {
			for _, it := range g.Items {
				label := it.Label
				if label == g.Group {
					label = "本部分文字"
				}
				fmt.Fprintf(w, "    %s：%s\n", label, it.Note)
			}
			continue
		}
		for _, carry := range []bool{true, false} {
			for _, it := range g.Items {
				for _, c := range it.Cells {
					if c.Note == "" || c.Carry != carry {
						continue
					}
					mark := ""
					if c.Carry {
						mark = "【结转】"
					}
					fmt.Fprintf(w, "    %s%s：%s\n", mark, c.Name, c.Note)
				}
			}
		}
		for _, it := range g.Items {
			var cs []string
			for _, c := range it.Cells {
				cs = append(cs, c.Label)
			}
			fmt.Fprintf(w, "    %s：%s\n", it.Label, strings.Join(cs, "、"))
		}
	}
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
