package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// county is a county office's server: a roster of the 本级政府 and three
// departments, accounts for the office and a reviewer.
type county struct {
	t      *testing.T
	s      *store.Store
	units  []store.Unit
	admin  store.Actor
	rev    store.Actor
	report map[int64]*schema.Report
}

const gov = "城南县人民政府"

var depts = []string{"城南县教育局", "城南县财政局", "城南县民政局"}

func newCounty(t *testing.T, kind string) *county {
	rows := gov + ",县,政府\n"
	for _, d := range depts {
		rows += d + ",县,部门\n"
	}
	return newCountyOf(t, kind, rows)
}

// newCountyOf is a county office's server with a roster of rows (CSV
// lines of 机关名称, 机关层级, 机关类型).
func newCountyOf(t *testing.T, kind, rows string) *county {
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.DSN(t, kind))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var labels []string
	for _, f := range schema.RosterFields[:3] {
		labels = append(labels, f.Label)
	}
	csv := strings.Join(labels, ",") + "\n" + rows
	r, err := roster.Read("名单.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRoster(ctx, store.Actor{Name: "命令行"}, r); err != nil {
		t.Fatal(err)
	}
	us, _ := s.Units(ctx)
	ad, _, _ := s.CreateAccount(ctx, store.Actor{}, "office", "", store.RoleAdmin, 0)
	rv, _, _ := s.CreateAccount(ctx, store.Actor{}, "rev", "", store.RoleReviewer, 0)
	return &county{t: t, s: s, units: us, admin: store.Actor{AccountID: ad.ID, Name: "office"}, rev: store.Actor{AccountID: rv.ID, Name: "rev"}, report: map[int64]*schema.Report{}}
}

// save stores rep as a new version of unit u (as the unit's account would)
// and saves it as a draft.
func (c *county) save(u *store.Unit, rep *schema.Report, role store.Role) *store.Version {
	c.t.Helper()
	ctx := context.Background()
	data := yamlfile.Write(rep)
	back, err := template.Read("报告.yaml", data)
	if err != nil {
		c.t.Fatal(err)
	}
	opt, err := CheckOptions(ctx, c.s, u, 2024)
	if err != nil {
		c.t.Fatal(err)
	}
	fs := check.Run(back, opt)
	js, _ := json.Marshal(fs)
	ne, nw := check.Count(fs)
	v, err := c.s.AddVersion(ctx, c.admin, store.Upload{UnitID: u.ID, Year: 2024, File: store.File{Name: "报告.yaml", Data: data}, Findings: string(js), Errors: ne, Warnings: nw})
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := Apply(ctx, c.s, c.admin, RoleFor(u, role), store.Step{UnitID: u.ID, Year: 2024, Action: string(Save), VersionID: v.ID}, nil, nil); err != nil {
		c.t.Fatal(err)
	}
	c.report[v.ID] = back
	return v
}

// approve saves, submits and approves rep as unit u's report.
func (c *county) approve(u *store.Unit, rep *schema.Report) *store.Version {
	c.t.Helper()
	ctx := context.Background()
	v := c.save(u, rep, store.RoleUnit)
	if _, err := Apply(ctx, c.s, c.admin, store.RoleUnit, store.Step{UnitID: u.ID, Year: 2024, Action: string(Submit), VersionID: v.ID}, c.report[v.ID], nil); err != nil {
		c.t.Fatal(err)
	}
	if _, err := Apply(ctx, c.s, c.rev, store.RoleReviewer, store.Step{UnitID: u.ID, Year: 2024, Action: string(Approve), VersionID: v.ID}, nil, nil); err != nil {
		c.t.Fatal(err)
	}
	return v
}

func govReport() *schema.Report {
	r := fixture.ReportOf(gov, 2024, 100)
	r.Meta.Role.Value = string(schema.RoleGovernment)
	r.Meta.Scope.Value = string(schema.ScopeGovernment)
	return r
}

