package template

import (
	"os"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

func readExample(t *testing.T, name string) *schema.Report {
	t.Helper()
	data, err := os.ReadFile("../examples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestToType: next year's template from 城南 2024 lists 发布日期 to type,
// every section's text to rewrite, and every blank cell the sheet does not
// compute — not the 上年结转 cells FromPrevious filled, nor the totals; a
// carry-over cell last year left blank is listed with CarryGaps' reason.
func TestToType(t *testing.T) {
	prev := readExample(t, "chengnan-scjg-2024.yaml")
	next := FromPrevious(prev, 2025)
	todo := ToType(next)
	groups := map[string]Todo{}
	var order []string
	for _, g := range todo {
		groups[g.Group] = g
		order = append(order, g.Group)
		if len(g.Items) == 0 {
			t.Errorf("%s: an empty group", g.Group)
		}
	}
	if order[0] != "基本信息" {
		t.Errorf("groups %v: 基本信息 first", order)
	}
	meta := groups["基本信息"]
	if len(meta.Items) != 1 || meta.Items[0].Key != "published" || meta.Items[0].Label != "发布日期" {
		t.Errorf("基本信息: %+v, want only 发布日期", meta.Items)
	}
	f := next.Format
	cells := map[string]TodoCell{}
	for _, g := range todo {
		for _, it := range g.Items {
			for _, c := range it.Cells {
				cells[c.Key] = c
			}
		}
	}
	for _, tb := range f.Tables {
		computed := map[[2]int]bool{}
		for _, c := range f.Computed(tb) {
			computed[[2]int{c.Row, c.Col}] = true
		}
		for i, row := range tb.Rows {
			for j, col := range row.Cols {
				key := schema.CellKey(tb.ID, row.Key, col.Key)
				v := next.Tables[tb.ID].At(i, j)
				_, listed := cells[key]
				if want := !computed[[2]int{i, j}] && v.IsBlank(); listed != want {
					t.Errorf("%s (%s): listed %v, want %v", key, tb.CellName(row, col), listed, want)
				}
			}
		}
	}
	if c, ok := cells["t3.carried_over.natural"]; ok {
		t.Errorf("the carried-over 上年结转 of 自然人 is listed: %+v", c)
	}
	if c := cells["t2.normative.valid"]; !strings.Contains(c.Note, "本年应为") {
		t.Errorf("现行有效件数 without last year's figure: %+v", c)
	}
	for _, s := range f.Sections {
		if s.Kind == schema.Narrative {
			g, ok := groups[s.Heading()]
			if !ok || !strings.Contains(g.Items[0].Note, "沿用上年") {
				t.Errorf("%s: %+v", s.Heading(), g)
			}
		}
	}

	// a carry-over cell left blank last year: listed with the reason
	*prev.Tables["t3"].Cell("carried_forward", "natural") = schema.Value{}
	next = FromPrevious(prev, 2025)
	gaps := CarryGaps(next)
	var found *TodoCell
	for _, g := range ToType(next) {
		for _, it := range g.Items {
			for _, c := range it.Cells {
				if c.Carry {
					found = &c
				}
			}
		}
	}
	if len(gaps) != 1 || found == nil || found.Key != "t3.carried_over.natural" || !strings.HasSuffix(gaps[0], found.Note) {
		t.Errorf("carry gap %v, listed %+v", gaps, found)
	}

	// a blank template: every required field but the two given, every
	// section to write
	blank := ToType(Blank("某局", 2025))
	if blank[0].Group != "基本信息" || len(blank[0].Items) != 4 {
		t.Errorf("blank template's 基本信息: %+v", blank[0].Items)
	}
}
