package schema

import (
	"strings"
	"testing"
)

// TestFormatsValid: the declared formats pass their own Validate, and a
// probe format with a misplaced value cell, a doubled key and a relation
// term that does not exist fails it.
func TestFormatsValid(t *testing.T) {
	for _, f := range []*Format{Format2021, Format2019} {
		if err := f.Validate(); err != nil {
			t.Errorf("%s:\n%v", f.Notice, err)
		}
	}
	probe := *Format2021
	t2 := *probe.Table("t2")
	t2.Layout = append([][]Cell(nil), t2.Layout...)
	last := len(t2.Layout) - 1
	t2.Layout[last] = append([]Cell(nil), t2.Layout[last]...)
	for i, c := range t2.Layout[last] {
		if c.IsValue() {
			t2.Layout[last][i].Col = "nope" // one value cell unplaced, one unknown
			break
		}
	}
	t2.Rows = append(append([]*Row(nil), t2.Rows...), t2.Rows[0])
	probe.Tables = append([]*Table{&t2}, probe.Tables[1:]...)
	probe.Relations = append([]*Relation{{Rule: "T3-ROW", Table: "t3", Per: PerRow, Left: []string{"total"}, Right: []string{"nobody"}}}, probe.Relations...)
	err := probe.Validate()
	for _, want := range []string{"which no row declares", "placed 0 times", "duplicate row", `no column "nobody"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the probe format: %v; want %q", err, want)
		}
	}
}

func TestPlaceCoversGrid(t *testing.T) {
	for _, tb := range Current.Tables {
		g, err := tb.Place()
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Rows) != len(tb.Layout) {
			t.Fatalf("%s rows: got %d, want %d", tb.Name, len(g.Rows), len(tb.Layout))
		}
		for r, row := range g.Rows {
			col := 0
			for _, s := range row {
				if s.Col != col {
					t.Fatalf("%s row %d: slot at column %d, want %d", tb.Name, r, s.Col, col)
				}
				col += s.ColSpan
			}
			if col != g.Width {
				t.Fatalf("%s row %d covers %d columns, want %d", tb.Name, r, col, g.Width)
			}
		}
	}
}

func TestPlaceRejectsBadLayout(t *testing.T) {
	bad := &Table{Name: "坏表", Layout: [][]Cell{
		{{Text: "a", RowSpan: 2}, {Text: "b"}},
		{{Text: "c"}, {Text: "d"}},
	}}
	if _, err := bad.Place(); err == nil {
		t.Fatal("overlong row accepted")
	}
}
