package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

func TestPasswordHash(t *testing.T) {
	h := HashPassword("正确的密码 correct horse")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	if h == HashPassword("正确的密码 correct horse") {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !CheckPassword(h, "正确的密码 correct horse") || CheckPassword(h, "正确的密码 correct hors") || CheckPassword(h, "") {
		t.Error("check")
	}
	parts := strings.Split(h, "$")
	for _, bad := range []string{"", "plain", "$argon2i$" + strings.Join(parts[2:], "$"), strings.Replace(h, "m=19456", "m=999999999", 1),
		strings.Replace(h, "t=2", "t=1000", 1), h[:len(h)-4] + "AAAA", "$argon2id$v=19$m=1,t=1,p=1$$"} {
		if CheckPassword(bad, "正确的密码 correct horse") {
			t.Errorf("tampered hash %q accepted", bad)
		}
	}
	for pw, want := range map[string]string{"short": "至少", "aaaaaaaaaaaa": "同一个字符", "unit-login-1": "登录名", "一个足够长的好密码啊啊": ""} {
		if got := PasswordProblem(pw, "unit-login-1"); (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("%q: %q, want %q", pw, got, want)
		}
	}
}

// server is a small server with the routes the tests need, over a real
// store.
type server struct {
	*httptest.Server
	auth  *Auth
	store *store.Store
	units []store.Unit
	token map[string]string // setup link token by login
}

func newServer(t *testing.T, kind string, secure bool) *server {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, storetest.DSN(t, kind))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r := rostertest.Read(t, rostertest.Departments("甲局", "乙局")...)
	office := store.Actor{Name: "命令行"}
	if _, err := s.ImportRoster(ctx, office, r); err != nil {
		t.Fatal(err)
	}
	us, _ := s.Units(ctx)
	srv := &server{auth: &Auth{Store: s, Secure: secure, NoSession: map[string]bool{"/login": true}}, store: s, units: us, token: map[string]string{}}
	for _, a := range []struct {
		login string
		role  store.Role
		unit  int64
	}{{"admin", store.RoleAdmin, 0}, {"jia", store.RoleUnit, us[0].ID}, {"yi", store.RoleUnit, us[1].ID}} {
		acct, tok, err := s.CreateAccount(ctx, office, a.login, a.login, a.role, a.unit)
		if err != nil {
			t.Fatal(err)
		}
		srv.token[a.login] = tok
		if _, err := s.UsePasswordLink(ctx, office, tok, HashPassword("password-of-"+a.login)); err != nil {
			t.Fatal(err)
		}
		_ = acct
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		sess, err := srv.auth.Login(w, r, r.FormValue("login"), r.FormValue("password"))
		if err != nil {
			code := http.StatusUnauthorized
			if errors.Is(err, ErrRateLimited) {
				code = http.StatusTooManyRequests
			}
			http.Error(w, err.Error(), code)
			return
		}
		fmt.Fprint(w, sess.CSRF)
	})
	mux.Handle("POST /logout", Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.auth.Logout(w, r) }),
		store.RoleAdmin, store.RoleReviewer, store.RoleUnit))
	mux.Handle("POST /change", Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "changed") }),
		store.RoleAdmin, store.RoleReviewer, store.RoleUnit))
	mux.Handle("GET /board", Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "board") }),
		store.RoleAdmin, store.RoleReviewer))
	mux.Handle("GET /unit/{id}", Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if !CanSeeUnit(FromContext(r.Context()).Account, id) {
			http.Error(w, "没有权限", http.StatusForbidden)
			return
		}
		fmt.Fprint(w, "unit")
	}), store.RoleAdmin, store.RoleReviewer, store.RoleUnit))
	srv.Server = httptest.NewServer(srv.auth.Middleware(mux))
	t.Cleanup(srv.Close)
	return srv
}

// client is a browser: a cookie jar.
func (s *server) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func (s *server) login(t *testing.T, c *http.Client, login, password string) (int, string) {
	t.Helper()
	resp, err := c.PostForm(s.URL+"/login", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 512)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	return resp.StatusCode, strings.TrimSpace(b.String())
}

