// Package yamlfile reads and writes a report as a YAML file a person can
// read and edit. Keys are stable English words; every key carries a Chinese
// comment naming its official label. Every value keeps its line and column
// so findings can say report.yaml:41:7.
//
// The layout walks the format declaration: narrative sections are lists of
// paragraphs (a mapping {heading: …} is a sub-heading), table sections are
// mappings from row key to a list of the row's cells, blank written as ~.
package yamlfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// textKey holds, inside a table section, the paragraphs printed before the
// table (a published report may explain its table).
const textKey = "text"

// MaxSize is the largest YAML input read, in bytes.
const MaxSize = 16 << 20

// maxNodes bounds the number of YAML nodes walked (a report has a few hundred).
const maxNodes = 200000

// Read reads a report from YAML. name is used in locations. Structural
// problems that still let the rest be read (an unknown key, a row of the
// wrong length) become findings in Report.Issues; an input that cannot be
// used at all is an error wrapping schema.ErrUnusable.
func Read(name string, data []byte) (rep *schema.Report, err error) {
	loc := schema.Location{File: name}
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, schema.Unusable(loc, fmt.Sprintf("YAML 文件无法读取（%v）", p), nil)
		}
	}()
	if len(data) > MaxSize {
		return nil, schema.Unusable(loc, fmt.Sprintf("文件过大（%d 字节），YAML 报告不应超过 %d MB", len(data), MaxSize>>20), nil)
	}
	data = trimBOM(data)
	if !utf8.Valid(data) {
		return nil, schema.Unusable(loc, "文件不是 UTF-8 编码（可能是 GBK 或二进制文件）；请用 UTF-8 保存后重试", nil)
	}
	if i := strings.IndexByte(string(data), 0); i >= 0 {
		return nil, schema.Unusable(loc, "文件含有空字符（NUL），不是文本文件", nil)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, schema.Unusable(loc, "YAML 格式错误："+chineseYAMLError(err), err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, schema.Unusable(loc, "文件为空，不是年度报告", nil)
	}
	root := doc.Content[0]
	if n := countNodes(root, 0); n < 0 {
		return nil, schema.Unusable(loc, "YAML 结构过于复杂或使用了锚点/别名（&、*）；报告文件不支持别名", nil)
	}
	if root.Kind != yaml.MappingNode {
		return nil, schema.Unusable(at(name, root), "YAML 顶层应为“键: 值”形式的报告字段，而不是列表或单个值", nil)
	}
	rd := &reader{name: name, rep: schema.NewReport(nil)}
	rd.rep.Source = name
	rd.read(root)
	// aliases are refused above, so the text is no larger than the file:
	// counting it once, after reading, bounds it
	if err := rd.rep.CheckText(); err != nil {
		return nil, err
	}
	return rd.rep, nil
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// countNodes counts nodes, returning −1 for aliases or too many nodes.
func countNodes(n *yaml.Node, acc int) int {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return -1
	}
	acc++
	if acc > maxNodes {
		return -1
	}
	for _, c := range n.Content {
		if acc = countNodes(c, acc); acc < 0 {
			return -1
		}
	}
	return acc
}

// yamlMessages translates the parser's commonest messages.
var yamlMessages = []struct{ en, zh string }{
	{"mapping values are not allowed in this context", "此处不能出现“键: 值”（检查冒号后是否有空格、缩进是否对齐，含冒号的文字请加引号）"},
	{"did not find expected key", "缩进不一致或缺少键名"},
	{"did not find expected node content", "缺少内容（括号或引号没有配对？）"},
	{"found character that cannot start any token", "出现了不能作为开头的字符（例如制表符 Tab，请改用空格缩进）"},
	{"found a tab character that violates indentation", "用了制表符 Tab 缩进，请改用空格"},
	{"did not find expected ',' or ']'", "列表缺少逗号或右方括号 ]"},
	{"did not find expected ',' or '}'", "缺少逗号或右花括号 }"},
	{"found unexpected end of stream", "文件意外结束（引号或括号没有配对）"},
	{"could not find expected ':'", "缺少冒号“:”"},
	{"block sequence entries are not allowed in this context", "此处不能以“- ”开始列表（检查缩进）"},
	{"did not find expected '-' indicator", "列表项缩进不一致"},
	{"found undefined alias", "使用了未定义的别名"},
	{"invalid leading UTF-8 octet", "含有无效的 UTF-8 字符"},
	{"control characters are not allowed", "含有不允许的控制字符"},
}

