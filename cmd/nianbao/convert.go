package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// convertOptions are the flags of nianbao convert.
type convertOptions struct {
	force bool
}

func runConvert(e *env) int {
	var o convertOptions
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	fs.BoolVar(&o.force, "force", false, "输出文件已存在时覆盖它（输入文件永远不会被覆盖）")
	usage := usageOf(fs,
		"用法：nianbao convert 输入文件 输出文件 [--force]",
		"\n在 YAML（.yaml）与 Excel 工作簿（.xlsx）之间转换，例如：",
		"  nianbao convert 报告.yaml 报告.xlsx",
		"  nianbao convert 报告.xlsx 报告.yaml",
		"数字、段落和字段全部保留；转换不做校验，校验请用 nianbao check。",
	)
	args, code, ok := e.parseFlags(fs, usage)
	if !ok {
		return code
	}
	if len(args) != 2 {
		usage(e.stderr)
		return e.errorf("需要两个参数：输入文件和输出文件")
	}
	in, out := args[0], args[1]
	kind := template.KindOf(out)
	if kind != template.YAML && kind != template.Workbook {
		return e.errorf("输出文件 %s 的类型不支持：请用 .xlsx（Excel 工作簿）或 .yaml", out)
	}
	if same(in, out) {
		return e.errorf("输出文件与输入文件相同（%s）；不会覆盖输入", out)
	}
	r, err := template.Open(in)
	if err != nil {
		return e.errorf("%s", inputError(err))
	}
	if !o.force {
		if _, err := os.Stat(out); err == nil {
			return e.errorf("%s 已存在；如要覆盖，请加 --force", out)
		}
	}
	var buf bytes.Buffer
	if err := template.Encode(&buf, out, r); err != nil {
		return e.errorf("无法转换：%s", osReason(err))
	}
	if err := outdir.Write(out, buf.Bytes(), in); err != nil {
		return e.errorf("无法写入 %s：%s", out, writeError(err))
	}
	fmt.Fprintf(e.stdout, "已转换 %s → %s\n", filepath.Base(in), out)
	// what could not be read is not in the output: say so (the findings
	// of an earlier import are kept in the output's import record)
	var lost []schema.Finding
	for _, f := range r.Issues {
		if f.Severity == schema.Error && !r.Imported.Has(f) {
			lost = append(lost, f)
		}
	}
	if len(lost) > 0 {
		fmt.Fprintf(e.stderr, "nianbao：注意：读取 %s 时有 %d 处未能读取，输出中缺少这些内容：\n", in, len(lost))
		for _, f := range lost {
			fmt.Fprintf(e.stderr, "  %s：%s\n", f.Location, f.Message)
		}
	}
	return 0
}

// same reports whether two paths name the same file (or the same path).
func same(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == bb {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
