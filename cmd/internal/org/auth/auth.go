// Package auth is the collection server's security: argon2id password
// hashes, first passwords set through one-time links, sessions in HttpOnly
// SameSite=Strict cookies (Secure under TLS), a CSRF token checked on every
// unsafe request, a login rate limit kept in the database (so several
// server processes limit alike), who may see which unit, and an audit entry
// for every login, logout and password change. It holds no report logic.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane), which
// a 2-core server hashes in about 30 ms.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns the PHC string of an argon2id hash of password.
func HashPassword(password string) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether password matches the PHC string hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var v, m, t int
	var p int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m < 1 || m > 1<<20 || t < 1 || t > 10 || p < 1 || p > 16 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// checkPassword is CheckPassword (a test counts its calls).
var checkPassword = CheckPassword

// dummyHash is checked against when a login does not exist, so a wrong
// login takes as long as a wrong password.
var dummyHash = HashPassword(store.Token())

// MinPassword is the shortest password accepted, in characters.
const MinPassword = 10

// PasswordProblem says in Chinese what is wrong with a new password, or "".
func PasswordProblem(password, login string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPassword:
		return fmt.Sprintf("密码至少 %d 个字符", MinPassword)
	case n > 200:
		return "密码过长（最多 200 个字符）"
	case strings.EqualFold(password, login):
		return "密码不能与登录名相同"
	case strings.Count(password, string([]rune(password)[0])) == len(password):
		return "密码不能由同一个字符组成"
	}
	return ""
}

// Rate limits on logins. A login with MaxFailuresPerLogin failed attempts
// within FailureWindow is refused until the window has passed. An address
// is not shut: many units of one office may reach the server through one
// address (a NAT), so after RemoteFreeFailures failures in the window each
// further attempt from it must wait after the last failure, 1 s, 2 s, 4 s…
// up to MaxRemoteWait — a guessing robot gets about one try a minute, and
// the other units behind the address wait a minute at most.
const (
	MaxFailuresPerLogin = 5
	RemoteFreeFailures  = 30
	MaxRemoteWait       = time.Minute
	FailureWindow       = 15 * time.Minute
)

// RemoteWait is how long an address with this many failures in the window
// waits after its last failure before its next attempt.
func RemoteWait(failures int) time.Duration {
	if failures < RemoteFreeFailures {
		return 0
	}
	k := failures - RemoteFreeFailures
	if k >= 6 {
		return MaxRemoteWait
	}
	return min(time.Second<<k, MaxRemoteWait)
}

// SessionLife is how long a session lasts.
const SessionLife = 12 * time.Hour

// CookieName is the session cookie's name.
const CookieName = "nianbao_session"

// CSRFHeader carries the CSRF token of a script's request; a form carries
// it in the field CSRFField.
const (
	CSRFHeader = "X-CSRF-Token"
	CSRFField  = "csrf"
)

// Errors of Login.
var (
	ErrBadLogin    = errors.New("wrong login or password")
	ErrRateLimited = errors.New("too many failed logins")
	ErrNoPassword  = errors.New("password not set yet")
	// ErrUnlisted: the right password of a unit removed from the roster
	ErrUnlisted = errors.New("unit removed from the roster")
)

// RateLimitError is a login refused by the rate limit (errors.Is
// ErrRateLimited): for its login (until the window has passed) or for its
// address (for Wait).
type RateLimitError struct {
	Wait time.Duration // > 0: the address's wait; 0: the login's limit
}

func (e *RateLimitError) Error() string { return ErrRateLimited.Error() }

func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Auth is the security of one server.
type Auth struct {
	Store *store.Store
	// Secure marks cookies Secure (the server runs under TLS).
	Secure bool
	// TrustProxy takes the client's address from X-Forwarded-For (behind
	// a reverse proxy on the same machine); otherwise it is RemoteAddr.
	TrustProxy bool
	// NoSession are the paths (the login and set-password forms) whose
	// requests are served without the session the browser may still have:
	// no CSRF token of that session is asked for, and none is used.
	NoSession map[string]bool
}

