package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

const (
	goodA = "../../../../examples/chengnan-scjg-2024.yaml" // unit A's report, no findings
	goodB = "../../../../examples/baoshan-zwfw-2024.yaml"  // unit B's report
)

// fixture is a collection server over a real store, with a roster of two
// units and an account of every role, passwords set.
type fixture struct {
	t     *testing.T
	srv   *httptest.Server
	s     *Server
	store *store.Store
	a, b  *store.Unit // 城南 (A) and 保山 (B)
	setup map[string]string
	// goodModel is unit A's good report as the browser app's form (model)
	goodModel []byte
}

var logins = []struct {
	login string
	role  store.Role
	unit  int // 0 none, 1 A, 2 B
}{{"office", store.RoleAdmin, 0}, {"reviewer", store.RoleReviewer, 0}, {"unit-a", store.RoleUnit, 1}, {"unit-b", store.RoleUnit, 2}, {"unit-new", store.RoleUnit, 3}}

func password(login string) string { return "password-of-" + login }

func newFixture(t *testing.T, kind string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DSN(t, kind))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := rostertest.Read(t, rostertest.Department("城南县市场监督管理局"),
		[]string{"保山市政务服务管理局", string(schema.LevelCity), string(schema.RoleDepartment)}, rostertest.Department("新设局"))
	cli := store.Actor{Name: "命令行"}
	if _, err := st.ImportRoster(ctx, cli, r); err != nil {
		t.Fatal(err)
	}
	us, _ := st.Units(ctx)
	f := &fixture{t: t, store: st, a: &us[0], b: &us[1], setup: map[string]string{}}
	for _, l := range logins {
		var unit int64
		if l.unit != 0 {
			unit = us[l.unit-1].ID
		}
		_, tok, err := st.CreateAccount(ctx, cli, l.login, l.login, l.role, unit)
		if err != nil {
			t.Fatal(err)
		}
		if l.login == "unit-new" {
			f.setup[l.login] = tok // left for the test to use
			continue
		}
		if _, err := st.UsePasswordLink(ctx, cli, tok, auth.HashPassword(password(l.login))); err != nil {
			t.Fatal(err)
		}
	}
	f.s, err = New(Options{Store: st, MaxUpload: 2 << 20, Log: log.New(io.Discard, "", 0),
		Now: func() time.Time { return time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.s)
	t.Cleanup(f.srv.Close)
	return f
}

// browser is one person's browser: a cookie jar that does not follow
// redirects, and the session's CSRF token.
type browser struct {
	f    *fixture
	c    *http.Client
	csrf string
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// as is a browser logged in as login.
func (f *fixture) as(login string) *browser {
	f.t.Helper()
	b := f.browser()
	resp := b.form("/login", url.Values{"login": {login}, "password": {password(login)}})
	if resp.code != http.StatusSeeOther {
		f.t.Fatalf("login %s: %d %s", login, resp.code, resp.body)
	}
	var s jsonSession
	if r := b.get("/api/v1/session"); r.code != 200 || json.Unmarshal([]byte(r.body), &s) != nil {
		f.t.Fatalf("session %s: %d %s", login, r.code, r.body)
	}
	b.csrf = s.CSRF
	return b
}

type answer struct {
	code int
	body string
	h    http.Header
}

func (b *browser) do(req *http.Request) answer {
	b.f.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(body), resp.Header}
}

func (b *browser) get(path string) answer {
	req, _ := http.NewRequest("GET", b.f.srv.URL+path, nil)
	return b.do(req)
}

// form posts fields with the session's CSRF token.
func (b *browser) form(path string, v url.Values) answer {
	if b.csrf != "" && v.Get(auth.CSRFField) == "" {
		v.Set(auth.CSRFField, b.csrf)
	}
	req, _ := http.NewRequest("POST", b.f.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts a file as the multipart part "file".
func (b *browser) upload(path, name string, data []byte) answer {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if b.csrf != "" {
		mw.WriteField(auth.CSRFField, b.csrf)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.f.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// follow gets the page a form redirected to.
func (b *browser) follow(a answer) answer {
	b.f.t.Helper()
	if a.code != http.StatusSeeOther {
		b.f.t.Fatalf("want a redirect, got %d: %s", a.code, a.body)
	}
	u, _ := url.Parse(a.h.Get("Location"))
	return b.get(u.RequestURI())
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func must(t *testing.T, a answer, code int, contains ...string) {
	t.Helper()
	if a.code != code {
		t.Fatalf("status %d, want %d: %.600s", a.code, code, a.body)
	}
	for _, s := range contains {
		if !strings.Contains(a.body, s) {
			t.Fatalf("answer lacks %q: %.3000s", s, a.body)
		}
	}
}

// variants are unit A's report as it is, with errors (表三's first
// figure wrong), and with a 需说明 warning (TEXT-NUMBER: the text says 51
// applications, 表三 50).
func variants(t *testing.T) (good, bad, warn []byte) {
	good = read(t, goodA)
	bad = bytes.Replace(good, []byte("received: [38,"), []byte("received: [938,"), 1)
	warn = bytes.Replace(good, []byte("全年共收到政府信息公开申请50件"), []byte("全年共收到政府信息公开申请51件"), 1)
	if bytes.Equal(bad, good) || bytes.Equal(warn, good) {
		t.Fatal("the example changed: the variants no longer differ from it")
	}
	return good, bad, warn
}

func (f *fixture) unitURL(u *store.Unit) string { return "/units/" + itoa(u.ID) + "/2024" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRound is a whole review round over HTTP: a unit uploads a report
// with errors, fixes it, explains a warning, submits; the reviewer returns
// it with a comment; the unit fixes and answers; the reviewer approves;
// the unit marks it published; a later upload is flagged 发布后修改.
func TestRound(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, rev, office := f.as("unit-a"), f.as("reviewer"), f.as("office")
			page := f.unitURL(f.a)
			good, bad, warn := variants(t)

			// the home page of a unit is its report's page
			must(t, unit.get("/"), http.StatusSeeOther)
			must(t, unit.get(page), 200, "未报", "上传报告")

			// a report with errors is saved, its findings shown, no submit
			p := unit.follow(unit.upload(page+"/upload", "报告.yaml", bad))
			must(t, p, 200, "已保存第 1 版", "错误", "暂不能提交")
			must(t, unit.form(page+"/submit", url.Values{}), http.StatusUnprocessableEntity, "不能提交")

			// fixed, but a 需说明 warning: still no submit
			p = unit.follow(unit.upload(page+"/upload", "报告.yaml", warn))
			must(t, p, 200, "已保存第 2 版", "需说明", "TEXT-NUMBER", "说明需说明的问题")
			must(t, unit.form(page+"/submit", url.Values{}), http.StatusUnprocessableEntity, "TEXT-NUMBER")

			// explained: a new version, submitted
			p = unit.follow(unit.form(page+"/explain", url.Values{"rule": {"TEXT-NUMBER"}, "place": {"overview"}, "reason": {"另有1件申请在表三统计截止后收到"}}))
			must(t, p, 200, "已保存说明（第 3 版", "已说明", "提交第 3 版")
			must(t, unit.follow(unit.form(page+"/submit", url.Values{"version": {"3"}})), 200, "待审核", "已提交第 3 版")
			must(t, unit.upload(page+"/upload", "报告.yaml", good), http.StatusConflict) // nothing saved while under review

			// the reviewer returns it with a comment on a cell
			must(t, rev.get(page), 200, "审核第 3 版", "退回修改")
			must(t, rev.form(page+"/review", url.Values{"decision": {"return"}}), http.StatusBadRequest, "请写明意见")
			p = rev.follow(rev.form(page+"/review", url.Values{"decision": {"return"}, "version": {"3"},
				"cell-target": {"t3.received.natural"}, "cell-comment": {"请核实自然人申请数"}, "note": {"请改正正文数字"}}))
			must(t, p, 200, "退回修改", "请核实自然人申请数")

			// the unit sees the comment, fixes, answers, resubmits
			p = unit.get(page)
			must(t, p, 200, "审核意见（待答复）", "请核实自然人申请数")
			unit.follow(unit.upload(page+"/upload", "报告.yaml", good))
			// changed but not resubmitted: the board still says it was returned
			must(t, office.get("/board?year=2024&state=退回修改"), 200, "城南县市场监督管理局", "退回修改（已改，未重新提交）")
			if p := office.get("/board?year=2024&state=草稿"); strings.Contains(p.body, "城南县市场监督管理局") {
				t.Errorf("a returned report changed but not resubmitted filed under 草稿")
			}
			must(t, unit.get(page), 200, "退回修改（已改，未重新提交）", "审核意见（待答复）")
			var st struct {
				Units []jsonStatus `json:"units"`
			}
			a := office.get("/api/v1/status?year=2024")
			json.Unmarshal([]byte(a.body), &st)
			if len(st.Units) != 3 || st.Units[0].State != "草稿" || !st.Units[0].EditedAfterReturn {
				t.Fatalf("status after a change of a returned report: %s", a.body)
			}
			var rep struct {
				Comments []jsonComment `json:"comments"`
				Versions []jsonVersion `json:"versions"`
			}
			a = unit.get("/api/v1/reports/" + itoa(f.a.ID) + "/2024")
			must(t, a, 200)
			json.Unmarshal([]byte(a.body), &rep)
			if len(rep.Comments) != 1 || len(rep.Versions) != 4 {
				t.Fatalf("comments %d, versions %d", len(rep.Comments), len(rep.Versions))
			}
			p = unit.follow(unit.form(page+"/submit", url.Values{"answer-" + itoa(rep.Comments[0].ID): {"已改正正文"}}))
			must(t, p, 200, "待审核", "第 2 轮", "已改正正文", "已改正 1")
			if p := office.get("/board?year=2024"); strings.Contains(p.body, "已改，未重新提交") {
				t.Errorf("resubmitted, still marked as changed after the return")
			}
			a = office.get("/api/v1/status?year=2024")
			st.Units = nil
			json.Unmarshal([]byte(a.body), &st)
			if len(st.Units) != 3 || st.Units[0].State != "待审核" || st.Units[0].EditedAfterReturn {
				t.Fatalf("status after resubmission: %s", a.body)
			}

			// approved, published, then changed after publication
			must(t, rev.follow(rev.form(page+"/review", url.Values{"decision": {"approve"}})), 200, "已通过")
			p = unit.follow(unit.form(page+"/publish", url.Values{"date": {"2025-01-22"}}))
			must(t, p, 200, "已发布", "最终 PDF")
			pdf := unit.get(page + "/published/1")
			if pdf.code != 200 || !strings.HasPrefix(pdf.body, "%PDF") {
				t.Fatalf("published PDF: %d %.40q", pdf.code, pdf.body)
			}
			must(t, office.get("/board?year=2024"), 200, "已发布")
			unit.follow(unit.upload(page+"/upload", "报告.yaml", append(good, '\n')))
			must(t, office.get("/board?year=2024&edited=1"), 200, "城南县市场监督管理局", "发布后修改")
			st.Units = nil
			a = office.get("/api/v1/status?year=2024")
			json.Unmarshal([]byte(a.body), &st)
			if len(st.Units) != 3 || st.Units[0].State != "草稿" || !st.Units[0].EditedAfterPublish || st.Units[0].EditedAfterReturn || st.Units[1].State != "未报" {
				t.Fatalf("status %s", a.body)
			}
			// the overview workbook of batch
			ov := office.get("/board/overview.xlsx?year=2024")
			if ov.code != 200 || !strings.HasPrefix(ov.body, "PK") {
				t.Fatalf("overview: %d %.200s", ov.code, ov.body)
			}
			// the audit log, on the page and as CSV
			must(t, office.get("/audit"), 200, "提交审核", "审核通过", "标记已发布")
			must(t, office.get("/audit.csv"), 200, "退回修改")
		})
	}
}

// TestFill: the browser app of nianbao serve runs under /fill/ with the
// session's CSRF token as its token, and checks like the CLI.
func TestFill(t *testing.T) {
	f := newFixture(t, "sqlite")
	b := f.as("unit-a")
	must(t, b.get("/fill/"), 200, `content="`+url.QueryEscape(b.csrf)+`"`)
	must(t, b.get("/fill/assets/app.js"), 200)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "报告.yaml")
	fw.Write(read(t, goodA))
	mw.Close()
	post := func(token string) answer {
		req, _ := http.NewRequest("POST", f.srv.URL+"/fill/api/v1/check", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set(web.TokenHeader, token)
		return b.do(req)
	}
	must(t, post(b.csrf), 200, `"ok": true`)
	must(t, post(wrong(b.csrf)), http.StatusForbidden)
	must(t, f.browser().get("/fill/"), http.StatusSeeOther)
	// the app's own time limit on a request holds under /fill/ as under
	// nianbao serve: a check over it is cut off with a Chinese answer
	slow, err := New(Options{Store: f.store, FillTimeout: time.Nanosecond, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	f.s.fill = slow.fill
	must(t, post(b.csrf), http.StatusServiceUnavailable, "处理超时")
}

// TestAPIRound: a script's round through the API alone — log in for
// JSON, upload, submit, return, read the report back.
func TestAPIRound(t *testing.T) {
	f := newFixture(t, "sqlite")
	login := func(who string) *browser {
		b := f.browser()
		req, _ := http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(url.Values{"login": {who}, "password": {password(who)}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		a := b.do(req)
		var s jsonSession
		if a.code != 200 || json.Unmarshal([]byte(a.body), &s) != nil || s.CSRF == "" {
			t.Fatalf("login %s: %d %s", who, a.code, a.body)
		}
		b.csrf = s.CSRF
		return b
	}
	unit, rev := login("unit-a"), login("reviewer")
	api := "/api/v1/reports/" + url.PathEscape(f.a.Agency()) + "/2024"
	post := func(b *browser, path string, v url.Values) answer {
		req, _ := http.NewRequest("POST", f.srv.URL+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(auth.CSRFHeader, b.csrf)
		req.Header.Set("Accept", "application/json")
		return b.do(req)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "报告.yaml")
	fw.Write(read(t, goodA))
	mw.Close()
	req, _ := http.NewRequest("POST", f.srv.URL+api, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(auth.CSRFHeader, unit.csrf)
	a := unit.do(req)
	must(t, a, http.StatusCreated, `"version": 1`, `"ok": true`)
	if a.h.Get(web.ExitHeader) != "0" {
		t.Errorf("exit header %q", a.h.Get(web.ExitHeader))
	}
	must(t, post(unit, api+"/submit", url.Values{"version": {"2"}}), http.StatusConflict, "最新")
	must(t, post(unit, api+"/submit", url.Values{"version": {"1"}}), 200, `"state": "待审核"`)
	must(t, post(rev, api+"/review", url.Values{"decision": {"return"}, "cell-target": {"t3.received.natural"}, "cell-comment": {"请核实"}}), 200, `"state": "退回修改"`)
	must(t, post(rev, api+"/review", url.Values{"decision": {"approve"}}), http.StatusConflict)
	must(t, unit.get(api), 200, `"state": "退回修改"`, `"target": "t3.received.natural"`, `"text": "请核实"`)
}

// TestAccounts: the office makes a unit's account in the browser, the
// link it is shown sets the password once, a new link replaces it, and a
// disabled account cannot log in.
func TestAccounts(t *testing.T) {
	f := newFixture(t, "sqlite")
	office := f.as("office")
	p := office.get("/accounts")
	must(t, p, 200, "unit-a", "新设局")
	must(t, office.form("/accounts", url.Values{"login": {"unit-a"}, "role": {"审核人"}}), http.StatusConflict, "已被使用")
	must(t, office.form("/accounts", url.Values{"login": {"x"}, "role": {"填报单位"}, "unit": {itoa(f.a.ID)}}), http.StatusConflict, "已有账号")
	// a unit whose account was never made: a new unit on the roster
	must(t, importRoster(t, office, "名单.csv", rostertest.CSV(rostertest.Department(f.a.Agency()), rostertest.Department(f.b.Agency()),
		rostertest.Department("新设局"), rostertest.Department("城北县统计局")), false), http.StatusSeeOther)
	u, _ := f.store.UnitByName(context.Background(), "城北县统计局")
	a := office.form("/accounts", url.Values{"login": {"chengbei"}, "role": {"填报单位"}, "unit": {itoa(u.ID)}})
	must(t, a, 200, "一次性链接", "/setup?token=")
	link := a.body[strings.Index(a.body, "http://"):]
	link = link[:strings.Index(link, `"`)]
	link = strings.ReplaceAll(link, "&amp;", "&")
	lu, _ := url.Parse(link)
	tok := lu.Query().Get("token")
	b := f.browser()
	must(t, b.get(lu.RequestURI()), 200, "chengbei")
	// a new link: the old one stops working
	acct, _ := f.store.AccountByLogin(context.Background(), "chengbei")
	must(t, office.form("/accounts/"+itoa(acct.ID)+"/link", url.Values{}), 200, "/setup?token=")
	must(t, b.form("/setup", url.Values{"token": {tok}, "password": {"一个足够长的新密码啊"}, "password2": {"一个足够长的新密码啊"}}), http.StatusNotFound)
	// disabled: no login
	must(t, office.form("/accounts/"+itoa(acct.ID)+"/state", url.Values{"disabled": {"1"}}), http.StatusSeeOther)
	must(t, office.form("/accounts/1/state", url.Values{"disabled": {"1"}}), http.StatusConflict, "自己")
	must(t, office.get("/accounts"), 200, "已停用")
}

// TestForgedMessage: a link from elsewhere cannot make a page show a
// status message of its author's choosing; the messages the server itself
// redirects with are shown (TestRound follows them).
func TestForgedMessage(t *testing.T) {
	f := newFixture(t, storetest.Kinds[0])
	const evil = "系统升级：请到 http://evil.example 重新设置密码"
	q := "msg=" + url.QueryEscape(evil)
	anon := f.browser()
	if a := anon.get("/login?" + q); a.code != 200 || strings.Contains(a.body, "evil.example") {
		t.Errorf("login page: %d, shows the forged message: %v", a.code, strings.Contains(a.body, "evil.example"))
	}
	if a := anon.get("/login?msg=" + url.QueryEscape("已退出登录")); !strings.Contains(a.body, "已退出登录") {
		t.Errorf("login page does not show 已退出登录")
	}
	office, unit := f.as("office"), f.as("unit-a")
	for _, tt := range []struct {
		b    *browser
		path string
	}{{office, "/board?" + q}, {office, "/board?" + q + "&ms=0123456789abcdef0123456789abcdef"}, {unit, f.unitURL(f.a) + "?" + q}} {
		if a := tt.b.get(tt.path); a.code != 200 || strings.Contains(a.body, "evil.example") {
			t.Errorf("%s: %d, shows the forged message: %v", tt.path, a.code, strings.Contains(a.body, "evil.example"))
		}
	}
}

// TestCommentsClosedAfterApproval: a cell comment of a return that the
// unit did not answer is waiting for an answer only while that return is
// the round under way; once the report is resubmitted and approved (and
// when it is reopened after approval) the unit's page no longer lists it
// as 审核意见（待答复）. The round keeps it in the record.
func TestCommentsClosedAfterApproval(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, rev := f.as("unit-a"), f.as("reviewer")
			page := f.unitURL(f.a)
			good, _, _ := variants(t)
			unit.follow(unit.upload(page+"/upload", "报告.yaml", good))
			must(t, unit.follow(unit.form(page+"/submit", url.Values{"version": {"1"}})), 200, "待审核")
			rev.follow(rev.form(page+"/review", url.Values{"decision": {"return"}, "version": {"1"},
				"cell-target": {"t3.received.natural"}, "cell-comment": {"请核实自然人申请数"}, "note": {"请核实"}}))
			must(t, unit.get(page), 200, "审核意见（待答复）", "请核实自然人申请数")
			// resubmitted as it was, without an answer, and approved
			unit.follow(unit.upload(page+"/upload", "报告.yaml", append(good, '\n')))
			must(t, unit.follow(unit.form(page+"/submit", url.Values{"version": {"2"}})), 200, "待审核")
			if p := unit.get(page); strings.Contains(p.body, "审核意见（待答复）") {
				t.Errorf("resubmitted, the comment still waits for an answer")
			}
			must(t, rev.follow(rev.form(page+"/review", url.Values{"decision": {"approve"}})), 200, "已通过")
			p := unit.get(page)
			must(t, p, 200, "已通过", "请核实自然人申请数") // in the record of the rounds
			if strings.Contains(p.body, "审核意见（待答复）") {
				t.Errorf("approved, the comment still waits for an answer")
			}
			// reopened after approval: a new draft, the old comment closed
			p = unit.follow(unit.upload(page+"/upload", "报告.yaml", append(good, '\n', '\n')))
			must(t, p, 200, "草稿")
			if strings.Contains(p.body, "审核意见（待答复）") || strings.Contains(p.body, "答复：") {
				t.Errorf("reopened after approval, the old comment waits for an answer again")
			}
		})
	}
}
