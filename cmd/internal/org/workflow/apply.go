package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
)

// GateError is a submission refused by the publication gate: the findings
// that block it (errors, and 需说明 warnings not yet fixed or explained).
type GateError struct {
	Blocking []schema.Finding
}

func (e *GateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "报告还有 %d 个问题需要改正或说明，不能提交：", len(e.Blocking))
	for i, f := range e.Blocking {
		if i == 5 {
			fmt.Fprintf(&b, "……")
			break
		}
		fmt.Fprintf(&b, "[%s] %s；", f.Rule, f.Message)
	}
	return strings.TrimSuffix(b.String(), "；")
}

// Gate applies the publishing library's gate (publish.Check, whose
// Blocking is the rule catalogue's) to a report before it is submitted;
// there is no second gate.
func Gate(r *schema.Report, prev *schema.Report) error {
	if b := publish.Check(r, publish.Options{Prev: prev}).Blocking(); len(b) > 0 {
		return &GateError{Blocking: b}
	}
	return nil
}

// ErrNotLatest refuses a submission of a version that is not the latest.
var ErrNotLatest = errors.New("only the latest version can be submitted")

// Apply takes a step of the workflow for an account of role: the step must
// be allowed from the report's current state (Next), a submission must be
// of the latest version and pass the gate (report is that version read
// back; ignored for other actions), and the event is recorded atomically
// with the state it was taken from.
func Apply(ctx context.Context, s *store.Store, a store.Actor, role store.Role, st store.Step, report *schema.Report, prev *schema.Report) (*store.Event, error) {
	if Action(st.Action) == Submit {
		vs, err := s.Versions(ctx, st.UnitID, st.Year)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 || vs[len(vs)-1].ID != st.VersionID {
			return nil, ErrNotLatest
		}
		if report == nil {
			return nil, errors.New("workflow: a submission needs its report")
		}
		if err := Gate(report, prev); err != nil {
			return nil, err
		}
	}
	if Action(st.Action) == Publish && (st.Published == nil || len(st.Published.PDF) == 0) {
		return nil, errors.New("workflow: a publication needs its final PDF")
	}
	return s.Record(ctx, a, st, nextFor(Action(st.Action), role))
}

// StatusOf is the status of a unit's report for a year, from its events.
func StatusOf(ctx context.Context, s *store.Store, unit int64, year int) (Status, error) {
	evs, err := s.Events(ctx, unit, year)
	if err != nil {
		return Status{}, err
	}
	return StatusOfEvents(evs), nil
}

// StatusOfEvents is the status after a report's stored events, in order
// (one unit's share of store.EventsOfYear, say).
func StatusOfEvents(evs []store.Event) Status {
	var out []Event
	for _, e := range evs {
		at, _ := time.Parse(time.RFC3339Nano, e.At)
		out = append(out, Event{Action: Action(e.Action), To: State(e.State), VersionID: e.VersionID, At: at})
	}
	return Replay(out)
}

// Due is the deadline of a year's reports of a scope: the office's own
// (store.SetDeadline), or else the statutory one (schema.Deadlines).
func Due(ctx context.Context, s *store.Store, year int, scope schema.Scope) (time.Time, error) {
	due, err := s.Deadline(ctx, year, string(scope))
	if err != nil {
		return time.Time{}, err
	}
	if due != "" {
		if y, m, d, ok := schema.ParseDate(due); ok {
			return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
		}
	}
	dl := schema.Deadlines[scope]
	return time.Date(year+1, time.Month(dl.Month), dl.Day, 0, 0, 0, 0, time.UTC), nil
}

// SaveVersion stores an upload as the report's next version and saves it
// as a draft in one transaction (the step must be allowed for role from
// the report's state): once it returns the version and its step are on
// disk together, and a crash leaves neither.
func SaveVersion(ctx context.Context, s *store.Store, a store.Actor, role store.Role, up store.Upload) (*store.Version, error) {
	v, _, err := s.AddVersionStep(ctx, a, up, store.Step{Action: string(Save)}, nextFor(Save, role))
	return v, err
}

// nextFor is the store's next-state function of action by role (Next).
func nextFor(action Action, role store.Role) func(string) (string, error) {
	return func(cur string) (string, error) {
		from := State(cur)
		if cur == "" {
			from = NotSubmitted
		}
		to, err := Next(from, action, role)
		return string(to), err
	}
}
