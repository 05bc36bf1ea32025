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