func (s *server) do(t *testing.T, c *http.Client, method, path string, header map[string]string, form url.Values) int {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, s.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSecurity is the security table of accounts and sessions: each row a
// test, against both databases.
func TestSecurity(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			s := newServer(t, kind, false)
			t.Run("wrong password, unknown login, no password yet", func(t *testing.T) {
				c := s.client(t)
				if code, _ := s.login(t, c, "jia", "wrong-password"); code != 401 {
					t.Errorf("wrong password: %d", code)
				}
				if code, _ := s.login(t, c, "nobody", "password-of-jia"); code != 401 {
					t.Errorf("unknown login: %d", code)
				}
				ctx := context.Background()
				s.store.CreateAccount(ctx, store.Actor{}, "fresh", "", store.RoleReviewer, 0)
				if code, msg := s.login(t, c, "fresh", ""); code != 401 || !strings.Contains(msg, "not set") {
					t.Errorf("no password yet: %d %s", code, msg)
				}
				if code := s.do(t, c, "GET", "/board", nil, nil); code != 401 {
					t.Errorf("board without login: %d", code)
				}
			})
			t.Run("cookie flags", func(t *testing.T) {
				resp, err := http.PostForm(s.URL+"/login", url.Values{"login": {"yi"}, "password": {"password-of-yi"}})
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				cs := resp.Cookies()
				if len(cs) != 1 || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode || cs[0].Secure || cs[0].Path != "/" {
					t.Errorf("cookie %+v", cs)
				}
				tls := newServer(t, kind, true)
				resp, _ = http.PostForm(tls.URL+"/login", url.Values{"login": {"yi"}, "password": {"password-of-yi"}})
				resp.Body.Close()
				if cs := resp.Cookies(); len(cs) != 1 || !cs[0].Secure {
					t.Errorf("cookie under TLS %+v", cs)
				}
			})
			t.Run("session fixation", func(t *testing.T) {
				c := s.client(t)
				u, _ := url.Parse(s.URL)
				// a session planted before login (here: another account's real one)
				planted, _, _ := s.store.CreateSession(context.Background(), s.units[0].ID, "", SessionLife)
				c.Jar.SetCookies(u, []*http.Cookie{{Name: CookieName, Value: planted}})
				if code, _ := s.login(t, c, "yi", "password-of-yi"); code != 200 {
					t.Fatalf("login %d", code)
				}
				var now string
				for _, ck := range c.Jar.Cookies(u) {
					if ck.Name == CookieName {
						now = ck.Value
					}
				}
				if now == "" || now == planted {
					t.Error("the session token did not change at login")
				}
				if _, err := s.store.SessionByToken(context.Background(), planted); err == nil {
					t.Error("the planted session still works")
				}
			})
			t.Run("CSRF", func(t *testing.T) {
				c := s.client(t)
				_, csrf := s.login(t, c, "jia", "password-of-jia")
				for _, tt := range []struct {
					name   string
					header map[string]string
					form   url.Values
					want   int
				}{
					{"no token", nil, nil, 403},
					{"wrong token", map[string]string{CSRFHeader: "x" + csrf}, nil, 403},
					{"token of another session", map[string]string{CSRFHeader: func() string { _, o := s.login(t, s.client(t), "yi", "password-of-yi"); return o }()}, nil, 403},
					{"header", map[string]string{CSRFHeader: csrf}, nil, 200},
					{"form field", nil, url.Values{CSRFField: {csrf}}, 200},
					{"cross-site even with the token", map[string]string{CSRFHeader: csrf, "Sec-Fetch-Site": "cross-site"}, nil, 403},
				} {
					if code := s.do(t, c, "POST", "/change", tt.header, tt.form); code != tt.want {
						t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
					}
				}
			})
			t.Run("roles and units", func(t *testing.T) {
				jia, admin := s.client(t), s.client(t)
				s.login(t, jia, "jia", "password-of-jia")
				s.login(t, admin, "admin", "password-of-admin")
				for _, tt := range []struct {
					c    *http.Client
					path string
					want int
				}{
					{jia, "/board", 403}, {admin, "/board", 200},
					{jia, fmt.Sprintf("/unit/%d", s.units[0].ID), 200},
					{jia, fmt.Sprintf("/unit/%d", s.units[1].ID), 403},
					{jia, "/unit/0", 403}, {jia, "/unit/99999", 403},
					{admin, fmt.Sprintf("/unit/%d", s.units[1].ID), 200},
				} {
					if code := s.do(t, tt.c, "GET", tt.path, nil, nil); code != tt.want {
						t.Errorf("%s: %d, want %d", tt.path, code, tt.want)
					}
				}
			})
			t.Run("logout ends the session", func(t *testing.T) {
				c := s.client(t)
				_, csrf := s.login(t, c, "admin", "password-of-admin")
				u, _ := url.Parse(s.URL)
				old := c.Jar.Cookies(u)
				if code := s.do(t, c, "POST", "/logout", map[string]string{CSRFHeader: csrf}, nil); code != 200 {
					t.Fatalf("logout %d", code)
				}
				c2 := s.client(t)
				c2.Jar.SetCookies(u, old)
				if code := s.do(t, c2, "GET", "/board", nil, nil); code != 401 {
					t.Errorf("old cookie after logout: %d", code)
				}
			})
			t.Run("brute force", func(t *testing.T) {
				c := s.client(t)
				for i := range MaxFailuresPerLogin {
					if code, _ := s.login(t, c, "yi", fmt.Sprint("guess", i)); code != 401 {
						t.Fatalf("guess %d: %d", i, code)
					}
				}
				// the right password is refused too until the window passes
				if code, _ := s.login(t, c, "yi", "password-of-yi"); code != 429 {
					t.Errorf("after %d failures: %d, want 429", MaxFailuresPerLogin, code)
				}
				// another account from the same address is not locked out yet
				if code, _ := s.login(t, c, "admin", "password-of-admin"); code != 200 {
					t.Errorf("another account: %d", code)
				}
				// many logins from one address: it is not shut for the
				// window (a NAT'd office shares it), it waits after each
				// failure, a second at first, a minute at most
				_, done, _ := s.store.Failures(context.Background(), "", "127.0.0.1", time.Now().Add(-FailureWindow))
				// one past the free failures: a wait of 2 s, longer than
				// the next request takes on a loaded machine
				for i := done; i < RemoteFreeFailures+1; i++ {
					s.login(t, c, fmt.Sprint("spray", i), "x")
				}
				if code, _ := s.login(t, c, "jia", "password-of-jia"); code != 429 {
					t.Errorf("right after spraying from one address: %d, want 429", code)
				}
				time.Sleep(RemoteWait(RemoteFreeFailures + 1))
				if code, _ := s.login(t, c, "jia", "password-of-jia"); code != 200 {
					t.Errorf("another unit behind the address, after the wait: %d, want 200", code)
				}
				for n, want := range map[int]time.Duration{0: 0, RemoteFreeFailures - 1: 0, RemoteFreeFailures: time.Second,
					RemoteFreeFailures + 3: 8 * time.Second, RemoteFreeFailures + 6: MaxRemoteWait, 100000: MaxRemoteWait} {
					if got := RemoteWait(n); got != want {
						t.Errorf("RemoteWait(%d) = %s, want %s", n, got, want)
					}
				}
			})
			t.Run("audit", func(t *testing.T) {
				log, err := s.store.Audit(context.Background(), store.AuditFilter{Limit: 10000})
				if err != nil {
					t.Fatal(err)
				}
				count := map[string]int{}
				for _, e := range log {
					count[e.Action]++
					if strings.HasPrefix(e.Action, "登录") && e.Remote != "127.0.0.1" {
						t.Errorf("entry without the address: %+v", e)
					}
				}
				for _, a := range []string{"登录", "登录失败", "登录被限制", "退出登录", "拒绝请求", "设置密码", "新建账号"} {
					if count[a] == 0 {
						t.Errorf("no %q in the audit log: %v", a, count)
					}
				}
			})
		})
	}
}