// TestSumMissingNotOwn is a 汇总 made before the 本级政府's own report is
// approved (its deadline is later): the paragraph of units that did not
// report names the township only, never the 本级政府 the 汇总 is made for.
func TestSumMissingNotOwn(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			const town = "城南县南湖镇人民政府"
			c := newCountyOf(t, kind, gov+",县,政府\n"+depts[0]+",县,部门\n"+town+",乡镇,政府\n")
			c.approve(&c.units[1], fixture.ReportOf(depts[0], 2024, 1))
			res, err := Sum(ctx, c.s, c.admin, store.RoleAdmin, SumOptions{Agency: gov, Level: "县", Year: 2024, AllowMissing: true})
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, b := range res.Report.Narrative["other"] {
				text = append(text, b.Text)
			}
			all := strings.Join(text, "\n")
			want := "应报单位名单中以下1个单位未报送年度报告，其数据未计入本汇总：" + town + "。"
			if len(text) != 3 || text[1] != want || !strings.Contains(text[0], "以下1个机关") || !strings.Contains(text[0], depts[0]) ||
				text[2] != gov+"本机关的年度报告数据尚未计入本汇总。" {
				t.Fatalf("sources paragraphs:\n%s", all)
			}
			if strings.Contains(text[1], gov) {
				t.Errorf("the 本级政府 named as not reporting: %s", text[1])
			}
			// once the 本级 report is approved it is summed and named among the sources
			c.approve(&c.units[0], govReport())
			res, err = Sum(ctx, c.s, c.admin, store.RoleAdmin, SumOptions{Agency: gov, Level: "县", Year: 2024, AllowMissing: true})
			if err != nil {
				t.Fatal(err)
			}
			text = nil
			for _, b := range res.Report.Narrative["other"] {
				text = append(text, b.Text)
			}
			if len(text) != 2 || !strings.Contains(text[0], "以下2个机关") || !strings.Contains(text[0], gov) || text[1] != want {
				t.Fatalf("sources paragraphs with the 本级 report:\n%s", strings.Join(text, "\n"))
			}
		})
	}
}

