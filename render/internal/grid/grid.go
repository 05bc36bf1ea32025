// Package grid places a table's declared layout (schema.Table.Layout) on its
// grid of rows and columns, resolving row and column spans, and proposes
// relative column widths. The renderers share it so that every format draws
// exactly the same merges.
package grid

import (
	"fmt"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// Slot is one position group of a layout row, in column order: either the
// top-left of a cell declared in this row, or the continuation of a cell
// whose row span started in an earlier row.
type Slot struct {
	Cell    schema.Cell
	Col     int  // first grid column
	ColSpan int  // number of grid columns covered (≥ 1)
	RowSpan int  // number of grid rows covered by the cell (≥ 1)
	Cont    bool // a continuation row of a cell spanning from above
}

// Grid is a table's layout placed on its grid.
type Grid struct {
	Table *schema.Table
	Width int      // number of grid columns
	Rows  [][]Slot // per layout row, the slots covering every grid column once
}

// Place resolves the spans of t.Layout. It returns an error when the
// declaration is inconsistent (overlapping cells, a row too long or short).
func Place(t *schema.Table) (*Grid, error) {
	w := t.Width()
	n := len(t.Layout)
	type origin struct {
		row  int
		cell schema.Cell
		col  int
	}
	occ := make([][]*origin, n)
	for i := range occ {
		occ[i] = make([]*origin, w)
	}
	for r, row := range t.Layout {
		c := 0
		for _, cell := range row {
			for c < w && occ[r][c] != nil {
				c++
			}
			cs, rs := cell.Span()
			if c+cs > w || r+rs > n {
				return nil, fmt.Errorf("%s: layout row %d: cell %q does not fit the %d×%d grid", t.Name, r, label(cell), n, w)
			}
			o := &origin{row: r, cell: cell, col: c}
			for i := r; i < r+rs; i++ {
				for j := c; j < c+cs; j++ {
					if occ[i][j] != nil {
						return nil, fmt.Errorf("%s: layout row %d: cell %q overlaps another cell", t.Name, r, label(cell))
					}
					occ[i][j] = o
				}
			}
			c += cs
		}
	}
	g := &Grid{Table: t, Width: w, Rows: make([][]Slot, n)}
	for r := range occ {
		for c := 0; c < w; c++ {
			o := occ[r][c]
			if o == nil {
				return nil, fmt.Errorf("%s: layout row %d: grid column %d is not covered by any cell", t.Name, r, c)
			}
			if o.col != c {
				continue
			}
			cs, rs := o.cell.Span()
			g.Rows[r] = append(g.Rows[r], Slot{Cell: o.cell, Col: c, ColSpan: cs, RowSpan: rs, Cont: o.row != r})
		}
	}
	return g, nil
}

func label(c schema.Cell) string {
	if c.IsValue() {
		return c.Row + "." + c.Col
	}
	return c.Text
}

// ValueColumns reports, per grid column, whether some value cell starts in it.
func (g *Grid) ValueColumns() []bool {
	v := make([]bool, g.Width)
	for _, row := range g.Rows {
		for _, s := range row {
			if !s.Cont && s.Cell.IsValue() {
				v[s.Col] = true
			}
		}
	}
	return v
}

// Widths proposes relative column widths (summing to 1) for a table set in
// a text block about 42 characters wide, derived from the layout alone:
// value columns are sized for their single-column headers wrapped on two
// lines (3–4 characters); label columns for their single-column labels,
// wrapped on two lines (four when the cell spans eight rows or more) and
// capped at 10 characters, so that long labels wrap instead of squeezing the figures;
// each column adds room for its padding.
func (g *Grid) Widths() []float64 {
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
