// Package guard keeps a panic from crossing a renderer's exported Render:
// a report built by hand (not by a reader) may be odd in ways the
// renderers do not foresee, and the command must get an error, not a crash.
package guard

import (
	"fmt"

	"github.com/nianbao/nianbao/schema"
)

// Check returns an error wrapping schema.ErrUnusable when r cannot be
// rendered: nil, without a format, with a table that does not fit its
// declaration, or with more text than schema.MaxText or a paragraph longer
// than schema.MaxParagraph (refused before any rendering starts, so a
// report built by hand cannot make a renderer use a gigabyte).
func Check(r *schema.Report) error {
	if err := r.CheckShape(); err != nil {
		return err
	}
	return r.CheckText()
}

// Recover turns a panic into *err, an error wrapping schema.ErrUnusable
// with a Chinese message naming the output (what: "HTML", "PDF"). Use it
// deferred: defer guard.Recover(&err, "HTML").
func Recover(err *error, what string) {
	if p := recover(); p != nil {
		*err = schema.Unusable(schema.Location{}, fmt.Sprintf("生成 %s 时出错（内部错误：%v）", what, p), nil)
	}
}
