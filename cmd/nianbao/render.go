package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

type renderOptions struct {
	out      string
	formats  string
	draft    bool
	fragment bool
	fonts    render.Options // TitleFont, BodyFont, HeadingFont
}

// formatNames are the Chinese names of the output formats, for messages.
var formatNames = map[string]string{
	render.HTML: "HTML 网页",
	render.Text: "Word 文本（.txt）",
	render.DOCX: "Word 文档（.docx）",
	render.PDF:  "PDF",
}

func runRender(e *env) int {
	var opt renderOptions
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.StringVar(&opt.out, "o", "", "`文件夹` 输出文件夹（默认：报告文件所在的文件夹）")
	fs.StringVar(&opt.formats, "format", strings.Join(render.Formats(), ","), "`格式` 输出格式，逗号分隔：html、txt、docx、pdf")
	fs.BoolVar(&opt.draft, "draft", false, "报告有错误时仍然生成，每页标注“草稿（未通过校验）”")
	fs.BoolVar(&opt.fragment, "fragment", false, "HTML 只输出正文部分（不含页面头尾和样式表），便于粘贴到网站内容管理系统的编辑器")
	fs.StringVar(&opt.fonts.TitleFont, "font-title", "", "`字体文件` PDF 标题字体文件（.ttf，或 .ttc:序号）；默认用内置字体")
	fs.StringVar(&opt.fonts.BodyFont, "font-body", "", "`字体文件` PDF 正文字体文件（.ttf，或 .ttc:序号）")
	fs.StringVar(&opt.fonts.HeadingFont, "font-heading", "", "`字体文件` PDF 一级标题（黑体）字体文件（.ttf，或 .ttc:序号）")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "用法：nianbao render 报告文件 [-o 输出文件夹] [--format html,txt,docx,pdf] [--draft] [--fragment]")
		fmt.Fprintln(w, "先校验报告；没有错误才生成发布稿，文件名为“机关名称+年度+年政府信息公开工作年度报告”加扩展名。")
		fmt.Fprintln(w, "退出码：0 已生成；1 报告有错误（未生成，或加 --draft 生成了草稿）；2 无法运行或有格式生成失败。")
		fmt.Fprintln(w, "\n参数：")
		printFlags(w, fs)
	}
	arg, code, ok := e.parseOne(fs, usage, "请给出要生成发布稿的报告文件", "一次只处理一个报告；多余的参数：%s")
	if !ok {
		return code
	}
	formats, err := parseFormats(opt.formats)
	if err != nil {
		return e.errorf("%v", err)
	}
	input := arg
	r, err := template.Open(input)
	if err != nil {
		return e.errorf("%s", inputError(err))
	}
	res := &check.Result{File: input, Format: r.Format, Findings: check.Run(r, check.Options{})}
	if len(res.Findings) > 0 {
		if err := res.WriteText(e.stderr); err != nil {
			return e.errorf("输出失败：%s", writeError(err))
		}
	}
	if !res.OK() && !opt.draft {
		fmt.Fprintln(e.stderr, "报告有错误，未生成发布稿。请改正后重新运行；如需内部传阅，可加 --draft 生成标注“草稿（未通过校验）”的草稿。")
		return 1
	}
	ropt := opt.fonts
	ropt.Draft = opt.draft && !res.OK()
	ropt.Fragment = opt.fragment
	if opt.draft && res.OK() {
		fmt.Fprintln(e.stderr, "报告没有错误，生成正式发布稿（--draft 不起作用）。")
	}
	dir := opt.out
	if dir == "" {
		dir = filepath.Dir(input)
	}
	base := outdir.SafeName(r.Title())
	failed := false
	for _, f := range formats {
		var buf bytes.Buffer
		if err := render.Render(&buf, f, r, ropt); err != nil {
			fmt.Fprintf(e.stderr, "nianbao：%s 生成失败：%s\n", formatNames[f], osReason(err))
			failed = true
			continue
		}
		path, err := outdir.Join(dir, base+render.Ext(f))
		if err == nil {
			err = outdir.Write(path, buf.Bytes(), input)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "nianbao：%s 无法写入：%s\n", formatNames[f], writeError(err))
			failed = true
			continue
		}
		fmt.Fprintf(e.stdout, "已生成 %s\n", path)
	}
	switch {
	case failed:
		return 2
	case !res.OK():
		fmt.Fprintln(e.stderr, "报告有错误：以上文件是草稿，不能发布。")
		return 1
	}
	return 0
}

// parseFormats reads the comma-separated --format list; an unknown name is
// an error, never ignored.
func parseFormats(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" || seen[f] {
			continue
		}
		if _, ok := formatNames[f]; !ok {
			return nil, fmt.Errorf("未知的输出格式 %q：可用 %s", f, strings.Join(render.Formats(), "、"))
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--format 没有给出输出格式：可用 %s", strings.Join(render.Formats(), "、"))
	}
	return out, nil
}
