package web

import (
	"strings"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

// declaration is what the page draws its forms and tables from
// (GET /api/v1/format): the format's sections, tables with their printed
// layout, the computed cells, the metadata fields, the rule catalogue and
// the output formats. Nothing official is spelled in the page itself.
type declaration struct {
	Year     int           `json:"year"`
	Notice   string        `json:"notice"`
	Title    string        `json:"title"`
	Sections []sectionDecl `json:"sections"`
	Tables   []tableDecl   `json:"tables"`
	Fields   []fieldDecl   `json:"fields"`
	Rules    []ruleDecl    `json:"rules"`
	Formats  []formatDecl  `json:"formats"`
	Draft    string        `json:"draft"` // the draft label every draft carries
	// Accept lists the extensions the readers take (template.Inputs), for
	// the file inputs; Reads names them for people.
	Accept string `json:"accept"`
	Reads  string `json:"reads"`
}

type formatDecl struct {
	Name  string `json:"name"`
	Ext   string `json:"ext"`
	Title string `json:"title"`
	Extra bool   `json:"extra,omitempty"` // not in the zip of all formats
}

type sectionDecl struct {
	Key     string `json:"key"`
	Heading string `json:"heading"`
	Table   string `json:"table,omitempty"`
}

type tableDecl struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Section  string       `json:"section"`
	Caption  string       `json:"caption"`
	Rows     []rowDecl    `json:"rows"`
	Layout   [][]cellDecl `json:"layout"`
	Computed []computed   `json:"computed"`
}

type rowDecl struct {
	Key  string    `json:"key"`
	Name string    `json:"name"`
	Cols []colDecl `json:"cols"`
}

type colDecl struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Name  string `json:"name"` // the cell's full official name (Table.CellName)
	Kind  string `json:"kind"` // count or amount
}

type cellDecl struct {
	Text    string `json:"text,omitempty"`
	Row     string `json:"row,omitempty"`
	Col     string `json:"col,omitempty"`
	ColSpan int    `json:"colspan,omitempty"`
	RowSpan int    `json:"rowspan,omitempty"`
	Header  bool   `json:"header,omitempty"`
}

type ruleDecl struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Doc      string `json:"doc"`
}

func declare(f *schema.Format) *declaration {
	d := &declaration{Year: f.Year, Notice: f.Notice, Title: f.Title, Fields: fieldDecls(),
		Draft: schema.DraftLabel, Accept: strings.ReplaceAll(template.Extensions(true), "、", ","),
		Reads: template.Describe(template.Workbook) + "、" + template.Describe(template.YAML) + "，或已发布的报告：" + template.Describe(template.Published)}
	for _, o := range render.Outputs {
		d.Formats = append(d.Formats, formatDecl{Name: o.Name, Ext: o.Ext, Title: o.Title, Extra: o.Extra})
	}
	for _, s := range f.Sections {
		d.Sections = append(d.Sections, sectionDecl{Key: s.Key, Heading: s.Heading(), Table: s.Table})
	}
	for _, t := range f.Tables {
		td := tableDecl{ID: t.ID, Name: t.Name, Section: t.Section, Caption: t.Caption, Computed: computedCells(f, t)}
		for _, row := range t.Rows {
			rd := rowDecl{Key: row.Key, Name: row.Name()}
			for _, col := range row.Cols {
				kind := "count"
				if col.Kind == schema.Amount {
					kind = "amount"
				}
				rd.Cols = append(rd.Cols, colDecl{Key: col.Key, Label: col.Label, Name: t.CellName(row, col), Kind: kind})
			}
			td.Rows = append(td.Rows, rd)
		}
		for _, lr := range t.Layout {
			var cells []cellDecl
			for _, c := range lr {
				cells = append(cells, cellDecl{Text: c.Text, Row: c.Row, Col: c.Col, ColSpan: c.ColSpan, RowSpan: c.RowSpan, Header: c.Header})
			}
			td.Layout = append(td.Layout, cells)
		}
		d.Tables = append(d.Tables, td)
	}
	for _, r := range check.All {
		d.Rules = append(d.Rules, ruleDecl{ID: r.ID, Severity: string(r.Severity), Title: r.Title, Doc: r.Doc})
	}
	return d
}
