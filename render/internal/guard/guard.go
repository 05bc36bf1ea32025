// Package guard keeps a panic from crossing a renderer's exported Render:
// a report built by hand (not by a reader) may be odd in ways the
// renderers do not foresee, and the command must get an error, not a crash.
package guard

import (
	"fmt"

	"github.com/nianbao/nianbao/schema"
)

// Check returns an error wrapping schema.ErrUnusable when r cannot be
// rendered: nil, without a format, or with a table that does not fit its
// declaration.
func Check(r *schema.Report) error { return r.CheckShape() }

// Recover turns a panic into *err, an error wrapping schema.ErrUnusable
// with a Chinese message naming the output (what: "HTML", "PDF"). Use it
// deferred: defer guard.Recover(&err, "HTML").
func Recover(err *error, what string) {
	if p := recover(); p != nil {
		*err = schema.Unusable(schema.Location{}, fmt.Sprintf("生成 %s 时出错（内部错误：%v）", what, p), nil)
	}
}
