package grid

import (
	"flag"
	"math"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// update is accepted so that `go test ./... -update` runs here too; this
// package has no golden files.
var _ = flag.Bool("update", false, "rewrite the golden files (none here)")

func TestPlaceCoversGrid(t *testing.T) {
	for _, tb := range schema.Current.Tables {
		t.Run(tb.ID, func(t *testing.T) {
			g, err := Place(tb)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Rows) != len(tb.Layout) {
				t.Fatalf("rows: got %d, want %d", len(g.Rows), len(tb.Layout))
			}
			values := 0
			for r, row := range g.Rows {
				col := 0
				for _, s := range row {
					if s.Col != col {
						t.Fatalf("row %d: slot at column %d, want %d", r, s.Col, col)
					}
					col += s.ColSpan
					if !s.Cont && s.Cell.IsValue() {
						values++
					}
				}
				if col != g.Width {
					t.Fatalf("row %d covers %d columns, want %d", r, col, g.Width)
				}
			}
			if values != tb.CellCount() {
				t.Errorf("value cells: got %d, want %d", values, tb.CellCount())
			}
			ws := g.Widths()
			sum := 0.0
			for _, w := range ws {
				if w <= 0 {
					t.Errorf("non-positive width %v", ws)
				}
				sum += w
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("widths sum to %v", sum)
			}
		})
	}
}

func TestPlaceRejectsBadLayout(t *testing.T) {
	bad := &schema.Table{Name: "坏表", Layout: [][]schema.Cell{
		{{Text: "a", RowSpan: 2}, {Text: "b"}},
		{{Text: "c"}, {Text: "d"}},
	}}
	if _, err := Place(bad); err == nil {
		t.Fatal("overlong row accepted")
	}
}
