// Package check validates a report against its format: the arithmetic
// relations of the tables, blank and unreadable cells, the narrative against
// the tables, and, given last year's report, the carry-over between years.
//
// Every rule is a value in the ordered catalogue All, with a stable ID that
// never changes meaning.
package check

import "github.com/nianbao/nianbao/schema"

// Options configures a check; the zero value checks one report on its own.
type Options struct {
	// Prev is last year's report of the same body, for the cross-year
	// rules (CARRY-OVER, STOCK-FLOW, TEXT-SIMILAR); nil skips them.
	Prev *schema.Report
	// Children are the reports of the units below a 本行政区域汇总 report,
	// for SUM-CHILDREN; nil skips it.
	Children []*schema.Report
}

// IntroSection is the Finding.Section of findings in the opening paragraph.
const IntroSection = "intro"

// Count returns the number of errors and warnings in fs.
func Count(fs []schema.Finding) (errors, warnings int) {
	for _, f := range fs {
		if f.Severity == schema.Error {
			errors++
		} else {
			warnings++
		}
	}
	return errors, warnings
}
