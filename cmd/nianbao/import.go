package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/published"
	"github.com/nianbao/nianbao/template/yamlfile"
)

type importOptions struct {
	out string
}

// runImport reads a published report (web text, saved HTML page, .docx, .pdf)
// and writes it as a YAML report, telling the user what was found.
func runImport(e *env) int {
	var opt importOptions
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.StringVar(&opt.out, "o", "", "`文件` 输出的 YAML 文件（默认：与输入同名的 .yaml；- 表示输出到屏幕）")
	usage := usageOf(fs,
		"用法：nianbao import 已发布的报告 [-o 报告.yaml]",
		"导入"+template.Describe(template.Published)+"，生成可校验、可修改的 YAML 报告。",
		"支持 UTF-8、GBK/GB18030 编码；能识别 2019 年试行格式并结转到 2021 年格式。",
		"退出码：0 全部读取；1 有未能读取的数字、缺失的表格或旧格式（YAML 仍会写出）；2 文件无法使用。",
	)
	arg, code, ok := e.parseOne(fs, usage, "请给出要导入的已发布报告文件", "一次只导入一个报告；多余的参数：%s")
	if !ok {
		return code
	}
	in := arg
	if template.KindOf(in) != template.Published {
		return e.errorf("%s：import 只读取已发布的报告（%s）；YAML 和 Excel 文件请直接用 check 或 convert", in, template.Extensions(true, template.Published))
	}
	r, err := template.Open(in)
	if err != nil {
		return e.errorf("%s", inputError(err))
	}
	out := opt.out
	if out == "" {
		out = strings.TrimSuffix(in, filepath.Ext(in)) + ".yaml"
	}
	if out != "-" && template.KindOf(out) != template.YAML {
		return e.errorf("输出文件 %s 应以 .yaml 结尾", out)
	}
	msg := e.stdout
	data := yamlfile.Write(r)
	if out == "-" {
		msg = e.stderr
		if _, err := e.stdout.Write(data); err != nil {
			return e.errorf("输出失败：%s", writeError(err))
		}
	} else if err := outdir.Write(out, data, in); err != nil {
		return e.errorf("无法写入 %s：%s", out, writeError(err))
	}
	errs := summarise(msg, in, r)
	if out != "-" {
		fmt.Fprintf(msg, "\n已写入 %s。\n", out)
	}
	if missing := missingMeta(r); len(missing) > 0 {
		fmt.Fprintf(msg, "下一步：补填%s（已发布的报告中没有），然后运行 nianbao check %s\n", strings.Join(missing, "、"), shown(out, "报告.yaml"))
	} else {
		fmt.Fprintf(msg, "下一步：运行 nianbao check %s\n", shown(out, "报告.yaml"))
	}
	if errs > 0 {
		return 1
	}
	return 0
}

func shown(p, dflt string) string {
	if p == "-" {
		return dflt
	}
	return p
}

// linePlace names a line of the source: 第 3 页第 12 行 in a PDF, 第 12 行
// otherwise.
func linePlace(l schema.Location) string {
	if l.Page > 0 {
		return fmt.Sprintf("第 %d 页第 %d 行", l.Page, l.Line)
	}
	return fmt.Sprintf("第 %d 行", l.Line)
}

