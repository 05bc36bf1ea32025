package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

// testRoster is a roster of the fixture agencies 0..n-1 (departments of a
// county) written as CSV, plus extra names.
func testRoster(t *testing.T, n int, extra ...string) *roster.Roster {
	t.Helper()
	names := extra
	for i := range n {
		names = append([]string{fixture.Agency(i)}, names...)
	}
	return rostertest.Read(t, rostertest.Departments(names...)...)
}

func TestBatchRoster(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	for i := range 4 {
		r := fixture.Report(i, 2024)
		if i == 1 {
			r.Meta.Published.Value = "2025-02-03" // late
		}
		writeReport(t, in, fmt.Sprintf("r%d.yaml", i), r)
	}
	writeReport(t, in, "r2-again.yaml", fixture.Report(2, 2024)) // duplicated
	writeReport(t, in, "stranger.yaml", fixture.ReportOf("某某县不在名单局", 2024, 9))
	ros := testRoster(t, 4, "某某县未报局")
	sum, err := Run(Options{Dir: in, Out: out, Jobs: 2, Roster: ros, Today: time.Date(2025, 2, 5, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	res := sum.Roster
	if res == nil || res.Year != 2024 {
		t.Fatalf("roster result %+v", res)
	}
	want := map[roster.State]int{roster.Submitted: 2, roster.Late: 1, roster.Duplicated: 1, roster.Overdue: 1}
	for _, st := range roster.States {
		if res.Count(st) != want[st] {
			t.Errorf("%s: %d, want %d (%s)", st, res.Count(st), want[st], res.Summary())
		}
	}
	if len(res.NotListed) != 1 || res.NotListed[0].File != "stranger.yaml" {
		t.Errorf("not listed %+v", res.NotListed)
	}
	// the stranger's row in the overview says so
	for _, r := range sum.Rows {
		noted := strings.Contains(strings.Join(r.Notes, ""), "不在应报单位名单中")
		if noted != (r.File == "stranger.yaml") {
			t.Errorf("%s: notes %q", r.File, r.Notes)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, OverviewPage))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"应报单位名单核对（2024 年度）", "某某县未报局", string(roster.Overdue), string(roster.Late), "stranger.yaml", schema.RosterFields[0].Label} {
		if !strings.Contains(string(page), w) {
			t.Errorf("overview page lacks %q", w)
		}
	}
	x, err := excelize.OpenFile(filepath.Join(out, OverviewWorkbook))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(RosterSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 1+5+2 || rows[0][1] != schema.RosterFields[0].Label || rows[5][1] != "某某县未报局" || rows[5][6] != string(roster.Overdue) {
		t.Errorf("roster sheet %q", rows)
	}
	if last := rows[len(rows)-1]; last[1] != "某某县不在名单局" || last[8] != "stranger.yaml" {
		t.Errorf("not-listed row %q", last)
	}
	// without a roster: no roster sheet
	out2 := t.TempDir()
	if _, err := Run(Options{Dir: in, Out: out2, Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	x2, _ := excelize.OpenFile(filepath.Join(out2, OverviewWorkbook))
	defer x2.Close()
	if idx, _ := x2.GetSheetIndex(RosterSheet); idx >= 0 {
		t.Error("roster sheet without a roster")
	}
}

func TestSumRoster(t *testing.T) {
	in := t.TempDir()
	for i := range 3 {
		writeReport(t, in, fmt.Sprintf("r%d.yaml", i), fixture.Report(i, 2024))
	}
	opt := SumOptions{Dir: in, Agency: "某某县人民政府", Year: 2024, Roster: testRoster(t, 3)}
	if _, _, err := Sum(opt); err != nil {
		t.Fatalf("complete roster: %v", err)
	}
	// a unit missing: refused, naming it
	opt.Roster = testRoster(t, 3, "某某县未报局")
	_, _, err := Sum(opt)
	var se *SumError
	if !errors.As(err, &se) || len(se.Missing) != 1 || se.Missing[0].Agency() != "某某县未报局" || len(se.Problems) != 0 {
		t.Fatalf("missing unit: %v", err)
	}
	// told to go on: summed, and the sum names the unit left out
	opt.AllowMissing = true
	sum, sources, err := Sum(opt)
	if err != nil || len(sources) != 3 {
		t.Fatalf("allow missing: %v", err)
	}
	text := sum.Narrative[sourcesSection(sum.Format)]
	if len(text) != 2 || !strings.Contains(text[1].Text, "某某县未报局") || !strings.Contains(text[1].Text, "未计入") {
		t.Errorf("sources %v", text)
	}
	// a report not on the roster is refused, even when going on
	writeReport(t, in, "stranger.yaml", fixture.ReportOf("某某县不在名单局", 2024, 9))
	_, _, err = Sum(opt)
	if !errors.As(err, &se) || len(se.Problems) != 1 || !strings.Contains(se.Problems[0], "stranger.yaml：机关名称“某某县不在名单局”不在应报单位名单") {
		t.Errorf("stranger: %v", err)
	}
}
