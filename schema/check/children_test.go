package check_test

import (
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// TestChildrenSum: ChildrenSum is the sum SUM-CHILDREN compares with (a
// finding's expected value), and gives none when a child's cell is blank
// or of another format.
func TestChildrenSum(t *testing.T) {
	a := read(t, "a.yaml", load(t, complete))
	b := read(t, "b.yaml", load(t, complete))
	sum := read(t, "sum.yaml", load(t, complete))
	for _, td := range sum.Tables {
		for i := range td.Values {
			for j := range td.Values[i] {
				v := &td.Values[i][j]
				if v.OK() {
					twice, _ := v.Num.Add(v.Num)
					v.SetNumber(twice)
				}
			}
		}
	}
	// one cell of the 汇总 is off by one
	cell := sum.Cell("t3", "received", "natural")
	want := cell.Num
	off, _ := want.Add(schema.Int(1))
	cell.SetNumber(off)
	children := []*schema.Report{a, b}
	var found []schema.Finding
	for _, f := range check.Run(sum, check.Options{Children: children}) {
		if f.Rule == "SUM-CHILDREN" {
			found = append(found, f)
		}
	}
	total, ok := check.ChildrenSum(sum.Format, children, "t3", "received", "natural")
	if len(found) != 1 || !ok || total.Cmp(want) != 0 || found[0].Expected != total.String() || found[0].Actual != off.String() {
		t.Fatalf("SUM-CHILDREN %+v, ChildrenSum %s %v (want %s)", found, total, ok, want)
	}
	if total, ok := check.ChildrenSum(sum.Format, nil, "t3", "received", "natural"); !ok || total.Cmp(schema.Int(0)) != 0 {
		t.Errorf("no children: %s %v", total, ok)
	}
	b.Cell("t3", "received", "natural").State = schema.Blank
	if _, ok := check.ChildrenSum(sum.Format, children, "t3", "received", "natural"); ok {
		t.Error("a sum over a blank cell")
	}
	b.Format = schema.Format2019
	if _, ok := check.ChildrenSum(sum.Format, children, "t3", "received", "total"); ok {
		t.Error("a sum over a report of another format")
	}
}