func chineseYAMLError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	for _, m := range yamlMessages {
		if strings.Contains(msg, m.en) {
			msg = strings.Replace(msg, m.en, m.zh, 1)
			break
		}
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ":"); i > 0 {
			return "第 " + rest[:i] + " 行：" + strings.TrimSpace(rest[i+1:])
		}
	}
	return msg
}

func at(name string, n *yaml.Node) schema.Location {
	return schema.Location{File: name, Line: n.Line, Col: n.Column}
}

type reader struct {
	name string
	rep  *schema.Report
}

func (rd *reader) issue(rule string, n *yaml.Node, section, msg string) {
	rd.rep.Issues = append(rd.rep.Issues, schema.Finding{
		Rule: rule, Severity: check.SeverityOf(rule), Section: section, Location: at(rd.name, n), Message: msg,
	})
}

// text reads a scalar into t; a non-scalar is a structure issue.
func (rd *reader) text(n *yaml.Node, t *schema.Text, label string) {
	t.Loc = at(rd.name, n)
	if n.Kind != yaml.ScalarNode {
		rd.issue(check.Structure, n, "", fmt.Sprintf("%s应为一段文字，而不是列表或键值表", label))
		return
	}
	if n.Tag == "!!null" {
		return
	}
	t.Value = strings.TrimSpace(n.Value)
}

func (rd *reader) read(root *yaml.Node) {
	f := rd.rep.Format
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if seen[key] {
			rd.issue(check.Structure, k, "", fmt.Sprintf("字段 %s 重复出现；只保留第一次的内容", key))
			continue
		}
		seen[key] = true
		if rd.readMeta(key, v) {
			continue
		}
		switch key {
		case "format":
			if v.Kind != yaml.ScalarNode || v.Value != strconv.Itoa(f.Year) {
				rd.issue(check.Structure, v, "", fmt.Sprintf("format 应为 %d（%s）", f.Year, f.Notice))
			}
			continue
		case schema.ContactKey:
			rd.readContact(v)
			continue
		case "intro":
			rd.rep.Intro = rd.blocks(v, "", "导语")
			continue
		case schema.ExplanationsKey:
			rd.readExplanations(v)
			continue
		case importKey:
			rd.readImport(v)
			continue
		}
		s := f.Section(key)
		if s == nil {
			rd.issue(check.Structure, k, "", fmt.Sprintf("未知字段 %q，已忽略（拼写错误？）", key))
			continue
		}
		rd.rep.SectionLoc[s.Key] = at(rd.name, k)
		if s.Kind == schema.Narrative {
			rd.rep.Narrative[s.Key] = rd.blocks(v, s.Key, s.Heading())
		} else {
			rd.readTable(f.Table(s.Table), s, k, v)
		}
	}
}