// TestSumAndLevels is the 汇总 of a county: made from the approved reports
// only, refused while units are missing unless told, stored as a version
// with its sources, compared cell by cell with the units and the 本级
// report, a hand-typed 汇总 that does not add up refused at submission,
// and the approved 汇总 exported for the city.
func TestSumAndLevels(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := newCounty(t, kind)
			opt := SumOptions{Agency: gov, Level: "县", Year: 2024}
			if _, err := Sum(ctx, c.s, c.admin, store.RoleAdmin, opt); !errors.Is(err, ErrNoApproved) {
				t.Errorf("a 汇总 of nothing: %v", err)
			}
			own := c.approve(&c.units[0], govReport())
			var approved []*store.Version
			for i := range 2 {
				approved = append(approved, c.approve(&c.units[i+1], fixture.ReportOf(depts[i], 2024, uint64(i))))
			}
			// the third department has a draft only
			c.save(&c.units[3], fixture.ReportOf(depts[2], 2024, 2), store.RoleUnit)
			_, err := Sum(ctx, c.s, c.admin, store.RoleAdmin, opt)
			var me *MissingError
			if !errors.As(err, &me) || len(me.Missing) != 1 || me.Missing[0].Agency != depts[2] || me.Missing[0].State != string(Draft) ||
				!strings.Contains(err.Error(), depts[2]+"（草稿）") {
				t.Fatalf("missing unit: %v", err)
			}
			if _, err := Sum(ctx, c.s, c.rev, store.RoleReviewer, opt); !errors.Is(err, ErrRole) {
				t.Errorf("a reviewer made the 汇总: %v", err)
			}
			// a unit approved and then reopened: its approved version stays in
			a2 := fixture.ReportOf(depts[1], 2024, 1)
			a2.Cell("t3", "received", "natural").SetNumber(schema.Int(7777))
			c.save(&c.units[2], a2, store.RoleUnit)
			opt.AllowMissing = true
			res, err := Sum(ctx, c.s, c.admin, store.RoleAdmin, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Included) != 3 || len(res.Missing) != 1 || res.Included[0].VersionID != own.ID || res.Included[2].VersionID != approved[1].ID {
				t.Fatalf("included %+v missing %+v", res.Included, res.Missing)
			}
			// every cell the sum of the three approved versions
			for _, tb := range schema.Current.Tables {
				for _, row := range tb.Rows {
					for _, col := range row.Cols {
						var total schema.Decimal
						for _, v := range []*store.Version{own, approved[0], approved[1]} {
							total, _ = total.Add(c.report[v.ID].Cell(tb.ID, row.Key, col.Key).Num)
						}
						if got := res.Report.Cell(tb.ID, row.Key, col.Key); !got.OK() || got.Num.Cmp(total) != 0 {
							t.Fatalf("%s: %s, want %s", tb.CellName(row, col), got.Text(), total)
						}
					}
				}
			}
			if res.Report.Meta.Scope.Value != string(schema.ScopeRegion) || res.Report.Meta.Agency.Value != gov {
				t.Errorf("meta %+v", res.Report.Meta)
			}
			if text := res.Report.Narrative["other"]; len(text) != 2 || !strings.Contains(text[0].Text, depts[0]) || !strings.Contains(text[1].Text, depts[2]) {
				t.Errorf("sources paragraph %+v", text)
			}
			tables, _ := sumTables(res.Findings)
			if len(tables) != 0 {
				t.Errorf("table findings in a made 汇总: %+v", tables)
			}
			rec, err := c.s.SumOf(ctx, res.Version.ID)
			if err != nil || len(rec.Sources) != 3 || rec.Missing[0].UnitID != c.units[3].ID {
				t.Errorf("record %+v %v", rec, err)
			}
			if st, _ := StatusOf(ctx, c.s, res.Unit.ID, 2024); st.State != Draft {
				t.Errorf("the 汇总 is %s", st.State)
			}
			// compared with the units and the 本级 report
			cmp, err := Compare(ctx, c.s, 2024, res.Report)
			if err != nil || cmp.Differs != 0 || len(cmp.Findings) != 0 || cmp.Units != 3 || cmp.Own == nil || cmp.Own.Version.ID != own.ID {
				t.Fatalf("compare %+v %v", cmp, err)
			}
			for _, cc := range cmp.Cells {
				if cc.Own != c.report[own.ID].Cell(cc.Table, cc.Row, cc.Col).Text() || !cc.Equal {
					t.Fatalf("cell %+v", cc)
				}
			}
			// the made 汇总 has no text yet: it cannot be submitted
			_, err = SubmitSum(ctx, c.s, c.admin, store.RoleAdmin, res.Unit, 2024, res.Version.ID)
			var ge *GateError
			if !errors.As(err, &ge) {
				t.Fatalf("submitting a 汇总 without its text: %v", err)
			}
			// the office writes the text, and mistypes one cell
			typed := fixture.ReportOf(gov, 2024, 100)
			typed.Meta = res.Report.Meta
			typed.Meta.Published.Value = "2025-03-20"
			typed.Tables = res.Report.Tables
			typed.Narrative["other"] = append(typed.Narrative["other"], res.Report.Narrative["other"]...)
			cell := typed.Cell("t3", "received", "natural")
			want := cell.Num
			bumped, _ := want.Add(schema.Int(1))
			cell.SetNumber(bumped)
			v2 := c.save(res.Unit, typed, store.RoleAdmin)
			var vf []schema.Finding
			vs, _ := c.s.Versions(ctx, res.Unit.ID, 2024)
			json.Unmarshal([]byte(vs[len(vs)-1].Findings), &vf)
			if !hasRule(vf, sumChildrenRule) {
				t.Errorf("the upload of a wrong 汇总 lacks SUM-CHILDREN: %+v", vf)
			}
			cmp, _ = Compare(ctx, c.s, 2024, c.report[v2.ID])
			if cmp.Differs != 1 || len(cmp.Findings) != 1 || !strings.Contains(cmp.Findings[0].Message, "3 份报告之和为 "+want.String()) {
				t.Errorf("compare a mistyped 汇总: %d %+v", cmp.Differs, cmp.Findings)
			}
			// the units' column is SUM-CHILDREN's own sum: the differing
			// cell shows what the finding expects
			for _, cc := range cmp.Cells {
				if !cc.Equal && (len(cmp.Findings) == 0 || cc.Units != cmp.Findings[0].Expected || cc.Units != want.String() || cc.Sum != bumped.String()) {
					t.Errorf("the differing cell %+v, the finding %+v", cc, cmp.Findings)
				}
			}
			_, err = SubmitSum(ctx, c.s, c.admin, store.RoleAdmin, res.Unit, 2024, v2.ID)
			if !errors.As(err, &ge) || !hasRule(ge.Blocking, sumChildrenRule) {
				t.Fatalf("submitting a 汇总 that does not add up: %v", err)
			}
			if _, _, err := ExportSum(ctx, c.s, c.admin, res.Unit, 2024, "yaml"); !errors.Is(err, ErrNotApproved) {
				t.Errorf("exported before approval: %v", err)
			}
			// corrected: submitted, approved by the reviewer, exported
			cell.SetNumber(want)
			v3 := c.save(res.Unit, typed, store.RoleAdmin)
			if _, err := SubmitSum(ctx, c.s, c.admin, store.RoleAdmin, res.Unit, 2024, v3.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := Apply(ctx, c.s, c.admin, RoleFor(res.Unit, store.RoleAdmin), store.Step{UnitID: res.Unit.ID, Year: 2024, Action: string(Approve), VersionID: v3.ID}, nil, nil); !errors.Is(err, ErrRole) {
				t.Errorf("the office approved its own 汇总 as its unit: %v", err)
			}
			if _, err := Apply(ctx, c.s, c.rev, store.RoleReviewer, store.Step{UnitID: res.Unit.ID, Year: 2024, Action: string(Approve), VersionID: v3.ID}, nil, nil); err != nil {
				t.Fatal(err)
			}
			for _, ext := range []string{"yaml", "xlsx"} {
				name, data, err := ExportSum(ctx, c.s, c.admin, res.Unit, 2024, ext)
				if err != nil || !strings.HasSuffix(name, "本行政区域汇总."+ext) {
					t.Fatalf("export %s: %s %v", ext, name, err)
				}
				r, err := template.Read(name, data)
				if err != nil {
					t.Fatal(err)
				}
				if r.Meta.Scope.Value != string(schema.ScopeRegion) || r.Cell("t3", "received", "natural").Num.Cmp(want) != 0 {
					t.Errorf("exported %s: %+v", ext, r.Meta)
				}
				if fs := check.Run(r, check.Options{}); hasError(fs) {
					t.Errorf("exported %s has errors: %+v", ext, fs)
				}
			}
			log, _ := c.s.Audit(ctx, store.AuditFilter{UnitID: res.Unit.ID})
			var acts []string
			for _, e := range log {
				acts = append(acts, e.Action)
			}
			if !strings.Contains(strings.Join(acts, " "), "生成汇总") || acts[len(acts)-1] != "导出汇总" {
				t.Errorf("audit %v", acts)
			}
			// the region is no unit of the roster: the roster's units are unchanged
			if us, _ := c.s.Units(ctx); len(us) != 4 {
				t.Errorf("%d units", len(us))
			}
		})
	}
}

