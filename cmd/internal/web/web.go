// Package web is nianbao's local web app and HTTP API (nianbao serve): the
// page office staff use in the browser, and /api/v1 for IT staff's
// scripts. It holds no domain logic: every request reads its input with the
// CLI's readers (template.Read), checks with schema/check and renders with
// the publishing path, so the answers are the CLI's, byte for byte.
//
// Reuse: another server (nianbao serve --org) mounts the pages and the API
// under a prefix, http.StripPrefix("/fill", app) — every path the page uses
// is relative — with its own token per session (Options.TokenFor). Guard
// wraps any handler in the same guards; Handler is the routes without them.
// Read, Fail, WriteCheck and SendFile are the building blocks of the
// endpoints, for a server's own endpoints that take or answer a report.
//
// Safe by default: the handler refuses a request whose Host is not one of
// the server's own names (no DNS rebinding from a page the user visits),
// state-changing requests need the per-start token the page carries,
// uploads are capped and read in memory (no temporary files), every error is
// in Chinese, and a rendered report's HTML is served so that it cannot run
// script.
package web

import (
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

//go:embed assets
var assets embed.FS

// MaxUpload is the largest file accepted in one upload, in bytes.
const MaxUpload = 20 << 20

// TokenHeader carries the per-start token on state-changing requests.
const TokenHeader = "X-Nianbao-Token"

// ExitHeader gives, on every API answer, the exit code the CLI would have
// given for the same request: 0 no errors, 1 the report has errors, 2 the
// input could not be used.
const ExitHeader = "X-Nianbao-Exit"

// Options configure the handler; the zero value of each field means its
// default.
type Options struct {
	// Token guards every POST (TokenHeader); "" makes a random one, which
	// Token() returns.
	Token string
	// TokenFor, if set, gives the token of one request instead (a
	// session's CSRF token, say): the page is served carrying it and a POST
	// must send it back. "" refuses every POST of that request.
	TokenFor func(r *http.Request) string
	// Hosts are the Host header values the server answers to
	// (127.0.0.1:8080, localhost:8080). A request with another Host is
	// refused.
	Hosts []string
	// IPHosts also accepts any Host that is an IP address literal (an
	// office server reached by its address): DNS rebinding needs a name.
	IPHosts bool
	// MaxUpload caps one uploaded file (default MaxUpload).
	MaxUpload int64
	// Render holds the PDF fonts (Draft and Fragment are set per request).
	Render render.Options
	// Internal, if set, words an error Explain does not know
	// (errtext.Known) in a 500: a server for many users answers with a
	// reference number and keeps the error's text in its log. r is nil
	// where the request is not at hand. Unset, the answer shows
	// errtext.Explain (the local app's user runs it).
	Internal func(r *http.Request, err error) string
	// Timeout bounds one request (default 60 s).
	Timeout time.Duration
	// Log receives one line per request and any internal error (default:
	// the standard logger).
	Log *log.Logger
	// Target, if set, gives the page of one request a server that keeps
	// reports to save the form to (nianbao serve --org); nil, or a nil
	// Target, and the page shows no 保存到服务器 (the local app).
	Target func(r *http.Request) *Target
}

// Target is where the page saves the report it fills, on a server that
// keeps reports. The page posts the form's report (part "report", as POST
// /api/v1/report takes it) to Save with its token; the server answers
// TargetAnswer. Paths are the server's, relative to the page or absolute.
type Target struct {
	Save  string `json:"save"`
	Label string `json:"label"`          // what the report is saved as, for the page (“某某局 2024 年度报告”)
	Open  string `json:"open,omitempty"` // a file to start filling from (the latest version saved, say)
	Back  string `json:"back,omitempty"` // the report's own page on the server
}

// TargetAnswer is a server's answer to a save (or a submission): the
// message the page shows, and where the page may submit what was saved
// ("" = it cannot be submitted now).
type TargetAnswer struct {
	Message string `json:"message"`
	Submit  string `json:"submit,omitempty"`
	Error   string `json:"error,omitempty"`
}

// App is the web app's handler. Build it with New; it is safe for
// concurrent use and keeps nothing between requests.
type App struct {
	opt     Options
	mux     *http.ServeMux
	static  fs.FS
	declare []byte // GET /api/v1/format, computed once
}

// New returns the app's handler.
func New(opt Options) (*App, error) {
	if opt.Token == "" {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("token: %w", err)
		}
		opt.Token = hex.EncodeToString(b)
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = MaxUpload
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	if opt.Log == nil {
		opt.Log = log.Default()
	}
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		return nil, err
	}
	decl, err := json.Marshal(declare(schema.Current))
	if err != nil {
		return nil, err
	}
	a := &App{opt: opt, mux: http.NewServeMux(), static: static, declare: decl}
	a.routes()
	return a, nil
}

