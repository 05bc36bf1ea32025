package yamlfile

import (
	"bytes"
	"fmt"
	"sort"
	"unicode/utf8"

	"strings"
	"unicode"

	"github.com/nianbao/nianbao/schema"
)

// Write encodes r as YAML with a Chinese comment on every key naming its
// official label. Blank cells are written as ~ so they stay blank when read
// back. Hints (Report.Hints) are written as comments beside their row. The
// output is deterministic: the same report gives the same bytes.
//
// A report built by hand that does not fit its declaration (no format, a
// table with fewer rows or columns) is written as far as it fits: a
// missing format is the current one, a missing cell is blank.
func Write(r *schema.Report) []byte {
	if r == nil {
		r = schema.NewReport(nil)
	}
	f := r.Format
	if f == nil {
		f = schema.Current
	}
	var b bytes.Buffer
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# %s（按%s%s填写）\n", comment(titleOr(r)), f.Notice, strings.Trim(f.Title, "《》"))
	w("# 填写说明：井号（#）后面是说明，不必修改；表格中的 ~ 表示尚未填写（空白不等于 0，没有发生的事项请填 0）。\n")
	w("# 检查：nianbao check 本文件；生成发布稿：nianbao render 本文件\n\n")
	w("format: %d  # 报告格式：%s\n", f.Year, f.Notice)
	inContact := false
	for _, mf := range schema.MetaFields {
		v := scalar(mf.Get(&r.Meta).Value)
		if mf.Kind == schema.FieldContact {
			if !inContact {
				w("%s:  # %s（%s）\n", schema.ContactKey, schema.ContactLabel, schema.ContactNote)
				inContact = true
			}
			w("  %s: %s  # %s\n", mf.Key, v, mf.Label)
			continue
		}
		inContact = false
		label := mf.Label
		if note := metaNote(mf); note != "" {
			label += "（" + note + "）"
		}
		if r.Imported != nil && r.Imported.Inferred[mf.Key] != "" {
			label += "【" + comment(r.Imported.Inferred[mf.Key]) + "】"
		}
		w("%s: %s  # %s\n", mf.Key, v, label)
	}
	w("\n")
	w("intro:  # 导语（报告开头一段；留空则按上面的字段自动生成，写明条例、%s、统计期限、网址和联系方式）\n", f.Notice)
	writeBlocks(&b, r.Intro)
	for _, s := range f.Sections {
		w("\n")
		if s.Kind == schema.Narrative {
			w("%s:  # %s\n", s.Key, s.Heading())
			writeBlocks(&b, r.Narrative[s.Key])
			continue
		}
		t := f.Table(s.Table)
		if t == nil {
			continue
		}
		w("%s:  # %s（%s）\n", s.Key, s.Heading(), t.Name)
		if t.Note != "" {
			w("  # %s\n", t.Note)
		}
		if bs := r.Narrative[s.Key]; len(bs) > 0 {
			w("  %s:  # 表格前的说明文字\n", textKey)
			writeBlocksIndent(&b, bs, "    ")
		}
		d := r.Tables[t.ID]
		prevPath := ""
		for i, row := range t.Rows {
			if p := strings.Join(row.Path, ""); p != prevPath && p != "" {
				w("  # %s\n", strings.Join(row.Path, " "))
				prevPath = p
			}
			cells := make([]string, len(row.Cols))
			for j := range row.Cols {
				cells[j] = "~"
				if v := d.At(i, j); !v.IsBlank() {
					cells[j] = scalar(v.Text())
				}
			}
			var val string
			if len(row.Cols) == 1 {
				val = cells[0]
			} else {
				val = "[" + strings.Join(cells, ", ") + "]"
			}
			from := ""
			if r.Imported != nil {
				if at := r.Imported.Rows[schema.RowKey(t.ID, row.Key)]; at != "" {
					from = "（原文 " + comment(at) + "）"
				}
			}
			w("  %s: %s  # %s：%s%s\n", row.Key, val, row.Label, colLabelsWithUnit(row), from)
			for _, c := range row.Cols {
				if h := r.Hints[schema.CellKey(t.ID, row.Key, c.Key)]; h != "" {
					w("  #   提示（%s）：%s\n", c.Label, comment(h))
				}
			}
		}
	}
	if len(r.Explanations) > 0 {
		w("\n%s:  # %s：对需说明的问题写明原因（规则号、位置、原因）\n", schema.ExplanationsKey, schema.ExplanationsLabel)
		for _, e := range r.Explanations {
			w("  - rule: %s\n    place: %s\n    reason: %s\n", scalar(e.Rule), scalar(e.Place), scalar(e.Reason))
		}
	}
	writeImport(&b, r.Imported)
	return b.Bytes()
}

// importKey is the YAML section of what an import learnt (see
// schema.ImportRecord).
const importKey = "import"

