package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// Levels: the office sums the approved reports of its roster into its own
// 本行政区域汇总 report (the sum logic of `nianbao sum`, batch.SumReports),
// keeps it as the versions of its region unit (store.RegionUnit), checks
// it and any hand-typed 汇总 against the units (SUM-CHILDREN, the rule of
// `check --children`), and hands the approved one up to the next level's
// server as an ordinary unit's report.

// RoleFor is the role an account of role acts in on unit u: the office's
// 管理员 is the reporting unit of its own 汇总 (it saves, submits and
// publishes it; its reviewers approve it as any report).
func RoleFor(u *store.Unit, role store.Role) store.Role {
	if u != nil && u.IsRegion() && role == store.RoleAdmin {
		return store.RoleUnit
	}
	return role
}

// Child is the approved report of one unit of the roster.
type Child struct {
	Unit    store.Unit
	Version *store.Version
	Report  *schema.Report
	// State is where the unit's report stands now: 已通过 or 已发布, or a
	// later round under way (a draft after approval keeps the approved
	// version in the 汇总 until the new one is approved).
	State State
}

// approvedVersion is the last version approved in events (0 = never), and
// the current state.
func approvedVersion(evs []store.Event) (int64, State) {
	var submitted, approved int64
	state := NotSubmitted
	for _, e := range evs {
		state = State(e.State)
		switch Action(e.Action) {
		case Submit:
			if e.VersionID != 0 {
				submitted = e.VersionID
			}
		case Approve:
			approved = submitted
			if e.VersionID != 0 {
				approved = e.VersionID
			}
		}
	}
	return approved, state
}

// ApprovedReports returns the approved reports of a year, one per listed unit of
// the roster, in roster order, and the listed units that have none (with
// where their report stands).
func ApprovedReports(ctx context.Context, s *store.Store, year int) ([]Child, []store.SumMissing, error) {
	units, err := s.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	evs, err := s.EventsOfYear(ctx, year)
	if err != nil {
		return nil, nil, err
	}
	byUnit := map[int64][]store.Event{}
	for _, e := range evs {
		byUnit[e.UnitID] = append(byUnit[e.UnitID], e)
	}
	var children []Child
	var missing []store.SumMissing
	for _, u := range units {
		if !u.Listed {
			continue
		}
		vid, state := approvedVersion(byUnit[u.ID])
		if vid == 0 {
			missing = append(missing, store.SumMissing{UnitID: u.ID, Agency: u.Agency(), State: string(state)})
			continue
		}
		v, err := s.VersionByID(ctx, vid)
		if err != nil {
			return nil, nil, err
		}
		r, err := ReadVersion(ctx, s, v)
		if err != nil {
			return nil, nil, fmt.Errorf("%s 第 %d 版：%w", u.Agency(), v.Seq, err)
		}
		children = append(children, Child{Unit: u, Version: v, Report: r, State: state})
	}
	return children, missing, nil
}

// ReadVersion reads the report of a stored version, with the readers of
// the command line (and their limits).
func ReadVersion(ctx context.Context, s *store.Store, v *store.Version) (*schema.Report, error) {
	data, err := s.Blob(ctx, v.SHA256)
	if err != nil {
		return nil, err
	}
	return template.Read(v.FileName, data)
}

func reports(cs []Child) []*schema.Report {
	out := make([]*schema.Report, len(cs))
	for i, c := range cs {
		out[i] = c.Report
	}
	return out
}

// SumOptions says which 汇总 to make.
type SumOptions struct {
	Agency string // the 本级人民政府, e.g. 城南县人民政府
	Level  string // its 机关层级; "" leaves it blank
	Year   int
	// AllowMissing makes the 汇总 although some units of the roster have
	// no approved report; they are named in it. Without it such a 汇总 is
	// refused with a *MissingError.
	AllowMissing bool
}

// MissingError refuses a 汇总 while units of the roster have no approved
// report.
type MissingError struct {
	Missing []store.SumMissing
}

func (e *MissingError) Error() string {
	var names []string
	for _, m := range e.Missing {
		names = append(names, m.Agency+"（"+m.State+"）")
	}
	return fmt.Sprintf("名单中有 %d 个单位的报告尚未审核通过，不汇总（催报后重试，或确认先行汇总）：%s", len(e.Missing), strings.Join(names, "、"))
}

// ErrNoApproved refuses a 汇总 of no report.
var ErrNoApproved = errors.New("没有审核通过的报告，无法汇总")

// SumResult is a 汇总 made and stored.
type SumResult struct {
	Unit     *store.Unit // the region unit
	Version  *store.Version
	Report   *schema.Report
	Included []store.SumSource
	Missing  []store.SumMissing
	// Findings are the 汇总's own, with SUM-CHILDREN against its units;
	// the table rules find nothing in a made 汇总, the text rules list
	// what the office still has to write.
	Findings []schema.Finding
}

