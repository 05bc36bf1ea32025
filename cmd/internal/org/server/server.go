// Package server is the collection server's HTTP layer (nianbao serve
// --org): the pages of the office, its reviewers and the units, and the
// /api/v1 endpoints of the collection server. It holds no domain logic:
// every state change goes through workflow (and so through
// render/publish's gate), every check through schema/check, every account
// and session through auth, every byte through store.
//
// The routes are one table (Routes), as data: method, path, the roles that
// may call it and whether it names a unit. The table is enforced before a
// handler runs — a route without roles is public, a route naming {unit}
// is refused for an account that may not see that unit — and the security
// test walks the same table, so a new endpoint without a test row fails.
package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema/errtext"
)

//go:embed assets pages
var files embed.FS

// Options configure a Server; the zero value of each field but Store
// means its default.
type Options struct {
	Store *store.Store
	// Secure marks the session cookie Secure and sends HSTS (the server
	// runs under TLS, or behind an HTTPS proxy: PublicURL https://…).
	Secure bool
	// PublicURL is the address users type (https://nianbao.example.gov.cn),
	// when the server runs behind a reverse proxy: the one-time setup links
	// are built from it, never from a request's Host header, and https://
	// makes the server Secure. "" = links from the Host header the
	// browser sent (a server reached directly).
	PublicURL string
	// TrustProxy takes the client's address from X-Forwarded-For.
	TrustProxy bool
	// MaxUpload caps one uploaded file (default web.MaxUpload, the
	// browser app's cap); the reader's own limits apply inside it.
	MaxUpload int64
	// FillTimeout bounds one request of the browser app under /fill/
	// (default: nianbao serve's, web.Options.Timeout).
	FillTimeout time.Duration
	// Render holds the PDF fonts ("" = the bundled ones).
	Render render.Options
	// Now is the clock (tests set it); nil = time.Now.
	Now func() time.Time
	// Log receives internal errors (default: the standard logger).
	Log *log.Logger
}

// Server is the collection server's handler.
type Server struct {
	opt   Options
	store *store.Store
	auth  *auth.Auth
	mux   *http.ServeMux
	pages map[string]*template.Template
	css   []byte
	fill  *web.App // the browser app of nianbao serve, under /fill/
}

// Route is one endpoint.
type Route struct {
	Method string
	Path   string // a ServeMux path pattern; {unit} and {year} name a unit's report
	// Roles may call the route; nil = anyone (the login pages).
	Roles  []store.Role
	handle func(*call) error
}

// Unit reports whether the route names a unit: the router checks that the
// account may see it before the handler runs.
func (r Route) Unit() bool { return strings.Contains(r.Path, "{unit}") }

var (
	everyone = []store.Role{store.RoleAdmin, store.RoleReviewer, store.RoleUnit}
	office   = []store.Role{store.RoleAdmin, store.RoleReviewer}
	admin    = []store.Role{store.RoleAdmin}
	unitOnly = []store.Role{store.RoleUnit}
)

// routes is the table of every endpoint: these, and those of the 汇总 and
// levels and of roster editing (levelRoutes, levels.go).
var routes = slices.Concat(coreRoutes, levelRoutes)

