package workflow

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

func TestNext(t *testing.T) {
	unit, rev, admin := store.RoleUnit, store.RoleReviewer, store.RoleAdmin
	for _, tt := range []struct {
		from   State
		action Action
		role   store.Role
		want   State
		err    error
	}{
		{NotSubmitted, Save, unit, Draft, nil},
		{Draft, Submit, unit, Pending, nil},
		{Pending, Return, rev, Returned, nil},
		{Returned, Save, unit, Draft, nil},
		{Pending, Approve, admin, Approved, nil},
		{Approved, Publish, unit, Published, nil},
		{Published, Save, unit, Draft, nil},
		{NotSubmitted, Submit, unit, NotSubmitted, ErrNotAllowed}, // nothing to submit
		{Returned, Submit, unit, Returned, ErrNotAllowed},         // fix first: a new version
		{Pending, Approve, unit, Pending, ErrRole},                // a unit never approves itself
		{Pending, Save, unit, Pending, ErrNotAllowed},             // under review: no change
		{Draft, Save, rev, Draft, ErrRole},                        // reviewers do not edit reports
		{Draft, Approve, rev, Draft, ErrNotAllowed},
		{Approved, Return, rev, Approved, ErrNotAllowed},
	} {
		got, err := Next(tt.from, tt.action, tt.role)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%s %s by %s: %s %v, want %s %v", tt.from, tt.action, tt.role, got, err, tt.want, tt.err)
		}
	}
	if got := Actions(Pending, rev); !slices.Equal(got, []Action{Return, Approve}) {
		t.Errorf("reviewer's actions on a pending report: %v", got)
	}
	if got := Actions(Pending, unit); len(got) != 0 {
		t.Errorf("unit's actions on a pending report: %v", got)
	}
	// every state but 未报 is reached by some step, and every step leads
	// from a declared state
	for _, st := range States[1:] {
		if !slices.ContainsFunc(Steps, func(s Step) bool { return s.To == st }) {
			t.Errorf("no step leads to %s", st)
		}
	}
}

func TestReplayAndLate(t *testing.T) {
	day := func(m, d int) time.Time { return time.Date(2025, time.Month(m), d, 10, 0, 0, 0, time.UTC) }
	events := []Event{
		{Action: Save, To: Draft, At: day(1, 20)},
		{Action: Submit, To: Pending, At: day(1, 25)},
		{Action: Return, To: Returned, At: day(1, 26)},
		{Action: Save, To: Draft, At: day(1, 27)},
		{Action: Submit, To: Pending, At: day(2, 3)},
		{Action: Approve, To: Approved, At: day(2, 4)},
	}
	st := Replay(events)
	if st.State != Approved || st.Round != 2 || !st.Submitted.Equal(day(1, 25)) || st.EditedAfterPublish {
		t.Errorf("status %+v", st)
	}
	deadline := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	if Late(st, deadline, day(3, 1)) {
		t.Error("first submitted before the deadline, yet late")
	}
	if !Late(Replay(events[4:]), deadline, day(3, 1)) {
		t.Error("first submitted after the deadline, yet not late")
	}
	if Late(Status{State: NotSubmitted}, deadline, time.Date(2025, 1, 31, 23, 0, 0, 0, time.UTC)) {
		t.Error("nothing yet on the deadline day: not late yet")
	}
	if !Late(Status{State: NotSubmitted}, deadline, day(2, 1)) {
		t.Error("nothing after the deadline: late")
	}
	pub := append(events, Event{Action: Publish, To: Published, At: day(2, 5)})
	if st := Replay(pub); st.State != Published || st.EditedAfterPublish {
		t.Errorf("published %+v", st)
	}
	if st := Replay(append(pub, Event{Action: Save, To: Draft, At: day(3, 1)})); !st.EditedAfterPublish || st.State != Draft {
		t.Errorf("edited after publication %+v", st)
	}
	// changed after the return, not resubmitted: filed under 退回修改 on
	// the board until the unit submits again; not after a reopening
	for n, want := range map[int]bool{3: false, 4: true, 5: false, 6: false} {
		st := Replay(events[:n])
		if st.Reworked != want || want && (st.State != Draft || st.Board() != Returned || st.Label() != "退回修改（已改，未重新提交）") {
			t.Errorf("after %d events: %+v, board %s %s", n, st, st.Board(), st.Label())
		}
	}
	twice := append(append([]Event{}, events[:4]...), Event{Action: Save, To: Draft, At: day(1, 28)})
	if st := Replay(twice); !st.Reworked {
		t.Errorf("saved twice after the return: %+v", st)
	}
	if st := Replay(append(pub, Event{Action: Save, To: Draft, At: day(3, 1)})); st.Reworked || st.Board() != Draft || st.Label() != "草稿" {
		t.Errorf("reopened after publication %+v", st)
	}
}

func TestDiff(t *testing.T) {
	before, err := template.Open("../../../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	after, _ := template.Open("../../../../examples/chengnan-scjg-2024.yaml")
	// round 2: one cell changed (breaking a total), one paragraph edited
	v := after.Cell("t3", "received", "natural")
	old := v.Text()
	n, _ := v.Num.Add(schema.Int(1))
	v.SetNumber(n)
	after.Narrative["overview"][0].Text += "（修改）"
	fb, fa := check.Run(before, check.Options{}), check.Run(after, check.Options{})
	d := Diff(before, after, fb, fa)
	if len(d.Cells) != 1 || d.Cells[0].Row != "received" || d.Cells[0].Before != old || d.Cells[0].After == old {
		t.Fatalf("cells %+v", d.Cells)
	}
	if d.Cells[0].Name != schema.Current.Table("t3").CellName(schema.Current.Table("t3").Row("received"), schema.Current.Table("t3").Row("received").Col("natural")) {
		t.Errorf("cell name %q", d.Cells[0].Name)
	}
	if !slices.Equal(d.TextChanged, []string{"overview"}) {
		t.Errorf("text changed %v", d.TextChanged)
	}
	if len(d.New) == 0 || len(d.Fixed) != 0 || len(d.Open) != len(fb) {
		t.Errorf("findings: new %d fixed %d open %d (before %d)", len(d.New), len(d.Fixed), len(d.Open), len(fb))
	}
	// round 3 undoes it: the new findings are fixed
	back := Diff(after, before, fa, fb)
	if len(back.Fixed) != len(d.New) || len(back.New) != 0 {
		t.Errorf("undo: fixed %d new %d", len(back.Fixed), len(back.New))
	}
}
