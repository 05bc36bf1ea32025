package schema

// Format2019 is the trial format of 国办公开办函〔2019〕60号, used for the
// reports on 2019 and 2020. nianbao never writes it: it is declared so that
// a published report in the old format can be read cell by cell, recognised
// as old, and carried over to Format2021 through Map2019.
//
// Differences from Format2021 (../shared/format-2021.md §6): 表二 is a
// different table (five blocks, item counts instead of documents issued and
// repealed, a 第二十条第（九）项 block on 政府集中采购); 表三 has a single
// （六）其他处理 row instead of three; 表四 is unchanged.
var Format2019 = build2019()

// Mapping says which cells of an older format carry over to a newer one:
// the listed rows, column by column for the column keys both rows have.
// Every other cell of the old format has no counterpart; every other cell
// of the new format stays blank.
type Mapping struct {
	From, To *Format
	Rows     []RowMap
}

// RowMap maps a row of an old table onto a row of a new table.
type RowMap struct {
	Table, Row     string // in From
	ToTable, ToRow string // in To
}

// Target returns where a cell of From carries over to, or ok false when it
// has no counterpart in To.
func (m *Mapping) Target(table, row, col string) (toTable, toRow, toCol string, ok bool) {
	for _, rm := range m.Rows {
		if rm.Table != table || rm.Row != row {
			continue
		}
		t := m.To.Table(rm.ToTable)
		if t == nil {
			return "", "", "", false
		}
		r := t.Row(rm.ToRow)
		if r == nil || r.Col(col) == nil {
			return "", "", "", false
		}
		return rm.ToTable, rm.ToRow, col, true
	}
	return "", "", "", false
}

// Map2019 carries a 2019-format report over to the 2021 format: 表三 apart
// from （六）其他处理 (split into three rows in 2021, so its single figure
// cannot be placed) and all of 表四. Nothing of 表二 maps: its columns mean
// different things in the two formats.
var Map2019 = build2019Map()

// Mappings lists the older formats a report can be carried over from.
var Mappings = []*Mapping{Map2019}

// t3Results2019 are the 19 result rows of the 2019 表三, in order.
var t3Results2019 = []string{
	"disclosed", "partial",
	"denied_secret", "denied_law", "denied_safety", "denied_third_party",
	"denied_internal", "denied_process", "denied_enforcement", "denied_query",
	"unable_no_info", "unable_create", "unable_unclear",
	"rejected_petition", "rejected_repeat", "rejected_publication", "rejected_massive", "rejected_confirm",
	"other",
}

func build2019() *Format {
	f := &Format{
		Year:   2019,
		Notice: "国办公开办函〔2019〕60号",
		Title:  "《中华人民共和国政府信息公开工作年度报告格式（试行）》",
	}
	// The six headings are the same as in 2021.
	for _, s := range build2021().Sections {
		c := *s
		f.Sections = append(f.Sections, &c)
	}
	f.Tables = []*Table{table2of2019(), table3of2019(), table4()}
	f.Relations = tableRelations(t3Results2019)
	return f
}

func build2019Map() *Mapping {
	m := &Mapping{From: Format2019, To: Format2021}
	for _, r := range Format2019.Table("t3").Rows {
		if Format2021.Table("t3").Row(r.Key) != nil {
			m.Rows = append(m.Rows, RowMap{Table: "t3", Row: r.Key, ToTable: "t3", ToRow: r.Key})
		}
	}
	for _, r := range Format2019.Table("t4").Rows {
		m.Rows = append(m.Rows, RowMap{Table: "t4", Row: r.Key, ToTable: "t4", ToRow: r.Key})
	}
	return m
}