// readExplanations reads the reasons given for warnings: a list of
// {rule, place, reason}.
func (rd *reader) readExplanations(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	bad := func(n *yaml.Node) {
		rd.issue("STRUCTURE", n, "", fmt.Sprintf("%s（%s）应为列表，每项写作“- rule: 规则号”“place: 位置”“reason: 原因”", schema.ExplanationsKey, schema.ExplanationsLabel))
	}
	if v.Kind != yaml.SequenceNode {
		bad(v)
		return
	}
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			bad(item)
			continue
		}
		e := schema.Explanation{Loc: at(rd.name, item)}
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			var dst *string
			switch k.Value {
			case "rule":
				dst = &e.Rule
			case "place":
				dst = &e.Place
			case "reason":
				dst = &e.Reason
			default:
				rd.issue("STRUCTURE", k, "", fmt.Sprintf("%s 下的未知字段 %q，已忽略", schema.ExplanationsKey, k.Value))
				continue
			}
			if val.Kind != yaml.ScalarNode {
				bad(val)
				continue
			}
			if val.Tag != "!!null" {
				*dst = strings.TrimSpace(val.Value)
			}
		}
		if e.Rule == "" || e.Place == "" || e.Reason == "" {
			rd.issue("STRUCTURE", item, "", fmt.Sprintf("%s中的每一项都要写明规则号（rule）、位置（place）和原因（reason）", schema.ExplanationsLabel))
			continue
		}
		rd.rep.Explanations = append(rd.rep.Explanations, e)
	}
}

func (rd *reader) readMeta(key string, v *yaml.Node) bool {
	mf := schema.MetaField(key)
	if mf == nil || mf.Kind == schema.FieldContact {
		return false
	}
	rd.text(v, mf.Get(&rd.rep.Meta), mf.Label)
	return true
}

func (rd *reader) readContact(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.MappingNode {
		var keys []string
		for _, mf := range schema.ContactFields() {
			keys = append(keys, mf.Key)
		}
		rd.issue(check.Structure, v, "", fmt.Sprintf("%s（%s）应为键值表：%s", schema.ContactKey, schema.ContactLabel, strings.Join(keys, "、")))
		return
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if mf := schema.MetaField(k.Value); mf != nil && mf.Kind == schema.FieldContact {
			rd.text(val, mf.Get(&rd.rep.Meta), mf.Label)
			continue
		}
		rd.issue(check.Structure, k, "", fmt.Sprintf("%s 下的未知字段 %q，已忽略", schema.ContactKey, k.Value))
	}
}

// blocks reads a narrative: a list whose items are paragraphs (strings) or
// sub-headings ({heading: text}). A single string is one or more paragraphs
// separated by line breaks.
func (rd *reader) blocks(v *yaml.Node, section, label string) []schema.Block {
	var out []schema.Block
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil
		}
		for _, line := range strings.Split(v.Value, "\n") {
			if t := strings.TrimSpace(line); t != "" {
				out = append(out, schema.Block{Kind: schema.Paragraph, Text: t, Loc: at(rd.name, v)})
			}
		}
		return out
	case yaml.SequenceNode:
	default:
		rd.issue(check.Structure, v, section, label+"应为段落列表（每段一项，以“- ”开头）")
		return nil
	}
	for _, item := range v.Content {
		switch item.Kind {
		case yaml.ScalarNode:
			if item.Tag == "!!null" {
				continue
			}
			for _, line := range strings.Split(item.Value, "\n") {
				if t := strings.TrimSpace(line); t != "" {
					out = append(out, schema.Block{Kind: schema.Paragraph, Text: t, Loc: at(rd.name, item)})
				}
			}
		case yaml.MappingNode:
			if len(item.Content) == 2 && item.Content[0].Value == "heading" && item.Content[1].Kind == yaml.ScalarNode {
				h := item.Content[1]
				if t := strings.TrimSpace(h.Value); t != "" {
					out = append(out, schema.Block{Kind: schema.Heading, Text: t, Loc: at(rd.name, h)})
				}
				continue
			}
			rd.issue(check.Structure, item, section, label+"中的小标题应写作“- heading: （一）……”")
		default:
			rd.issue(check.Structure, item, section, label+"中的每一项应为一段文字")
		}
	}
	return out
}

