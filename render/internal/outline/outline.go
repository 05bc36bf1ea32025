// Package outline is the printed order of a report, walked once for the
// four renderers: the title, the 导语's paragraphs, each section's heading,
// its sub-headings and paragraphs (a block's line breaks start new
// paragraphs, schema.Paragraphs), its table, then the signer and the date.
// Each renderer says only how a part looks.
package outline

import (
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Kind is what a part of the outline is.
type Kind int

// The kinds of part, in the order they may appear.
const (
	Title      Kind = iota // the report's title
	Paragraph              // a printed paragraph (of the 导语 or a section)
	Heading                // a section's heading: 一、总体情况
	SubHeading             // a sub-heading inside a section: （一）主动公开
	Table                  // a section's statistical table
	Signer                 // the signing body
	Date                   // the signing date, in Chinese
)

// Part is one part of the printed report.
type Part struct {
	Kind Kind
	// Text is what is printed: for a Title, Heading, Signer and Date the
	// text as given (renderers fold line breaks of one-line items as they
	// print them); for a Paragraph one paragraph, tidied (schema.Tidy).
	Text string
	// Loc is where the text was read (the agency's name for a title or a
	// generated 导语).
	Loc schema.Location
	// Section is the section the part belongs to; nil for the title, the
	// 导语 and the signature.
	Section *schema.Section
	// N numbers a Paragraph within its section or the 导语, from 1.
	N int
	// Generated marks a paragraph of a 导语 made from the report's fields.
	Generated bool
	// Table and Data are a Table part's declaration and values (Data nil
	// when the report lacks the table).
	Table *schema.Table
	Data  *schema.TableData
}

// Of returns the outline of r. A section naming a table the format lacks
// is an error.
func Of(r *schema.Report) ([]Part, error) {
	m := &r.Meta
	out := []Part{{Kind: Title, Text: r.Title(), Loc: m.Agency.Loc}}
	n := 0
	for i, text := range r.IntroText() {
		loc, generated := m.Agency.Loc, len(r.Intro) == 0
		if i < len(r.Intro) {
			loc = r.Intro[i].Loc
		}
		for _, p := range schema.Paragraphs(text) {
			n++
			out = append(out, Part{Kind: Paragraph, Text: p, Loc: loc, N: n, Generated: generated})
		}
	}
	for _, s := range r.Format.Sections {
		out = append(out, Part{Kind: Heading, Text: s.Heading(), Loc: r.SectionLoc[s.Key], Section: s})
		n := 0
		for _, b := range r.Narrative[s.Key] {
			if b.Kind == schema.Heading {
				out = append(out, Part{Kind: SubHeading, Text: b.Text, Loc: b.Loc, Section: s})
				continue
			}
			for _, p := range schema.Paragraphs(b.Text) {
				n++
				out = append(out, Part{Kind: Paragraph, Text: p, Loc: b.Loc, Section: s, N: n})
			}
		}
		if s.Kind != schema.TableSection {
			continue
		}
		t := r.Format.Table(s.Table)
		if t == nil {
			return nil, fmt.Errorf("section %s names unknown table %q", s.Key, s.Table)
		}
		out = append(out, Part{Kind: Table, Loc: r.SectionLoc[s.Key], Section: s, Table: t, Data: r.Tables[t.ID]})
	}
	signLoc, dateLoc := m.Signer.Loc, m.SignDate.Loc
	if strings.TrimSpace(m.Signer.Value) == "" {
		signLoc = m.Agency.Loc
	}
	if strings.TrimSpace(m.SignDate.Value) == "" {
		dateLoc = m.Published.Loc
	}
	out = append(out, Part{Kind: Signer, Text: r.Signer(), Loc: signLoc},
		Part{Kind: Date, Text: schema.ChineseDate(r.SignDate()), Loc: dateLoc})
	return out, nil
}