// summarise prints what the import found and returns the number of
// findings of severity error raised while reading.
func summarise(w io.Writer, in string, r *schema.Report) int {
	f := r.Format
	at := func(t schema.Text) string {
		if t.Loc.Line > 0 {
			return "（" + linePlace(t.Loc) + "）"
		}
		return ""
	}
	val := func(t schema.Text) string {
		if strings.TrimSpace(t.Value) == "" {
			return "未找到"
		}
		return t.Value + at(t)
	}
	fmt.Fprintf(w, "已导入 %s\n", in)
	// the fields an import can find: required ones always, the others
	// when found (the contact details are in the 导语)
	for _, mf := range schema.MetaFields {
		t := *mf.Get(&r.Meta)
		switch {
		case mf.Kind == schema.FieldContact:
		case r.Imported != nil && r.Imported.Inferred[mf.Key] != "":
			fmt.Fprintf(w, "  %s：%s（%s）\n", mf.Label, t.Value, r.Imported.Inferred[mf.Key])
		case mf.Required && mf.Kind != schema.FieldChoice, strings.TrimSpace(t.Value) != "":
			fmt.Fprintf(w, "  %s：%s\n", mf.Label, val(t))
		}
	}

	var old *schema.Finding
	for i := range r.Issues {
		if r.Issues[i].Rule == published.RuleOldFormat {
			old = &r.Issues[i]
		}
	}
	if old != nil {
		fmt.Fprintf(w, "  报告格式：旧格式（%s，%s）——已转换为 %d 年格式（%s）\n", old.Actual, schema.Format2019.Title, f.Year, f.Notice)
	} else {
		fmt.Fprintf(w, "  报告格式：%d 年格式（%s）\n", f.Year, f.Notice)
	}

	var found, missing []string
	for _, s := range f.Sections {
		if _, ok := r.SectionLoc[s.Key]; ok {
			found = append(found, s.Number)
		} else {
			missing = append(missing, s.Heading())
		}
	}
	fmt.Fprintf(w, "  章节：找到 %s", strings.Join(found, "、"))
	if len(missing) > 0 {
		fmt.Fprintf(w, "；缺少 %s", strings.Join(missing, "、"))
	}
	fmt.Fprintln(w)

	for _, t := range f.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			fmt.Fprintf(w, "  %s（%s）：缺失，未导入\n", t.Name, t.Caption)
			continue
		}
		read := 0
		for i := range d.Values {
			for j := range d.Values[i] {
				if !d.Values[i][j].IsBlank() {
					read++
				}
			}
		}
		fmt.Fprintf(w, "  %s（%s）：读取 %d / %d 个数字（%s起）\n", t.Name, t.Caption, read, t.CellCount(), linePlace(d.Loc))
	}

	for _, s := range f.Sections {
		if s.Kind != schema.TableSection || len(r.Narrative[s.Key]) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n“%s”下除表格外还有 %d 段文字（已保存在 YAML 该部分的 text 下，发布稿中排在表格之前；如属其他部分，请移过去）：\n", s.Heading(), len(r.Narrative[s.Key]))
		for _, b := range r.Narrative[s.Key] {
			fmt.Fprintf(w, "    %s  %s\n", b.Loc, clip(b.Text, 60))
		}
	}

	groups := []struct {
		rule, title string
	}{
		{published.RuleTableMissing, "缺失的表格"},
		{published.RuleImport, "未能读取的数字（请对照原文补填）"},
		{published.RuleImportSplit, "已按合计关系拆分的粘连数字（请核对）"},
		{published.RuleOldFormat, "旧格式"},
		{published.RuleUnmapped, "旧格式中不能结转到新格式的数字"},
	}
	errs := 0
	for _, g := range groups {
		var lines []string
		for _, fd := range r.Issues {
			if fd.Rule != g.rule {
				continue
			}
			if fd.Severity == schema.Error {
				errs++
			}
			lines = append(lines, fmt.Sprintf("    %s  %s", fd.Location, fd.Message))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s（%d 条）：\n%s\n", g.title, len(lines), strings.Join(lines, "\n"))
	}
	// any other finding a reader raised
	for _, fd := range r.Issues {
		known := false
		for _, g := range groups {
			known = known || fd.Rule == g.rule
		}
		if !known {
			if fd.Severity == schema.Error {
				errs++
			}
			fmt.Fprintf(w, "  %s %s  %s\n", fd.Severity.Chinese(), fd.Location, fd.Message)
		}
	}
	return errs
}

// clip shortens text to n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "……"
}

// missingMeta names the basic fields the import could not find, in the
// order of the YAML file, for the next-step hint.
func missingMeta(r *schema.Report) []string {
	var out []string
	for _, mf := range schema.MetaFields {
		if mf.Required && strings.TrimSpace(mf.Get(&r.Meta).Value) == "" {
			out = append(out, mf.Label)
		}
	}
	return out
}
