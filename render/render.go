// Package render turns a report into the forms agencies publish: HTML for
// the portal, Word-ready text, DOCX and PDF. Each format lives in its own
// subpackage; this package declares the output formats once (Outputs) and
// dispatches to them. Renderers never open files: they write to an
// io.Writer. Checking, the publication gate and writing files are the
// business of render/publish.
package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/render/docx"
	"github.com/nianbao/nianbao/render/html"
	"github.com/nianbao/nianbao/render/pdf"
	"github.com/nianbao/nianbao/render/svg"
	"github.com/nianbao/nianbao/render/text"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

// The format names, as given to --format.
const (
	HTML = "html"
	Text = "txt"
	DOCX = "docx"
	PDF  = "pdf"
	SVG  = "svg"
)

// Output is one output format: its name (as given to --format), the file
// extension with the dot, the Chinese title used in messages and help
// texts, and the renderer.
type Output struct {
	Name  string
	Ext   string
	Title string
	// Extra formats are rendered only when asked for by name, not by
	// default (the 图解 graphic).
	Extra bool
	write func(w io.Writer, r *schema.Report, opt Options) error
}

// Outputs declares the output formats, in their default order. Adding a
// format is one entry here (and its subpackage).
var Outputs = []Output{
	{Name: HTML, Ext: ".html", Title: "HTML 网页", write: func(w io.Writer, r *schema.Report, opt Options) error {
		return html.Render(w, r, html.Options{Draft: opt.Draft, Fragment: opt.Fragment, Graphic: opt.Graphic, Prev: opt.Prev})
	}},
	{Name: Text, Ext: ".txt", Title: "Word 文本（.txt）", write: func(w io.Writer, r *schema.Report, opt Options) error {
		return text.Render(w, r, text.Options{Draft: opt.Draft})
	}},
	{Name: DOCX, Ext: ".docx", Title: "Word 文档（.docx）", write: func(w io.Writer, r *schema.Report, opt Options) error {
		return docx.Render(w, r, docx.Options{Draft: opt.Draft})
	}},
	{Name: PDF, Ext: ".pdf", Title: "PDF", write: func(w io.Writer, r *schema.Report, opt Options) error {
		return pdf.Render(w, r, pdf.Options{Draft: opt.Draft, Graphic: opt.Graphic, Prev: opt.Prev,
			TitleFont: opt.TitleFont, BodyFont: opt.BodyFont, HeadingFont: opt.HeadingFont})
	}},
	{Name: SVG, Ext: ".svg", Title: "图解（SVG）", Extra: true, write: func(w io.Writer, r *schema.Report, opt Options) error {
		return svg.Render(w, r, svg.Options{Draft: opt.Draft, Prev: opt.Prev})
	}},
}

// Lookup returns the output format with the given name, or nil.
func Lookup(name string) *Output {
	for i := range Outputs {
		if Outputs[i].Name == name {
			return &Outputs[i]
		}
	}
	return nil
}

// Formats lists every format name in the declared order.
func Formats() []string {
	out := make([]string, len(Outputs))
	for i, o := range Outputs {
		out[i] = o.Name
	}
	return out
}

// Defaults lists the formats rendered when none is named: all but the
// extra ones.
func Defaults() []string {
	var out []string
	for _, o := range Outputs {
		if !o.Extra {
			out = append(out, o.Name)
		}
	}
	return out
}

// Options configures rendering; the zero value means the defaults.
type Options struct {
	Draft    bool // mark every output as 草稿（未通过校验）
	Fragment bool // HTML: body only
	// PDF fonts: paths of TTF files (or TTC[:index]); "" = bundled fonts.
	TitleFont, BodyFont, HeadingFont string
	// Prev is last year's report: the 图解 shows year-on-year changes.
	Prev *schema.Report
	// Graphic: the HTML page ends with the 图解, and the PDF has it as its
	// last page.
	Graphic bool
}

// Ext returns the file extension (with the dot) for a format name; "" for
// an unknown name.
func Ext(format string) string {
	if o := Lookup(format); o != nil {
		return o.Ext
	}
	return ""
}

// ParseFormats reads a comma-separated list of format names (as given to
// --format): case and spaces are ignored, repeats dropped; an unknown name
// or an empty list is an error in Chinese, never ignored.
func ParseFormats(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" || seen[f] {
			continue
		}
		if Lookup(f) == nil {
			return nil, errtext.Errorf("未知的输出格式 %q：可用 %s", f, strings.Join(Formats(), "、"))
		}
		seen[f] = true
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, errtext.Errorf("--format 没有给出输出格式：可用 %s", strings.Join(Formats(), "、"))
	}
	return out, nil
}

// Render writes r to w in the named format. An unknown name is an error.
func Render(w io.Writer, format string, r *schema.Report, opt Options) error {
	if o := Lookup(format); o != nil {
		return o.write(w, r, opt)
	}
	return fmt.Errorf("unknown format %q (known: %v)", format, Formats())
}
