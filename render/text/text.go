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
	"github.com/nianbao/nianbao/render/internal/outline"
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
	parts, err := outline.Of(r)
	if err != nil {
		return fmt.Errorf("text: %w", err)
	}
	for _, p := range parts {
		switch p.Kind {
		case outline.Title:
			line(oneLine(p.Text))
			line("")
		case outline.Paragraph:
			line(indent + p.Text)
		case outline.Heading, outline.SubHeading:
			line(oneLine(p.Text))
		case outline.Table:
			if err := table(line, p.Table, p.Data); err != nil {
				return err
			}
		case outline.Signer:
			line("")
			line(oneLine(p.Text))
		case outline.Date:
			line(oneLine(p.Text))
		}
	}
	return bw.Flush()
}

// table writes one row per layout row with exactly Width fields: a merged
// cell's text in its first grid position (top-left), the other positions
// it covers as empty fields.
func table(line func(string), t *schema.Table, d *schema.TableData) error {
	g, err := t.Place()
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
