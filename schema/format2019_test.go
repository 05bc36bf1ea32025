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
	// the layout: Validate (TestFormatsValid) places every value cell once
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
