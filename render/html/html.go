// Package html renders a report (stub: not implemented yet).
package html

import (
	"errors"
	"io"

	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the defaults.
type Options struct {
	Draft    bool // mark every page as 草稿（未通过校验）
	Fragment bool // body only, for pasting into a CMS editor
}

// Render writes r to w.
func Render(w io.Writer, r *schema.Report, opt Options) error {
	return errors.New("html: not implemented")
}
