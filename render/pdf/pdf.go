// Package pdf renders a report as PDF (stub: not implemented yet).
package pdf

import (
	"errors"
	"io"

	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the bundled fonts.
type Options struct {
	Draft       bool   // mark every page as 草稿（未通过校验）
	TitleFont   string // path of a TTF (or TTC[:index]) for the title; "" = bundled
	BodyFont    string // path for body text; "" = bundled
	HeadingFont string // path for 一、 headings; "" = bundled
}

// Render writes r to w.
func Render(w io.Writer, r *schema.Report, opt Options) error {
	return errors.New("pdf: not implemented")
}