func (rd *reader) readTable(t *schema.Table, s *schema.Section, k, v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return // absent: the checker reports the missing table
	}
	if v.Kind != yaml.MappingNode {
		rd.issue(check.Structure, v, s.Key, fmt.Sprintf("%s（%s）应为按行填写的键值表", s.Heading(), t.Name))
		return
	}
	d := schema.NewTableData(t)
	d.Loc = at(rd.name, k)
	for i := range d.Values {
		for j := range d.Values[i] {
			d.Values[i][j].Loc = d.Loc
		}
	}
	rd.rep.Tables[t.ID] = d
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		rk, rv := v.Content[i], v.Content[i+1]
		if rk.Value == textKey {
			rd.rep.Narrative[s.Key] = rd.blocks(rv, s.Key, s.Heading()+"的说明文字")
			continue
		}
		ri := t.RowIndex(rk.Value)
		if ri < 0 {
			rd.issue(check.Structure, rk, s.Key, fmt.Sprintf("%s中没有行 %q；各行的键见模板注释", t.Name, rk.Value))
			continue
		}
		if seen[rk.Value] {
			rd.issue(check.Structure, rk, s.Key, fmt.Sprintf("%s的行 %s 重复出现", t.Name, rk.Value))
			continue
		}
		seen[rk.Value] = true
		row := t.Rows[ri]
		for j := range d.Values[ri] {
			d.Values[ri][j].Loc = at(rd.name, rv)
		}
		var items []*yaml.Node
		switch {
		case rv.Kind == yaml.SequenceNode:
			items = rv.Content
		case rv.Kind == yaml.ScalarNode && len(row.Cols) == 1:
			items = []*yaml.Node{rv}
		case rv.Kind == yaml.ScalarNode && rv.Tag == "!!null":
			continue
		default:
			rd.issue(check.Structure, rv, s.Key, fmt.Sprintf("%s“%s”应为 %d 个数值的列表：[%s]",
				t.Name, row.Label, len(row.Cols), colLabels(row)))
			continue
		}
		if len(items) != len(row.Cols) {
			rd.issue(check.Structure, rv, s.Key, fmt.Sprintf("%s“%s”应有 %d 个数值（%s），实际有 %d 个",
				t.Name, row.Label, len(row.Cols), colLabels(row), len(items)))
		}
		for j, it := range items {
			if j >= len(row.Cols) {
				break
			}
			val := &d.Values[ri][j]
			val.Loc = at(rd.name, it)
			if it.Kind != yaml.ScalarNode {
				val.State, val.Raw = schema.Invalid, "（列表或键值表）"
				continue
			}
			if it.Tag == "!!null" {
				continue
			}
			pv, _ := schema.ParseNumber(it.Value, row.Cols[j].Kind)
			pv.Loc = val.Loc
			*val = pv
		}
	}
}

func colLabels(r *schema.Row) string {
	var ls []string
	for _, c := range r.Cols {
		ls = append(ls, c.Label)
	}
	return strings.Join(ls, "、")
}

// readImport reads the record of an import (written by Write): each
// finding becomes a finding of this file again, placed at its entry, with
// the place in the original report in its message.
func (rd *reader) readImport(v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.MappingNode {
		rd.issue("STRUCTURE", v, "", importKey+"（导入记录）应为键值表：source、findings、rows")
		return
	}
	ir := &schema.ImportRecord{Rows: map[string]string{}, Inferred: map[string]string{}}
	rd.rep.Imported = ir
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		switch k.Value {
		case "source":
			ir.Source = strings.TrimSpace(val.Value)
		case "rows":
			if val.Kind != yaml.MappingNode {
				rd.issue("STRUCTURE", val, "", importKey+".rows 应为键值表（行 → 原文位置）")
				continue
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				ir.Rows[val.Content[j].Value] = strings.TrimSpace(val.Content[j+1].Value)
			}
		case "inferred":
			if val.Kind != yaml.MappingNode {
				rd.issue("STRUCTURE", val, "", importKey+".inferred 应为键值表（字段 → 推断依据）")
				continue
			}
			for j := 0; j+1 < len(val.Content); j += 2 {
				ir.Inferred[val.Content[j].Value] = strings.TrimSpace(val.Content[j+1].Value)
			}
		case "headings":
			rd.importHeadings(ir, val)
		case "findings":
			if val.Kind == yaml.ScalarNode && (val.Tag == "!!null" || val.Value == "") {
				continue
			}
			if val.Kind != yaml.SequenceNode {
				rd.issue("STRUCTURE", val, "", importKey+".findings 应为列表，每项含 rule、severity、at、message")
				continue
			}
			for _, item := range val.Content {
				rd.importFinding(ir, item)
			}
		default:
			rd.issue("STRUCTURE", k, "", fmt.Sprintf("%s 下的未知字段 %q，已忽略", importKey, k.Value))
		}
	}
}

