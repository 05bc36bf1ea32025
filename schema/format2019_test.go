package schema

import "testing"

func TestFormat2019(t *testing.T) {
	f := Format2019
	if got := f.Table("t3").CellCount(); got != 23*7 {
		t.Errorf("2019 表三 cells = %d, want %d", got, 23*7)
	}
	if got := f.Table("t2").CellCount(); got != 3+3+3+3+3+3+2+2 {
		t.Errorf("2019 表二 cells = %d", got)
	}
	if got := f.Table("t4").CellCount(); got != 15 {
		t.Errorf("2019 表四 cells = %d", got)
	}
	// every layout grid is rectangular and every value cell names a row and column
	for _, tb := range f.Tables {
		w := tb.Width()
		occupied := make([][]bool, len(tb.Layout))
		for i := range occupied {
			occupied[i] = make([]bool, w)
		}
		seen := map[string]bool{}
		for i, row := range tb.Layout {
			j := 0
			for _, c := range row {
				for j < w && occupied[i][j] {
					j++
				}
				cs, rs := c.Span()
				for di := 0; di < rs; di++ {
					for dj := 0; dj < cs; dj++ {
						if i+di >= len(occupied) || j+dj >= w || occupied[i+di][j+dj] {
							t.Fatalf("%s layout row %d: cell %q overlaps or overflows", tb.Name, i, c.Text)
						}
						occupied[i+di][j+dj] = true
					}
				}
				j += cs
				if c.IsValue() {
					r := tb.Row(c.Row)
					if r == nil || r.Col(c.Col) == nil {
						t.Errorf("%s: value cell %s.%s not declared", tb.Name, c.Row, c.Col)
					}
					seen[c.Row+"."+c.Col] = true
				}
			}
			for j := range occupied[i] {
				if !occupied[i][j] {
					t.Errorf("%s layout row %d: column %d empty", tb.Name, i, j)
				}
			}
		}
		if len(seen) != tb.CellCount() {
			t.Errorf("%s: layout has %d value cells, rows declare %d", tb.Name, len(seen), tb.CellCount())
		}
	}
}

func TestMap2019(t *testing.T) {
	n := 0
	for _, tb := range Format2019.Tables {
		for _, r := range tb.Rows {
			for _, c := range r.Cols {
				if _, _, _, ok := Map2019.Target(tb.ID, r.Key, c.Key); ok {
					n++
				}
			}
		}
	}
	if want := 22*7 + 15; n != want {
		t.Errorf("mapped cells = %d, want %d (表三 apart from （六）, 表四)", n, want)
	}
	if _, _, _, ok := Map2019.Target("t3", "other", "total"); ok {
		t.Error("（六）其他处理 must not map")
	}
	if _, _, _, ok := Map2019.Target("t2", "licensing", "decisions"); ok {
		t.Error("表二 must not map")
	}
}
