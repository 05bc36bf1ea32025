package check

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// formatRuleProblems lists the relations, carries, stocks and jumps of f
// that name a rule the catalogue lacks, or a rule whose Check does not
// evaluate that kind of declaration: either would silently never run.
func formatRuleProblems(f *schema.Format) []string {
	same := func(a, b func(*Pass)) bool { return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() }
	var out []string
	want := func(what, id string, check func(*Pass)) {
		r := Lookup(id)
		switch {
		case r == nil:
			out = append(out, fmt.Sprintf("%s: a %s names rule %q, which the catalogue lacks", f.Notice, what, id))
		case r.Check == nil || !same(r.Check, check):
			out = append(out, fmt.Sprintf("%s: a %s names rule %s, whose Check does not evaluate %ss", f.Notice, what, id, what))
		}
	}
	for _, rel := range f.Relations {
		want("relation", rel.Rule, checkRelations)
	}
	for _, c := range f.Carries {
		want("carry", c.Rule, checkCarryOver)
	}
	for _, s := range f.Stocks {
		want("stock", s.Rule, checkStockFlow)
		want("stock", s.MinRule, checkStockMin)
	}
	for _, j := range f.Jumps {
		want("jump", j.Rule, checkYOYJump)
	}
	return out
}

// TestFormatRulesCatalogued: every relation, carry, stock and jump of every
// format runs under a rule of the catalogue; a probe format with a
// misnamed relation and a carry under a relation rule is caught.
func TestFormatRulesCatalogued(t *testing.T) {
	for _, f := range []*schema.Format{schema.Format2021, schema.Format2019} {
		for _, p := range formatRuleProblems(f) {
			t.Error(p)
		}
	}
	probe := *schema.Format2021
	probe.Relations = append([]*schema.Relation{{Rule: "T3-ROWS", Table: "t3"}}, probe.Relations...)
	probe.Carries = append([]*schema.Carry{{Rule: "T3-ROW", Table: "t3"}}, probe.Carries...)
	if got := formatRuleProblems(&probe); len(got) != 2 {
		t.Errorf("the probe gave %q, want two problems", got)
	}
}

// TestReaderIDsCatalogued: the IDs readers report are in the catalogue and
// their severities come from it.
func TestReaderIDsCatalogued(t *testing.T) {
	for _, id := range []string{Structure, Layout, CellFormat, OldFormat, Import, ImportSplit, ImportUnmapped, TableMissing} {
		r := Lookup(id)
		if r == nil {
			t.Errorf("%s: not in the catalogue", id)
			continue
		}
		if SeverityOf(id) != r.Severity {
			t.Errorf("%s: SeverityOf %s, catalogued %s", id, SeverityOf(id), r.Severity)
		}
	}
	if MinorOf(Layout) != schema.Warning || MinorOf(Structure) != schema.Error || SeverityOf("NO-SUCH") != schema.Error {
		t.Error("minor severities")
	}
}
