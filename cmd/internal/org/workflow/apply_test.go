package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

const example = "../../../../examples/chengnan-scjg-2024.yaml"

// round is a unit's report in the store, as the server keeps it.
type round struct {
	t     *testing.T
	s     *store.Store
	unit  int64
	unitA store.Actor
	revA  store.Actor
}

func newRound(t *testing.T, kind string) *round {
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.DSN(t, kind))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r := rostertest.Read(t, rostertest.Department("城南县市场监督管理局"))
	s.ImportRoster(ctx, store.Actor{Name: "命令行"}, r)
	us, _ := s.Units(ctx)
	u, _, _ := s.CreateAccount(ctx, store.Actor{}, "scjg", "", store.RoleUnit, us[0].ID)
	rv, _, _ := s.CreateAccount(ctx, store.Actor{}, "rev", "", store.RoleReviewer, 0)
	return &round{t: t, s: s, unit: us[0].ID, unitA: store.Actor{AccountID: u.ID, Name: "scjg"}, revA: store.Actor{AccountID: rv.ID, Name: "rev"}}
}

// upload stores a version of the report and records the save.
func (r *round) upload(rep *schema.Report, data []byte) *store.Version {
	r.t.Helper()
	ctx := context.Background()
	fs := check.Run(rep, check.Options{})
	js, _ := json.Marshal(fs)
	e, w := check.Count(fs)
	v, err := r.s.AddVersion(ctx, r.unitA, store.Upload{UnitID: r.unit, Year: 2024, File: store.File{Name: "报告.yaml", Data: data}, Findings: string(js), Errors: e, Warnings: w})
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Save), VersionID: v.ID}, nil, nil); err != nil {
		r.t.Fatal(err)
	}
	return v
}

func (r *round) state() Status {
	st, err := StatusOf(context.Background(), r.s, r.unit, 2024)
	if err != nil {
		r.t.Fatal(err)
	}
	return st
}

func TestWholeRound(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			r := newRound(t, kind)
			data, _ := os.ReadFile(example)
			good, _ := template.Read("报告.yaml", data)
			bad, _ := template.Read("报告.yaml", data)
			bad.Cell("t3", "received", "natural").SetNumber(schema.Int(999))
			if st := r.state(); st.State != NotSubmitted {
				t.Fatalf("start %s", st.State)
			}
			// a version with errors is saved but cannot be submitted
			v1 := r.upload(bad, []byte("bad"))
			_, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Submit), VersionID: v1.ID}, bad, nil)
			var ge *GateError
			if !errors.As(err, &ge) || len(ge.Blocking) == 0 || !strings.Contains(err.Error(), "不能提交") {
				t.Fatalf("submitting a report with errors: %v", err)
			}
			// fixed: submitted
			v2 := r.upload(good, data)
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Submit), VersionID: v1.ID}, good, nil); !errors.Is(err, ErrNotLatest) {
				t.Errorf("submitting an old version: %v", err)
			}
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Submit), VersionID: v2.ID}, good, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Approve), VersionID: v2.ID}, nil, nil); !errors.Is(err, ErrRole) {
				t.Errorf("a unit approving itself: %v", err)
			}
			// returned with a comment on a cell
			key := schema.CellKey("t3", "received", "natural")
			ev, err := Apply(ctx, r.s, r.revA, store.RoleReviewer, store.Step{UnitID: r.unit, Year: 2024, Action: string(Return), VersionID: v2.ID,
				Comments: []store.Comment{{Target: key, Text: "请核实自然人申请数"}}}, nil, nil)
			if err != nil || ev.State != string(Returned) {
				t.Fatalf("return: %+v %v", ev, err)
			}
			cs, _ := r.s.Comments(ctx, r.unit, 2024)
			if len(cs) != 1 || cs[0].Target != key {
				t.Fatalf("comments %+v", cs)
			}
			// fixed, the comment answered, submitted again, approved
			v3 := r.upload(good, append(data, '\n'))
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Submit), VersionID: v3.ID,
				Comments: []store.Comment{{Target: key, Text: "已核实", Answers: cs[0].ID}}}, good, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := Apply(ctx, r.s, r.revA, store.RoleReviewer, store.Step{UnitID: r.unit, Year: 2024, Action: string(Approve), VersionID: v3.ID}, nil, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Publish), VersionID: v3.ID}, nil, nil); err == nil {
				t.Error("published without the final PDF")
			}
			pdf := []byte("%PDF-1.7 final")
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Publish), VersionID: v3.ID,
				Published: &store.Publication{PDF: pdf, PublishedOn: "2025-01-28"}}, nil, nil); err != nil {
				t.Fatal(err)
			}
			st := r.state()
			if st.State != Published || st.Round != 2 || st.EditedAfterPublish {
				t.Errorf("after publication %+v", st)
			}
			ps, _ := r.s.Publications(ctx, r.unit, 2024)
			if len(ps) != 1 || ps[0].PDFSHA256 != store.Sum(pdf) || ps[0].PublishedOn != "2025-01-28" || ps[0].VersionID != v3.ID {
				t.Errorf("publications %+v", ps)
			}
			if got, err := r.s.Blob(ctx, ps[0].PDFSHA256); err != nil || string(got) != string(pdf) {
				t.Errorf("final PDF %q %v", got, err)
			}
			// changed after publication: flagged
			r.upload(good, append(data, '\n', '\n'))
			if st := r.state(); !st.EditedAfterPublish || st.State != Draft {
				t.Errorf("edited after publication %+v", st)
			}
			// every round kept
			evs, _ := r.s.Events(ctx, r.unit, 2024)
			var acts []string
			for _, e := range evs {
				acts = append(acts, e.Action)
			}
			want := "保存草稿 保存草稿 提交审核 退回修改 保存草稿 提交审核 审核通过 标记已发布 保存草稿"
			if strings.Join(acts, " ") != want {
				t.Errorf("events %v", acts)
			}
			vs, _ := r.s.Versions(ctx, r.unit, 2024)
			if len(vs) != 4 {
				t.Errorf("%d versions kept", len(vs))
			}
			// a step on another unit's version is refused
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2025, Action: string(Save), VersionID: v3.ID}, nil, nil); !errors.Is(err, store.ErrNoVersion) {
				t.Errorf("version of another year: %v", err)
			}
		})
	}
}