func TestSetPassword(t *testing.T) {
	s := newServer(t, "sqlite", false)
	ctx := context.Background()
	acct, tok, err := s.store.CreateAccount(ctx, store.Actor{}, "rev", "审核人甲", store.RoleReviewer, 0)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/setup", nil)
	if _, problem, err := s.auth.SetPassword(req, tok, "short"); err != nil || problem == "" {
		t.Errorf("short password: %q %v", problem, err)
	}
	// a refused password leaves the link usable
	if _, problem, err := s.auth.SetPassword(req, tok, "a-good-long-password"); err != nil || problem != "" {
		t.Fatalf("set: %q %v", problem, err)
	}
	if _, _, err := s.auth.SetPassword(req, tok, "another-good-password"); err != store.ErrTokenInvalid {
		t.Errorf("link reused: %v", err)
	}
	got, _ := s.store.Account(ctx, acct.ID)
	if !CheckPassword(got.PasswordHash, "a-good-long-password") {
		t.Error("password not set")
	}
	if code, _ := s.login(t, s.client(t), "rev", "a-good-long-password"); code != 200 {
		t.Errorf("login with the new password: %d", code)
	}
}

// TestRemote: behind a proxy only the address the proxy appended counts;
// what the client wrote before it is not trusted.
func TestRemote(t *testing.T) {
	for _, tt := range []struct {
		trust bool
		xff   []string
		want  string
	}{
		{false, []string{"10.9.9.9"}, "192.0.2.1"},
		{true, nil, "192.0.2.1"},
		{true, []string{"10.0.0.5"}, "10.0.0.5"},
		{true, []string{"10.9.9.9, 10.0.0.5"}, "10.0.0.5"},
		{true, []string{"10.9.9.9", "10.0.0.5"}, "10.0.0.5"},
		{true, []string{"10.9.9.9,"}, "192.0.2.1"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:4242"
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := (&Auth{TrustProxy: tt.trust}).Remote(r); got != tt.want {
			t.Errorf("trust %v, X-Forwarded-For %q: %q, want %q", tt.trust, tt.xff, got, tt.want)
		}
	}
}

// TestLoginFlood: 10,000 failed logins from one address add a bounded
// number of audit lines (the first ones in full, then summaries), and the
// summaries count every attempt. PostgreSQL, where each attempt costs a
// few milliseconds more, runs 2,000 of them through the same code.
func TestLoginFlood(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			s := newServer(t, kind, false)
			ctx := context.Background()
			before, _ := s.store.Counts(ctx)
			attempts := 10000
			if kind != "sqlite" {
				attempts = 2000
			}
			for i := range attempts {
				r := httptest.NewRequest("POST", "/login", nil)
				r.RemoteAddr = "192.0.2.7:4000"
				login := fmt.Sprint("guess", i%50)
				if i%3 == 0 {
					login = "jia"
				}
				if _, err := s.auth.Login(httptest.NewRecorder(), r, login, "wrong"); !errors.Is(err, ErrBadLogin) && !errors.Is(err, ErrRateLimited) {
					t.Fatalf("attempt %d: %v", i, err)
				}
			}
			if err := s.store.FlushLoginEvents(ctx); err != nil {
				t.Fatal(err)
			}
			after, _ := s.store.Counts(ctx)
			added := after["audit"] - before["audit"]
			if added > 4*store.LoginEventsInFull {
				t.Errorf("%d failed logins added %d audit lines", attempts, added)
			}
			es, _ := s.store.Audit(ctx, store.AuditFilter{After: 0, Limit: 100000})
			total := 0
			for _, e := range es {
				if e.Action != "登录失败" && e.Action != "登录被限制" {
					continue
				}
				n := 1
				fmt.Sscanf(e.Detail, e.Action+" %d 次", &n)
				total += n
			}
			if total != attempts {
				t.Errorf("the audit log counts %d attempts, want %d", total, attempts)
			}
			if after["login_attempts"] > 100 {
				t.Errorf("%d login attempts recorded", after["login_attempts"])
			}
			t.Logf("%d attempts: %d audit lines, %d login attempts recorded", attempts, added, after["login_attempts"])
		})
	}
}

