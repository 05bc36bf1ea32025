package web

import (
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Model is a report as the page's 填写 form holds it: every field, block
// and table cell as text, with the place it was read (for mapping findings
// back to the form). It is lossless for what a report publishes: a report
// turned into a Model and back renders to the same bytes.
type Model struct {
	Format   int                    `json:"format"`
	Meta     map[string]Field       `json:"meta"`
	Intro    []Block                `json:"intro"`
	Sections map[string][]Block     `json:"sections"`
	Tables   map[string]*TableModel `json:"tables"` // an absent table is absent
}

// Field is one metadata field or table cell.
type Field struct {
	Value string `json:"value"`
	Loc   string `json:"loc,omitempty"`
}

// Block is one paragraph or sub-heading.
type Block struct {
	Heading bool   `json:"heading,omitempty"`
	Text    string `json:"text"`
	Loc     string `json:"loc,omitempty"`
}

// TableModel holds a table's cells by "row.col" key.
type TableModel struct {
	Cells map[string]Field `json:"cells"`
}

// cellID is the page's key of a table cell: "t3.received.natural".
func cellID(t, row, col string) string { return schema.CellKey(t, row, col) }

// modelOf turns a report into the form's model.
func modelOf(r *schema.Report) *Model {
	f := r.Format
	if f == nil {
		f = schema.Current
	}
	m := &Model{Format: f.Year, Meta: map[string]Field{}, Sections: map[string][]Block{}, Tables: map[string]*TableModel{}}
	for _, mf := range schema.MetaFields {
		t := mf.Get(&r.Meta)
		m.Meta[fieldKey(mf)] = Field{Value: t.Value, Loc: locString(t.Loc)}
	}
	m.Intro = blocksOf(r.Intro)
	for _, s := range f.Sections {
		if bs := r.Narrative[s.Key]; len(bs) > 0 {
			m.Sections[s.Key] = blocksOf(bs)
		}
	}
	for _, t := range f.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			continue
		}
		tm := &TableModel{Cells: map[string]Field{}}
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				v := d.At(i, j)
				if v == nil {
					continue
				}
				// a number read through folding (１２, 1,234) is shown as
				// typed, so the form shows what its CELL-FORMAT finding
				// quotes, and the finding stays until the person fixes it
				text := v.Text()
				if v.Normalised && v.Raw != "" {
					text = v.Raw
				}
				tm.Cells[row.Key+"."+col.Key] = Field{Value: text, Loc: locString(v.Loc)}
			}
		}
		m.Tables[t.ID] = tm
	}
	return m
}

func blocksOf(bs []schema.Block) []Block {
	out := make([]Block, 0, len(bs))
	for _, b := range bs {
		out = append(out, Block{Heading: b.Kind == schema.Heading, Text: b.Text, Loc: locString(b.Loc)})
	}
	return out
}

func locString(l schema.Location) string {
	if l.IsZero() {
		return ""
	}
	return l.String()
}

// formSheet is the place name of everything typed in the browser form, so
// a finding about it reads 填写!t3.received.natural and maps back to the cell.
const formSheet = "填写"

func formLoc(key string) schema.Location { return schema.Location{Sheet: formSheet, Cell: key} }

// report turns the form's model into a report, the way a reader would: each
// cell's text is read with schema.ParseNumber (blank stays blank, text that
// is not a number is kept as invalid for CELL-TYPE), each value's place is
// its form key.
func (m *Model) report(name string) *schema.Report {
	r := schema.NewReport(schema.Current)
	r.Source = name
	for _, mf := range schema.MetaFields {
		t := mf.Get(&r.Meta)
		t.Value = m.Meta[fieldKey(mf)].Value
		t.Loc = formLoc("meta." + fieldKey(mf))
	}
	r.Intro = m.blocks("intro", m.Intro)
	for _, s := range r.Format.Sections {
		if bs := m.Sections[s.Key]; len(bs) > 0 {
			r.Narrative[s.Key] = m.blocks(s.Key, bs)
		}
		r.SectionLoc[s.Key] = formLoc(s.Key)
	}
	for _, t := range r.Format.Tables {
		tm := m.Tables[t.ID]
		if tm == nil {
			continue
		}
		d := schema.NewTableData(t)
		d.Loc = formLoc(t.ID)
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				key := cellID(t.ID, row.Key, col.Key)
				v, _ := schema.ParseNumber(tm.Cells[row.Key+"."+col.Key].Value, col.Kind)
				v.Loc = formLoc(key)
				d.Values[i][j] = v
			}
		}
		r.Tables[t.ID] = d
	}
	return r
}

func (m *Model) blocks(section string, bs []Block) []schema.Block {
	out := make([]schema.Block, 0, len(bs))
	for _, b := range bs {
		if strings.TrimSpace(b.Text) == "" {
			continue
		}
		k := schema.Paragraph
		if b.Heading {
			k = schema.Heading
		}
		// numbered as the page numbers them: empty blocks left out
		out = append(out, schema.Block{Kind: k, Text: b.Text, Loc: formLoc(section + "." + strconv.Itoa(len(out)))})
	}
	return out
}

// places maps each place of r (as Location.String gives it) to the page's
// key of what is there: a table cell (t3.received.natural), a metadata
// field (meta.agency), a block (overview.2) or a section (overview), so
// the page can show a finding beside what it is about.
func places(r *schema.Report) map[string]string {
	out := map[string]string{}
	put := func(l schema.Location, key string) {
		if s := locString(l); s != "" {
			if _, ok := out[s]; !ok {
				out[s] = key
			}
		}
	}
	f := r.Format
	if f == nil {
		f = schema.Current
	}
	for _, t := range f.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			continue
		}
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				if v := d.At(i, j); v != nil {
					put(v.Loc, cellID(t.ID, row.Key, col.Key))
				}
			}
		}
	}
	for _, mf := range schema.MetaFields {
		put(mf.Get(&r.Meta).Loc, "meta."+fieldKey(mf))
	}
	for i, b := range r.Intro {
		put(b.Loc, "intro."+strconv.Itoa(i))
	}
	for _, s := range f.Sections {
		for i, b := range r.Narrative[s.Key] {
			put(b.Loc, s.Key+"."+strconv.Itoa(i))
		}
		put(r.SectionLoc[s.Key], s.Key)
	}
	for _, t := range f.Tables {
		if d := r.Tables[t.ID]; d != nil {
			put(d.Loc, t.ID)
		}
	}
	return out
}

// computed is a cell the form fills as the workbook does with a formula
// (schema.Computed): the sum of its terms (blank terms count as nothing;
// all blank is blank).
type computed struct {
	Cell  string   `json:"cell"`  // row.col
	Terms []string `json:"terms"` // row.col of the parts
}

// computedCells are the format's computed cells of table t
// (schema.Format.Computed), keyed as the form keys them, in evaluation
// order.
func computedCells(f *schema.Format, t *schema.Table) []computed {
	key := func(c [2]int) string { return t.Rows[c[0]].Key + "." + t.Rows[c[0]].Cols[c[1]].Key }
	out := []computed{}
	for _, c := range f.Computed(t) {
		cc := computed{Cell: key([2]int{c.Row, c.Col})}
		for _, term := range c.Terms {
			cc.Terms = append(cc.Terms, key(term))
		}
		out = append(out, cc)
	}
	return out
}
