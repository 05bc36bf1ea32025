// Package pdf renders a report as a PDF in the look of GB/T 9704 (党政机关
// 公文格式): A4, top margin 37 mm, left margin 28 mm, a 156 × 225 mm text
// block of 22 lines × 28 characters, the title in 2号 (22 pt) bold serif,
// body text in 3号 (16 pt), 一、 headings in a sans face, （一） headings
// in 楷体, page numbers “— N —” in 4号 (14 pt), odd pages right and even
// pages left, the signing body and date right-aligned at the end.
//
// The fonts are open fonts bundled with the program (fonts/, OFL) or the
// agency's own licensed fonts (Options). Before anything is drawn every
// character is checked against its font: a missing glyph or a character
// outside the BMP is an error naming the character and where it is. The
// bundled fonts are parsed once per process; each document embeds only the
// glyphs it uses.
//
// Lines are broken by the package itself (breaker.go) with 避头尾 rules and
// justified by character spacing; fpdf's MultiCell loses characters at CJK
// line breaks. Tables walk the format's printed grid (schema.Table.Layout).
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nianbao/nianbao/render/internal/guard"

	"github.com/nianbao/nianbao/schema"
)

// Options configures the renderer; the zero value means the bundled fonts.
type Options struct {
	Draft       bool   // mark every page as 草稿（未通过校验）
	TitleFont   string // path of a TTF (or TTC[:index]) for the title; "" = bundled
	BodyFont    string // path for body text; "" = bundled
	HeadingFont string // path for 一、 headings; "" = bundled
	// Graphic adds the 图解 (render/svg, its wide layout) as the last page,
	// drawn as vector graphics and text.
	Graphic bool
	Prev    *schema.Report // last year's report: the 图解 shows the changes
}

// Errors wrapped (with schema.ErrUnusable) by the errors Render returns for
// text that cannot be typeset.
var (
	// ErrMissingGlyph: a character has no glyph in its font.
	ErrMissingGlyph = errors.New("pdf: character missing from font")
	// ErrOutsideBMP: a character lies outside the Basic Multilingual Plane.
	ErrOutsideBMP = errors.New("pdf: character outside the BMP")
)

// DraftMark is the text that marks every page of a draft.
const DraftMark = schema.DraftLabel

// Render writes r to w. Text that cannot be typeset (a character without a
// glyph, a character outside the BMP) is reported, for every occurrence, as
// errors wrapping schema.ErrUnusable; nothing is written then.
func Render(w io.Writer, r *schema.Report, opt Options) (err error) {
	// fpdf panics on some inputs (characters outside the BMP at Output);
	// the checks below keep them out, and this is the last resort.
	defer guard.Recover(&err, "PDF")
	if err := guard.Check(r); err != nil {
		return err
	}
	fs, err := loadFaces(opt)
	if err != nil {
		return err
	}
	d, err := prepare(r, fs, opt)
	if err != nil {
		return err
	}
	pdf, tags, err := d.draw()
	if err != nil {
		return err
	}
	var raw bytes.Buffer
	if err := pdf.Output(&raw); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	out, err := d.finish(raw.Bytes(), tags)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// docDate is the report's own date (signing date, publication date, or the
// end of the report year) for the PDF's creation and modification dates, so
// the same input gives the same bytes.
func docDate(r *schema.Report) time.Time {
	for _, s := range []string{r.SignDate(), r.Meta.Published.Value} {
		if t, err := time.Parse("2006-01-02", s); err == nil {
			return t
		}
	}
	if y := r.YearInt(); y > 0 && y < 10000 {
		return time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}
