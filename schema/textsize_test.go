package schema

import (
	"errors"
	"strings"
	"testing"
)

// TestTextBudget: the budget counts characters (not bytes) every time text
// is added, and refuses the first addition that goes over.
func TestTextBudget(t *testing.T) {
	var b TextBudget
	if !b.Add(strings.Repeat("字", MaxText)) {
		t.Fatal("exactly MaxText characters refused")
	}
	if b.Used() != MaxText {
		t.Errorf("Used() = %d, want %d (characters, not bytes)", b.Used(), MaxText)
	}
	if b.Add("x") {
		t.Error("one character over MaxText accepted")
	}
	// the same short string added again and again counts every time
	var c TextBudget
	s := strings.Repeat("a", 1000)
	n := 0
	for c.Add(s) {
		n++
	}
	if n != MaxText/1000 {
		t.Errorf("accepted %d additions of 1000 characters, want %d", n, MaxText/1000)
	}
}

// TestCheckText: a report over the total cap, or with one paragraph over
// the paragraph cap, is refused with a Chinese error wrapping ErrUnusable
// that says where; a normal report passes.
func TestCheckText(t *testing.T) {
	base := func() *Report {
		r := NewReport(nil)
		r.Meta.Agency.Value = "某某局"
		r.Narrative["overview"] = []Block{{Text: "本年度工作有序推进。"}}
		return r
	}
	if err := base().CheckText(); err != nil {
		t.Fatalf("a normal report refused: %v", err)
	}
	long := strings.Repeat("长", MaxParagraph+1)
	tests := []struct {
		name string
		mod  func(r *Report)
		want string
	}{
		{"one long paragraph", func(r *Report) {
			r.Narrative["problems"] = []Block{{Text: long, Loc: Location{File: "a.yaml", Line: 40, Col: 5}}}
		}, "a.yaml:40:5"},
		{"long agency name", func(r *Report) { r.Meta.Agency.Value = long }, "过长"},
		{"many paragraphs", func(r *Report) {
			for range 11 {
				r.Narrative["other"] = append(r.Narrative["other"], Block{Text: strings.Repeat("多", MaxParagraph)})
			}
		}, "文字过多"},
		{"amplified raw cells", func(r *Report) {
			d := NewTableData(r.Format.Table("t3"))
			for i := range d.Values {
				for j := range d.Values[i] {
					d.Values[i][j] = Value{State: Invalid, Raw: strings.Repeat("无", 20000)}
				}
			}
			r.Tables["t3"] = d
		}, "文字过多"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.mod(r)
			err := r.CheckText()
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want ErrUnusable containing %q", err, tt.want)
			}
		})
	}
	// a paragraph of the cap split by line breaks is several printed paragraphs
	r := base()
	r.Narrative["other"] = []Block{{Text: strings.Repeat("段", MaxParagraph) + "\n" + strings.Repeat("段", MaxParagraph)}}
	if err := r.CheckText(); err != nil {
		t.Errorf("two paragraphs of the cap in one block refused: %v", err)
	}
}
