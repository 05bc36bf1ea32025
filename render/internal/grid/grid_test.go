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

// TestWidths: every table's proposed widths are positive and sum to 1.
func TestWidths(t *testing.T) {
	for _, tb := range schema.Current.Tables {
		g, err := tb.Place()
		if err != nil {
			t.Fatal(err)
		}
		ws := Widths(g)
		sum := 0.0
		for _, w := range ws {
			if w <= 0 {
				t.Errorf("%s: non-positive width %v", tb.Name, ws)
			}
			sum += w
		}
		if math.Abs(sum-1) > 1e-9 || len(ws) != g.Width {
			t.Errorf("%s: %d widths sum to %v", tb.Name, len(ws), sum)
		}
	}
}
