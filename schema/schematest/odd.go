package schematest

import (
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Odd is a report built by hand, not by a reader, that a writer, renderer
// or the checker must handle without panicking.
type Odd struct {
	Name   string
	Report *schema.Report
	// Fits says whether the report fits its declaration
	// (Report.CheckShape returns nil).
	Fits bool
}

// filled returns a report in the current format with every table present
// and every cell the number 1, plus a paragraph in each narrative section.
func filled() *schema.Report {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value = "某某局"
	r.Meta.Year.Value = "2024"
	for _, t := range r.Format.Tables {
		d := schema.NewTableData(t)
		for i := range d.Values {
			for j := range d.Values[i] {
				d.Values[i][j].SetNumber(schema.Int(1))
			}
		}
		r.Tables[t.ID] = d
	}
	for _, s := range r.Format.Sections {
		if s.Kind == schema.Narrative {
			r.Narrative[s.Key] = []schema.Block{{Text: "正文。"}}
		}
	}
	return r
}

// OddReports returns fresh odd reports: zero values, nil maps, tables
// absent or nil, Values of the wrong shape, an empty format, unknown keys.
func OddReports() []Odd {
	each := func(f func(r *schema.Report, d *schema.TableData)) *schema.Report {
		r := filled()
		for _, t := range r.Format.Tables {
			f(r, r.Tables[t.ID])
		}
		return r
	}
	nilMaps := filled()
	nilMaps.Tables, nilMaps.Narrative, nilMaps.Hints, nilMaps.SectionLoc = nil, nil, nil, nil
	oneTable := filled()
	for id := range oneTable.Tables {
		if id != oneTable.Format.Tables[0].ID {
			delete(oneTable.Tables, id)
		}
	}
	unknown := filled()
	unknown.Narrative["nosuchsection"] = []schema.Block{{Kind: 7, Text: "x"}}
	unknown.Intro = []schema.Block{{Kind: 9}}
	unknown.Hints["t9.nosuchrow.x"] = "提示"
	unknown.Hints["x"] = "提示"
	strange := each(func(_ *schema.Report, d *schema.TableData) {
		for i := range d.Values {
			for j := range d.Values[i] {
				d.Values[i][j] = schema.Value{State: 9, Num: schema.Decimal{Units: -1 << 62, Scale: 30}, Raw: "\x00"}
			}
		}
	})
	hostile := filled()
	for _, s := range hostile.Format.Sections {
		if s.Kind == schema.Narrative {
			hostile.Narrative[s.Key] = []schema.Block{
				{Kind: schema.Heading, Text: ""},
				{Text: "\xff\xfe\x00\x1b[31m\u202e\ufeff\uffff😀" + strings.Repeat("长", 5000)},
				{Text: strings.Repeat("a", 3000) + "\r\n\t\v"},
				{Kind: schema.Heading, Text: strings.Repeat("（一）", 400)},
			}
		}
	}
	hostile.Meta.Agency.Value = "<script>\x00</script>" + strings.Repeat("局", 300)
	hostile.Meta.Year.Value = "99999999999999999999"
	hostile.Meta.SignDate.Value = "0000-00-00"
	hostile.Meta.Published.Value = "2024-02-30"
	hostile.Intro = []schema.Block{{Text: "\x00"}}
	bogus := filled()
	bogus.Tables["nosuchtable"] = &schema.TableData{}
	emptyFormat := filled()
	emptyFormat.Format = &schema.Format{}
	return []Odd{
		{Name: "nil", Report: nil},
		{Name: "zero", Report: &schema.Report{}},
		{Name: "format only", Report: &schema.Report{Format: schema.Current}, Fits: true},
		{Name: "new", Report: schema.NewReport(nil), Fits: true},
		{Name: "nil maps", Report: nilMaps, Fits: true},
		{Name: "one table", Report: oneTable, Fits: true},
		{Name: "unknown keys", Report: unknown, Fits: true},
		{Name: "strange values", Report: strange, Fits: true},
		{Name: "hostile text", Report: hostile, Fits: true},
		{Name: "nil table data", Report: each(func(r *schema.Report, d *schema.TableData) { r.Tables[d.Table.ID] = nil }), Fits: true},
		{Name: "nil Values", Report: each(func(_ *schema.Report, d *schema.TableData) { d.Values = nil })},
		{Name: "one row", Report: each(func(_ *schema.Report, d *schema.TableData) { d.Values = d.Values[:1] })},
		{Name: "short rows", Report: each(func(_ *schema.Report, d *schema.TableData) {
			for i := range d.Values {
				d.Values[i] = d.Values[i][:len(d.Values[i])/2]
			}
		})},
		{Name: "long rows", Report: each(func(_ *schema.Report, d *schema.TableData) {
			for i := range d.Values {
				d.Values[i] = append(d.Values[i], schema.Value{})
			}
		})},
		{Name: "extra row", Report: each(func(_ *schema.Report, d *schema.TableData) { d.Values = append(d.Values, nil) })},
		{Name: "nil Table", Report: each(func(_ *schema.Report, d *schema.TableData) { d.Table = nil })},
		{Name: "unknown table", Report: bogus},
		{Name: "empty format", Report: emptyFormat},
	}
}
