package client_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/client"
	"github.com/nianbao/nianbao/cmd/internal/org/server"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
	"github.com/nianbao/nianbao/template/yamlfile"
)

var ctx = context.Background()

// office is one level's server: its store, roster and accounts.
type office struct {
	t     *testing.T
	s     *store.Store
	units []store.Unit
	admin store.Actor
	rev   store.Actor
}

func newOffice(t *testing.T, kind string, rows ...string) *office {
	s, err := store.Open(ctx, storetest.DSN(t, kind))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var labels []string
	for _, f := range schema.RosterFields[:3] {
		labels = append(labels, f.Label)
	}
	r, err := roster.Read("名单.csv", []byte(strings.Join(labels, ",")+"\n"+strings.Join(rows, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRoster(ctx, store.Actor{Name: "test"}, r); err != nil {
		t.Fatal(err)
	}
	us, _ := s.Units(ctx)
	ad, _, _ := s.CreateAccount(ctx, store.Actor{}, "office", "", store.RoleAdmin, 0)
	rv, _, _ := s.CreateAccount(ctx, store.Actor{}, "rev", "", store.RoleReviewer, 0)
	return &office{t: t, s: s, units: us, admin: store.Actor{AccountID: ad.ID, Name: "office"}, rev: store.Actor{AccountID: rv.ID, Name: "rev"}}
}

// approve saves, submits and approves rep as unit u's report.
func (o *office) approve(u *store.Unit, rep *schema.Report, role store.Role) *store.Version {
	o.t.Helper()
	data := yamlfile.Write(rep)
	back, err := template.Read("报告.yaml", data)
	if err != nil {
		o.t.Fatal(err)
	}
	v, err := workflow.SaveVersion(ctx, o.s, o.admin, workflow.RoleFor(u, role), store.Upload{UnitID: u.ID, Year: 2024, File: store.File{Name: "报告.yaml", Data: data}, Findings: "[]"})
	if err != nil {
		o.t.Fatal(err)
	}
	if u.IsRegion() {
		_, err = workflow.SubmitSum(ctx, o.s, o.admin, role, u, 2024, v.ID)
	} else {
		_, err = workflow.Apply(ctx, o.s, o.admin, role, store.Step{UnitID: u.ID, Year: 2024, Action: string(workflow.Submit), VersionID: v.ID}, back, nil)
	}
	if err != nil {
		o.t.Fatal(err)
	}
	if _, err := workflow.Apply(ctx, o.s, o.rev, store.RoleReviewer, store.Step{UnitID: u.ID, Year: 2024, Action: string(workflow.Approve), VersionID: v.ID}, nil, nil); err != nil {
		o.t.Fatal(err)
	}
	return v
}

// complete is the made 汇总 with the text the office writes.
func complete(sum *schema.Report, agency string) *schema.Report {
	r := fixture.ReportOf(agency, 2024, 7)
	r.Meta = sum.Meta
	r.Meta.Published.Value = "2025-03-20"
	r.Tables = sum.Tables
	r.Narrative["other"] = append(r.Narrative["other"], sum.Narrative["other"]...)
	return r
}

// sumUp makes o's approved 汇总 for agency from its approved units.
func (o *office) sumUp(agency, level string) *store.Unit {
	o.t.Helper()
	res, err := workflow.Sum(ctx, o.s, o.admin, store.RoleAdmin, workflow.SumOptions{Agency: agency, Level: level, Year: 2024})
	if err != nil {
		o.t.Fatal(err)
	}
	o.approve(res.Unit, complete(res.Report, agency), store.RoleAdmin)
	return res.Unit
}

// TestCountyToCity: 乡镇 → 县 → 市 with one tool at each level. A county
// sums its township's and departments' approved reports, its reviewer
// approves the 汇总, and the county hands it up to the city's server with
// the county's unit account there; the city sees an ordinary unit upload
// of a 本行政区域汇总, checks it, its reviewer approves it, and the city's
// own 汇总 adds it up.
func TestCountyToCity(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			county := newOffice(t, kind, "城南县人民政府,县,政府", "城南县教育局,县,部门", "城关镇人民政府,乡镇,政府")
			county.approve(&county.units[0], govReport("城南县人民政府"), store.RoleUnit)
			county.approve(&county.units[1], fixture.ReportOf("城南县教育局", 2024, 1), store.RoleUnit)
			// the township's own 汇总, made on its own server, is a unit report here
			town := newOffice(t, kind, "城关镇人民政府,乡镇,政府", "城关镇村务办,乡镇,部门")
			town.approve(&town.units[0], govReport("城关镇人民政府"), store.RoleUnit)
			town.approve(&town.units[1], fixture.ReportOf("城关镇村务办", 2024, 3), store.RoleUnit)
			townSum := town.sumUp("城关镇人民政府", "乡镇")
			_, townReport, err := workflow.ApprovedSum(ctx, town.s, townSum, 2024)
			if err != nil {
				t.Fatal(err)
			}
			county.approve(&county.units[2], townReport, store.RoleUnit)
			region := county.sumUp("城南县人民政府", "县")

			// the city's server, with an account for the county
			city := newOffice(t, kind, "某某市人民政府,市,政府", "城南县人民政府,县,政府")
			srv, err := server.New(server.Options{Store: city.s, Log: log.New(io.Discard, "", 0)})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			defer hs.Close()
			acct, token, err := city.s.CreateAccount(ctx, store.Actor{}, "chengnan", "城南县人民政府", store.RoleUnit, city.units[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			const pw = "城南县的密码 2025"
			if _, err := city.s.UsePasswordLink(ctx, store.Actor{}, token, auth.HashPassword(pw)); err != nil {
				t.Fatal(err)
			}
			if _, err := client.Login(ctx, hs.URL, "chengnan", "wrong password", client.Options{}); err == nil {
				t.Error("logged in with a wrong password")
			} else if ce := new(client.Error); !errors.As(err, &ce) || ce.Status != 401 || !strings.Contains(ce.Message, "密码不对") {
				t.Errorf("wrong password: %v", err)
			}
			if _, err := client.Login(ctx, hs.URL, "rev", "", client.Options{}); err == nil {
				t.Error("logged in without a password")
			}
			c, err := client.Login(ctx, hs.URL, "chengnan", pw, client.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.Session.Unit != city.units[1].ID {
				t.Fatalf("session %+v", c.Session)
			}
			h, err := client.SendSum(ctx, county.s, county.admin, region, 2024, c)
			if err != nil {
				t.Fatal(err)
			}
			if h.Refused != nil || h.Upload.Version != 1 || h.Upload.Exit != 0 || h.Status.State != string(workflow.Pending) {
				t.Fatalf("hand-up %+v %v", h.Status, h.Refused)
			}
			// the city keeps an ordinary unit report of scope 本行政区域汇总
			vs, _ := city.s.Versions(ctx, city.units[1].ID, 2024)
			if len(vs) != 1 || vs[0].AccountID != acct.ID || !strings.HasSuffix(vs[0].FileName, "本行政区域汇总.yaml") {
				t.Fatalf("city versions %+v", vs)
			}
			got, err := workflow.ReadVersion(ctx, city.s, vs[0])
			if err != nil || got.Meta.Scope.Value != string(schema.ScopeRegion) || got.Meta.Agency.Value != "城南县人民政府" {
				t.Fatalf("city's copy %+v %v", got.Meta, err)
			}
			// the county's audit log says where it went
			log, _ := county.s.Audit(ctx, store.AuditFilter{UnitID: region.ID})
			if last := log[len(log)-1]; last.Action != "上报汇总" || !strings.Contains(last.Detail, hs.URL) || !strings.Contains(last.Detail, "第 1 版") {
				t.Errorf("county audit %+v", last)
			}
			// sent twice: the second upload is refused while the first is under review
			if _, err := client.SendSum(ctx, county.s, county.admin, region, 2024, c); err == nil {
				t.Error("a second hand-up while the first is under review was taken")
			}
			// the city approves and sums: the county's 汇总 counts like a unit's report
			if _, err := workflow.Apply(ctx, city.s, city.rev, store.RoleReviewer, store.Step{UnitID: city.units[1].ID, Year: 2024, Action: string(workflow.Approve), VersionID: vs[0].ID}, nil, nil); err != nil {
				t.Fatal(err)
			}
			city.approve(&city.units[0], govReport("某某市人民政府"), store.RoleUnit)
			res, err := workflow.Sum(ctx, city.s, city.admin, store.RoleAdmin, workflow.SumOptions{Agency: "某某市人民政府", Level: "市", Year: 2024})
			if err != nil {
				t.Fatal(err)
			}
			_, countyReport, _ := workflow.ApprovedSum(ctx, county.s, region, 2024)
			cityOwn, _ := workflow.ReadVersion(ctx, city.s, mustLatest(t, city.s, city.units[0].ID))
			a, b := countyReport.Cell("t3", "received", "natural").Num, cityOwn.Cell("t3", "received", "natural").Num
			want, _ := a.Add(b)
			if got := res.Report.Cell("t3", "received", "natural"); got.Num.Cmp(want) != 0 {
				t.Errorf("the city's 汇总: %s, want %s", got.Text(), want)
			}
		})
	}
}

func mustLatest(t *testing.T, s *store.Store, unit int64) *store.Version {
	vs, err := s.Versions(ctx, unit, 2024)
	if err != nil || len(vs) == 0 {
		t.Fatal(err)
	}
	return vs[len(vs)-1]
}

func govReport(agency string) *schema.Report {
	r := fixture.ReportOf(agency, 2024, uint64(len(agency)))
	r.Meta.Role.Value = string(schema.RoleGovernment)
	r.Meta.Scope.Value = string(schema.ScopeGovernment)
	return r
}

// TestHandUpFailures: plain http:// is refused but to this machine (or
// with AllowHTTP); network errors are in Chinese; and a hand-up that
// fails after its upload, or at its upload, still leaves its 上报汇总 line
// in the county's audit log saying how far it went.
func TestHandUpFailures(t *testing.T) {
	for _, base := range []string{"http://nianbao.example.gov.cn", "http://10.1.2.3:8080/", "HTTP://192.168.0.9"} {
		_, err := client.Login(ctx, base, "x", "y", client.Options{})
		if err == nil || !strings.Contains(errtext.Explain(err), "不加密的 http://") {
			t.Errorf("%s: %v", base, err)
		}
	}
	// errors of the network, in Chinese
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	selfSigned := httptest.NewTLSServer(http.NotFoundHandler())
	defer selfSigned.Close()
	for _, c := range []struct{ base, want string }{
		{"https://127.0.0.1:1", "拒绝连接"},
		{"https://" + strings.TrimPrefix(plain.URL, "http://"), "不是 HTTPS 服务"},
		{selfSigned.URL, "不是受信任的机构"},
		{"ftp://x", "无效"},
	} {
		_, err := client.Login(ctx, c.base, "x", "y", client.Options{})
		msg := errtext.Explain(err)
		if err == nil || !strings.Contains(msg, c.want) || strings.Contains(msg, "dial") || strings.Contains(msg, "系统错误") {
			t.Errorf("%s: %q, want %q", c.base, msg, c.want)
		}
	}
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			county := newOffice(t, kind, "城南县人民政府,县,政府", "城南县教育局,县,部门")
			county.approve(&county.units[0], govReport("城南县人民政府"), store.RoleUnit)
			county.approve(&county.units[1], fixture.ReportOf("城南县教育局", 2024, 1), store.RoleUnit)
			region := county.sumUp("城南县人民政府", "县")
			city := newOffice(t, kind, "某某市人民政府,市,政府", "城南县人民政府,县,政府")
			srv, err := server.New(server.Options{Store: city.s, Log: log.New(io.Discard, "", 0)})
			if err != nil {
				t.Fatal(err)
			}
			// the city's server, whose connection drops at the submission
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/submit") {
					conn, _, _ := w.(http.Hijacker).Hijack()
					conn.Close()
					return
				}
				srv.ServeHTTP(w, r)
			}))
			defer hs.Close()
			_, token, _ := city.s.CreateAccount(ctx, store.Actor{}, "chengnan", "", store.RoleUnit, city.units[1].ID)
			city.s.UsePasswordLink(ctx, store.Actor{}, token, auth.HashPassword("城南县的密码 2025"))
			c, err := client.Login(ctx, hs.URL, "chengnan", "城南县的密码 2025", client.Options{})
			if err != nil {
				t.Fatal(err)
			}
			last := func() store.Entry {
				es, _ := county.s.Audit(ctx, store.AuditFilter{UnitID: region.ID, Newest: true, Limit: 1})
				return es[0]
			}
			if _, err := client.SendSum(ctx, county.s, county.admin, region, 2024, c); err == nil || !strings.Contains(errtext.Explain(err), "中断") {
				t.Fatalf("a dropped submission: %v", err)
			}
			if e := last(); e.Action != "上报汇总" || !strings.Contains(e.Detail, "已上传为第 1 版") || !strings.Contains(e.Detail, "之后失败：") || !strings.Contains(e.Detail, "中断") {
				t.Errorf("audit after a dropped submission: %+v", e)
			}
			// the upload itself refused (the account disabled meanwhile)
			acct, _ := city.s.AccountByLogin(ctx, "chengnan")
			city.s.SetDisabled(ctx, store.Actor{}, acct.ID, true)
			if _, err := client.SendSum(ctx, county.s, county.admin, region, 2024, c); err == nil {
				t.Fatal("a hand-up with a disabled account went through")
			}
			if e := last(); e.Action != "上报汇总" || !strings.Contains(e.Detail, "上传失败") || !strings.Contains(e.Detail, "HTTP 401") {
				t.Errorf("audit after a refused upload: %+v", e)
			}
		})
	}
}
