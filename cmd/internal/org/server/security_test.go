package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

// endpoint is one row of the security table for one route: how to make a
// request to it about unit A's 2024 report.
type endpoint struct {
	path string     // with {unit} → unit A's ID
	form url.Values // a POST's form fields (urlencoded)
	file bool       // a POST with a multipart file (unit A's good report)
	// model: a POST of the browser app's form (unit A's good report as the
	// part "report"), its token in the form field like the others
	model bool
}

// table has one row per route of Routes(); TestSecurityTable fails when a
// route has none, so a new endpoint cannot go untested.
var table = map[string]endpoint{
	"GET /login":                                {path: "/login"},
	"POST /login":                               {path: "/login", form: url.Values{"login": {"unit-a"}, "password": {"wrong password"}}},
	"GET /setup":                                {path: "/setup?token=x"},
	"POST /setup":                               {path: "/setup", form: url.Values{"token": {"x"}}},
	"GET /assets/org.css":                       {path: "/assets/org.css"},
	"POST /logout":                              {path: "/logout", form: url.Values{}},
	"GET /{$}":                                  {path: "/"},
	"GET /units/{unit}/{year}":                  {path: "/units/{unit}/2024"},
	"POST /units/{unit}/{year}/upload":          {path: "/units/{unit}/2024/upload", file: true},
	"POST /units/{unit}/{year}/explain":         {path: "/units/{unit}/2024/explain", form: url.Values{"rule": {"TEXT-NUMBER"}, "place": {"overview"}, "reason": {"原因"}}},
	"POST /units/{unit}/{year}/submit":          {path: "/units/{unit}/2024/submit", form: url.Values{}},
	"POST /units/{unit}/{year}/review":          {path: "/units/{unit}/2024/review", form: url.Values{"decision": {"approve"}}},
	"POST /units/{unit}/{year}/publish":         {path: "/units/{unit}/2024/publish", form: url.Values{"date": {"2025-01-22"}}},
	"GET /units/{unit}/{year}/template.xlsx":    {path: "/units/{unit}/2024/template.xlsx"},
	"GET /units/{unit}/{year}/versions/{seq}":   {path: "/units/{unit}/2024/versions/1"},
	"GET /units/{unit}/{year}/published/{n}":    {path: "/units/{unit}/2024/published/1"},
	"GET /board":                                {path: "/board"},
	"GET /board/overview.xlsx":                  {path: "/board/overview.xlsx?year=2024"},
	"POST /deadlines":                           {path: "/deadlines", form: url.Values{"year": {"2024"}, "due-本机关": {"2025-02-10"}}},
	"POST /roster":                              {path: "/roster", file: true},
	"GET /audit":                                {path: "/audit"},
	"GET /audit.csv":                            {path: "/audit.csv"},
	"GET /accounts":                             {path: "/accounts"},
	"POST /accounts":                            {path: "/accounts", form: url.Values{"login": {"new-reviewer"}, "role": {"审核人"}}},
	"POST /accounts/{id}/link":                  {path: "/accounts/5/link", form: url.Values{}},
	"POST /accounts/{id}/state":                 {path: "/accounts/5/state", form: url.Values{"disabled": {"1"}}},
	"GET /fill/":                                {path: "/fill/"},
	"POST /fill/api/":                           {path: "/fill/api/v1/check", file: true},
	"POST /fill/units/{unit}/{year}/save":       {path: "/fill/units/{unit}/2024/save", model: true},
	"POST /fill/units/{unit}/{year}/submit":     {path: "/fill/units/{unit}/2024/submit?version=1", form: url.Values{}},
	"GET /api/v1/session":                       {path: "/api/v1/session"},
	"GET /api/v1/roster":                        {path: "/api/v1/roster"},
	"GET /api/v1/status":                        {path: "/api/v1/status?year=2024"},
	"GET /api/v1/reports/{unit}/{year}":         {path: "/api/v1/reports/{unit}/2024"},
	"POST /api/v1/reports/{unit}/{year}":        {path: "/api/v1/reports/{unit}/2024", file: true},
	"POST /api/v1/reports/{unit}/{year}/submit": {path: "/api/v1/reports/{unit}/2024/submit", form: url.Values{}},
	"POST /api/v1/reports/{unit}/{year}/review": {path: "/api/v1/reports/{unit}/2024/review", form: url.Values{"decision": {"return"}, "note": {"意见"}}},
}