// writeImport writes the import record: the source, every finding of the
// import (so check reports them again) and where each row was printed.
func writeImport(b *bytes.Buffer, ir *schema.ImportRecord) {
	if ir == nil {
		return
	}
	fmt.Fprintf(b, "\n%s:  # 导入记录：从已发布的报告导入时写入，nianbao check 会继续提示其中的问题；逐条核对、改正上面的内容后，删去对应的一项\n", importKey)
	fmt.Fprintf(b, "  source: %s  # 原报告文件\n", scalar(ir.Source))
	if len(ir.Findings) == 0 {
		b.WriteString("  findings: []  # 导入时发现的问题：没有\n")
	} else {
		b.WriteString("  findings:  # 导入时发现的问题\n")
	}
	for _, f := range ir.Findings {
		fmt.Fprintf(b, "    - rule: %s  # %s\n", scalar(f.Rule), f.Severity.Chinese())
		fmt.Fprintf(b, "      severity: %s\n", scalar(string(f.Severity)))
		if f.Section != "" {
			fmt.Fprintf(b, "      section: %s\n", scalar(f.Section))
		}
		if at := f.Location.String(); at != "" {
			fmt.Fprintf(b, "      at: %s  # 原文位置\n", scalar(at))
		}
		fmt.Fprintf(b, "      message: %s\n", quote(f.Message))
	}
	if len(ir.Inferred) > 0 {
		b.WriteString("  inferred:  # 导入时推断的字段（核对无误后可删去）\n")
		for _, k := range sortedKeys(ir.Inferred) {
			fmt.Fprintf(b, "    %s: %s\n", k, scalar(ir.Inferred[k]))
		}
	}
	if len(ir.Headings) > 0 {
		b.WriteString("  headings:  # 原报告六个部分的标题，按原文顺序：编号、顺序或重复有误（SECTION-ORDER），核对后删去\n")
		for _, h := range ir.Headings {
			fmt.Fprintf(b, "    - number: %s\n", scalar(h.Number))
			fmt.Fprintf(b, "      section: %s\n", scalar(h.Section))
			fmt.Fprintf(b, "      text: %s\n", quote(h.Text))
			if at := h.Loc.String(); at != "" {
				fmt.Fprintf(b, "      at: %s  # 原文位置\n", scalar(at))
			}
		}
	}
	if len(ir.Rows) > 0 {
		b.WriteString("  rows:  # 各行数字在原报告中的位置\n")
		keys := make([]string, 0, len(ir.Rows))
		for k := range ir.Rows {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(b, "    %s: %s\n", k, scalar(ir.Rows[k]))
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// comment makes free text safe inside a YAML comment: one line, no control
// characters (YAML refuses them even in comments).
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == 0x2028 || r == 0x2029 || r == 0x85:
			return ' '
		case unicode.IsControl(r) || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF:
			return -1
		}
		return r
	}, s)
}

func titleOr(r *schema.Report) string {
	if r.Meta.Agency.Value == "" && r.Meta.Year.Value == "" {
		return "政府信息公开工作年度报告"
	}
	return r.Title()
}

// metaNote is the comment beside a field after its label: how to enter
// it and what a blank means.
func metaNote(f *schema.Field) string {
	var note string
	switch f.Kind {
	case schema.FieldYear:
		note = "四位数字"
	case schema.FieldChoice:
		note = strings.Join(f.Choices, " / ")
	case schema.FieldDate:
		note = "YYYY-MM-DD"
	}
	if f.Default != "" {
		if note != "" {
			note += "，"
		}
		note += "留空则为" + schema.MetaField(f.Default).Label
	}
	return note
}

func colLabelsWithUnit(r *schema.Row) string {
	if len(r.Cols) == 1 {
		return r.Cols[0].Label
	}
	return colLabels(r)
}

func writeBlocks(b *bytes.Buffer, blocks []schema.Block) {
	if len(blocks) == 0 {
		b.WriteString("  []\n")
		return
	}
	writeBlocksIndent(b, blocks, "  ")
}

func writeBlocksIndent(b *bytes.Buffer, blocks []schema.Block, indent string) {
	for _, bl := range blocks {
		if bl.Kind == schema.Heading {
			fmt.Fprintf(b, "%s- heading: %s\n", indent, quote(bl.Text))
		} else {
			fmt.Fprintf(b, "%s- %s\n", indent, quote(bl.Text))
		}
	}
}

// scalar writes a short field value: plain when YAML reads it back as the
// same string, double-quoted otherwise; empty is ~.
func scalar(s string) string {
	if s == "" {
		return "~"
	}
	if plainSafe(s) {
		return s
	}
	return quote(s)
}

func plainSafe(s string) bool {
	if !utf8.ValidString(s) || s != strings.TrimSpace(s) || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`\n\t\\") {
		return false
	}
	switch strings.ToLower(s) {
	case "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return false
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "?") {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || !unicode.IsPrint(r) || r == 0xFFFE || r == 0xFFFF {
			return false
		}
	}
	return true
}

// quote writes s as a YAML double-quoted scalar.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			// YAML allows none of these raw (U+FFFE and U+FFFF are not
			// printable); a byte that is not UTF-8 is written as U+FFFD
			if unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
				if r > 0xFFFF {
					b.WriteString(`\U` + fmt.Sprintf("%08X", r))
				} else {
					b.WriteString(`\u` + fmt.Sprintf("%04X", r))
				}
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
