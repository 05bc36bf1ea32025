// Package workflow is the collection server's review workflow as data: the
// states a unit's report for a year goes through (未报 → 草稿 → 待审核 →
// 退回修改 / 已通过 → 已发布), which role may take which step, whether a
// unit is late, and what changed between two review rounds (cells,
// findings fixed, still open and new). It is pure logic over schema
// reports and findings; the store keeps the events, the server asks it.
package workflow

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/schema"
)

// State is where a unit's report for a year stands.
type State string

// The states, in the order of a normal round.
const (
	NotSubmitted State = "未报"
	Draft        State = "草稿"
	Pending      State = "待审核"
	Returned     State = "退回修改"
	Approved     State = "已通过"
	Published    State = "已发布"
)

// States lists the states in order.
var States = []State{NotSubmitted, Draft, Pending, Returned, Approved, Published}

// Action is a step of the workflow.
type Action string

// The actions.
const (
	Save    Action = "保存草稿" // a new version uploaded or saved
	Submit  Action = "提交审核"
	Return  Action = "退回修改"
	Approve Action = "审核通过"
	Publish Action = "标记已发布"
)

// Step is one allowed transition: from a state, an action by one of the
// roles leads to a state.
type Step struct {
	From   []State
	Action Action
	To     State
	Roles  []store.Role
}

// Steps is the workflow, declared once. A unit saves and submits its own
// report; the office's reviewers return or approve it; the unit marks an
// approved report published. Saving a new version of an approved or
// published report reopens it as a draft (and a published one is flagged
// 发布后修改).
var Steps = []Step{
	{From: []State{NotSubmitted, Draft, Returned, Approved, Published}, Action: Save, To: Draft, Roles: []store.Role{store.RoleUnit}},
	{From: []State{Draft}, Action: Submit, To: Pending, Roles: []store.Role{store.RoleUnit}},
	{From: []State{Pending}, Action: Return, To: Returned, Roles: []store.Role{store.RoleReviewer, store.RoleAdmin}},
	{From: []State{Pending}, Action: Approve, To: Approved, Roles: []store.Role{store.RoleReviewer, store.RoleAdmin}},
	{From: []State{Approved}, Action: Publish, To: Published, Roles: []store.Role{store.RoleUnit, store.RoleAdmin}},
}

// Errors of Next.
var (
	ErrNotAllowed = errors.New("action not allowed in this state")
	ErrRole       = errors.New("role may not take this action")
)

// Next is the state after action from state by role, or an error saying
// why the step is not allowed.
func Next(from State, action Action, role store.Role) (State, error) {
	for _, s := range Steps {
		if s.Action != action || !slices.Contains(s.From, from) {
			continue
		}
		if !slices.Contains(s.Roles, role) {
			return from, &refusal{ErrRole, fmt.Sprintf("%s 不能%s", role, action)}
		}
		return s.To, nil
	}
	return from, &refusal{ErrNotAllowed, fmt.Sprintf("%s的报告不能%s", from, action)}
}

// refusal is a step Next refuses: errors.Is its kind (ErrNotAllowed,
// ErrRole), and its message is the Chinese sentence alone, which pages
// show (errtext.Chinese); the kind's English name stays out of it.
type refusal struct {
	kind error
	msg  string
}

func (e *refusal) Error() string   { return e.msg }
func (e *refusal) Unwrap() error   { return e.kind }
func (e *refusal) Chinese() string { return e.msg }

// Actions are the actions role may take in state, in Steps order.
func Actions(state State, role store.Role) []Action {
	var out []Action
	for _, s := range Steps {
		if slices.Contains(s.From, state) && slices.Contains(s.Roles, role) {
			out = append(out, s.Action)
		}
	}
	return out
}

// Event is one step taken, as the store keeps it.
type Event struct {
	Action    Action
	To        State
	VersionID int64
	At        time.Time
}

// Status is where a report stands after its events.
type Status struct {
	State State
	// EditedAfterPublish is set when a version was saved after the
	// report was published (发布后修改).
	EditedAfterPublish bool
	// Reworked is set when a version was saved after the report was
	// returned and the unit has not submitted it again: the state is
	// 草稿 (the unit may submit), but the board still says 退回修改.
	Reworked bool
	// Round is the number of submissions so far (审核轮次).
	Round int
	// Submitted is when the report was first submitted; zero if never.
	Submitted time.Time
}