func (e endpoint) url(f *fixture, unit *store.Unit) string {
	return strings.ReplaceAll(e.path, "{unit}", itoa(unit.ID))
}

// request makes the row's request as browser b, with the CSRF token csrf
// ("" = none) and extra headers.
func (e endpoint) request(f *fixture, b *browser, unit *store.Unit, csrf string, hdr map[string]string) answer {
	var req *http.Request
	u := f.srv.URL + e.url(f, unit)
	switch {
	case e.file, e.model:
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		if csrf != "" {
			mw.WriteField(auth.CSRFField, csrf)
		}
		if e.model {
			fw, _ := mw.CreateFormFile("report", "report.json")
			fw.Write(f.model())
		} else {
			fw, _ := mw.CreateFormFile("file", "报告.yaml")
			fw.Write(read(f.t, goodA))
		}
		mw.Close()
		req, _ = http.NewRequest("POST", u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	case e.form != nil:
		v := url.Values{}
		for k, vs := range e.form {
			v[k] = vs
		}
		if csrf != "" {
			v.Set(auth.CSRFField, csrf)
		}
		req, _ = http.NewRequest("POST", u, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	default:
		req, _ = http.NewRequest("GET", u, nil)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

// footprint is what a refused request must leave unchanged: every table's
// row count but the audit log's and the login attempts'.
func (f *fixture) footprint() map[string]int64 {
	c, err := f.store.Counts(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	delete(c, "audit")
	delete(c, "login_attempts")
	delete(c, "sessions")
	return c
}

func roleIn(r store.Role, rs []store.Role) bool { return slices.Contains(rs, r) }

// TestSecurityTable walks every route of the table, on SQLite and on
// PostgreSQL: a route without a row fails; every row is tested without a
// session, by every role that may not call it, by unit B on unit A's
// report (IDOR), and without, with a wrong and with a cross-site CSRF
// token; every refusal leaves the data as it was.
func TestSecurityTable(t *testing.T) {
	for _, rt := range Routes() {
		if _, ok := table[rt.Method+" "+rt.Path]; !ok {
			t.Errorf("route %s %s has no row in the security table", rt.Method, rt.Path)
		}
	}
	for key := range table {
		found := false
		for _, rt := range Routes() {
			found = found || rt.Method+" "+rt.Path == key
		}
		if !found {
			t.Errorf("security table row %q names no route", key)
		}
	}
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			// unit A has a stored version, so every read has something to leak
			ua := f.as("unit-a")
			must(t, ua.upload(f.unitURL(f.a)+"/upload", "报告.yaml", read(t, goodA)), http.StatusSeeOther)
			browsers := map[string]*browser{}
			for _, l := range logins[:4] {
				browsers[l.login] = f.as(l.login)
			}
			for _, rt := range Routes() {
				e := table[rt.Method+" "+rt.Path]
				name := rt.Method + " " + rt.Path
				post := rt.Method == "POST"
				if rt.Roles == nil {
					continue // public: the login rows below
				}
				t.Run("anonymous/"+name, func(t *testing.T) {
					before := f.footprint()
					a := e.request(f, f.browser(), f.a, "", nil)
					if a.code != http.StatusUnauthorized && !(a.code == http.StatusSeeOther && a.h.Get("Location") == "/login") {
						t.Errorf("without a session: %d %.200s", a.code, a.body)
					}
					if !post && strings.Contains(a.body, f.a.Agency()) {
						t.Errorf("the answer names unit A")
					}
					if !maps(before, f.footprint()) {
						t.Errorf("data changed: %v → %v", before, f.footprint())
					}
				})
				for _, l := range logins[:4] {
					b := browsers[l.login]
					allowedRole := roleIn(l.role, rt.Roles)
					seesA := l.role != store.RoleUnit || l.login == "unit-a"
					switch {
					case !allowedRole:
						t.Run("role/"+string(l.role)+"/"+name, func(t *testing.T) {
							before := f.footprint()
							if a := e.request(f, b, f.a, b.csrf, nil); a.code != http.StatusForbidden {
								t.Errorf("%s: %d %.200s", l.login, a.code, a.body)
							}
							if !maps(before, f.footprint()) {
								t.Errorf("data changed")
							}
						})
					case rt.Unit() && !seesA:
						t.Run("IDOR/"+l.login+"/"+name, func(t *testing.T) {
							before := f.footprint()
							a := e.request(f, b, f.a, b.csrf, nil)
							a0 := a
							if a.code != http.StatusForbidden {
								t.Errorf("unit B on unit A's report: %d %.200s", a.code, a.body)
							}
							if strings.Contains(a.body, f.a.Agency()) || strings.Contains(a.body, "城南县") {
								t.Errorf("the answer shows unit A's data: %.300s", a.body)
							}
							if !maps(before, f.footprint()) {
								t.Errorf("data changed")
							}
							// by name as well as by number
							byName := e
							byName.path = strings.ReplaceAll(e.path, "{unit}", url.PathEscape(f.a.Agency()))
							if a := byName.request(f, b, f.a, b.csrf, nil); a.code != http.StatusForbidden {
								t.Errorf("by name: %d", a.code)
							}
							// a unit that does not exist answers alike, so the
							// roster cannot be probed
							none := e
							none.path = strings.ReplaceAll(e.path, "{unit}", url.PathEscape("不存在的某某局"))
							if a := none.request(f, b, f.a, b.csrf, nil); a.code != a0.code || a.body != a0.body {
								t.Errorf("a unit not on the roster: %d %.200s, another unit's: %d %.200s", a.code, a.body, a0.code, a0.body)
							}
						})
					}
				}
				if !post {
					continue
				}
				var who *browser
				for _, l := range logins[:4] {
					if roleIn(l.role, rt.Roles) && (l.role != store.RoleUnit || l.login == "unit-a") {
						who = browsers[l.login]
						break
					}
				}
				for _, c := range []struct {
					name, csrf string
					hdr        map[string]string
				}{
					{"no token", "", nil},
					{"wrong token", wrong(who.csrf), nil},
					{"cross-site", who.csrf, map[string]string{"Sec-Fetch-Site": "cross-site"}},
				} {
					t.Run("CSRF/"+c.name+"/"+name, func(t *testing.T) {
						before := f.footprint()
						if a := e.request(f, who, f.a, c.csrf, c.hdr); a.code != http.StatusForbidden {
							t.Errorf("%d %.200s", a.code, a.body)
						}
						if !maps(before, f.footprint()) {
							t.Errorf("data changed")
						}
					})
				}
			}
			// the allowed accounts are let through (the refusals above are
			// not a server that refuses everything)
			for _, rt := range Routes() {
				if rt.Roles == nil || rt.Path == "/logout" {
					continue
				}
				e := table[rt.Method+" "+rt.Path]
				t.Run("allowed/"+rt.Method+" "+rt.Path, func(t *testing.T) {
					for _, l := range logins[:4] {
						if !roleIn(l.role, rt.Roles) || (rt.Unit() && l.role == store.RoleUnit && l.login != "unit-a") {
							continue
						}
						b := browsers[l.login]
						a := e.request(f, b, f.a, b.csrf, nil)
						if a.code == http.StatusUnauthorized || a.code == http.StatusForbidden || a.code >= 500 {
							t.Errorf("%s: %d %.300s", l.login, a.code, a.body)
						}
					}
				})
			}
			// the unit's status through the API is its own line only
			var st struct {
				Units []jsonStatus `json:"units"`
			}
			a := browsers["unit-b"].get("/api/v1/status?year=2024")
			json.Unmarshal([]byte(a.body), &st)
			if a.code != 200 || len(st.Units) != 1 || st.Units[0].Unit != f.b.ID {
				t.Errorf("unit B's status: %d %s", a.code, a.body)
			}
			// every refusal is in the audit log
			es, _ := f.store.Audit(context.Background(), store.AuditFilter{Limit: 100000})
			denied := 0
			for _, e := range es {
				if e.Action == "拒绝请求" {
					denied++
				}
			}
			if denied < 40 {
				t.Errorf("only %d refusals logged", denied)
			}
		})
	}
}

// wrong is a token that differs from tok in its first character.
func wrong(tok string) string {
	if tok[0] == 'x' {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}

func maps(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSessions: session fixation, logout, brute force, the one-time link.
func TestSessions(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			t.Run("fixation", func(t *testing.T) {
				// an attacker's own session planted in the victim's browser
				attacker := f.as("unit-b")
				var planted string
				u, _ := url.Parse(f.srv.URL)
				for _, c := range attacker.c.Jar.Cookies(u) {
					if c.Name == auth.CookieName {
						planted = c.Value
					}
				}
				victim := f.browser()
				victim.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: planted, Path: "/"}})
				must(t, victim.form("/login", url.Values{"login": {"unit-a"}, "password": {password("unit-a")}}), http.StatusSeeOther)
				for _, c := range victim.c.Jar.Cookies(u) {
					if c.Name == auth.CookieName && c.Value == planted {
						t.Fatal("the planted session survived the login")
					}
				}
				if a := attacker.get("/api/v1/session"); a.code != http.StatusUnauthorized {
					t.Errorf("the planted session still works: %d", a.code)
				}
				var s jsonSession
				json.Unmarshal([]byte(victim.get("/api/v1/session").body), &s)
				if s.Login != "unit-a" {
					t.Errorf("victim is %q", s.Login)
				}
				// a chosen cookie value is no session
				fake := f.browser()
				fake.c.Jar.SetCookies(u, []*http.Cookie{{Name: auth.CookieName, Value: "chosen-by-attacker", Path: "/"}})
				if a := fake.get("/api/v1/session"); a.code != http.StatusUnauthorized {
					t.Errorf("chosen cookie: %d", a.code)
				}
			})
			t.Run("cookie", func(t *testing.T) {
				b := f.browser()
				a := b.form("/login", url.Values{"login": {"reviewer"}, "password": {password("reviewer")}})
				c := a.h.Get("Set-Cookie")
				for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
					if !strings.Contains(c, want) {
						t.Errorf("cookie %q lacks %s", c, want)
					}
				}
				if strings.Contains(c, "Secure") {
					t.Errorf("Secure without TLS: %q", c)
				}
			})
			t.Run("logout", func(t *testing.T) {
				b := f.as("office")
				must(t, b.form("/logout", url.Values{}), http.StatusSeeOther)
				if a := b.get("/api/v1/session"); a.code != http.StatusUnauthorized {
					t.Errorf("after logout: %d", a.code)
				}
			})
			t.Run("setup link", func(t *testing.T) {
				tok := f.setup["unit-new"]
				b := f.browser()
				must(t, b.get("/setup?token="+url.QueryEscape(tok)), 200, "unit-new")
				must(t, b.form("/setup", url.Values{"token": {tok}, "password": {"short"}, "password2": {"short"}}), http.StatusBadRequest, "至少")
				must(t, b.form("/setup", url.Values{"token": {tok}, "password": {"一个足够长的新密码啊"}, "password2": {"一个足够长的新密码啊"}}), http.StatusSeeOther)
				must(t, b.form("/setup", url.Values{"token": {tok}, "password": {"另一个足够长的新密码"}, "password2": {"另一个足够长的新密码"}}), http.StatusNotFound, "无效")
				must(t, b.form("/login", url.Values{"login": {"unit-new"}, "password": {"一个足够长的新密码啊"}}), http.StatusSeeOther)
			})
			t.Run("brute force", func(t *testing.T) {
				b := f.browser()
				for i := 0; i < auth.MaxFailuresPerLogin; i++ {
					must(t, b.form("/login", url.Values{"login": {"unit-b"}, "password": {fmt.Sprintf("guess-%d", i)}}), http.StatusUnauthorized, "登录名或密码不对")
				}
				// the right password is refused now, and says why
				must(t, b.form("/login", url.Values{"login": {"unit-b"}, "password": {password("unit-b")}}), http.StatusTooManyRequests, "次数过多")
				// another account from another address is not held up
				must(t, f.browser().form("/login", url.Values{"login": {"unit-a"}, "password": {password("unit-a")}}), http.StatusSeeOther)
			})
			t.Run("shared address", func(t *testing.T) {
				// 200 units behind one NAT'd address: a flood of failures
				// from it holds the others up a few seconds, never the
				// 15 minutes of an account's limit
				b := f.browser()
				_, done, _ := f.store.Failures(context.Background(), "", "127.0.0.1", time.Now().Add(-auth.FailureWindow))
				// one past the free failures: a wait of 2 s, longer than the
				// next request takes on a loaded machine
				for i := done; i < auth.RemoteFreeFailures+1; i++ {
					b.form("/login", url.Values{"login": {fmt.Sprint("guess-", i)}, "password": {"x"}})
				}
				a := f.browser().form("/login", url.Values{"login": {"unit-a"}, "password": {password("unit-a")}})
				must(t, a, http.StatusTooManyRequests, "秒后再试")
				wait, _ := strconv.Atoi(a.h.Get("Retry-After"))
				if wait < 1 || wait > int(auth.MaxRemoteWait.Seconds()) {
					t.Fatalf("Retry-After %q", a.h.Get("Retry-After"))
				}
				time.Sleep(time.Duration(wait) * time.Second)
				must(t, f.browser().form("/login", url.Values{"login": {"unit-a"}, "password": {password("unit-a")}}), http.StatusSeeOther)
			})
		})
	}
}