var coreRoutes = []Route{
	{"GET", "/login", nil, (*call).loginPage},
	{"POST", "/login", nil, (*call).login},
	{"GET", "/setup", nil, (*call).setupPage},
	{"POST", "/setup", nil, (*call).setup},
	{"GET", "/assets/org.css", nil, (*call).asset},
	{"POST", "/logout", everyone, (*call).logout},
	{"GET", "/{$}", everyone, (*call).home},

	// a unit's report for a year: the unit's page and the reviewer's
	{"GET", "/units/{unit}/{year}", everyone, (*call).reportPage},
	{"POST", "/units/{unit}/{year}/upload", unitOnly, (*call).upload},
	{"POST", "/units/{unit}/{year}/explain", unitOnly, (*call).explain},
	{"POST", "/units/{unit}/{year}/submit", unitOnly, (*call).submit},
	{"POST", "/units/{unit}/{year}/review", office, (*call).review},
	{"POST", "/units/{unit}/{year}/publish", []store.Role{store.RoleUnit, store.RoleAdmin}, (*call).publish},
	{"GET", "/units/{unit}/{year}/template.xlsx", everyone, (*call).blankTemplate},
	{"GET", "/units/{unit}/{year}/versions/{seq}", everyone, (*call).versionFile},
	{"GET", "/units/{unit}/{year}/published/{n}", everyone, (*call).publishedPDF},

	// the office
	{"GET", "/board", office, (*call).board},
	{"GET", "/board/overview.xlsx", office, (*call).overview},
	{"POST", "/deadlines", admin, (*call).deadlines},
	{"POST", "/roster", admin, (*call).importRoster},
	{"GET", "/audit", admin, (*call).auditPage},
	{"GET", "/audit.csv", admin, (*call).auditCSV},
	{"GET", "/accounts", admin, (*call).accountsPage},
	{"POST", "/accounts", admin, (*call).accountAdd},
	{"POST", "/accounts/{id}/link", admin, (*call).accountLink},
	{"POST", "/accounts/{id}/state", admin, (*call).accountState},

	// the browser app of nianbao serve (fill in, check, preview, download:
	// nothing stored), with the session's CSRF token as its token
	{"GET", "/fill/", everyone, (*call).fillApp},
	{"POST", "/fill/api/", everyone, (*call).fillApp},
	// the app's 保存到服务器 and 提交审核 (fill.go)
	{"POST", "/fill/units/{unit}/{year}/save", unitOnly, (*call).fillSave},
	{"POST", "/fill/units/{unit}/{year}/submit", unitOnly, (*call).fillSubmit},

	// the HTTP API
	{"GET", "/api/v1/session", everyone, (*call).apiSession},
	{"GET", "/api/v1/roster", office, (*call).apiRoster},
	{"GET", "/api/v1/status", everyone, (*call).apiStatus},
	{"GET", "/api/v1/reports/{unit}/{year}", everyone, (*call).apiReport},
	{"POST", "/api/v1/reports/{unit}/{year}", unitOnly, (*call).apiUpload},
	{"POST", "/api/v1/reports/{unit}/{year}/submit", unitOnly, (*call).apiSubmit},
	{"POST", "/api/v1/reports/{unit}/{year}/review", office, (*call).apiReview},
}

// Routes returns the route table (for tests and documentation).
func Routes() []Route { return append([]Route(nil), routes...) }

// New returns the server's handler.
func New(opt Options) (*Server, error) {
	if opt.Store == nil {
		return nil, errors.New("server: no store")
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = web.MaxUpload
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.PublicURL != "" {
		u, err := ParsePublicURL(opt.PublicURL)
		if err != nil {
			return nil, err
		}
		opt.PublicURL = u.String()
		if u.Scheme == "https" {
			opt.Secure = true
		}
	}
	if opt.Log == nil {
		opt.Log = log.Default()
	}
	s := &Server{opt: opt, store: opt.Store, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	s.auth = &auth.Auth{Store: opt.Store, Secure: opt.Secure, TrustProxy: opt.TrustProxy,
		NoSession: map[string]bool{"/login": true, "/setup": true}}
	css, err := fs.ReadFile(files, "assets/org.css")
	if err != nil {
		return nil, err
	}
	s.css = css
	if err := s.parsePages(); err != nil {
		return nil, err
	}
	s.fill, err = web.New(web.Options{MaxUpload: opt.MaxUpload, Render: opt.Render, Log: opt.Log, Timeout: opt.FillTimeout,
		Internal: func(r *http.Request, err error) string { return s.refer(r, 0, 0, err) },
		TokenFor: func(r *http.Request) string {
			if sess := auth.FromContext(r.Context()); sess != nil {
				return sess.CSRF
			}
			return ""
		}, Target: s.fillTarget})
	if err != nil {
		return nil, err
	}
	for _, rt := range routes {
		rt := rt
		s.mux.HandleFunc(rt.Method+" "+rt.Path, func(w http.ResponseWriter, r *http.Request) { s.serve(rt, w, r) })
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, w: w, r: r, sess: auth.FromContext(r.Context())}
		c.fail(&httpError{http.StatusNotFound, "没有这个页面或接口：" + r.Method + " " + r.URL.Path})
	})
	return s, nil
}

// ParsePublicURL checks the address users type (--public-url): http:// or
// https://, a host, no path but "/", no query.
func ParsePublicURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, errtext.Errorf("公开地址“%s”无效：应为用户在浏览器中输入的地址，如 https://nianbao.example.gov.cn（不带路径；服务须在代理的根路径上）", raw)
	}
	u.Path = ""
	return u, nil
}

// Auth is the server's security (for the command that adds accounts).
func (s *Server) Auth() *auth.Auth { return s.auth }

