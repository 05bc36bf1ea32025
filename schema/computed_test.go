package schema

import "testing"

// TestComputed: the cells forms compute are 表三's 总计 column and （七）总计
// row and 表四's three 总计 columns, each listed after every computed cell it
// sums; a cycle in the relations leaves its cells as inputs.
func TestComputed(t *testing.T) {
	want := map[string]int{"t2": 0, "t3": 25 + 6, "t4": 3}
	for _, f := range []*Format{Current, Format2019} {
		for _, tb := range f.Tables {
			cs := f.Computed(tb)
			if n, ok := want[tb.ID]; ok && f == Current && len(cs) != n {
				t.Errorf("%d %s: %d computed cells, want %d", f.Year, tb.ID, len(cs), n)
			}
			done := map[[2]int]bool{}
			computed := map[[2]int]bool{}
			for _, c := range cs {
				computed[[2]int{c.Row, c.Col}] = true
			}
			for _, c := range cs {
				for _, term := range c.Terms {
					if computed[term] && !done[term] {
						t.Errorf("%d %s: %v is listed before %v, which it sums", f.Year, tb.ID, c, term)
					}
				}
				done[[2]int{c.Row, c.Col}] = true
				if c.Rule == "" || len(c.Terms) == 0 {
					t.Errorf("%d %s: %+v", f.Year, tb.ID, c)
				}
			}
		}
	}
	// 表三's 总计 of the 自然人 column sums the rows, and the 总计 column the
	// 申请人 columns
	t3 := Current.Table("t3")
	total := t3.RowIndex("total")
	for _, c := range Current.Computed(t3) {
		if c.Row == total && t3.Rows[c.Row].Cols[c.Col].Key == "natural" && len(c.Terms) < 2 {
			t.Errorf("（七）总计 of 自然人 sums %d cells", len(c.Terms))
		}
	}
	// a cycle: a = b, b = a — neither is computed
	cyc := &Format{Tables: []*Table{{ID: "x", Rows: []*Row{{Key: "r", Cols: []*Column{{Key: "a"}, {Key: "b"}, {Key: "c"}}}}}},
		Relations: []*Relation{
			{Rule: "R1", Table: "x", Per: PerRow, Left: []string{"a"}, Right: []string{"b"}},
			{Rule: "R2", Table: "x", Per: PerRow, Left: []string{"b"}, Right: []string{"a"}},
			{Rule: "R3", Table: "x", Per: PerRow, Left: []string{"c"}, Right: []string{"c"}},
		}}
	if cs := cyc.Computed(cyc.Tables[0]); len(cs) != 0 {
		t.Errorf("a cycle and a self-sum give computed cells %+v", cs)
	}
}
