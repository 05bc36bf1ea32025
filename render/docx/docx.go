// Package docx renders a report (stub: not implemented yet).
package docx

import (
	"errors"
	"io"

	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the defaults.
type Options struct {
	Draft bool // mark every page as 草稿（未通过校验）

}

// Render writes r to w.
func Render(w io.Writer, r *schema.Report, opt Options) error {
	return errors.New("docx: not implemented")
}