// Remote is the client's address of r, for the audit log and the rate
// limit.
func (a *Auth) Remote(r *http.Request) string {
	if a.TrustProxy {
		// the proxy appends the address it saw; what comes before it is
		// whatever the client sent, so only the last entry is trusted
		if f := r.Header.Values("X-Forwarded-For"); len(f) > 0 {
			last := f[len(f)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if last = strings.TrimSpace(last); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Actor is who makes request r, for the store's audit entries.
func (a *Auth) Actor(r *http.Request) store.Actor {
	act := store.Actor{Name: "未登录", Remote: a.Remote(r)}
	if s := FromContext(r.Context()); s != nil {
		act.AccountID, act.Name = s.Account.ID, s.Account.Login
	}
	return act
}

// Login checks a login and password, and on success starts a new session
// and sets its cookie on w. A session cookie the request already carried
// is ended first (no session fixation). Failed attempts count towards the
// rate limit; every attempt is in the audit log.
func (a *Auth) Login(w http.ResponseWriter, r *http.Request, login, password string) (*store.Session, error) {
	ctx := r.Context()
	remote := a.Remote(r)
	login = strings.TrimSpace(login)
	if len(login) > 200 {
		login = login[:200]
	}
	actor := store.Actor{Name: login, Remote: remote}
	// the attempt is recorded as failed before the password is checked, in
	// the same transaction as the count, so a burst of parallel guesses is
	// counted one by one
	st, err := a.Store.StartLogin(ctx, actor, login, store.LoginLimits{Since: time.Now().Add(-FailureWindow),
		MaxLogin: MaxFailuresPerLogin, RemoteWait: RemoteWait})
	if err != nil {
		return nil, err
	}
	if st.ID == 0 {
		return nil, &RateLimitError{Wait: st.Wait}
	}
	attempt := st.ID
	acct, err := a.Store.AccountByLogin(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		acct = nil
	} else if err != nil {
		return nil, err
	}
	// one hash in every case, on a dummy when there is no password to
	// check, so an unknown login takes as long as a wrong password
	hash := dummyHash
	if acct != nil && acct.HasPassword() {
		hash = acct.PasswordHash
	}
	right := checkPassword(hash, password) && acct != nil && acct.HasPassword()
	if right && acct.Unlisted && !acct.Disabled {
		a.Store.LoginEvent(ctx, actor, "登录失败", login, login+"（单位已移出名单）")
		return nil, ErrUnlisted
	}
	if ok := right && !acct.Barred(); !ok {
		a.Store.LoginEvent(ctx, actor, "登录失败", login, login)
		if acct != nil && !acct.HasPassword() && !acct.Disabled {
			return nil, ErrNoPassword
		}
		return nil, ErrBadLogin
	}
	if err := a.Store.LoginSucceeded(ctx, attempt); err != nil {
		return nil, err
	}
	if c, err := r.Cookie(CookieName); err == nil {
		a.Store.DeleteSession(ctx, c.Value)
	}
	token, sess, err := a.Store.CreateSession(ctx, acct.ID, remote, SessionLife)
	if err != nil {
		return nil, err
	}
	a.setCookie(w, token, sess.Expires)
	actor.AccountID = acct.ID
	a.Store.Log(ctx, actor, "登录", acct.UnitID, 0, acct.Login)
	return sess, nil
}

func (a *Auth) setCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteStrictMode})
}

// Logout ends the request's session and clears its cookie.
func (a *Auth) Logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		a.Store.DeleteSession(r.Context(), c.Value)
	}
	if s := FromContext(r.Context()); s != nil {
		a.Store.Log(r.Context(), a.Actor(r), "退出登录", s.Account.UnitID, 0, s.Account.Login)
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteStrictMode})
}