// TestLoginTiming: an unknown login, a wrong password, an account without
// a password and a disabled one each cost exactly one argon2id hash (on a
// dummy when there is no password to check), so they take the same time,
// and the three without a password to match get the same answer.
func TestLoginTiming(t *testing.T) {
	s := newServer(t, "sqlite", false)
	ctx := context.Background()
	acct, _, _ := s.store.CreateAccount(ctx, store.Actor{}, "off", "", store.RoleReviewer, 0)
	tok, _ := s.store.IssueSetupLink(ctx, store.Actor{}, acct.ID)
	s.store.UsePasswordLink(ctx, store.Actor{}, tok, HashPassword("password-of-off"))
	s.store.SetDisabled(ctx, store.Actor{}, acct.ID, true)
	s.store.CreateAccount(ctx, store.Actor{}, "fresh", "", store.RoleReviewer, 0)
	hashes := 0
	checkPassword = func(h, p string) bool { hashes++; return CheckPassword(h, p) }
	defer func() { checkPassword = CheckPassword }()
	for i, c := range []struct {
		login, password string
		want            error
	}{
		{"yi", "wrong password", ErrBadLogin},
		{"nobody", "wrong password", ErrBadLogin},
		{"off", "password-of-off", ErrBadLogin},
		{"fresh", "anything at all", ErrNoPassword},
		{"yi", "password-of-yi", nil},
	} {
		hashes = 0
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = fmt.Sprintf("198.51.100.%d:1", i+1)
		start := time.Now()
		_, err := s.auth.Login(httptest.NewRecorder(), r, c.login, c.password)
		if !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
			t.Errorf("%s: %v, want %v", c.login, err, c.want)
		}
		if hashes != 1 {
			t.Errorf("%s: %d hashes, want 1", c.login, hashes)
		}
		t.Logf("%s: %s", c.login, time.Since(start))
	}
}
