package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Location is where something was read: a line and column of a text input
// (YAML, published text) or a cell of a workbook sheet.
type Location struct {
	File  string `json:"file,omitempty"`
	Page  int    `json:"page,omitempty"` // a PDF's page (Line counts within it)
	Line  int    `json:"line,omitempty"`
	Col   int    `json:"col,omitempty"`
	Sheet string `json:"sheet,omitempty"`
	Cell  string `json:"cell,omitempty"`
}

// IsZero reports whether the location is unknown.
func (l Location) IsZero() bool { return l == Location{} }

// String gives 表三!D12 for a workbook cell and report.yaml:41:7 for text.
func (l Location) String() string {
	switch {
	case l.Sheet != "" && l.Cell != "":
		return l.Sheet + "!" + l.Cell
	case l.Sheet != "":
		return l.Sheet
	case l.Page > 0 && l.Line > 0:
		return fmt.Sprintf("%s 第%d页第%d行", l.File, l.Page, l.Line)
	case l.Page > 0:
		return fmt.Sprintf("%s 第%d页", l.File, l.Page)
	case l.Line > 0 && l.Col > 0:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
	case l.Line > 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	}
	return l.File
}

// Severity is how serious a finding is.
type Severity string

// The severities.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Chinese returns 错误 or 警告.
func (s Severity) Chinese() string {
	if s == Error {
		return "错误"
	}
	return "警告"
}

// Finding is one problem found in a report.
type Finding struct {
	Rule     string     `json:"rule"`
	Severity Severity   `json:"severity"`
	Section  string     `json:"section,omitempty"` // section key; "" for the report's fields
	Location Location   `json:"-"`
	Related  []Location `json:"-"`
	Message  string     `json:"message"`
	Expected string     `json:"expected,omitempty"`
	Actual   string     `json:"actual,omitempty"`
	// Place is the finding's stable place, the one an explanation names:
	// a cell key (t3.received.total) or a section key (overview).
	Place string `json:"place,omitempty"`
	// Explained is the reason the report gives for the warning
	// (Report.Explanations); an explained warning is shown as 已说明.
	Explained string `json:"explained,omitempty"`
}

// Where is the finding's place for people: its location, or, for a
// finding about a whole relation (Related holds every term), all of its
// cells: 表三!D5,D6,D28,D29 or report.yaml:51,52,74,75.
func (f Finding) Where() string {
	if len(f.Related) < 2 {
		return f.Location.String()
	}
	return Places(f.Related)
}

// Places writes several locations in one: the cells of one sheet after
// its name (表三!D5,D6), the lines of one file after its name
// (report.yaml:51,52); locations elsewhere are listed in full.
func Places(ls []Location) string {
	var parts []string
	var last Location
	seen := map[string]bool{}
	for i, l := range ls {
		key, p := l.String(), l.String()
		switch {
		case l.Sheet != "" && l.Cell != "":
			key = l.Sheet + "!" + l.Cell
			if i > 0 && l.Sheet == last.Sheet && l.File == last.File {
				p = l.Cell
			}
		case l.Line > 0:
			key = fmt.Sprintf("%s:%d", l.File, l.Line)
			p = key
			if i > 0 && last.Sheet == "" && l.File == last.File && last.Line > 0 {
				p = fmt.Sprint(l.Line)
			}
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		parts = append(parts, p)
		last = l
	}
	return strings.Join(parts, ",")
}

// SortFindings orders findings by section (in format order), then location,
// then rule ID, then message, so output is deterministic.
func SortFindings(f *Format, fs []Finding) {
	order := map[string]int{"": -2, "intro": -1}
	for i, s := range f.Sections {
		order[s.Key] = i
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(order[a.Section], order[b.Section]),
			cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Sheet, b.Location.Sheet),
			cmp.Compare(a.Location.Line, b.Location.Line),
			cellCompare(a.Location.Cell, b.Location.Cell),
			cmp.Compare(a.Location.Col, b.Location.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// cellCompare orders A1-style references by row, then column.
func cellCompare(a, b string) int {
	ca, ra := splitCell(a)
	cb, rb := splitCell(b)
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(len(ca), len(cb)), cmp.Compare(ca, cb))
}

func splitCell(s string) (col string, row int) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	fmt.Sscanf(s[i:], "%d", &row)
	return s[:i], row
}