func sumTables(fs []schema.Finding) (tables, rest []schema.Finding) {
	for _, f := range fs {
		if s := schema.Current.Section(f.Section); s != nil && s.Kind == schema.TableSection {
			tables = append(tables, f)
		} else {
			rest = append(rest, f)
		}
	}
	return
}

func hasRule(fs []schema.Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

func hasError(fs []schema.Finding) bool {
	for _, f := range fs {
		if f.Severity == schema.Error {
			return true
		}
	}
	return false
}

// TestEditRoster: only the office edits the roster; a unit's fields are
// checked like a roster file's; a removed unit is no longer expected in
// the 汇总, and its approved report is no longer summed.
func TestEditRoster(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := newCounty(t, kind)
			f := map[string]string{schema.RosterAgency: "城南县新设局", schema.RosterLevel: "县", schema.RosterRole: "部门"}
			if _, err := AddUnit(ctx, c.s, c.rev, store.RoleReviewer, f); !errors.Is(err, ErrRole) {
				t.Errorf("a reviewer added a unit: %v", err)
			}
			var re *roster.Error
			if _, err := AddUnit(ctx, c.s, c.admin, store.RoleAdmin, map[string]string{schema.RosterAgency: "城南县新设局", schema.RosterLevel: "省级"}); !errors.As(err, &re) {
				t.Errorf("a unit with a bad level: %v", err)
			}
			u, err := AddUnit(ctx, c.s, c.admin, store.RoleAdmin, f)
			if err != nil {
				t.Fatal(err)
			}
			if _, missing, _ := ApprovedReports(ctx, c.s, 2024); len(missing) != 5 {
				t.Errorf("%d missing with the new unit", len(missing))
			}
			f[schema.RosterContact] = "李四"
			if u, err = UpdateUnit(ctx, c.s, c.admin, store.RoleAdmin, u.ID, f); err != nil || u.Fields[schema.RosterContact] != "李四" {
				t.Fatalf("update %+v %v", u, err)
			}
			c.approve(&c.units[1], fixture.ReportOf(depts[0], 2024, 0))
			if err := RemoveUnit(ctx, c.s, c.rev, store.RoleReviewer, c.units[1].ID); !errors.Is(err, ErrRole) {
				t.Errorf("a reviewer removed a unit: %v", err)
			}
			for _, id := range []int64{u.ID, c.units[1].ID} {
				if err := RemoveUnit(ctx, c.s, c.admin, store.RoleAdmin, id); err != nil {
					t.Fatal(err)
				}
			}
			children, missing, _ := ApprovedReports(ctx, c.s, 2024)
			if len(children) != 0 || len(missing) != 3 {
				t.Errorf("after removal: %d approved, %d missing", len(children), len(missing))
			}
			if h, _ := c.s.RosterChanges(ctx, u.ID); len(h) != 3 {
				t.Errorf("history %+v", h)
			}
		})
	}
}

