package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/schema/check"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/template"
)

type renderOptions struct {
	out     string
	formats string
	prev    string          // last year's report, for the cross-year checks and the 图解's changes
	publish publish.Options // Draft, Fragment, fonts
}

func runRender(e *env) int {
	var opt renderOptions
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.StringVar(&opt.out, "o", "", "`文件夹` 输出文件夹（默认：报告文件所在的文件夹）")
	fs.StringVar(&opt.formats, "format", strings.Join(render.Defaults(), ","), "`格式` 输出格式，逗号分隔："+strings.Join(render.Formats(), "、")+"（svg 为图解，需指定才生成）")
	fs.StringVar(&opt.prev, "prev", "", "`上年报告` 加上跨年度检查；图解显示与上年相比的变化")
	fs.BoolVar(&opt.publish.Draft, "draft", false, "报告有错误时仍然生成，每页标注“草稿（未通过校验）”")
	fs.BoolVar(&opt.publish.Graphic, "graphic", false, "网页末尾附上图解，PDF 最后加一页图解（与 --format svg 相同的图）")
	fs.BoolVar(&opt.publish.Fragment, "fragment", false, "HTML 只输出正文部分（不含页面头尾和样式表），便于粘贴到网站内容管理系统的编辑器")
	fs.StringVar(&opt.publish.TitleFont, "font-title", "", "`字体文件` PDF 标题字体文件（.ttf，或 .ttc:序号）；默认用内置字体")
	fs.StringVar(&opt.publish.BodyFont, "font-body", "", "`字体文件` PDF 正文字体文件（.ttf，或 .ttc:序号）")
	fs.StringVar(&opt.publish.HeadingFont, "font-heading", "", "`字体文件` PDF 一级标题（黑体）字体文件（.ttf，或 .ttc:序号）")
	usage := usageOf(fs,
		"用法：nianbao render 报告文件 [-o 输出文件夹] [--format "+strings.Join(render.Formats(), ",")+"] [--prev 上年报告] [--draft] [--fragment]",
		"先校验报告；没有错误才生成发布稿，文件名为“机关名称+年度+年政府信息公开工作年度报告”加扩展名。",
		"退出码：0 已生成；1 报告有错误（未生成，或加 --draft 生成了草稿）；2 无法运行或有格式生成失败。",
	)
	arg, code, ok := e.parseOne(fs, usage, "请给出要生成发布稿的报告文件", "一次只处理一个报告；多余的参数：%s")
	if !ok {
		return code
	}
	formats, err := render.ParseFormats(opt.formats)
	if err != nil {
		return e.errorf("%v", err)
	}
	input := arg
	r, err := template.Open(input)
	if err != nil {
		return e.errorf("%s", inputError(err))
	}
	popt := opt.publish
	popt.File, popt.Formats, popt.Dir, popt.Inputs = input, formats, opt.out, []string{input}
	if opt.prev != "" {
		prev, err := template.Open(opt.prev)
		if err != nil {
			return e.errorf("%s", inputError(err))
		}
		popt.Prev = prev
		popt.Inputs = append(popt.Inputs, opt.prev)
	}
	if popt.Dir == "" {
		popt.Dir = filepath.Dir(input)
	}
	// the findings come before the outputs are rendered
	popt.Checked = publish.Check(r, popt)
	res := popt.Checked
	if len(res.Findings) > 0 {
		if err := res.WriteText(e.stderr); err != nil {
			return e.errorf("输出失败：%s", writeError(err))
		}
	}
	if popt.Draft && res.Publishable() {
		fmt.Fprintln(e.stderr, "报告可以发布，生成正式发布稿（--draft 不起作用）。")
	}
	pub, err := publish.Write(r, popt)
	if err != nil {
		return e.errorf("%v", err)
	}
	if pub.Blocked {
		if res.Errors() == 0 {
			fmt.Fprintf(e.stderr, "报告有 %d 个需说明的问题（报告与自身或上年报告矛盾），未生成发布稿。两种办法：改正有关数字或文字；"+
				"或者数字属实，在报告的说明中写明原因（%s）。如需内部传阅，可加 --draft 生成标注“草稿（未通过校验）”的草稿。\n",
				res.ToExplain(), check.ExplainWhere)
			return 1
		}
		fmt.Fprintln(e.stderr, "报告有错误，未生成发布稿。请改正后重新运行；如需内部传阅，可加 --draft 生成标注“草稿（未通过校验）”的草稿。")
		return 1
	}
	for _, o := range pub.Outputs {
		switch {
		case o.RenderErr != nil:
			fmt.Fprintf(e.stderr, "nianbao：%s 生成失败：%s\n", o.Format.Title, osReason(o.RenderErr))
		case o.WriteErr != nil:
			fmt.Fprintf(e.stderr, "nianbao：%s 无法写入：%s\n", o.Format.Title, writeError(o.WriteErr))
		default:
			fmt.Fprintf(e.stdout, "已生成 %s\n", o.Path)
		}
	}
	switch {
	case pub.Failed():
		return 2
	case pub.Draft && res.Errors() == 0:
		fmt.Fprintln(e.stderr, "报告有需说明的问题：以上文件是草稿，不能发布；改正或写明原因后重新生成。")
		return 1
	case pub.Draft:
		fmt.Fprintln(e.stderr, "报告有错误：以上文件是草稿，不能发布。")
		return 1
	}
	return 0
}
