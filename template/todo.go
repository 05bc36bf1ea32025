package template

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// Todo is one part of a template the member of staff must still type:
// 基本信息, 导语, a section's text or a table, with its items in the
// report's order.
type Todo struct {
	Group string     // 基本信息, 导语, a section's heading, or a table's name and caption
	Table string     // the table's ID for a table's group
	Items []TodoItem // never empty
}

// TodoItem is a field, a section's text or a table row to type.
type TodoItem struct {
	// Key is the report's key of what to type: a field's key (contact.phone
	// for a contact field), a section's key (intro for 导语), or a table
	// row's schema.RowKey.
	Key   string
	Label string     // the official label: a field's, a section's heading, a row's name
	Note  string     // what to do, for people
	Cells []TodoCell // a table row: the cells to type, in column order
}

// TodoCell is one table cell to type.
type TodoCell struct {
	Key   string // schema.CellKey
	Label string // the column's label
	Name  string // the cell's full official name (Table.CellName)
	// Note is the template's hint for the cell: why a carry-over cell
	// could not be pre-filled (CarryGaps), or last year's figure.
	Note string
	// Carry marks a carry-over cell FromPrevious could not fill: its
	// figure is in last year's report.
	Carry bool
}

// Cells counts the table cells to type.
func (t Todo) Cells() int {
	n := 0
	for _, it := range t.Items {
		n += len(it.Cells)
	}
	return n
}

// ToType lists what is still to be typed in r, a template made by Blank or
// FromPrevious (or any report): every required field that is blank; the
// 导语 and each section's text, which a template from last year's report
// holds as last year's draft (the paragraphs that mention a year marked
// with DraftMark); and every blank table cell the sheet does not compute
// (Format.Computed), row by row — the carry-over cells FromPrevious filled
// are not listed, those it could not fill are (CarryGaps) with the reason.
func ToType(r *schema.Report) []Todo {
	f := r.Format
	if f == nil {
		f = schema.Current
	}
	var out []Todo
	add := func(t Todo) {
		if len(t.Items) > 0 {
			out = append(out, t)
		}
	}
	meta := Todo{Group: check.SectionTitle(f, "")}
	for _, mf := range schema.MetaFields {
		if !mf.Required || strings.TrimSpace(mf.Get(&r.Meta).Value) != "" {
			continue
		}
		key := mf.Key
		if mf.Kind == schema.FieldContact {
			key = schema.ContactKey + "." + mf.Key
		}
		note := "必填"
		if mf.Note != "" {
			note += "：" + mf.Note
		}
		if len(mf.Choices) > 0 {
			note += "（可选：" + strings.Join(mf.Choices, "、") + "）"
		}
		meta.Items = append(meta.Items, TodoItem{Key: key, Label: mf.Label, Note: note})
	}
	add(meta)
	intro := check.SectionTitle(f, check.IntroSection)
	add(Todo{Group: intro, Items: textItem(check.IntroSection, intro, r.Intro, false)})
	gaps := map[string]string{}
	for _, g := range carryGaps(r) {
		gaps[schema.CellKey(g.table.ID, g.row.Key, g.col.Key)] = g.reason
	}
	for _, s := range f.Sections {
		if s.Kind == schema.Narrative {
			add(Todo{Group: s.Heading(), Items: textItem(s.Key, s.Heading(), r.Narrative[s.Key], true)})
			continue
		}
		// a table section's text beside its table is optional: listed only
		// when last year's is carried as a draft
		if bs := r.Narrative[s.Key]; len(bs) > 0 {
			add(Todo{Group: s.Heading(), Items: textItem(s.Key, s.Heading(), bs, false)})
		}
		t := f.Table(s.Table)
		if t == nil {
			continue
		}
		add(tableTodo(f, t, r.Tables[t.ID], r.Hints, gaps))
	}
	return out
}

// textItem is the item of a block of text: to write when empty (if
// required), to rewrite when it is last year's.
func textItem(key, label string, bs []schema.Block, required bool) []TodoItem {
	if len(bs) == 0 {
		if !required {
			return nil
		}
		return []TodoItem{{Key: key, Label: label, Note: "空白：请按本年情况填写"}}
	}
	marked := 0
	for _, b := range bs {
		if strings.Contains(b.Text, DraftMark) {
			marked++
		}
	}
	if marked == 0 && !required {
		return nil
	}
	note := fmt.Sprintf("沿用上年的文字（%d 段）：请按本年情况核对改写", len(bs))
	if marked > 0 {
		note += fmt.Sprintf("；其中 %d 段含年份，末尾标有“%s…】”，改写后删去标记", marked, DraftMark)
	}
	return []TodoItem{{Key: key, Label: label, Note: note}}
}

// tableTodo lists the blank cells of t the sheet does not compute, row by
// row.
func tableTodo(f *schema.Format, t *schema.Table, d *schema.TableData, hints, gaps map[string]string) Todo {
	computed := map[[2]int]bool{}
	for _, c := range f.Computed(t) {
		computed[[2]int{c.Row, c.Col}] = true
	}
	td := Todo{Group: t.Name + "　" + t.Caption, Table: t.ID}
	for i, row := range t.Rows {
		it := TodoItem{Key: schema.RowKey(t.ID, row.Key), Label: row.Name()}
		for j, col := range row.Cols {
			if computed[[2]int{i, j}] {
				continue
			}
			if d != nil {
				if v := d.At(i, j); v != nil && !v.IsBlank() {
					continue
				}
			}
			key := schema.CellKey(t.ID, row.Key, col.Key)
			c := TodoCell{Key: key, Label: col.Label, Name: t.CellName(row, col), Note: hints[key]}
			if reason, ok := gaps[key]; ok {
				c.Carry, c.Note = true, reason
			}
			it.Cells = append(it.Cells, c)
		}
		if len(it.Cells) > 0 {
			td.Items = append(td.Items, it)
		}
	}
	return td
}
