// Package render turns a report into the forms agencies publish: HTML for
// the portal, Word-ready text, DOCX and PDF. Each format lives in its own
// subpackage; this package names the formats and dispatches to them.
// Renderers never open files: they write to an io.Writer.
package render

import (
	"fmt"
	"io"

	"github.com/nianbao/nianbao/render/docx"
	"github.com/nianbao/nianbao/render/html"
	"github.com/nianbao/nianbao/render/pdf"
	"github.com/nianbao/nianbao/render/text"
	"github.com/nianbao/nianbao/schema"
)

// The format names, as given to --format.
const (
	HTML = "html"
	Text = "txt"
	DOCX = "docx"
	PDF  = "pdf"
)

// Formats lists the format names in their default order.
func Formats() []string { return []string{HTML, Text, DOCX, PDF} }

// Options configures rendering; the zero value means the defaults.
type Options struct {
	Draft    bool // mark every output as 草稿（未通过校验）
	Fragment bool // HTML: body only
	// PDF fonts: paths of TTF files (or TTC[:index]); "" = bundled fonts.
	TitleFont, BodyFont, HeadingFont string
}

// Ext returns the file extension (with the dot) for a format name.
func Ext(format string) string { return "." + format }

// Render writes r to w in the named format. An unknown name is an error.
func Render(w io.Writer, format string, r *schema.Report, opt Options) error {
	switch format {
	case HTML:
		return html.Render(w, r, html.Options{Draft: opt.Draft, Fragment: opt.Fragment})
	case Text:
		return text.Render(w, r, text.Options{Draft: opt.Draft})
	case DOCX:
		return docx.Render(w, r, docx.Options{Draft: opt.Draft})
	case PDF:
		return pdf.Render(w, r, pdf.Options{Draft: opt.Draft,
			TitleFont: opt.TitleFont, BodyFont: opt.BodyFont, HeadingFont: opt.HeadingFont})
	}
	return fmt.Errorf("unknown format %q (known: %v)", format, Formats())
}