// ServeHTTP applies the headers every answer carries, the body cap, the
// session and CSRF middleware, and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	if s.opt.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// one file with room for the multipart framing and the form fields
		limit := s.opt.MaxUpload + 1<<20
		if r.ContentLength > limit {
			c := &call{s: s, w: w, r: r}
			c.fail(errorf(http.StatusRequestEntityTooLarge, "上传的内容过大：超过 %d MB 的上限", s.opt.MaxUpload>>20))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		// the browser app sends its token (the session's CSRF token) in
		// its own header
		if strings.HasPrefix(r.URL.Path, "/fill/") && r.Header.Get(auth.CSRFHeader) == "" {
			r.Header.Set(auth.CSRFHeader, r.Header.Get(web.TokenHeader))
		}
	}
	s.auth.Middleware(s.mux).ServeHTTP(w, r)
}

// pageCSP: the pages are plain server-rendered HTML with their own style
// sheet; they run no script, and forms post only to this server.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// call is one request being served.
type call struct {
	s    *Server
	rt   Route
	w    http.ResponseWriter
	r    *http.Request
	sess *store.Session
	unit *store.Unit // the unit the path names, checked
	year int         // the year the path names
}

func (c *call) acct() *store.Account { return c.sess.Account }

func (c *call) actor() store.Actor { return c.s.auth.Actor(c.r) }

// api reports whether the request is to the HTTP API or the browser
// app's save and submit (JSON answers).
func (c *call) api() bool {
	return strings.HasPrefix(c.r.URL.Path, "/api/") || strings.HasPrefix(c.r.URL.Path, "/fill/units/")
}

// httpError is a request refused, with its status and a Chinese message.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, a ...any) *httpError {
	return &httpError{status, fmt.Sprintf(format, a...)}
}

// serve checks the route's roles and unit, then runs its handler.
func (s *Server) serve(rt Route, w http.ResponseWriter, r *http.Request) {
	c := &call{s: s, rt: rt, w: w, r: r, sess: auth.FromContext(r.Context())}
	defer func() {
		if p := recover(); p != nil {
			c.fail(c.internal(fmt.Errorf("panic: %v\n%s", p, debug.Stack())))
		}
	}()
	if err := c.guard(); err != nil {
		c.fail(err)
		return
	}
	if err := rt.handle(c); err != nil {
		c.fail(err)
	}
}

// guard enforces the route table: a logged-in account of one of the
// route's roles, and for a route naming a unit, an account that may see
// that unit and a valid year.
func (c *call) guard() error {
	if c.rt.Roles == nil {
		return nil
	}
	if c.sess == nil {
		if !c.api() && c.r.Method == http.MethodGet {
			http.Redirect(c.w, c.r, "/login", http.StatusSeeOther)
			return errHandled
		}
		return errorf(http.StatusUnauthorized, "请先登录")
	}
	allowed := false
	for _, role := range c.rt.Roles {
		if c.acct().Role == role {
			allowed = true
		}
	}
	if !allowed {
		c.deny(0, "角色不能使用")
		return errorf(http.StatusForbidden, "没有权限：%s账号不能使用这个功能", c.acct().Role)
	}
	if c.rt.Unit() {
		u, err := c.s.unitOf(c.r, c.r.PathValue("unit"))
		// a unit's account gets the same answer for a unit that does not
		// exist as for another unit's, so it cannot probe the roster
		mine := "没有权限：只能查看和修改本单位的报告"
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				c.deny(0, "不存在的单位 "+c.r.PathValue("unit"))
				if c.acct().Role == store.RoleUnit {
					return errorf(http.StatusForbidden, "%s", mine)
				}
				return errorf(http.StatusNotFound, "没有这个单位")
			}
			return err
		}
		if !auth.CanSeeUnit(c.acct(), u.ID) {
			c.deny(u.ID, fmt.Sprintf("其他单位 %d", u.ID))
			return errorf(http.StatusForbidden, "%s", mine)
		}
		y, err := strconv.Atoi(c.r.PathValue("year"))
		if err != nil || y < 2000 || y > 2100 {
			return badYear(c.r.PathValue("year"))
		}
		c.unit, c.year = u, y
	}
	return nil
}

// deny logs a refused request, under the unit it tried to reach (0 = none
// or unknown), so the audit log filtered by a unit shows the attempts on it.
func (c *call) deny(unit int64, why string) {
	c.s.store.Log(c.r.Context(), c.actor(), "拒绝请求", unit, 0, why+"："+c.r.Method+" "+c.r.URL.Path)
}

// errHandled is returned by a step that has already answered.
var errHandled = errors.New("answered")

// unitOf finds the unit a path names: by its number, or by its 机关名称.
func (s *Server) unitOf(r *http.Request, ref string) (*store.Unit, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return s.store.Unit(r.Context(), id)
	}
	return s.store.UnitByName(r.Context(), ref)
}