// importHeadings reads the published report's main headings kept by the
// import (ImportRecord.Headings): they are the report's Headings again,
// each at its entry, so that SECTION-ORDER points at it.
func (rd *reader) importHeadings(ir *schema.ImportRecord, v *yaml.Node) {
	if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
		return
	}
	if v.Kind != yaml.SequenceNode {
		rd.issue("STRUCTURE", v, "", importKey+".headings 应为列表，每项含 number、section、text、at")
		return
	}
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			rd.issue("STRUCTURE", item, "", importKey+".headings 的每一项应为键值表：number、section、text、at")
			continue
		}
		var h schema.SeenHeading
		for j := 0; j+1 < len(item.Content); j += 2 {
			val := strings.TrimSpace(item.Content[j+1].Value)
			switch item.Content[j].Value {
			case "number":
				h.Number = val
			case "section":
				h.Section = val
			case "text":
				h.Text = val
			case "at":
				h.Loc = schema.Location{File: val} // the original place, as written
			}
		}
		if rd.rep.Format.Section(h.Section) == nil || h.Text == "" {
			rd.issue("STRUCTURE", item, "", importKey+".headings 的一项缺少 section 或 text（或 section 不是六个部分之一），已忽略")
			continue
		}
		ir.Headings = append(ir.Headings, h)
		h.Loc = at(rd.name, item)
		rd.rep.Headings = append(rd.rep.Headings, h)
	}
}

func (rd *reader) importFinding(ir *schema.ImportRecord, item *yaml.Node) {
	if item.Kind != yaml.MappingNode {
		rd.issue("STRUCTURE", item, "", importKey+".findings 的每一项应为键值表：rule、severity、at、message")
		return
	}
	var f schema.Finding
	place := ""
	for j := 0; j+1 < len(item.Content); j += 2 {
		k, val := item.Content[j].Value, strings.TrimSpace(item.Content[j+1].Value)
		switch k {
		case "rule":
			f.Rule = val
		case "severity":
			f.Severity = schema.Severity(val)
		case "section":
			f.Section = val
		case "at":
			place = val
		case "message":
			f.Message = val
		}
	}
	if f.Rule == "" || f.Message == "" {
		rd.issue("STRUCTURE", item, "", importKey+".findings 的一项缺少 rule 或 message，已忽略")
		return
	}
	if f.Severity != schema.Error && f.Severity != schema.Warning {
		f.Severity = schema.Error
	}
	f.Location = schema.Location{File: place} // the original place, as written
	ir.Findings = append(ir.Findings, f)
	// reported again on this file, at the entry, naming the original place
	g := f
	g.Location = at(rd.name, item)
	if a := f.Location.String(); a != "" {
		g.Message += "（导入时发现，原文 " + a + "；核对、改正后删去导入记录中的这一项）"
	} else {
		g.Message += "（导入时发现；核对、改正后删去导入记录中的这一项）"
	}
	rd.rep.Issues = append(rd.rep.Issues, g)
}
