// Package html renders a report as one standalone HTML5 page (inline CSS,
// no external requests, print CSS for A4) or, with Fragment, as the body
// content only, for pasting into a portal's CMS editor. The three tables
// are drawn by walking the declared layout, with its exact merges.
//
// Everything that comes from the input goes through html/template, so no
// markup from a narrative or a field reaches the page.
package html

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/nianbao/nianbao/render/internal/guard"

	"github.com/nianbao/nianbao/render/internal/grid"
	"github.com/nianbao/nianbao/render/internal/outline"
	"github.com/nianbao/nianbao/render/svg"
	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the defaults.
type Options struct {
	Draft    bool // banner on top, watermark on every printed page
	Fragment bool // body only, for pasting into a CMS editor
	// Graphic appends the 图解 (render/svg) after the signature, with
	// year-on-year changes when Prev is last year's report.
	Graphic bool
	Prev    *schema.Report
}

// DraftMark is the text that marks a draft.
const DraftMark = schema.DraftLabel

//go:embed report.tmpl
var pageText string

var page = template.Must(template.New("").Parse(pageText)).Lookup("report")

type pageData struct {
	Title string
	// TitleParts are the agency and the rest of the title, each kept on one
	// line when it fits, so a long title breaks after the agency's name
	// as published reports do.
	TitleParts []string
	Draft      bool
	Fragment   bool
	DraftMark  string
	Intro      []string
	Sections   []sectionData
	Signer     string
	Date       string
	Graphic    template.HTML // the 图解, inline SVG; "" = none
}

type sectionData struct {
	ID      string
	Heading string
	Blocks  []schema.Block
	Table   *tableData
}

type tableData struct {
	Name  string
	Cols  []string // CSS widths
	Head  []rowData
	Body  []rowData
	Label string // id of the heading that labels the table
}

type rowData struct {
	// Keep asks the printer not to split the row. Chromium keeps a kept
	// row together with the rows its row spans cover, which holds a group
	// such as （三）不予公开 together; a row starting a span taller than
	// maxKeptSpan rows (三、本年度办理结果, 22 rows) is left breakable, or
	// the whole group would be pushed to the next page.
	Keep  bool
	Cells []cellData
}

// maxKeptSpan is the tallest row span kept on one printed page.
const maxKeptSpan = 10

type cellData struct {
	TH      bool
	Scope   string // col or row, for TH
	Class   string
	ColSpan int
	RowSpan int
	Text    string
	Tall    bool // a row label spanning more rows than a printed page keeps together
}

// Render writes r to w.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	defer guard.Recover(&err, "HTML")
	if err := guard.Check(r); err != nil {
		return err
	}
	p := pageData{
		Title:      r.Title(),
		TitleParts: titleParts(r),
		Draft:      opt.Draft,
		Fragment:   opt.Fragment,
		DraftMark:  DraftMark,
	}
	if opt.Graphic {
		var g bytes.Buffer
		if err := svg.Render(&g, r, svg.Options{Draft: opt.Draft, Prev: opt.Prev}); err != nil {
			return fmt.Errorf("html: %w", err)
		}
		p.Graphic = template.HTML(g.String()) // nianbao's own markup, text escaped by render/svg
	}
	parts, err := outline.Of(r)
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	var sd *sectionData
	for _, pt := range parts {
		switch pt.Kind {
		case outline.Paragraph:
			if pt.Section == nil {
				p.Intro = append(p.Intro, pt.Text)
				continue
			}
			sd.Blocks = append(sd.Blocks, schema.Block{Kind: schema.Paragraph, Text: pt.Text})
		case outline.Heading:
			p.Sections = append(p.Sections, sectionData{ID: "nb-" + pt.Section.Key, Heading: pt.Text})
			sd = &p.Sections[len(p.Sections)-1]
		case outline.SubHeading:
			sd.Blocks = append(sd.Blocks, schema.Block{Kind: schema.Heading, Text: pt.Text})
		case outline.Table:
			td, err := table(pt.Table, pt.Data)
			if err != nil {
				return err
			}
			td.Label = sd.ID
			sd.Table = td
		case outline.Signer:
			p.Signer = pt.Text
		case outline.Date:
			p.Date = pt.Text
		}
	}
	bw := bufio.NewWriter(w)
	if err := page.Execute(bw, p); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return bw.Flush()
}

func table(t *schema.Table, d *schema.TableData) (*tableData, error) {
	g, err := t.Place()
	if err != nil {
		return nil, fmt.Errorf("html: %w", err)
	}
	td := &tableData{Name: t.Name}
	for _, w := range grid.Widths(g) {
		td.Cols = append(td.Cols, fmt.Sprintf("%.2f%%", 100*w))
	}
	head := t.HeaderRows()
	for i, row := range g.Rows {
		rd := rowData{Keep: true}
		for _, s := range row {
			if s.Cont {
				continue
			}
			c := cellData{ColSpan: s.ColSpan, RowSpan: s.RowSpan}
			switch {
			case s.Cell.IsValue():
				v := grid.Value(d, s.Cell)
				c.Class, c.Text = "num", v.Text()
				if v != nil && v.State == schema.Invalid {
					c.Class = "num invalid"
				}
			case s.Cell.Note:
				c.Class, c.Text = "note", s.Cell.Text
			case s.Cell.Header:
				c.TH, c.Scope, c.Class, c.Text = true, "col", "head", s.Cell.Text
			default:
				c.TH, c.Scope, c.Class, c.Text = true, "row", "label", s.Cell.Text
			}
			if s.RowSpan > maxKeptSpan {
				rd.Keep = false
				if c.Class == "label" {
					c.Class, c.Tall = "label tall", true
				}
			}
			rd.Cells = append(rd.Cells, c)
		}
		if i < head {
			td.Head = append(td.Head, rd)
		} else {
			td.Body = append(td.Body, rd)
		}
	}
	return td, nil
}

// titleParts splits the title after the agency's name.
func titleParts(r *schema.Report) []string {
	t, a := r.Title(), r.Meta.Agency.Value
	if a == "" || !strings.HasPrefix(t, a) || len(t) == len(a) {
		return []string{t}
	}
	return []string{a, t[len(a):]}
}
