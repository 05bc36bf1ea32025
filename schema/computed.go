package schema

import (
	"cmp"
	"slices"
)

// Computed is a cell that a form fills itself, as the workbook does with a
// formula: the sum of its terms (blank terms count as nothing; all blank is
// blank). The workbook's formulas and the web form's live totals both come
// from Format.Computed, so they never disagree.
type Computed struct {
	Row, Col int      // the cell: an index into Table.Rows and one into that row's Cols
	Terms    [][2]int // the parts, (row index, column index), in the relation's order
	Rule     string   // the rule of the relation that defines the cell
}

// Computed lists the computed cells of table t, derived from the format's
// relations: a relation whose left side is one term defines that term as
// the sum of its right side (the terms that exist in its row or column).
// The first relation that defines a cell wins; a relation with no terms,
// or one that would sum the cell into itself, defines nothing. The list is
// in evaluation order: by position, except that a cell comes after every
// computed cell it sums; cells caught in a cycle (a broken declaration) are
// left out, so they stay inputs.
func (f *Format) Computed(t *Table) []Computed {
	byCell := map[[2]int]Computed{}
	add := func(c Computed) {
		cell := [2]int{c.Row, c.Col}
		if _, ok := byCell[cell]; ok || len(c.Terms) == 0 || slices.Contains(c.Terms, cell) {
			return
		}
		byCell[cell] = c
	}
	for _, rel := range f.Relations {
		if rel.Table != t.ID || len(rel.Left) != 1 {
			continue
		}
		switch rel.Per {
		case PerRow:
			for ri, row := range t.Rows {
				if rel.Rows != nil && !slices.Contains(rel.Rows, row.Key) {
					continue
				}
				li := row.ColIndex(rel.Left[0])
				if li < 0 {
					continue
				}
				c := Computed{Row: ri, Col: li, Rule: rel.Rule}
				for _, key := range rel.Right {
					if ci := row.ColIndex(key); ci >= 0 {
						c.Terms = append(c.Terms, [2]int{ri, ci})
					}
				}
				add(c)
			}
		case PerColumn:
			li := t.RowIndex(rel.Left[0])
			if li < 0 {
				continue
			}
			for ci, col := range t.Rows[li].Cols {
				c := Computed{Row: li, Col: ci, Rule: rel.Rule}
				for _, key := range rel.Right {
					if ri := t.RowIndex(key); ri >= 0 {
						if cj := t.Rows[ri].ColIndex(col.Key); cj >= 0 {
							c.Terms = append(c.Terms, [2]int{ri, cj})
						}
					}
				}
				add(c)
			}
		}
	}
	keys := make([][2]int, 0, len(byCell))
	for k := range byCell {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) })
	out := make([]Computed, 0, len(keys))
	done := map[[2]int]bool{}
	for len(out) < len(keys) {
		progress := false
		for _, k := range keys {
			if done[k] {
				continue
			}
			ready := true
			for _, term := range byCell[k].Terms {
				if _, computed := byCell[term]; computed && !done[term] {
					ready = false
				}
			}
			if ready {
				done[k], progress = true, true
				out = append(out, byCell[k])
			}
		}
		if !progress { // a cycle: the rest stay inputs
			break
		}
	}
	return out
}
