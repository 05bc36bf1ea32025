package render_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
)

// TestOddReports feeds every renderer reports built by hand: none may
// panic, and one that does not fit its declaration is refused with an
// error wrapping schema.ErrUnusable. (The PDF refuses characters it has no
// glyph for, and so the hostile text.)
func TestOddReports(t *testing.T) {
	for _, tt := range schematest.OddReports() {
		for _, f := range render.Formats() {
			t.Run(tt.Name+"/"+f, func(t *testing.T) {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic: %v", p)
					}
				}()
				err := render.Render(&bytes.Buffer{}, f, tt.Report, render.Options{})
				switch {
				case !tt.Fits && err == nil:
					t.Errorf("rendered a report that does not fit its declaration")
				case err != nil && !errors.Is(err, schema.ErrUnusable):
					t.Errorf("error %v does not wrap ErrUnusable", err)
				case tt.Fits && tt.Name != "strange values" && !(tt.Name == "hostile text" && f == render.PDF) && err != nil:
					t.Errorf("error %v", err)
				}
			})
		}
	}
}
