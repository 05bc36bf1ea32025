package schema

import (
	"errors"
	"fmt"
)

// Slot is one position group of a layout row, in column order: either the
// top-left of a cell declared in this row, or the continuation of a cell
// whose row span started in an earlier row.
type Slot struct {
	Cell    Cell
	Col     int  // first grid column
	ColSpan int  // number of grid columns covered (≥ 1)
	RowSpan int  // number of grid rows covered by the cell (≥ 1)
	Cont    bool // a continuation row of a cell spanning from above
}

// Grid is a table's printed layout placed on its grid of rows and columns,
// the way a browser places table cells with rowspan and colspan. Every
// output (the renderers, the workbook) draws the merges from it.
type Grid struct {
	Table *Table
	Width int      // number of grid columns
	Rows  [][]Slot // per layout row, the slots covering every grid column once
}

// Place resolves the spans of t.Layout. It returns an error when the
// declaration is inconsistent (overlapping cells, a row too long or short).
func (t *Table) Place() (*Grid, error) {
	w := t.Width()
	n := len(t.Layout)
	type origin struct {
		row  int
		cell Cell
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
				return nil, fmt.Errorf("%s: layout row %d: cell %q does not fit the %d×%d grid", t.Name, r, cellLabel(cell), n, w)
			}
			o := &origin{row: r, cell: cell, col: c}
			for i := r; i < r+rs; i++ {
				for j := c; j < c+cs; j++ {
					if occ[i][j] != nil {
						return nil, fmt.Errorf("%s: layout row %d: cell %q overlaps another cell", t.Name, r, cellLabel(cell))
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

func cellLabel(c Cell) string {
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

// Validate checks the format declaration itself: section keys and table
// IDs unique and every table section naming a table; in each table, row
// keys and column keys unique, the layout placing on its grid and every
// declared value cell placed exactly once (and no value cell placed that
// is not declared); every relation, carry, stock and jump naming a table,
// rows and columns that exist.
func (f *Format) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	sections := map[string]bool{}
	for _, s := range f.Sections {
		if sections[s.Key] {
			bad("section %s: duplicate key", s.Key)
		}
		sections[s.Key] = true
		if s.Kind == TableSection && f.Table(s.Table) == nil {
			bad("section %s: unknown table %q", s.Key, s.Table)
		}
	}
	tables := map[string]bool{}
	for _, t := range f.Tables {
		if tables[t.ID] {
			bad("table %s: duplicate ID", t.ID)
		}
		tables[t.ID] = true
		rows := map[string]bool{}
		for _, r := range t.Rows {
			if rows[r.Key] {
				bad("%s: duplicate row %s", t.Name, r.Key)
			}
			rows[r.Key] = true
			cols := map[string]bool{}
			for _, c := range r.Cols {
				if cols[c.Key] {
					bad("%s: row %s: duplicate column %s", t.Name, r.Key, c.Key)
				}
				cols[c.Key] = true
			}
		}
		g, err := t.Place()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		placed := map[[2]string]int{}
		for _, row := range g.Rows {
			for _, s := range row {
				if s.Cont || !s.Cell.IsValue() {
					continue
				}
				if r := t.Row(s.Cell.Row); r == nil || r.Col(s.Cell.Col) == nil {
					bad("%s: the layout places %s.%s, which no row declares", t.Name, s.Cell.Row, s.Cell.Col)
				}
				placed[[2]string{s.Cell.Row, s.Cell.Col}]++
			}
		}
		for _, r := range t.Rows {
			for _, c := range r.Cols {
				if n := placed[[2]string{r.Key, c.Key}]; n != 1 {
					bad("%s: value cell %s.%s placed %d times, want once", t.Name, r.Key, c.Key, n)
				}
			}
		}
	}
	cell := func(what, table, row, col string) {
		t := f.Table(table)
		switch {
		case t == nil:
			bad("%s: unknown table %q", what, table)
		case t.Row(row) == nil:
			bad("%s: %s has no row %q", what, t.Name, row)
		case col != "" && t.Row(row).Col(col) == nil:
			bad("%s: %s row %s has no column %q", what, t.Name, row, col)
		}
	}
	for _, rel := range f.Relations {
		what := "relation " + rel.Rule
		t := f.Table(rel.Table)
		if t == nil {
			bad("%s: unknown table %q", what, rel.Table)
			continue
		}
		terms := append(append([]string(nil), rel.Left...), rel.Right...)
		if rel.Per == PerRow {
			rows := rel.Rows
			if rows == nil {
				for _, r := range t.Rows {
					rows = append(rows, r.Key)
				}
			}
			for _, rk := range rows {
				for _, term := range terms {
					cell(what, rel.Table, rk, term)
				}
			}
			continue
		}
		for _, term := range terms {
			cell(what, rel.Table, term, "")
		}
	}
	for _, c := range f.Carries {
		cell("carry "+c.Rule, c.Table, c.Row, "")
		cell("carry "+c.Rule, c.Table, c.PrevRow, "")
	}
	for _, s := range f.Stocks {
		for _, rk := range s.Rows {
			for _, col := range []string{s.Stock, s.In, s.Out} {
				cell("stock "+s.Rule, s.Table, rk, col)
			}
		}
	}
	for _, j := range f.Jumps {
		for _, rk := range j.Rows {
			cell("jump "+j.Rule, j.Table, rk, j.Col)
		}
	}
	return errors.Join(errs...)
}