func table2of2019() *Table {
	const (
		item1 = "第二十条第（一）项"
		item5 = "第二十条第（五）项"
		item6 = "第二十条第（六）项"
		item8 = "第二十条第（八）项"
		item9 = "第二十条第（九）项"
		what  = "信息内容"
		prev  = "上一年项目数量"
		delta = "本年增/减"
		dec   = "处理决定数量"
	)
	docCols := []*Column{
		{Key: "made", Label: "本年新制作数量", Path: []string{item1}},
		{Key: "published", Label: "本年新公开数量", Path: []string{item1}},
		{Key: "total", Label: "对外公开总数量", Path: []string{item1}},
	}
	itemCols := func(p string) []*Column {
		return []*Column{
			{Key: "prev", Label: prev, Path: []string{p}},
			{Key: "delta", Label: delta, Path: []string{p}, Kind: Signed},
			{Key: "decisions", Label: dec, Path: []string{p}},
		}
	}
	t := &Table{
		ID: "t2", Name: "表二", Section: "active", Caption: "主动公开政府信息情况",
		Rows: []*Row{
			{Key: "rules", Label: "规章", Path: []string{item1}, Cols: docCols},
			{Key: "normative", Label: "规范性文件", Path: []string{item1}, Cols: docCols},
			{Key: "licensing", Label: "行政许可", Path: []string{item5}, Cols: itemCols(item5)},
			{Key: "services", Label: "其他对外管理服务事项", Path: []string{item5}, Cols: itemCols(item5)},
			{Key: "penalty", Label: "行政处罚", Path: []string{item6}, Cols: itemCols(item6)},
			{Key: "coercion", Label: "行政强制", Path: []string{item6}, Cols: itemCols(item6)},
			{Key: "fees", Label: "行政事业性收费", Path: []string{item8}, Cols: []*Column{
				{Key: "prev", Label: prev, Path: []string{item8}},
				{Key: "delta", Label: delta, Path: []string{item8}, Kind: Signed},
			}},
			// 采购总金额 has no unit in the format; reports write 元.
			{Key: "procurement", Label: "政府集中采购", Path: []string{item9}, Cols: []*Column{
				{Key: "projects", Label: "采购项目数量", Path: []string{item9}},
				{Key: "amount", Label: "采购总金额", Path: []string{item9}, Kind: Amount},
			}},
		},
	}
	block := func(item string) []Cell { return []Cell{{Text: item, ColSpan: 4, Header: true}} }
	head := func(labels ...string) []Cell {
		cs := []Cell{{Text: what, Header: true}}
		for i, l := range labels {
			c := Cell{Text: l, Header: true}
			if len(labels) == 2 && i == 1 {
				c.ColSpan = 2
			}
			cs = append(cs, c)
		}
		return cs
	}
	vals := func(key, label string) []Cell {
		r := t.Row(key)
		cs := []Cell{{Text: label}}
		for i, c := range r.Cols {
			v := Cell{Row: key, Col: c.Key}
			if len(r.Cols) == 2 && i == 1 {
				v.ColSpan = 2
			}
			cs = append(cs, v)
		}
		return cs
	}
	t.Layout = [][]Cell{
		block(item1),
		head("本年新制作数量", "本年新公开数量", "对外公开总数量"),
		vals("rules", "规章"),
		vals("normative", "规范性文件"),
		block(item5),
		head(prev, delta, dec),
		vals("licensing", "行政许可"),
		vals("services", "其他对外管理服务事项"),
		block(item6),
		head(prev, delta, dec),
		vals("penalty", "行政处罚"),
		vals("coercion", "行政强制"),
		block(item8),
		head(prev, delta),
		vals("fees", "行政事业性收费"),
		block(item9),
		head("采购项目数量", "采购总金额"),
		vals("procurement", "政府集中采购"),
	}
	return t
}

// table3of2019 is 表三 with a single （六）其他处理 row: 23 data rows, the
// results label spanning 20 of them. Labels and columns are those of 2021.
func table3of2019() *Table {
	t21 := table3()
	t := &Table{ID: t21.ID, Name: t21.Name, Section: t21.Section, Caption: t21.Caption, Note: t21.Note}
	const (
		results = "三、本年度办理结果"
		other   = "（六）其他处理"
	)
	t.Layout = append(t.Layout, t21.Layout[:t21.HeaderRows()]...)
	// Walk the 2021 body, replacing the three （六） rows by one.
	for _, lrow := range t21.Layout[t21.HeaderRows():] {
		key := ""
		for _, c := range lrow {
			if c.IsValue() {
				key = c.Row
				break
			}
		}
		r := t21.Row(key)
		switch key {
		case "other_no_correction":
			row := &Row{Key: "other", Label: other, Path: []string{results}, Cols: r.Cols}
			t.Rows = append(t.Rows, row)
			cells := []Cell{{Text: other, ColSpan: 2}}
			for _, c := range r.Cols {
				cells = append(cells, Cell{Row: "other", Col: c.Key})
			}
			t.Layout = append(t.Layout, cells)
			continue
		case "other_no_fee", "other_other":
			continue
		}
		t.Rows = append(t.Rows, r)
		cells := append([]Cell(nil), lrow...)
		for i := range cells { // the results label spans the result rows and （七）总计
			if cells[i].Text == results {
				cells[i].RowSpan = len(t3Results2019) + 1
			}
		}
		t.Layout = append(t.Layout, cells)
	}
	return t
}