// Replay is the status after events, in the order they happened.
func Replay(events []Event) Status {
	st := Status{State: NotSubmitted}
	published := false
	for _, e := range events {
		prev := st.State
		st.State = e.To
		st.Reworked = e.Action == Save && (prev == Returned || st.Reworked)
		switch e.Action {
		case Publish:
			published = true
		case Save:
			if published {
				st.EditedAfterPublish = true
			}
		case Submit:
			st.Round++
			if st.Submitted.IsZero() {
				st.Submitted = e.At
			}
		}
	}
	return st
}

// reworkedLabel is how the board shows a returned report the unit has
// changed but not submitted again.
const reworkedLabel = "退回修改（已改，未重新提交）"

// Board is the state the office's board files a report under: 退回修改
// for a returned report changed but not yet resubmitted, else its state.
func (s Status) Board() State {
	if s.Reworked {
		return Returned
	}
	return s.State
}

// Label is the state as the board shows it: a returned report changed
// but not yet resubmitted reads 退回修改（已改，未重新提交）.
func (s Status) Label() string {
	if s.Reworked {
		return reworkedLabel
	}
	return string(s.State)
}

// Late reports whether a report is late on day now: not submitted by the
// deadline, or first submitted after it.
func Late(st Status, deadline, now time.Time) bool {
	end := deadline.Add(24 * time.Hour) // the whole deadline day counts
	if st.Submitted.IsZero() {
		return !now.Before(end)
	}
	return !st.Submitted.Before(end)
}

// CellChange is one table cell that differs between two rounds.
type CellChange struct {
	Table, Row, Col string // declaration keys
	Name            string // the cell named with official labels
	Before, After   string // the values as text ("" = blank)
}

// FindingKey identifies a finding across two versions: its rule, where it
// is in the report (section, and the cell or field it names) and its
// message. Line numbers are left out, as they move when text is edited.
func FindingKey(f schema.Finding) string {
	return f.Rule + "\x00" + f.Section + "\x00" + f.Location.Sheet + "\x00" + f.Location.Cell + "\x00" + f.Message
}

// RoundDiff is what changed from one review round to the next.
type RoundDiff struct {
	Cells []CellChange
	// Fixed are the earlier findings gone; Open the ones still there;
	// New the ones that were not there before.
	Fixed, Open, New []schema.Finding
	// TextChanged lists the narrative sections (keys) whose text changed.
	TextChanged []string
}

// Diff compares two versions of a report and their findings.
func Diff(before, after *schema.Report, fBefore, fAfter []schema.Finding) RoundDiff {
	var d RoundDiff
	f := after.Format
	if f == nil {
		f = schema.Current
	}
	for _, t := range f.Tables {
		for _, row := range t.Rows {
			for _, c := range row.Cols {
				b, a := before.Cell(t.ID, row.Key, c.Key).Text(), after.Cell(t.ID, row.Key, c.Key).Text()
				if b != a {
					d.Cells = append(d.Cells, CellChange{Table: t.ID, Row: row.Key, Col: c.Key, Name: t.CellName(row, c), Before: b, After: a})
				}
			}
		}
	}
	for _, s := range f.Sections {
		if s.Kind != schema.Narrative {
			continue
		}
		if !slices.EqualFunc(before.Narrative[s.Key], after.Narrative[s.Key], func(x, y schema.Block) bool { return x.Kind == y.Kind && x.Text == y.Text }) {
			d.TextChanged = append(d.TextChanged, s.Key)
		}
	}
	was := map[string]int{}
	for _, x := range fBefore {
		was[FindingKey(x)]++
	}
	now := map[string]int{}
	for _, x := range fAfter {
		k := FindingKey(x)
		now[k]++
		if was[k] >= now[k] {
			d.Open = append(d.Open, x)
		} else {
			d.New = append(d.New, x)
		}
	}
	seen := map[string]int{}
	for _, x := range fBefore {
		k := FindingKey(x)
		seen[k]++
		if seen[k] > now[k] {
			d.Fixed = append(d.Fixed, x)
		}
	}
	return d
}
