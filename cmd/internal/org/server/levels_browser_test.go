package server

import (
	"context"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/nianbao/nianbao/cmd/internal/browsertest"
	gen "github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster/rostertest"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// submitForm submits the form sel (one inside a closed <details>, say)
// and waits for the page it leads to.
func (p *person) submitForm(what, sel string) {
	p.t.Helper()
	p.tab.Do(p.t, what, chromedp.Evaluate[chromedp.Void](`window.__before = true; document.querySelector(`+"`"+sel+"`"+`).requestSubmit()`))
	p.waitLoad(what)
}

// approveAs saves, submits and approves the example file as unit u's
// report (the round itself is TestBrowserRound's).
func approveAs(t *testing.T, s *store.Store, u *store.Unit, file string) {
	t.Helper()
	ctx := context.Background()
	data := read(t, file)
	rep, err := template.Read("报告.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	v, err := workflow.SaveVersion(ctx, s, store.Actor{Name: "test"}, store.RoleUnit, store.Upload{UnitID: u.ID, Year: 2024, File: store.File{Name: "报告.yaml", Data: data}, Findings: "[]"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := workflow.Apply(ctx, s, store.Actor{Name: "test"}, store.RoleUnit, store.Step{UnitID: u.ID, Year: 2024, Action: string(workflow.Submit), VersionID: v.ID}, rep, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := workflow.Apply(ctx, s, store.Actor{Name: "test"}, store.RoleReviewer, store.Step{UnitID: u.ID, Year: 2024, Action: string(workflow.Approve), VersionID: v.ID}, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserLevels is the 汇总 and the hand-up in Chromium, every page
// checked with axe-core: the office edits the roster (adds a unit, takes
// two off), makes the 汇总 of the two approved reports, uploads the
// completed 汇总 with a mistyped cell and sees it refused, uploads it
// corrected and submits it; the reviewer approves it; the office hands it
// up to the city's server, which then holds it as the county's report,
// under review.
func TestBrowserLevels(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "sqlite")
	approveAs(t, f.store, f.a, goodA)
	approveAs(t, f.store, f.b, goodB)
	dir := t.TempDir()

	// the city's server, with an account for the county
	city, err := store.Open(ctx, filepath.Join(dir, "city.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer city.Close()
	if _, err := city.ImportRoster(ctx, store.Actor{Name: "test"}, rostertest.Read(t, []string{"城南县人民政府", string(schema.LevelCounty), string(schema.RoleGovernment)})); err != nil {
		t.Fatal(err)
	}
	cus, _ := city.Units(ctx)
	_, tok, err := city.CreateAccount(ctx, store.Actor{Name: "test"}, "chengnan", "城南县人民政府", store.RoleUnit, cus[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := city.UsePasswordLink(ctx, store.Actor{Name: "test"}, tok, auth.HashPassword("城南县在市里的密码 2025")); err != nil {
		t.Fatal(err)
	}
	cs, err := New(Options{Store: city, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	citySrv := httptest.NewServer(cs)
	defer citySrv.Close()

	b := browsertest.Start(t)
	p := &person{t: t, tab: b.Tab(t), url: f.srv.URL}
	p.login("office", password("office"))

	// the roster: a unit added, then it and 新设局 taken off
	p.open("/roster/units")
	p.sees("应报单位名单", "新设局", "名单历史")
	p.tab.Axe(t, "应报单位名单")
	p.typeIn("#new-agency", "城南县新设办")
	p.tab.Do(t, "choose the level and role", chromedp.SetValue(chromedp.CSS(`#new-level`), string(schema.LevelCounty)),
		chromedp.SetValue(chromedp.CSS(`#new-role`), string(schema.RoleDepartment)))
	p.click("add a unit", `form[action="/roster/units"] button`)
	p.sees("已把“城南县新设办”列入名单")
	added, err := f.store.UnitByName(ctx, "城南县新设办")
	if err != nil {
		t.Fatal(err)
	}
	xin, _ := f.store.UnitByName(ctx, "新设局")
	for _, u := range []*store.Unit{added, xin} {
		p.submitForm("remove "+u.Agency(), `form[action="/roster/units/`+itoa(u.ID)+`/remove"]`)
		p.sees("已移出名单")
	}
	p.sees("名单新增", "移出名单")
	p.tab.Screenshot(t, "org-roster.png")

	// the 汇总 of the two approved reports
	p.open("/region/2024")
	p.sees("2024 年度本行政区域汇总", "审核通过 2 个单位，尚未通过 0 个")
	p.tab.Axe(t, "本行政区域汇总（未生成）")
	p.typeIn("#agency", "城南县人民政府")
	p.tab.Do(t, "choose the level", chromedp.SetValue(chromedp.CSS(`#level`), string(schema.LevelCounty)))
	p.click("make the 汇总", `form[action="/region/2024/sum"] button`)
	p.sees("城南县人民政府（县）", "已汇总 2 个单位审核通过的报告，存为第 1 版（草稿）", "每个单元格都等于 2 份审核通过的报告之和", "提交审核前还需处理",
		"下载第 1 版 Excel 填报表，补写正文")
	p.tab.Axe(t, "本行政区域汇总（草稿）")

	// the office completes it (text, date), mistyping one cell
	regions, _ := f.store.RegionUnits(ctx)
	if len(regions) != 1 {
		t.Fatalf("%d region units", len(regions))
	}
	region := &regions[0]
	vs, _ := f.store.Versions(ctx, region.ID, 2024)
	made, err := workflow.ReadVersion(ctx, f.store, vs[0])
	if err != nil {
		t.Fatal(err)
	}
	done := gen.ReportOf("城南县人民政府", 2024, 7)
	done.Meta = made.Meta
	done.Meta.Published.Value = "2025-03-20"
	done.Tables = made.Tables
	done.Narrative["other"] = append(done.Narrative["other"], made.Narrative["other"]...)
	cell := done.Cell("t3", "received", "natural")
	right := cell.Num
	wrong, _ := right.Add(schema.Int(1))
	write := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, yamlfile.Write(done), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cell.SetNumber(wrong)
	p.choose("#file", write("汇总-有误.yaml"))
	p.click("upload a 汇总 that does not add up", `form[action="/region/2024/upload"] button`)
	p.sees("已保存第 2 版", "有 1 个单元格不等于 2 份审核通过的报告之和", "SUM-CHILDREN")
	p.tab.Screenshot(t, "org-region-differs.png")
	cell.SetNumber(right)
	p.choose("#file", write("汇总.yaml"))
	p.click("upload the 汇总", `form[action="/region/2024/upload"] button`)
	p.sees("已保存第 3 版", "每个单元格都等于 2 份审核通过的报告之和")
	p.click("submit the 汇总", `form[action="/region/2024/submit"] button`)
	p.sees("已提交第 3 版，等待审核人审核", "待审核")
	p.logout()

	// the reviewer approves it on its report page
	p.login("reviewer", password("reviewer"))
	p.open("/units/" + itoa(region.ID) + "/2024")
	p.sees("审核第 3 版")
	p.click("approve the 汇总", `button[value="approve"]`)
	p.sees("已通过")
	p.logout()

	// the office hands it up to the city
	p.login("office", password("office"))
	p.open("/region/2024")
	p.sees("已通过", "向上级报送", "导出 Excel")
	p.tab.Axe(t, "本行政区域汇总（已通过）")
	p.typeIn("#up-url", citySrv.URL)
	p.typeIn("#up-login", "chengnan")
	p.typeIn("#up-pw", "城南县在市里的密码 2025")
	p.click("hand up", `form[action="/region/2024/send"] button`)
	p.sees("已上报到 "+citySrv.URL, "上级服务器上为第 1 版，状态 待审核")
	p.tab.Screenshot(t, "org-region-sent.png")

	cvs, _ := city.Versions(ctx, cus[0].ID, 2024)
	if len(cvs) != 1 {
		t.Fatalf("the city holds %d versions", len(cvs))
	}
	got, err := workflow.ReadVersion(ctx, city, cvs[0])
	if err != nil || got.Meta.Scope.Value != string(schema.ScopeRegion) || got.Cell("t3", "received", "natural").Num.Cmp(right) != 0 {
		t.Errorf("the city's copy: %+v %v", got, err)
	}
	if st, _ := workflow.StatusOf(ctx, city, cus[0].ID, 2024); st.State != workflow.Pending {
		t.Errorf("on the city's server: %s", st.State)
	}
}
