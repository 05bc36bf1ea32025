package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nianbao/nianbao/cmd/internal/browsertest"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

// person is one person at the browser: what they type and click, and
// what the page says back.
type person struct {
	t   *testing.T
	tab *browsertest.Tab
	url string
}

// click clicks sel and waits for the page the form leads to.
func (p *person) click(what, sel string) {
	p.t.Helper()
	p.tab.Do(p.t, what, chromedp.Evaluate[chromedp.Void](`window.__before = true`), chromedp.Click(chromedp.CSS(sel)))
	p.waitLoad(what)
}

// waitLoad waits until the page that replaced the current one has loaded.
func (p *person) waitLoad(what string) {
	p.t.Helper()
	deadline := time.Now().Add(browsertest.Timeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.tab.Ctx, 5*time.Second)
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__before && document.readyState === "complete"`))
		cancel()
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("%s: the next page did not load", what)
}

func (p *person) typeIn(sel, text string) {
	p.t.Helper()
	p.tab.Do(p.t, "type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (p *person) choose(sel, file string) {
	p.t.Helper()
	p.tab.Do(p.t, "choose "+file, chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file}))
}

// sees fails unless the page's text has every one of want.
func (p *person) sees(want ...string) {
	p.t.Helper()
	text := browsertest.Eval[string](p.t, p.tab, `document.body.innerText`)
	for _, w := range want {
		if !strings.Contains(text, w) {
			p.t.Fatalf("the page does not say %q:\n%s", w, text)
		}
	}
}

func (p *person) open(path string) {
	p.t.Helper()
	p.tab.Go(p.t, p.url+path)
}

func (p *person) login(login, pw string) {
	p.t.Helper()
	p.open("/login")
	p.typeIn("#login", login)
	p.typeIn("#password", pw)
	p.click("log in as "+login, `form[action="/login"] button`)
}

func (p *person) logout() {
	p.t.Helper()
	p.click("log out", `.logout button`)
	p.sees("已退出登录")
}

// TestBrowserRound is the review round in Chromium, page by page, every
// page checked with axe-core: the office imports the roster; the unit sets
// its password through its one-time link, uploads a report with errors,
// then one with a 需说明 warning, explains it and submits; the reviewer
// returns it with a comment on a cell; the unit sees the comment, uploads
// the fixed report, answers and resubmits; the reviewer approves.
func TestBrowserRound(t *testing.T) {
	f := newFixture(t, "sqlite")
	// the office's roster adds a unit that has no account yet
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, badData, warnData := variants(t)
	rosterFile := write("名单.csv", rostertest.CSV(rostertest.Department("城南县市场监督管理局"),
		rostertest.Department("保山市政务服务管理局"), rostertest.Department("新设局"), rostertest.Department("城北县统计局")))
	bad := write("有错误.yaml", badData)
	warn := write("需说明.yaml", warnData)
	fixed := write("改正后.yaml", good)

	b := browsertest.Start(t)
	p := &person{t: t, tab: b.Tab(t), url: f.srv.URL}

	// the office imports the roster
	p.login("office", password("office"))
	p.sees("2024 年度报告报送情况", "未报")
	p.tab.Axe(t, "报送情况")
	p.choose("#roster-file", rosterFile)
	p.click("import the roster", `form[action="/roster"] button`)
	p.sees("已导入名单", "新增 1", "城北县统计局")
	p.open("/accounts")
	p.sees("新建账号", "unit-a")
	p.tab.Axe(t, "账号")
	p.logout()

	// the new unit's account, made by the office (nianbao org account add)
	u, err := f.store.UnitByName(context.Background(), "城北县统计局")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.store.CreateAccount(context.Background(), store.Actor{Name: "命令行"}, "chengbei", "城北县统计局", store.RoleUnit, u.ID); err != nil {
		t.Fatal(err)
	}
	// unit A sets its password through its one-time link (given again)
	acct, _ := f.store.AccountByLogin(context.Background(), "unit-a")
	tok, err := f.store.IssueSetupLink(context.Background(), store.Actor{Name: "命令行"}, acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.open("/setup?token=" + tok)
	p.sees("设置密码", "unit-a")
	p.tab.Axe(t, "设置密码")
	p.typeIn("#password", "新的足够长的密码 2025")
	p.typeIn("#password2", "新的足够长的密码 2025")
	p.click("set the password", `form[action="/setup"] button`)
	p.sees("密码已设置")
	p.tab.Axe(t, "登录")
	p.login("unit-a", "新的足够长的密码 2025")
	p.sees("城南县市场监督管理局 2024 年度报告", "未报", "上传报告")

	// a report with errors: saved, findings shown, cannot be submitted
	p.choose("#file", bad)
	p.click("upload with errors", `form[action$="/upload"] button`)
	p.sees("已保存第 1 版", "错误", "暂不能提交")
	p.tab.Axe(t, "单位的报告（有错误）")
	// fixed, but with a 需说明 warning: explained on the page, submitted
	p.choose("#file", warn)
	p.click("upload with a warning", `form[action$="/upload"] button`)
	p.sees("已保存第 2 版", "需说明", "说明需说明的问题")
	p.typeIn("#reason-0", "另有1件申请在统计截止后收到，计入下一年度")
	p.click("explain", `form[action$="/explain"] button`)
	p.sees("已保存说明", "已说明", "提交第 3 版")
	p.tab.Screenshot(t, "org-unit.png")
	p.click("submit", `form[action$="/submit"] button`)
	p.sees("已提交第 3 版", "待审核")
	p.logout()

	// the reviewer returns it with a comment on a cell
	p.login("reviewer", password("reviewer"))
	p.sees("待审核 1")
	p.open(f.unitURL(f.a))
	p.sees("审核第 3 版")
	p.tab.Axe(t, "审核")
	p.tab.Do(t, "choose a cell", chromedp.SetValue(chromedp.CSS("#cell-target-0"), "t3.received.natural"))
	p.typeIn("#cell-comment-0", "请核实自然人申请数")
	p.click("return", `button[value="return"]`)
	p.sees("退回修改", "请核实自然人申请数")
	p.tab.Screenshot(t, "org-returned.png")
	p.logout()

	// the unit sees the comment, fixes, answers, resubmits
	p.login("unit-a", "新的足够长的密码 2025")
	p.sees("审核意见（待答复）", "请核实自然人申请数")
	p.choose("#file", fixed)
	p.click("upload the fix", `form[action$="/upload"] button`)
	p.sees("已保存第 4 版", "没有发现问题")
	p.typeIn(`textarea[name^="answer-"]`, "已核实，正文已改正")
	p.click("resubmit", `form[action$="/submit"] button`)
	p.sees("已提交第 4 版", "第 2 轮", "已核实，正文已改正")
	p.logout()

	// the reviewer sees what changed and approves
	p.login("reviewer", password("reviewer"))
	p.open(f.unitURL(f.a))
	p.sees("第 2 轮", "已改正 1")
	p.tab.Screenshot(t, "org-review.png")
	p.click("approve", `button[value="approve"]`)
	p.sees("已通过")
	p.open("/board?year=2024")
	p.sees("已通过 1")
	p.tab.Screenshot(t, "org-board.png")
}

// TestBrowserFill: a unit fills its report in the browser app under /fill/
// and saves it to the server, in Chromium with axe-core: it opens the app
// from its page (the form starts from its blank template), opens a report
// with an error, saves it to the server — version 1, no 提交审核 — fixes
// the cell in the form, saves again — version 2, no findings — submits
// from the app, and sees both versions and 待审核 on its page.
func TestBrowserFill(t *testing.T) {
	f := newFixture(t, "sqlite")
	_, badData, _ := variants(t)
	bad := filepath.Join(t.TempDir(), "有错误.yaml")
	if err := os.WriteFile(bad, badData, 0o644); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	p := &person{t: t, tab: b.Tab(t), url: f.srv.URL}
	p.login("unit-a", password("unit-a"))
	p.click("open the app", `a[href^="/fill/"]`)
	p.tab.WaitJS(t, "the form from the blank template", `document.body.dataset.ready && !document.querySelector("#view-fill").hidden &&
		document.querySelector('#fill-form [data-field="agency"]') && document.querySelector('#fill-form [data-field="agency"]').value === "城南县市场监督管理局"`)
	p.sees("保存到服务器：城南县市场监督管理局 2024 年度报告", "保存到服务器（草稿）")
	p.tab.Axe(t, "填写（保存到服务器）")

	cell := `#fill-form input[data-key="t3.received.natural"]`
	p.choose("#fill-open", bad)
	p.tab.WaitJS(t, "the report with an error", `document.querySelector('`+cell+`') && document.querySelector('`+cell+`').value === "938"`)
	p.tab.Do(t, "save to the server", chromedp.Click(chromedp.CSS("#fill-save-server")))
	p.tab.WaitJS(t, "version 1 saved", `document.querySelector("#fill-saved").textContent.includes("已保存第 1 版")`)
	if !browsertest.Eval[bool](t, p.tab, `document.querySelector("#fill-submit").hidden`) {
		t.Error("a report with errors is offered for submission")
	}
	p.sees("错误")

	// the unit fixes the cell in the form and saves again
	p.tab.Do(t, "fix the cell", chromedp.SetValue(chromedp.CSS(cell), "38"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+cell+`').dispatchEvent(new Event("input", {bubbles: true}))`))
	p.tab.WaitJS(t, "the form to check clean", `document.querySelector("#fill-findings .summary.ok")`)
	p.tab.Do(t, "save again", chromedp.Click(chromedp.CSS("#fill-save-server")))
	p.tab.WaitJS(t, "version 2 saved", `document.querySelector("#fill-saved").textContent.includes("已保存第 2 版") && !document.querySelector("#fill-submit").hidden`)
	p.sees("没有发现问题")
	p.tab.Axe(t, "填写（已保存，可提交）")
	p.tab.Screenshot(t, "org-fill-saved.png")
	p.tab.Do(t, "submit", chromedp.Click(chromedp.CSS("#fill-submit")))
	p.tab.WaitJS(t, "submitted", `document.querySelector("#fill-saved").textContent.includes("已提交第 2 版")`)

	p.click("back to the report's page", "#fill-back")
	p.sees("待审核", "第 2 版", "第 1 版")
	vs, err := f.store.Versions(context.Background(), f.a.ID, 2024)
	if err != nil || len(vs) != 2 || vs[1].Errors != 0 || vs[0].Errors == 0 {
		t.Fatalf("versions: %d %v", len(vs), err)
	}
}