// TestHostileUploads: path traversal in upload names, oversized and
// hostile files, on both databases. A refused file stores nothing; a
// stored file's name is a base name only; the server never answers 500.
func TestHostileUploads(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ua := f.as("unit-a")
			page := f.unitURL(f.a)
			good := read(t, goodA)
			for _, name := range []string{"../../../etc/passwd.yaml", `..\..\Windows\win.ini.yaml`, "/etc/cron.d/x.yaml", "C:\\x\\报告.yaml",
				"a/../../b.yaml", "..", "报告\x00.yaml", "报告\r\nX-Evil: 1.yaml", strings.Repeat("长", 400) + ".yaml"} {
				t.Run("name/"+strings.ToValidUTF8(name[:min(len(name), 30)], "?"), func(t *testing.T) {
					a := ua.upload(page+"/upload", name, good)
					if a.code >= 500 {
						t.Fatalf("%d %s", a.code, a.body)
					}
					vs, _ := f.store.Versions(context.Background(), f.a.ID, 2024)
					if len(vs) == 0 {
						return // refused (no usable extension): fine
					}
					got := vs[len(vs)-1].FileName
					if strings.ContainsAny(got, "/\\\x00\r\n") || got == ".." || len([]rune(got)) > 200 {
						t.Errorf("stored name %q", got)
					}
					d := ua.get(page + "/versions/" + strconv.Itoa(vs[len(vs)-1].Seq))
					if cd := d.h.Get("Content-Disposition"); strings.ContainsAny(cd, "/\\\r\n") {
						t.Errorf("Content-Disposition %q", cd)
					}
				})
			}
			hostile := []struct {
				name string
				data []byte
			}{
				{"二进制.yaml", bytes.Repeat([]byte{0, 0xff, 0x13, 0x37}, 1000)},
				{"坏压缩包.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xee}, 5000)...)},
				{"炸弹.xlsx", zipBomb(t)},
				{"别名炸弹.yaml", yamlBomb()},
				{"深嵌套.yaml", []byte(strings.Repeat("- ", 5000) + "x\n")},
				{"深嵌套.html", []byte(strings.Repeat("<div>", 100000))},
				{"空.yaml", nil},
			}
			for _, h := range hostile {
				t.Run("file/"+h.name, func(t *testing.T) {
					before := f.footprint()
					a := ua.upload(page+"/upload", h.name, h.data)
					if a.code != http.StatusBadRequest || !strings.Contains(a.body, "无法读取") {
						t.Errorf("%d %.300s", a.code, a.body)
					}
					if !maps(before, f.footprint()) {
						t.Errorf("something was stored")
					}
				})
			}
			t.Run("oversized", func(t *testing.T) {
				before := f.footprint()
				big := append(bytes.Repeat([]byte("# 填充\n"), (2<<20)/8+10), good...)
				// the page's form (token in a field) and a script (token in the header)
				must(t, ua.upload(page+"/upload", "大.yaml", big), http.StatusRequestEntityTooLarge, "过大")
				huge := bytes.Repeat([]byte("x"), 4<<20)
				must(t, ua.upload(page+"/upload", "巨大.yaml", huge), http.StatusRequestEntityTooLarge, "过大")
				// the page's form sent without a length (chunked), so only
				// the cap on the body stops it, before its CSRF field is read
				var form bytes.Buffer
				fmw := multipart.NewWriter(&form)
				fmw.WriteField(auth.CSRFField, ua.csrf)
				ffw, _ := fmw.CreateFormFile("file", "巨大.yaml")
				ffw.Write(huge)
				fmw.Close()
				creq, _ := http.NewRequest("POST", f.srv.URL+page+"/upload", io.MultiReader(&form))
				creq.Header.Set("Content-Type", fmw.FormDataContentType())
				must(t, ua.do(creq), http.StatusRequestEntityTooLarge, "过大")
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				fw, _ := mw.CreateFormFile("file", "大.yaml")
				fw.Write(big)
				mw.Close()
				req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/reports/"+itoa(f.a.ID)+"/2024", &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set(auth.CSRFHeader, ua.csrf)
				must(t, ua.do(req), http.StatusRequestEntityTooLarge, "过大")
				if !maps(before, f.footprint()) {
					t.Errorf("something was stored")
				}
			})
			// the server still answers
			must(t, ua.get(page), 200, f.a.Agency())
		})
	}
}