// TestSaveVersion: the version and its step in one transaction; a save
// refused by the workflow stores no version.
func TestSaveVersion(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			c := newCounty(t, kind)
			u := c.units[1]
			up := store.Upload{UnitID: u.ID, Year: 2024, File: store.File{Name: "报告.yaml", Data: yamlfile.Write(fixture.ReportOf(depts[0], 2024, 0))}, Findings: "[]"}
			v, err := SaveVersion(ctx, c.s, c.admin, store.RoleUnit, up)
			if err != nil || v.Seq != 1 {
				t.Fatalf("%+v %v", v, err)
			}
			evs, _ := c.s.Events(ctx, u.ID, 2024)
			if len(evs) != 1 || evs[0].VersionID != v.ID || evs[0].State != string(Draft) {
				t.Errorf("events %+v", evs)
			}
			if _, err := SaveVersion(ctx, c.s, c.rev, store.RoleReviewer, up); !errors.Is(err, ErrRole) {
				t.Errorf("a reviewer saved a unit's version: %v", err)
			}
			r, _ := template.Read("报告.yaml", up.File.Data)
			if _, err := Apply(ctx, c.s, c.admin, store.RoleUnit, store.Step{UnitID: u.ID, Year: 2024, Action: string(Submit), VersionID: v.ID}, r, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := SaveVersion(ctx, c.s, c.admin, store.RoleUnit, up); !errors.Is(err, ErrNotAllowed) {
				t.Errorf("saved while under review: %v", err)
			}
			if vs, _ := c.s.Versions(ctx, u.ID, 2024); len(vs) != 1 {
				t.Errorf("%d versions after two refused saves", len(vs))
			}
		})
	}
}
