package check

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Rule is one check: a plain value with a stable ID, a severity, a Chinese
// title and documentation, and the function that runs it. IDs are a public
// contract: never renamed, never reused.
type Rule struct {
	ID       string
	Severity schema.Severity
	// Title is one line in Chinese: what the rule demands.
	Title string
	// Doc explains the rule: why, a bad example and the fix.
	Doc string
	// Check runs the rule. It is nil for rules that readers report while
	// reading the input (Reader is then true).
	Check func(p *Pass)
	// Reader marks a rule reported by the readers into Report.Issues.
	Reader bool
	// Minor is the severity of the rule's lesser findings, when it has
	// any (LAYOUT: a table moved whole, read where it stands); "" = none.
	Minor schema.Severity
	// NeedsPrev marks a cross-year rule, run only with last year's report.
	NeedsPrev bool
	// NeedsChildren marks a rule run only with the units' reports.
	NeedsChildren bool
	// Since is the first report year the rule applies to, for a rule that
	// rests on a provision younger than the reports it could be run on
	// (TEXT-FEE: the fee rules of 国办函〔2020〕109号 apply from 2021, so an
	// imported 2019 or 2020 report is not held to them); 0 = every year.
	Since int
	// Blocks decides whether a finding of this rule keeps the report from
	// being published (see Blocking); nil = it blocks when its severity is
	// an error. A rule whose warnings block until explained sets it.
	Blocks func(f schema.Finding) bool
}

// Pass is what a rule sees: the report, last year's report (may be nil) and
// a way to report findings.
type Pass struct {
	Rule   *Rule
	Report *schema.Report
	Prev   *schema.Report
	// Children are the units' reports (Options.Children).
	Children []*schema.Report
	out      *[]schema.Finding
	// catalogue is the rule catalogue the pass belongs to.
	catalogue []*Rule
}

// lookup returns the rule of the pass's catalogue with the given ID.
func (p *Pass) lookup(id string) *Rule {
	for _, r := range p.catalogue {
		if r.ID == id {
			return r
		}
	}
	return p.Rule
}

// Reportf records a finding of the pass's rule.
func (p *Pass) Reportf(section string, loc schema.Location, expected, actual, format string, a ...any) {
	*p.out = append(*p.out, schema.Finding{
		Rule:     p.Rule.ID,
		Severity: p.Rule.Severity,
		Section:  section,
		Location: loc,
		Message:  fmt.Sprintf(format, a...),
		Expected: expected,
		Actual:   actual,
	})
}

// reportAs records a finding of another rule of the catalogue (the table
// relations are checked together, each failure under its own rule) and
// returns it, for the caller to add related places.
func (p *Pass) reportAs(rule *Rule, section string, loc schema.Location, expected, actual, format string, a ...any) *schema.Finding {
	*p.out = append(*p.out, schema.Finding{
		Rule:     rule.ID,
		Severity: rule.Severity,
		Section:  section,
		Location: loc,
		Message:  fmt.Sprintf(format, a...),
		Expected: expected,
		Actual:   actual,
	})
	return &(*p.out)[len(*p.out)-1]
}

// appliesTo reports whether the rule holds for r's year (Since); a report
// whose year is not known is held to every rule.
func (r *Rule) appliesTo(rep *schema.Report) bool {
	y := rep.YearInt()
	return r.Since == 0 || y <= 0 || y >= r.Since
}

// Lookup returns the rule with the given ID, or nil.
func Lookup(id string) *Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// SeverityOf is the catalogue's severity of rule id, for the readers that
// report it; an ID the catalogue lacks is an error (a test catches it).
func SeverityOf(id string) schema.Severity {
	if r := Lookup(id); r != nil {
		return r.Severity
	}
	return schema.Error
}

// MinorOf is the severity of rule id's lesser findings (Rule.Minor), or its
// severity when it has none.
func MinorOf(id string) schema.Severity {
	if r := Lookup(id); r != nil && r.Minor != "" {
		return r.Minor
	}
	return SeverityOf(id)
}

var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$`)

// Validate checks the catalogue itself: IDs unique and well-formed, a title
// and documentation for each rule, a Check function unless the readers
// report it, and a valid severity.
func Validate(rules []*Rule) error {
	seen := map[string]bool{}
	for i, r := range rules {
		switch {
		case !idPattern.MatchString(r.ID):
			return fmt.Errorf("rule %d: malformed ID %q", i, r.ID)
		case seen[r.ID]:
			return fmt.Errorf("rule %s: duplicate ID", r.ID)
		case r.Severity != schema.Error && r.Severity != schema.Warning:
			return fmt.Errorf("rule %s: invalid severity %q", r.ID, r.Severity)
		case r.Minor != "" && (r.Minor != schema.Warning || r.Severity != schema.Error):
			return fmt.Errorf("rule %s: a minor severity is a warning of an error rule", r.ID)
		case strings.TrimSpace(r.Title) == "" || strings.Contains(r.Title, "\n"):
			return fmt.Errorf("rule %s: title must be one non-empty line", r.ID)
		case strings.TrimSpace(r.Doc) == "":
			return fmt.Errorf("rule %s: no documentation", r.ID)
		case r.Check == nil && !r.Reader:
			return fmt.Errorf("rule %s: no Check function", r.ID)
		case r.Check != nil && r.Reader:
			return fmt.Errorf("rule %s: a reader rule has no Check function", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}