// Token returns the token state-changing requests must carry (without
// Options.TokenFor).
func (a *App) Token() string { return a.opt.Token }

// tokenFor is the token of r's requester.
func (a *App) tokenFor(r *http.Request) string {
	if a.opt.TokenFor != nil {
		return a.opt.TokenFor(r)
	}
	return a.opt.Token
}

// Handler returns the pages and the API without the guards of ServeHTTP,
// for a server that puts its own guards around them.
func (a *App) Handler() http.Handler { return a.mux }

// Limited returns Handler behind the app's time limit on one request
// (Options.Timeout, as nianbao serve): a server that puts its own guards
// around the app keeps the limit on reading and checking a file.
func (a *App) Limited() http.Handler { return a.limit(a.mux) }

func (a *App) limit(next http.Handler) http.Handler {
	return http.TimeoutHandler(next, a.opt.Timeout, timeoutAnswer)
}

// explain words err for a 500 answer (Options.Internal).
func (a *App) explain(r *http.Request, err error) string {
	if a.opt.Internal != nil && !errtext.Known(err) {
		return a.opt.Internal(r, err)
	}
	return errtext.Explain(err)
}

// timeoutAnswer is the answer to a request over the time limit.
const timeoutAnswer = `{"error":"处理超时：文件可能过于复杂，请检查后重试"}`

func (a *App) routes() {
	m := a.mux
	m.HandleFunc("GET /{$}", a.index)
	m.Handle("GET /assets/", http.StripPrefix("/assets/", http.HandlerFunc(a.asset)))
	m.HandleFunc("GET /api/v1/format", a.format)
	m.HandleFunc("POST /api/v1/check", a.check)
	m.HandleFunc("POST /api/v1/render", a.render)
	m.HandleFunc("POST /api/v1/import", a.importReport)
	m.HandleFunc("GET /api/v1/template", a.blankTemplate)
	m.HandleFunc("POST /api/v1/template", a.nextTemplate)
	m.HandleFunc("POST /api/v1/todo", a.todo)
	m.HandleFunc("POST /api/v1/report", a.report)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			Fail(w, http.StatusNotFound, "没有这个接口："+r.Method+" "+r.URL.Path+"（接口说明见 README 的“HTTP 接口”一节）")
			return
		}
		Fail(w, http.StatusNotFound, "没有这个页面")
	})
}

// ServeHTTP applies the guards (Host, token, size, time, panics) and
// dispatches.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.guard(a.mux, w, r) }

// Guard returns h behind the app's guards: the Host check, the token on
// every request but GET and HEAD, the cap on the body, the time limit, a
// Chinese answer instead of a panic, and one log line per request.
func (a *App) Guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.guard(h, w, r) })
}

func (a *App) guard(next http.Handler, w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			a.opt.Log.Printf("panic: %s %s: %v\n%s", r.Method, r.URL.Path, p, debug.Stack())
			if !sw.wrote {
				Fail(sw, http.StatusInternalServerError, "nianbao 内部错误，未能处理这个请求；请把所用的文件交给 IT 人员排查")
			}
		}
		a.opt.Log.Printf("%s %s %d %s", r.Method, r.URL.Path, sw.status, time.Since(start).Round(time.Millisecond))
	}()
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !a.hostAllowed(r.Host) {
		Fail(sw, http.StatusMisdirectedRequest, "拒绝访问：请求的主机名“"+r.Host+"”不是本服务的地址（防止其他网页借用本机服务）；请用启动时显示的地址打开")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		want := a.tokenFor(r)
		if want == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get(TokenHeader)), []byte(want)) != 1 {
			Fail(sw, http.StatusForbidden, "拒绝访问：缺少或错误的令牌（请求头 "+TokenHeader+"）；令牌在 nianbao serve 启动时显示，网页会自动带上")
			return
		}
		// two files and the form's JSON, with room for the multipart framing
		r.Body = http.MaxBytesReader(sw, r.Body, 3*a.opt.MaxUpload+1<<20)
	}
	a.limit(next).ServeHTTP(sw, r)
}

// hostAllowed reports whether a request's Host names this server.
func (a *App) hostAllowed(host string) bool {
	host = strings.ToLower(host)
	for _, h := range a.opt.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	if a.opt.IPHosts {
		name := host
		if h, _, err := net.SplitHostPort(host); err == nil {
			name = h
		}
		return net.ParseIP(strings.Trim(name, "[]")) != nil
	}
	return false
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Fail answers with {"error": msg} and the status; the exit code
// (ExitHeader) is 2. msg is for people: Chinese, no Go internals.
func Fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set(ExitHeader, "2")
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeJSON answers v as indented JSON; a failed write is the client gone.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