// fail answers an error: a page for a browser, JSON for the API.
func (c *call) fail(err error) {
	if errors.Is(err, errHandled) {
		return
	}
	var he *httpError
	if !errors.As(err, &he) {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			he = errorf(http.StatusRequestEntityTooLarge, "上传的内容过大：超过 %d MB 的上限", c.s.opt.MaxUpload>>20)
		} else {
			he = c.internal(err)
		}
	}
	if c.api() {
		c.json(he.status, map[string]string{"error": he.msg})
		return
	}
	c.page(he.status, "error", map[string]any{"Title": "无法完成", "Message": he.msg})
}

// internal is the answer to an error of the server itself (a database
// down, a bug): a Chinese message with a reference number, never the
// error's own text, which goes with the number to the server's log and
// to the audit log, where the IT staff find it.
func (c *call) internal(err error) *httpError {
	var unit int64
	if c.unit != nil {
		unit = c.unit.ID
	}
	return &httpError{http.StatusInternalServerError, c.s.refer(c.r, unit, c.year, err)}
}

// refer logs err under a new reference number (the server's log; the
// audit log when r is known) and returns the message for people.
func (s *Server) refer(r *http.Request, unit int64, year int, err error) string {
	ref := newRef(s.opt.Now())
	where := ""
	if r != nil {
		where = r.Method + " " + r.URL.Path + "："
	}
	s.opt.Log.Printf("错误 %s：%s%v", ref, where, err)
	if r != nil {
		detail := fmt.Sprintf("参考编号 %s：%s%v", ref, where, err)
		if len(detail) > 2000 {
			detail = detail[:2000]
		}
		s.store.Log(r.Context(), s.auth.Actor(r), "服务器错误", unit, year, strings.ToValidUTF8(detail, ""))
	}
	return fmt.Sprintf("服务器未能完成这个请求，请稍后重试；如果问题仍在，请把参考编号 %s 告知政务公开办的 IT 人员", ref)
}

// newRef is a reference number for an error: the time and a random part,
// short enough to read out on the telephone.
func newRef(t time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return t.UTC().Format("060102-150405") + "-" + hex.EncodeToString(b)
}

func (c *call) json(status int, v any) {
	c.w.Header().Set("Content-Type", "application/json; charset=utf-8")
	c.w.WriteHeader(status)
	enc := json.NewEncoder(c.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// fillApp serves the browser app of nianbao serve under /fill/: the
// routes of its table are behind this server's session, roles and CSRF
// check, and the app's own time limit on one request
// (web.App.Limited, without the local app's Host and token guards).
func (c *call) fillApp() error {
	http.StripPrefix("/fill", c.s.fill.Limited()).ServeHTTP(c.w, c.r)
	return nil
}

func (c *call) asset() error {
	c.w.Header().Set("Content-Type", "text/css; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-cache")
	c.w.Write(c.s.css)
	return nil
}

// redirect answers a form with the page to go to (POST/redirect/GET).
func (c *call) redirect(to string) error {
	http.Redirect(c.w, c.r, to, http.StatusSeeOther)
	return nil
}

// discard drains what is left of a request body.
func discard(r io.Reader) { io.Copy(io.Discard, io.LimitReader(r, 1<<20)) }

// withMsg is the address to, carrying a status message for the page it
// shows, signed with the session's secret CSRF token: a link from
// elsewhere cannot make a page show words of its author's choosing
// ("请到 http://… 重新设置密码"). The login page, which has no session,
// shows only the messages of signedOut.
func (c *call) withMsg(to, msg string) string {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	to += sep + "msg=" + url.QueryEscape(msg)
	if c.sess != nil {
		to += "&ms=" + msgSig(c.sess.CSRF, msg)
	}
	return to
}

// signedOut are the messages the login page shows without a signature.
var signedOut = map[string]bool{"已退出登录": true, "密码已设置，请登录": true}

// msg is the request's status message, if withMsg made it.
func (c *call) msg() string {
	q := c.r.URL.Query()
	m := q.Get("msg")
	if m == "" {
		return ""
	}
	if c.sess != nil && hmac.Equal([]byte(q.Get("ms")), []byte(msgSig(c.sess.CSRF, m))) {
		return m
	}
	if c.sess == nil && signedOut[m] {
		return m
	}
	return ""
}

func msgSig(key, msg string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte("msg\x00" + msg))
	return hex.EncodeToString(h.Sum(nil))[:32]
}
