// Package grid holds what the renderers share about drawing a table placed
// on its grid (schema.Table.Place): relative column widths and the value
// of a value cell.
package grid

import (
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// Widths proposes relative column widths (summing to 1) for a table set in
// a text block about 42 characters wide, derived from the layout alone:
// value columns are sized for their single-column headers wrapped on two
// lines (3–4 characters); label columns for their single-column labels,
// wrapped on two lines (four when the cell spans eight rows or more) and
// capped at 10 characters, so that long labels wrap instead of squeezing the figures;
// each column adds room for its padding.
func Widths(g *schema.Grid) []float64 {
	const (
		minValue, maxValue = 3.0, 4.0
		minLabel, maxLabel = 2.0, 10.0
		pad                = 0.6 // cell padding and borders, in characters
	)
	isValue := g.ValueColumns()
	want := make([]float64, g.Width)
	for c := range want {
		if isValue[c] {
			want[c] = minValue
		} else {
			want[c] = minLabel
		}
	}
	for _, row := range g.Rows {
		for _, s := range row {
			if s.Cont || s.ColSpan != 1 || s.Cell.IsValue() || s.Cell.Note {
				continue
			}
			n := float64(utf8.RuneCountInString(s.Cell.Text))
			var w float64
			if isValue[s.Col] {
				w = clamp(ceil(n/2), minValue, maxValue)
			} else {
				lines := 2.0
				if s.RowSpan >= 8 {
					lines = 4 // a tall merged label stacks in a narrow column
				}
				w = clamp(ceil(n/lines), minLabel, maxLabel)
			}
			want[s.Col] = max(want[s.Col], w)
		}
	}
	sum := 0.0
	for c := range want {
		want[c] += pad
		sum += want[c]
	}
	for c := range want {
		want[c] /= sum
	}
	return want
}

func clamp(x, lo, hi float64) float64 { return min(max(x, lo), hi) }

func ceil(x float64) float64 {
	i := float64(int(x))
	if i < x {
		return i + 1
	}
	return i
}

// Value returns the value of a value cell in d, or nil when the table is
// absent or the cell unknown: a nil value renders as a blank cell.
func Value(d *schema.TableData, c schema.Cell) *schema.Value {
	if d == nil || !c.IsValue() {
		return nil
	}
	return d.Cell(c.Row, c.Col)
}
