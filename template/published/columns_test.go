package published

import (
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// geoLine is a PDF line made of words at the given x-positions.
func geoLine(n int, words ...any) line {
	l := line{n: n}
	var texts []string
	for i := 0; i+2 < len(words)+1; i += 3 {
		w := pword{text: words[i].(string), x0: words[i+1].(float64), x1: words[i+2].(float64), vl: n}
		w.runs = []span{{x0: w.x0, x1: w.x1, text: w.text}}
		l.geo = append(l.geo, w)
		texts = append(texts, w.text)
	}
	l.text = strings.Join(texts, "\t")
	return l
}

// TestColumnsStraddle: in a table without borders, a figure that sits
// across the border of two header columns is not put in either: it is an
// IMPORT finding at its page and line, and its cell stays blank; the other
// figures, a blank cell among them, stay in the columns they sit under.
func TestColumnsStraddle(t *testing.T) {
	sec := schema.Format2021.Section("active")
	t2 := schema.Format2021.Table("t2")
	rows := t2.Rows
	item := t2.Layout[0][0].Text // 第二十条第（一）项
	hdr := t2.Layout[1]          // 信息内容 and the three columns
	ls := []line{
		geoLine(30001, item, 250.0, 345.0),
		geoLine(30002, hdr[0].Text, 100.0, 140.0, hdr[1].Text, 200.0, 260.0, hdr[2].Text, 300.0, 360.0, hdr[3].Text, 400.0, 460.0),
		// 5 across the border of the first two columns (at 280)
		geoLine(30003, rows[0].Label, 80.0, 101.0, "5", 274.0, 290.0, "7", 425.0, 435.0),
		// the middle cell blank
		geoLine(30004, rows[1].Label, 80.0, 150.0, "1", 225.0, 235.0, "9", 425.0, 435.0),
	}
	rd := &reader{name: "t.pdf", pdf: true, sec: sec.Key}
	res, _ := rd.tableSection(sec, ls, schema.Location{})
	if res == nil {
		t.Fatal("no table read")
	}
	got := func(r, c int) string {
		v := res.data.Values[r][c]
		if v.IsBlank() {
			return "blank"
		}
		return v.Raw
	}
	want := [][]string{{"blank", "blank", "7"}, {"1", "blank", "9"}}
	for r, ws := range want {
		for c, w := range ws {
			if g := got(r, c); g != w {
				t.Errorf("%s %s = %s, want %s", rows[r].Label, rows[r].Cols[c].Label, g, w)
			}
		}
	}
	var straddles []schema.Finding
	for _, f := range res.issues {
		t.Logf("%s %s %s", f.Rule, f.Location, f.Message)
		if f.Rule == RuleImport && strings.Contains(f.Message, "“5”") {
			straddles = append(straddles, f)
		}
	}
	if len(straddles) != 1 || straddles[0].Location.Page != 3 || straddles[0].Location.Line != 3 ||
		!strings.Contains(straddles[0].Message, hdr[1].Text) || !strings.Contains(straddles[0].Message, hdr[2].Text) {
		t.Errorf("want one IMPORT finding for 5 at page 3 line 3 naming both columns, got %v", straddles)
	}
}