// SetPassword sets the first (or a forgotten) password through a one-time
// link's token.
func (a *Auth) SetPassword(r *http.Request, token, password string) (*store.Account, string, error) {
	acct, err := a.Store.SetupAccount(r.Context(), token)
	if err != nil {
		return nil, "", err
	}
	if p := PasswordProblem(password, acct.Login); p != "" {
		return acct, p, nil
	}
	acct, err = a.Store.UsePasswordLink(r.Context(), store.Actor{Remote: a.Remote(r)}, token, HashPassword(password))
	return acct, "", err
}

type ctxKey struct{}

// FromContext returns the session of the request, or nil.
func FromContext(ctx context.Context) *store.Session {
	s, _ := ctx.Value(ctxKey{}).(*store.Session)
	return s
}

// safe reports whether a method changes nothing.
func safe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// Middleware puts the request's session (if its cookie is valid) into the
// context, and refuses an unsafe request (POST, PUT, DELETE…) of a session
// that does not carry the session's CSRF token, or that a browser says
// comes from another site.
func (a *Auth) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sess *store.Session
		if c, err := r.Cookie(CookieName); err == nil && c.Value != "" && !a.NoSession[r.URL.Path] {
			if s, err := a.Store.SessionByToken(r.Context(), c.Value); err == nil {
				sess = s
			}
		}
		if !safe(r.Method) {
			if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
				http.Error(w, "拒绝来自其他网站的请求", http.StatusForbidden)
				return
			}
			if sess != nil && tooLarge(r) {
				// the body was cut at the server's cap before its CSRF field
				// could be read: say so, instead of "页面已过期"
				http.Error(w, "上传的内容过大：超过服务器允许的上限，请上传报告文件本身", http.StatusRequestEntityTooLarge)
				return
			}
			if sess != nil && !CheckCSRF(r, sess) {
				a.Store.Log(r.Context(), store.Actor{AccountID: sess.Account.ID, Name: sess.Account.Login, Remote: a.Remote(r)},
					"拒绝请求", sess.Account.UnitID, 0, "缺少或不符的 CSRF 令牌："+r.Method+" "+r.URL.Path)
				http.Error(w, "页面已过期或请求无效，请刷新页面后重试", http.StatusForbidden)
				return
			}
		}
		if sess != nil {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, sess))
		}
		next.ServeHTTP(w, r)
	})
}

// tooLarge reads a form body that carries no CSRF header and reports
// whether it was over the size the server allows (http.MaxBytesReader).
func tooLarge(r *http.Request) bool {
	if r.Header.Get(CSRFHeader) != "" {
		return false
	}
	var err error
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		err = r.ParseMultipartForm(32 << 20)
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		err = r.ParseForm()
	}
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// CheckCSRF reports whether r carries the session's CSRF token, in the
// header or (for a form) the form field.
func CheckCSRF(r *http.Request, sess *store.Session) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		ct := r.Header.Get("Content-Type")
		if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data") {
			got = r.FormValue(CSRFField)
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) == 1
}

// Require wraps a handler so that only a logged-in account of one of the
// roles reaches it: 401 without a session, 403 for another role.
func Require(next http.Handler, roles ...store.Role) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := FromContext(r.Context())
		if s == nil {
			http.Error(w, "请先登录", http.StatusUnauthorized)
			return
		}
		for _, role := range roles {
			if s.Account.Role == role {
				next.ServeHTTP(w, r)
				return
			}
		}
		http.Error(w, "没有权限", http.StatusForbidden)
	})
}

// CanSeeUnit reports whether an account may read and change the reports
// of a unit: the office's accounts every unit, a unit's account its own
// unit alone.
func CanSeeUnit(acct *store.Account, unit int64) bool {
	switch acct.Role {
	case store.RoleAdmin, store.RoleReviewer:
		return true
	case store.RoleUnit:
		return acct.UnitID != 0 && acct.UnitID == unit
	}
	return false
}

// CanSeeBoard reports whether an account may see the board of every unit.
func CanSeeBoard(acct *store.Account) bool {
	return acct.Role == store.RoleAdmin || acct.Role == store.RoleReviewer
}