// zipBomb is a workbook whose one sheet inflates to 200 MB.
func zipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(n)
		w.Write([]byte(`<?xml version="1.0"?><x/>`))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	chunk := bytes.Repeat([]byte("<c>0</c>"), 1<<17)
	for i := 0; i < 200; i++ {
		w.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

// yamlBomb is the billion laughs of YAML aliases.
func yamlBomb() []byte {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", n, n, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = n
	}
	return []byte(b.String())
}

// TestRemovedUnit: a unit removed from the roster (in the app, or by a
// roster import without it) loses its account's access — its sessions end
// and its right password is refused — while the office keeps its reports.
func TestRemovedUnit(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ua, ub := f.as("unit-a"), f.as("unit-b")
			must(t, ua.upload(f.unitURL(f.a)+"/upload", "报告.yaml", read(t, goodA)), http.StatusSeeOther)
			office := f.as("office")
			must(t, office.form("/roster/units/"+itoa(f.a.ID)+"/remove", url.Values{}), http.StatusSeeOther)
			if a := ua.get("/api/v1/session"); a.code != http.StatusUnauthorized {
				t.Errorf("the removed unit's session: %d", a.code)
			}
			if a := ua.get(f.unitURL(f.a)); a.code != http.StatusSeeOther {
				t.Errorf("the removed unit's page: %d", a.code)
			}
			must(t, f.browser().form("/login", url.Values{"login": {"unit-a"}, "password": {password("unit-a")}}), http.StatusForbidden, "移出")
			// a wrong password says only that
			must(t, f.browser().form("/login", url.Values{"login": {"unit-a"}, "password": {"wrong password"}}), http.StatusUnauthorized, "登录名或密码不对")
			// the office still has its reports
			must(t, office.get(f.unitURL(f.a)), http.StatusOK, f.a.Agency())
			must(t, office.get(f.unitURL(f.a)+"/versions/1"), http.StatusOK)
			must(t, office.get("/accounts"), http.StatusOK, "单位已移出名单，不能登录")
			// unit B is not touched, until a roster import leaves it out
			must(t, ub.get(f.unitURL(f.b)), http.StatusOK)
			ctx := context.Background()
			if _, err := f.store.ImportRoster(ctx, store.Actor{Name: "命令行"}, rostertest.Read(t, rostertest.Department("新设局"))); err != nil {
				t.Fatal(err)
			}
			if a := ub.get("/api/v1/session"); a.code != http.StatusUnauthorized {
				t.Errorf("unit B's session after an import without it: %d", a.code)
			}
			must(t, f.browser().form("/login", url.Values{"login": {"unit-b"}, "password": {password("unit-b")}}), http.StatusForbidden, "移出")
			// back on the roster, its account works again
			r := rostertest.Read(t, rostertest.Department("新设局"), []string{"保山市政务服务管理局", string(schema.LevelCity), string(schema.RoleDepartment)})
			if _, err := f.store.ImportRoster(ctx, store.Actor{Name: "命令行"}, r); err != nil {
				t.Fatal(err)
			}
			must(t, f.browser().form("/login", url.Values{"login": {"unit-b"}, "password": {password("unit-b")}}), http.StatusSeeOther)
		})
	}
}