// TestRace: two reviewers act on one pending report at once; exactly one
// step is taken.
func TestRace(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			r := newRound(t, kind)
			data, _ := os.ReadFile(example)
			good, _ := template.Read("报告.yaml", data)
			v := r.upload(good, data)
			if _, err := Apply(ctx, r.s, r.unitA, store.RoleUnit, store.Step{UnitID: r.unit, Year: 2024, Action: string(Submit), VersionID: v.ID}, good, nil); err != nil {
				t.Fatal(err)
			}
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					act := Approve
					if i%2 == 1 {
						act = Return
					}
					_, errs[i] = Apply(ctx, r.s, r.revA, store.RoleReviewer, store.Step{UnitID: r.unit, Year: 2024, Action: string(act), VersionID: v.ID}, nil, nil)
				}()
			}
			close(start)
			wg.Wait()
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else if !errors.Is(err, ErrNotAllowed) {
					t.Errorf("unexpected error %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("%d steps taken from one pending state", ok)
			}
		})
	}
}

func TestDue(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			r := newRound(t, kind)
			d, err := Due(ctx, r.s, 2024, schema.ScopeAgency)
			if err != nil || !d.Equal(time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("department %v %v", d, err)
			}
			if d, _ := Due(ctx, r.s, 2024, schema.ScopeGovernment); !d.Equal(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("government %v", d)
			}
			if err := r.s.SetDeadline(ctx, r.revA, 2024, string(schema.ScopeAgency), "2025-01-20"); err != nil {
				t.Fatal(err)
			}
			r.s.SetDeadline(ctx, r.revA, 2024, string(schema.ScopeAgency), "2025-01-25")
			if d, _ := Due(ctx, r.s, 2024, schema.ScopeAgency); !d.Equal(time.Date(2025, 1, 25, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("office's deadline %v", d)
			}
			if d, _ := Due(ctx, r.s, 2025, schema.ScopeAgency); d.Year() != 2026 {
				t.Errorf("another year %v", d)
			}
		})
	}
}
