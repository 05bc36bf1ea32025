package schematest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// Real is one of the real published reports in
// template/published/testdata/real (a copy of ../shared/real-reports):
// crawler text, with every cell read by hand in truth.json.
type Real struct {
	Name string // the file name
	// Report holds the hand-read tables (truth.json), the year and the
	// agency, and the narrative sections cut out of the text by their
	// headings, one block per sub-heading ((一), (二) …) — what a perfect
	// importer would give, so the text rules can be tried on real prose.
	Report *schema.Report
}

// RealDir is the folder of the real reports.
func RealDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "template", "published", "testdata", "real")
}

// RealReports reads the real reports.
func RealReports(t testing.TB) []Real {
	t.Helper()
	dir := RealDir()
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatalf("real reports: %v", err)
	}
	var truth map[string]json.RawMessage
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range truth {
		if k != "_about" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Real
	for _, k := range keys {
		var e struct {
			File     string
			Agency   string
			Year     int
			Format   string
			Active   map[string]json.RawMessage
			Requests map[string][]*float64
			Appeals  map[string][]*float64
		}
		if err := json.Unmarshal(truth[k], &e); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		text, err := os.ReadFile(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		r := schema.NewReport(nil)
		r.Source = e.File
		r.Meta.Agency.Value = e.Agency
		if e.Year > 0 {
			r.Meta.Year.Value = strconv.Itoa(e.Year)
		}
		if e.Format == "2021" {
			fillTables(r, e.Active, e.Requests, e.Appeals)
		}
		cutNarrative(r, string(text))
		out = append(out, Real{Name: e.File, Report: r})
	}
	return out
}

func fillTables(r *schema.Report, active map[string]json.RawMessage, requests, appeals map[string][]*float64) {
	set := func(v *schema.Value, f *float64) {
		if f == nil {
			return
		}
		n, err := schema.ParseNumber(strconv.FormatFloat(*f, 'f', -1, 64), schema.Amount)
		if err == nil {
			*v = n
		}
	}
	rows := func(id string, m map[string][]*float64) {
		if m == nil {
			return
		}
		t := r.Format.Table(id)
		d := schema.NewTableData(t)
		for i, row := range t.Rows {
			for j, f := range m[row.Key] {
				if j < len(row.Cols) {
					set(&d.Values[i][j], f)
				}
			}
		}
		r.Tables[id] = d
	}
	rows("t3", requests)
	rows("t4", appeals)
	if active != nil {
		t := r.Format.Table("t2")
		d := schema.NewTableData(t)
		for i, row := range t.Rows {
			raw := active[row.Key]
			var list []*float64
			var one *float64
			if json.Unmarshal(raw, &list) != nil {
				if json.Unmarshal(raw, &one) == nil {
					list = []*float64{one}
				}
			}
			for j, f := range list {
				if j < len(row.Cols) {
					set(&d.Values[i][j], f)
				}
			}
		}
		r.Tables["t2"] = d
	}
}

var subHeading = regexp.MustCompile(`[（(][一二三四五六七八九十]{1,3}[）)]`)

// cutNarrative finds the six main headings in the text in order and puts
// the text of the narrative sections (and the intro before 一) into r, one
// block per sub-heading.
func cutNarrative(r *schema.Report, text string) {
	if i := strings.Index(text, "==== 正文 ===================="); i >= 0 {
		text = text[i:]
		text = text[strings.IndexByte(text, '\n')+1:]
	}
	type cut struct{ start, end int } // heading start, text start
	cuts := make([]cut, len(r.Format.Sections))
	pos := 0
	for i, s := range r.Format.Sections {
		cuts[i] = cut{-1, -1}
		titles := append([]string{s.Title}, s.Aliases...)
		if s.Key == "problems" {
			titles = append(titles, "存在的主要问题及明年工作计划")
		}
		best := -1
		bestEnd := -1
		for _, ti := range titles {
			for _, h := range []string{s.Number + "、" + ti, "（" + s.Number + "）" + ti} {
				if j := strings.Index(text[pos:], h); j >= 0 && (best < 0 || pos+j < best) {
					best, bestEnd = pos+j, pos+j+len(h)
				}
			}
		}
		if best >= 0 {
			cuts[i] = cut{best, bestEnd}
			pos = bestEnd
		}
	}
	next := func(i int) int {
		for k := i + 1; k < len(cuts); k++ {
			if cuts[k].start >= 0 {
				return cuts[k].start
			}
		}
		// the signature: the last lines of the text are not the section's
		return len(text)
	}
	first := len(text)
	for _, c := range cuts {
		if c.start >= 0 {
			first = c.start
			break
		}
	}
	blocks := func(s string) []schema.Block {
		var out []schema.Block
		idx := subHeading.FindAllStringIndex(s, -1)
		starts := []int{0}
		for _, m := range idx {
			starts = append(starts, m[0])
		}
		starts = append(starts, len(s))
		for k := 0; k+1 < len(starts); k++ {
			p := strings.TrimSpace(strings.ReplaceAll(s[starts[k]:starts[k+1]], "\n", ""))
			if p != "" {
				out = append(out, schema.Block{Kind: schema.Paragraph, Text: p, Loc: schema.Location{File: r.Source, Line: 1}})
			}
		}
		return out
	}
	intro := text[:first]
	// the crawler runs the title into the first paragraph
	if i := strings.Index(intro, "年度报告 "); i >= 0 && i < 200 {
		intro = intro[i+len("年度报告 "):]
	}
	r.Intro = blocks(intro)
	for i, s := range r.Format.Sections {
		if cuts[i].start < 0 {
			continue
		}
		r.SectionLoc[s.Key] = schema.Location{File: r.Source, Line: 1}
		if s.Kind == schema.Narrative {
			r.Narrative[s.Key] = blocks(text[cuts[i].end:next(i)])
		}
	}
}