// Sum makes the year's 本行政区域汇总 from the approved reports of the
// roster (batch.SumReports, the logic of `nianbao sum --roster`), stores it
// as a new version of the region unit with the record of the versions it
// adds up and the units it lacks, and saves it as the region's draft. Only
// the office's 管理员 makes it.
func Sum(ctx context.Context, s *store.Store, a store.Actor, role store.Role, opt SumOptions) (*SumResult, error) {
	if role != store.RoleAdmin {
		return nil, fmt.Errorf("%w: %s 不能生成汇总", ErrRole, role)
	}
	children, missing, err := ApprovedReports(ctx, s, opt.Year)
	if err != nil {
		return nil, err
	}
	if len(children) == 0 {
		return nil, ErrNoApproved
	}
	if len(missing) > 0 && !opt.AllowMissing {
		return nil, &MissingError{Missing: missing}
	}
	units, err := s.Units(ctx)
	if err != nil {
		return nil, err
	}
	ro := &roster.Roster{Source: "应报单位名单"}
	for _, u := range units {
		if u.Listed {
			ro.Units = append(ro.Units, &roster.Unit{Fields: u.Fields})
		}
	}
	in := make([]batch.SumInput, len(children))
	for i, c := range children {
		in[i] = batch.SumInput{File: fmt.Sprintf("%s 第 %d 版（%s）", c.Unit.Agency(), c.Version.Seq, c.Version.FileName), Report: c.Report}
	}
	sum, _, err := batch.SumReports(batch.SumOptions{Agency: opt.Agency, Year: opt.Year, Level: opt.Level, Roster: ro, AllowMissing: true}, in)
	if err != nil {
		return nil, err
	}
	region, err := s.RegionUnit(ctx, a, opt.Agency, opt.Level)
	if err != nil {
		return nil, err
	}
	name := outdir.SafeName(strings.TrimSpace(opt.Agency)+fmt.Sprint(opt.Year)+"年"+string(schema.ScopeRegion)) + ".yaml"
	var buf bytes.Buffer
	if err := template.Encode(&buf, name, sum); err != nil {
		return nil, err
	}
	// the findings of the stored file as read back, as for any upload
	back, err := template.Read(name, buf.Bytes())
	if err != nil {
		return nil, err
	}
	fs := check.Run(back, check.Options{Children: reports(children)})
	js, err := json.Marshal(fs)
	if err != nil {
		return nil, err
	}
	ne, nw := check.Count(fs)
	rec := store.SumRecord{Year: opt.Year, Missing: missing}
	for _, c := range children {
		rec.Sources = append(rec.Sources, store.SumSource{UnitID: c.Unit.ID, VersionID: c.Version.ID, Agency: c.Unit.Agency()})
	}
	v, err := s.AddSum(ctx, a, store.Upload{UnitID: region.ID, Year: opt.Year, File: store.File{Name: name, Data: buf.Bytes()},
		Findings: string(js), Errors: ne, Warnings: nw}, rec, string(Save), nextFor(Save, RoleFor(region, role)))
	if err != nil {
		return nil, err
	}
	return &SumResult{Unit: region, Version: v, Report: back, Included: rec.Sources, Missing: missing, Findings: fs}, nil
}

// CheckOptions are the check options of a report of unit u for a year: a
// region unit's 汇总 is checked against the approved reports of the
// roster (SUM-CHILDREN); any other report has none. The server checks an
// upload with them.
func CheckOptions(ctx context.Context, s *store.Store, u *store.Unit, year int) (check.Options, error) {
	if u == nil || !u.IsRegion() {
		return check.Options{}, nil
	}
	children, _, err := ApprovedReports(ctx, s, year)
	if err != nil {
		return check.Options{}, err
	}
	return check.Options{Children: reports(children)}, nil
}

// CellComparison is one table cell of a 汇总 beside its units.
type CellComparison struct {
	Table, Row, Col string // declaration keys
	Name            string // named with the official labels
	Sum             string // the 汇总's value ("" = blank)
	Units           string // the sum over the units' approved reports
	Own             string // the 本级 report's value; "" without one
	Equal           bool   // Sum equals Units
}

// Comparison is a 汇总 compared cell by cell with its units.
type Comparison struct {
	Units   int    // approved reports compared with
	Own     *Child // the 本级政府 report among them (the roster unit of the 汇总's agency); nil if none
	Cells   []CellComparison
	Differs int // cells where the 汇总 is not the sum of its units
	// Findings are the SUM-CHILDREN findings (a cell, or a unit named in
	// the 汇总 without a report).
	Findings []schema.Finding
	Missing  []store.SumMissing
}

