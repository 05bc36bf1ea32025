// Package text renders a report as Word-ready plain text: UTF-8, the
// headings as in the format, paragraphs indented with two full-width spaces
// and each statistical table as tab-separated rows that Word's and WPS's
// 文本转换成表格 (Convert Text to Table, separator: tab) turn back into the
// official grid.
package text

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/render/internal/guard"

	"github.com/nianbao/nianbao/render/internal/grid"
	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the defaults.
type Options struct {
	Draft bool // first line 草稿（未通过校验）
}

// DraftMark is the line that marks a draft.
const DraftMark = schema.DraftLabel

const (
	// Lines end in CRLF: it is the line end of Windows, where the file is
	// opened. Word accepts LF too, but Notepad before Windows 10 1809 and
	// several WPS versions show an LF-only file as one long line, and
	// Word's encoding dialog preview is clearer with CRLF; Unix tools read
	// CRLF without harm.
	eol = "\r\n"
	// The file starts with a UTF-8 byte order mark: without it Word and
	// Notepad on Chinese Windows guess the legacy code page (GB18030/GBK)
	// and show mojibake, or ask the user to pick an encoding.
	bom = "\uFEFF"
	// indent is the first-line indent of a paragraph: two full-width spaces.
	indent = "\u3000\u3000"
)

// Render writes r to w.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	defer guard.Recover(&err, "文本")
	if err := guard.Check(r); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	line := func(s string) { bw.WriteString(s); bw.WriteString(eol) }
	bw.WriteString(bom)
	if opt.Draft {
		line(DraftMark)
	}
	line(oneLine(r.Title()))
	line("")
	for _, p := range r.IntroText() {
		paragraph(line, p)
	}
	for _, s := range r.Format.Sections {
		line(s.Heading())
		for _, b := range r.Narrative[s.Key] {
			if b.Kind == schema.Heading {
				line(oneLine(b.Text))
			} else {
				paragraph(line, b.Text)
			}
		}
		if s.Kind != schema.TableSection {
			continue
		}
		t := r.Format.Table(s.Table)
		if t == nil {
			return fmt.Errorf("text: section %s names unknown table %q", s.Key, s.Table)
		}
		if err := table(line, t, r.Tables[t.ID]); err != nil {
			return err
		}
	}
	line("")
	line(oneLine(r.Signer()))
	line(oneLine(schema.ChineseDate(r.SignDate())))
	return bw.Flush()
}

// paragraph writes one block; line breaks inside it start new paragraphs.
func paragraph(line func(string), text string) {
	for _, p := range schema.Paragraphs(text) {
		line(indent + p)
	}
}

// table writes one row per layout row with exactly Width fields: a merged
// cell's text in its first grid position (top-left), the other positions
// it covers as empty fields.
func table(line func(string), t *schema.Table, d *schema.TableData) error {
	g, err := grid.Place(t)
	if err != nil {
		return fmt.Errorf("text: %w", err)
	}
	fields := make([]string, g.Width)
	for _, row := range g.Rows {
		clear(fields)
		for _, s := range row {
			if s.Cont {
				continue
			}
			if s.Cell.IsValue() {
				fields[s.Col] = field(grid.Value(d, s.Cell).Text())
			} else {
				fields[s.Col] = field(s.Cell.Text)
			}
		}
		line(strings.Join(fields, "\t"))
	}
	return nil
}

// field makes a cell's text safe for one tab-separated field.
func field(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s))
}

// oneLine folds line breaks of a one-line item (title, heading, signer).
func oneLine(s string) string { return field(s) }