// TestPublicURL: behind an HTTPS reverse proxy (--public-url https://…)
// the session cookie is Secure, every answer sends HSTS, and a setup link
// is built from the public address whatever Host header the request
// carried; without it, the link follows the Host the browser used.
func TestPublicURL(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			for _, bad := range []string{"ftp://x", "https://", "nianbao.example.gov.cn", "https://x/sub/", "https://x/?a=1", "https://u:p@x"} {
				if _, err := New(Options{Store: f.store, PublicURL: bad}); err == nil {
					t.Errorf("public URL %q accepted", bad)
				}
			}
			s, err := New(Options{Store: f.store, PublicURL: "https://nianbao.example.gov.cn/", Log: log.New(io.Discard, "", 0)})
			if err != nil {
				t.Fatal(err)
			}
			// the proxy speaks plain HTTP to the server
			proxied := *f
			proxied.srv = httptest.NewServer(s)
			t.Cleanup(proxied.srv.Close)
			pf := &proxied
			b := pf.browser()
			a := b.form("/login", url.Values{"login": {"office"}, "password": {password("office")}})
			if c := a.h.Get("Set-Cookie"); a.code != http.StatusSeeOther || !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
				t.Fatalf("login behind the proxy: %d, cookie %q", a.code, c)
			}
			if h := a.h.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=") {
				t.Errorf("HSTS %q", h)
			}
			// the jar does not send a Secure cookie over http: carry it by hand
			var sess string
			for _, c := range (&http.Response{Header: a.h}).Cookies() {
				if c.Name == auth.CookieName {
					sess = c.Value
				}
			}
			withHost := func(host string) answer {
				req, _ := http.NewRequest("GET", pf.srv.URL+"/api/v1/session", nil)
				req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: sess})
				var s jsonSession
				json.Unmarshal([]byte(b.do(req).body), &s)
				v := url.Values{"login": {"new-" + host}, "role": {"审核人"}, auth.CSRFField: {s.CSRF}}
				req, _ = http.NewRequest("POST", pf.srv.URL+"/accounts", strings.NewReader(v.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: sess})
				req.Host = host
				return b.do(req)
			}
			for _, host := range []string{"evil.example", "nianbao.example.gov.cn"} {
				a := withHost(host)
				if a.code != http.StatusOK || !strings.Contains(a.body, "https://nianbao.example.gov.cn/setup?token=") || strings.Contains(a.body, "//evil.example") {
					t.Errorf("setup link with Host %s: %d %.600s", host, a.code, a.body)
				}
			}
			// without --public-url and TLS: the Host the browser used, no Secure
			office := f.as("office")
			a = office.form("/accounts", url.Values{"login": {"plain"}, "role": {"审核人"}})
			if !strings.Contains(a.body, f.srv.URL+"/setup?token=") {
				t.Errorf("setup link without a public URL: %.600s", a.body)
			}
			if h := a.h.Get("Strict-Transport-Security"); h != "" {
				t.Errorf("HSTS without HTTPS: %q", h)
			}
		})
	}
}
