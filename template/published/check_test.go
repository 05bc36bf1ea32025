package published_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/published"
)

// TestSeedsCheck imports each seed and runs the checker: the real problems
// of the real reports must be found from the imported text and figures.
func TestSeedsCheck(t *testing.T) {
	type want struct {
		rule    string
		section string
		line    int    // 0: any
		message string // a part of the message
	}
	tests := []struct {
		id    string
		wants []want
		not   []string // rules that must not fire
	}{
		{"000", []want{
			{"TEXT-STALE", "", 2, "2020j"},
			{"TEXT-STALE", "", 1, "〔2019〕60号"},
			{"TEXT-FEE", "other", 0, ""},
		}, []string{"IMPORT", "OLD-FORMAT", "TABLE-MISSING", "T3-ROW", "T3-RESULT", "T3-BALANCE", "T4-TOTAL", "CELL-EMPTY"}},
		{"001", []want{
			{"OLD-FORMAT", "", 12, ""},
			{"TEXT-NUMBER", "overview", 7, "15"},
		}, []string{"IMPORT", "TABLE-MISSING"}},
		{"002", nil, []string{"IMPORT", "OLD-FORMAT", "TABLE-MISSING", "CELL-EMPTY", "T3-ROW", "T4-TOTAL", "HEADING"}},
		{"003", []want{
			{"HEADING", "other", 656, "（二）"},
		}, []string{"IMPORT", "OLD-FORMAT", "TABLE-MISSING", "CELL-EMPTY", "T3-ROW", "T4-TOTAL"}},
		{"004", []want{
			{"TABLE-MISSING", "active", 26, ""},
			{"TABLE-MISSING", "requests", 28, ""},
			{"TABLE-MISSING", "appeals", 31, ""},
		}, []string{"IMPORT", "OLD-FORMAT"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			name := filepath.Join("testdata", "seeds", tt.id+".txt")
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := published.ReadText(name, data)
			if err != nil {
				t.Fatal(err)
			}
			fs := check.Run(rep, check.Options{})
			dump := func() {
				for _, f := range fs {
					t.Logf("  %s %s [%s] %s", f.Rule, f.Location, f.Section, f.Message)
				}
			}
			for _, w := range tt.wants {
				found := false
				for _, f := range fs {
					if f.Rule == w.rule && (w.section == "" || f.Section == w.section) &&
						(w.line == 0 || f.Location.Line == w.line) && strings.Contains(f.Message, w.message) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s finding (section %q, line %d, %q)", w.rule, w.section, w.line, w.message)
					dump()
				}
			}
			for _, f := range fs {
				for _, r := range tt.not {
					if f.Rule == r {
						t.Errorf("unexpected %s %s: %s", f.Rule, f.Location, f.Message)
					}
				}
			}
		})
	}
}

// TestLayoutsCheck: every layout fixture of a seed gives the checker the
// same findings (by rule) as the seed itself, apart from the digits split
// by arithmetic in the run-together layout.
func TestLayoutsCheck(t *testing.T) {
	count := func(path string) map[string]int {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := template.Read(path, data)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]int{}
		for _, f := range check.Run(rep, check.Options{}) {
			if f.Rule != published.RuleImportSplit {
				m[f.Rule]++
			}
		}
		return m
	}
	files, err := filepath.Glob(filepath.Join("testdata", "layouts", "*"))
	if err != nil || len(files) < 40 {
		t.Fatalf("layout fixtures: %d, %v", len(files), err)
	}
	seedFindings := map[string]map[string]int{}
	for _, f := range files {
		id := filepath.Base(f)[:3]
		if seedFindings[id] == nil {
			seedFindings[id] = count(filepath.Join("testdata", "seeds", id+".txt"))
		}
		got, want := count(f), seedFindings[id]
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: findings %v, seed %v", f, got, want)
		}
	}
}
