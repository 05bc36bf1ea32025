package schema

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// Bounds on the text a report holds. Every reader counts the text it
// produces against MaxText as it produces it (a workbook's shared string
// counts each time a cell uses it), so a small file that expands into
// gigabytes of text is refused early; CheckText applies both bounds to a
// finished report, and every renderer calls it first.
//
// Why these numbers: a real report is 2,000 to 30,000 characters (the five
// seed reports and eight real reports of the test data hold 800 to 5,100;
// the longest reports of State Council departments stay under 100,000).
// MaxText leaves ten times that. A paragraph of a real report is at most a
// few thousand characters; MaxParagraph is a whole real report in one
// paragraph. On the 2-core test machine, rendering a report of MaxText
// characters in all four formats takes under 2 s and under 120 MB; one
// paragraph of 1,000,000 characters would take 210 MB for the PDF alone,
// which is why a paragraph has its own, smaller bound.
const (
	MaxText      = 1_000_000 // characters of text in one report: narrative, fields, cell texts
	MaxParagraph = 100_000   // characters of one paragraph (between line breaks)
)

// TextBudget counts the characters of text a reader produces. The zero
// value is ready to use and allows MaxText.
type TextBudget struct{ used int }

// Add counts the characters of s and reports whether the total is still
// within MaxText. Once it returns false, the reader must stop and refuse
// the input (TooMuchText).
func (b *TextBudget) Add(s string) bool {
	if b.used > MaxText {
		return false
	}
	// counting stops where the budget ends: a huge string costs no more
	// than the budget to count
	left := MaxText - b.used
	if len(s) <= left { // at most len(s) characters: within the budget
		b.used += utf8.RuneCountInString(s)
		return true
	}
	n := 0
	for range s {
		if n++; n > left {
			b.used = MaxText + 1
			return false
		}
	}
	b.used += n
	return true
}

// AddCount counts n characters already counted by the caller (a PDF
// reader's text run, say) and reports whether the total is within MaxText.
func (b *TextBudget) AddCount(n int) bool {
	if n < 0 || n > MaxText-b.used {
		b.used = MaxText + 1
		return false
	}
	b.used += n
	return true
}

// Used returns the characters counted so far.
func (b *TextBudget) Used() int { return min(b.used, MaxText+1) }

// TooMuchText is the error of a reader whose input holds more than MaxText
// characters of text; where names the part being read (a sheet, a part of
// a package, a page) for the person who has to look at the file.
func TooMuchText(loc Location, where string) error {
	if where != "" {
		where = "（读到" + where + "时）"
	}
	return Unusable(loc, fmt.Sprintf("报告的文字过多%s：超过 %s 字的上限，一份年度报告通常不到 10 万字；文件可能是异常文件（例如同一段文字被引用了成千上万次）",
		where, groupDigits(MaxText)), nil)
}

// CheckParagraph returns an error wrapping ErrUnusable when one of the
// paragraphs of s (the runs between line breaks) is longer than
// MaxParagraph; what names it for the message ("第 12 行").
func CheckParagraph(loc Location, what, s string) error {
	if len(s) <= MaxParagraph { // at most len(s) characters
		return nil
	}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if n := utf8.RuneCountInString(p); n > MaxParagraph {
			return paragraphTooLong(loc, what, n)
		}
	}
	return nil
}

// paragraphTooLong is the error of one paragraph over MaxParagraph.
func paragraphTooLong(loc Location, what string, n int) error {
	return Unusable(loc, fmt.Sprintf("%s过长（%s 字），超过每段 %s 字的上限；请分段，或检查文件是否异常",
		what, groupDigits(n), groupDigits(MaxParagraph)), nil)
}

func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// CheckText reports whether r's text is within the bounds: at most
// MaxText characters in all (fields, opening, narrative, the text of every
// table cell) and at most MaxParagraph in any one paragraph or field. The
// error wraps ErrUnusable and names where the text is.
func (r *Report) CheckText() error {
	if r == nil {
		return nil
	}
	var b TextBudget
	loc := Location{File: r.Source}
	text := func(s string, at Location, what string) error {
		if !b.Add(s) {
			if at.IsZero() {
				at = loc
			}
			return TooMuchText(at, what)
		}
		if at.IsZero() {
			at = loc
		}
		return CheckParagraph(at, what, s)
	}
	if err := metaText(reflect.ValueOf(r.Meta), text); err != nil {
		return err
	}
	for _, bl := range r.Intro {
		if err := text(bl.Text, bl.Loc, "导语中的一段"); err != nil {
			return err
		}
	}
	for _, key := range sortedKeys(r.Narrative) {
		what := "正文中的一段"
		if r.Format != nil {
			if s := r.Format.Section(key); s != nil {
				what = s.Heading() + "中的一段"
			}
		}
		for _, bl := range r.Narrative[key] {
			if err := text(bl.Text, bl.Loc, what); err != nil {
				return err
			}
		}
	}
	for _, id := range sortedKeys(r.Tables) {
		d := r.Tables[id]
		if d == nil {
			continue
		}
		what := id
		if d.Table != nil {
			what = d.Table.Name
		}
		for _, row := range d.Values {
			for _, v := range row {
				if err := text(v.Raw, v.Loc, what+"中的一格"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// metaText walks every Text field of the report's fields (Meta and the
// structs inside it), so a field added to Meta is bounded without a list
// to keep up to date.
func metaText(v reflect.Value, text func(string, Location, string) error) error {
	if t, ok := v.Interface().(Text); ok {
		return text(t.Value, t.Loc, "基本信息中的一项")
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	for i := range v.NumField() {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		if err := metaText(v.Field(i), text); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