// Compare compares a 汇总 (made by Sum, or typed by hand and uploaded)
// cell by cell with the approved reports of the year and the 本级 report
// among them, with the rule SUM-CHILDREN of `check --children`.
func Compare(ctx context.Context, s *store.Store, year int, sum *schema.Report) (*Comparison, error) {
	children, missing, err := ApprovedReports(ctx, s, year)
	if err != nil {
		return nil, err
	}
	cmp := &Comparison{Units: len(children), Missing: missing}
	units := reports(children)
	own := roster.Key(sum.Meta.Agency.Value)
	for i := range children {
		if own != "" && roster.Key(children[i].Unit.Agency()) == own {
			cmp.Own = &children[i]
		}
	}
	for _, f := range check.Run(sum, check.Options{Children: units}) {
		if f.Rule == sumChildrenRule {
			cmp.Findings = append(cmp.Findings, f)
		}
	}
	f := sum.Format
	if f == nil {
		f = schema.Current
	}
	for _, t := range f.Tables {
		for _, row := range t.Rows {
			for _, c := range row.Cols {
				cc := CellComparison{Table: t.ID, Row: row.Key, Col: c.Key, Name: t.CellName(row, c), Sum: sum.Cell(t.ID, row.Key, c.Key).Text()}
				// the units' total as SUM-CHILDREN adds it up
				total, ok := check.ChildrenSum(f, units, t.ID, row.Key, c.Key)
				if ok {
					cc.Units = total.String()
				}
				if cmp.Own != nil {
					cc.Own = cmp.Own.Report.Cell(t.ID, row.Key, c.Key).Text()
				}
				sv := sum.Cell(t.ID, row.Key, c.Key)
				cc.Equal = ok && sv.OK() && total.Cmp(sv.Num) == 0
				if !cc.Equal {
					cmp.Differs++
				}
				cmp.Cells = append(cmp.Cells, cc)
			}
		}
	}
	return cmp, nil
}

// sumChildrenRule is the rule that compares a 汇总 with its units.
const sumChildrenRule = "SUM-CHILDREN"

// SubmitSum submits a version of the region's 汇总 for review: it must be
// the latest, and pass the publication gate with SUM-CHILDREN against the
// approved reports (a hand-typed 汇总 that is not the sum of its units is
// refused with the cells that differ).
func SubmitSum(ctx context.Context, s *store.Store, a store.Actor, role store.Role, region *store.Unit, year int, versionID int64) (*store.Event, error) {
	if !region.IsRegion() {
		return nil, fmt.Errorf("unit %d holds no 汇总", region.ID)
	}
	v, err := s.VersionByID(ctx, versionID)
	if err != nil {
		return nil, err
	}
	if v.UnitID != region.ID || v.Year != year {
		return nil, store.ErrNoVersion
	}
	r, err := ReadVersion(ctx, s, v)
	if err != nil {
		return nil, err
	}
	opt, err := CheckOptions(ctx, s, region, year)
	if err != nil {
		return nil, err
	}
	res := &check.Result{Format: r.Format, Findings: check.Run(r, opt)}
	if b := publish.Check(r, publish.Options{Checked: res}).Blocking(); len(b) > 0 {
		return nil, &GateError{Blocking: b}
	}
	return Apply(ctx, s, a, RoleFor(region, role), store.Step{UnitID: region.ID, Year: year, Action: string(Submit), VersionID: v.ID}, r, nil)
}

// ErrNotApproved refuses to hand up a 汇总 that is not approved.
var ErrNotApproved = errors.New("汇总尚未审核通过，不能上报")

// ApprovedSum returns the region's approved (or published) 汇总 version of
// a year and its report.
func ApprovedSum(ctx context.Context, s *store.Store, region *store.Unit, year int) (*store.Version, *schema.Report, error) {
	evs, err := s.Events(ctx, region.ID, year)
	if err != nil {
		return nil, nil, err
	}
	vid, state := approvedVersion(evs)
	if vid == 0 || state != Approved && state != Published {
		return nil, nil, ErrNotApproved
	}
	v, err := s.VersionByID(ctx, vid)
	if err != nil {
		return nil, nil, err
	}
	r, err := ReadVersion(ctx, s, v)
	if err != nil {
		return nil, nil, err
	}
	return v, r, nil
}

// ExportSum is the region's approved 汇总 of a year as a file to submit to
// the next level (ext "yaml" or "xlsx"): its name and content. The export
// is in the audit log.
func ExportSum(ctx context.Context, s *store.Store, a store.Actor, region *store.Unit, year int, ext string) (string, []byte, error) {
	v, r, err := ApprovedSum(ctx, s, region, year)
	if err != nil {
		return "", nil, err
	}
	name := outdir.SafeName(region.Agency()+fmt.Sprint(year)+"年"+string(schema.ScopeRegion)) + "." + ext
	var data []byte
	if k := template.KindOf(v.FileName); k == template.KindOf(name) {
		if data, err = s.Blob(ctx, v.SHA256); err != nil {
			return "", nil, err
		}
	} else {
		var buf bytes.Buffer
		if err := template.Encode(&buf, name, r); err != nil {
			return "", nil, err
		}
		data = buf.Bytes()
	}
	if err := s.Log(ctx, a, "导出汇总", region.ID, year, fmt.Sprintf("第 %d 版，%s（%d 字节，SHA-256 %s）", v.Seq, name, len(data), store.Sum(data))); err != nil {
		return "", nil, err
	}
	return name, data, nil
}
