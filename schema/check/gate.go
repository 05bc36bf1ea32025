package check

import "github.com/nianbao/nianbao/schema"

// Blocking reports whether finding f keeps a report from being published:
// the publication gate, decided by the catalogue. The rule's Blocks
// decides when it is set; otherwise (and for a rule the catalogue lacks)
// an error blocks and a warning does not.
func Blocking(f schema.Finding) bool {
	if r := Lookup(f.Rule); r != nil && r.Blocks != nil {
		return r.Blocks(f)
	}
	return f.Severity == schema.Error
}

// Blocking returns the findings that keep the report from being published.
func (r *Result) Blocking() []schema.Finding {
	var out []schema.Finding
	for _, f := range r.Findings {
		if Blocking(f) {
			out = append(out, f)
		}
	}
	return out
}

// Publishable reports whether the report passes the publication gate: no
// finding blocks it.
func (r *Result) Publishable() bool {
	for _, f := range r.Findings {
		if Blocking(f) {
			return false
		}
	}
	return true
}

// The three outcomes of a finding, as the README explains them.
const (
	ClassError     = "错误"  // must be fixed before publishing
	ClassExplain   = "需说明" // fix it, or explain it in the report
	ClassAdvice    = "提示"  // advice: publishing is not held up
	ClassExplained = "已说明" // a 需说明 or 提示 the report explains
)

// Class is the outcome of the rule's findings: 错误 for an error, 需说明 for
// a warning that blocks publication until fixed or explained, 提示 for one
// that does not.
func (r *Rule) Class() string {
	switch {
	case r.Severity == schema.Error:
		return ClassError
	case r.Blocks != nil:
		return ClassExplain
	}
	return ClassAdvice
}

// Class is the outcome of one finding: 错误, 需说明, 已说明 or 提示.
func Class(f schema.Finding) string {
	switch {
	case f.Severity == schema.Error:
		return ClassError
	case f.Explained != "":
		return ClassExplained
	case Blocking(f):
		return ClassExplain
	}
	return ClassAdvice
}
