package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what an account may do on the collection server.
type Role string

// The roles: the office that runs the server, its reviewers, and the
// units that report (one account per unit).
const (
	RoleAdmin    Role = "管理员"
	RoleReviewer Role = "审核人"
	RoleUnit     Role = "填报单位"
)

// Roles lists the roles in order.
var Roles = []Role{RoleAdmin, RoleReviewer, RoleUnit}

// Errors of the account functions.
var (
	ErrLoginTaken   = errors.New("login already taken")
	ErrUnitTaken    = errors.New("unit already has an account")
	ErrBadRole      = errors.New("unknown role, or a unit account without a unit")
	ErrTokenInvalid = errors.New("setup link unknown, used or expired")
	ErrLoginInvalid = errors.New("login empty or longer than 64 characters")
)

// Account is one account.
type Account struct {
	ID           int64
	Login        string
	Name         string
	Role         Role
	UnitID       int64 // the unit of a 填报单位 account; 0 otherwise
	PasswordHash string
	Disabled     bool
	// Unlisted: the account's unit was removed from the roster. The
	// account can no longer log in and its sessions have ended; its
	// unit's reports stay with the office. It works again if the unit
	// comes back on the roster.
	Unlisted bool
}

// Barred reports whether the account may not log in or keep a session:
// disabled, or its unit removed from the roster.
func (a *Account) Barred() bool { return a.Disabled || a.Unlisted }

// HasPassword reports whether the account's first password was set.
func (a *Account) HasPassword() bool { return a.PasswordHash != "" }

// Token returns a new random token: 32 bytes, URL-safe base64.
func Token() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on a supported system
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// SetupLinkLife is how long a one-time setup link stays valid.
const SetupLinkLife = 7 * 24 * time.Hour

func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") || strings.Contains(err.Error(), "23505"))
}

// CreateAccount adds an account without a password and returns it with the
// token of its one-time setup link.
func (s *Store) CreateAccount(ctx context.Context, a Actor, login, name string, role Role, unit int64) (*Account, string, error) {
	login = Text(strings.TrimSpace(login))
	if login == "" || utf8.RuneCountInString(login) > 64 {
		return nil, "", ErrLoginInvalid
	}
	if (role == RoleUnit) != (unit != 0) || (role != RoleAdmin && role != RoleReviewer && role != RoleUnit) {
		return nil, "", ErrBadRole
	}
	acct := &Account{Login: login, Name: Text(strings.TrimSpace(name)), Role: role, UnitID: unit}
	var token string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM accounts WHERE login = ?`), login).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrLoginTaken
		}
		if unit != 0 {
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM accounts WHERE unit_id = ?`), unit).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return ErrUnitTaken
			}
			if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM units WHERE id = ?`), unit).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
		}
		t := now()
		err := tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO accounts (login, name, role, unit_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			login, acct.Name, string(role), nullID(unit), t, t).Scan(&acct.ID)
		if err != nil {
			return err
		}
		if token, err = s.issueToken(ctx, tx, acct.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "新建账号", unit, 0, fmt.Sprintf("%s（%s，%s）", login, acct.Name, role))
	})
	if err != nil {
		return nil, "", err
	}
	return acct, token, nil
}

func (s *Store) issueToken(ctx context.Context, tx *sql.Tx, account int64) (string, error) {
	// an earlier link stops working
	if _, err := s.exec(ctx, tx, `UPDATE setup_tokens SET used_at = ? WHERE account_id = ? AND used_at IS NULL`, now(), account); err != nil {
		return "", err
	}
	token := Token()
	_, err := s.exec(ctx, tx, `INSERT INTO setup_tokens (token_sha256, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		Sum([]byte(token)), account, now(), time.Now().UTC().Add(SetupLinkLife).Format(time.RFC3339Nano))
	return token, err
}

// IssueSetupLink gives an account a new one-time link (a forgotten
// password); an earlier link stops working. The password stays until the
// link is used.
func (s *Store) IssueSetupLink(ctx context.Context, a Actor, account int64) (string, error) {
	var token string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		acct, err := s.account(ctx, tx, `id = ?`, account)
		if err != nil {
			return err
		}
		if token, err = s.issueToken(ctx, tx, account); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "发放设置密码链接", acct.UnitID, 0, acct.Login)
	})
	return token, err
}

// SetupAccount returns the account a valid, unused setup token belongs to.
func (s *Store) SetupAccount(ctx context.Context, token string) (*Account, error) {
	var id int64
	var expires string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT account_id, expires_at FROM setup_tokens WHERE token_sha256 = ? AND used_at IS NULL`),
		Sum([]byte(token))).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, err
	}
	if exp, err := time.Parse(time.RFC3339Nano, expires); err != nil || time.Now().After(exp) {
		return nil, ErrTokenInvalid
	}
	return s.account(ctx, s.db, `id = ?`, id)
}

// UsePasswordLink sets the password hash of the account of a valid setup
// token, uses the token up and ends every session of the account.
func (s *Store) UsePasswordLink(ctx context.Context, a Actor, token, hash string) (*Account, error) {
	var acct *Account
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		var expires string
		err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT account_id, expires_at FROM setup_tokens WHERE token_sha256 = ? AND used_at IS NULL`),
			Sum([]byte(token))).Scan(&id, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrTokenInvalid
		}
		if err != nil {
			return err
		}
		if exp, err := time.Parse(time.RFC3339Nano, expires); err != nil || time.Now().After(exp) {
			return ErrTokenInvalid
		}
		t := now()
		// the link is used up only if nobody used it meanwhile: on
		// PostgreSQL, a second use at the same moment waits for the first
		// and then finds used_at set, so it changes no row
		res, err := s.exec(ctx, tx, `UPDATE setup_tokens SET used_at = ? WHERE token_sha256 = ? AND used_at IS NULL`, t, Sum([]byte(token)))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return ErrTokenInvalid
		}
		if _, err := s.exec(ctx, tx, `UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?`, Text(hash), t, id); err != nil {
			return err
		}
		if _, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE account_id = ?`, id); err != nil {
			return err
		}
		if acct, err = s.account(ctx, tx, `id = ?`, id); err != nil {
			return err
		}
		a.AccountID, a.Name = acct.ID, acct.Login
		return s.audit(ctx, tx, a, "设置密码", acct.UnitID, 0, acct.Login)
	})
	return acct, err
}

// SetDisabled disables or enables an account; disabling ends its sessions.
func (s *Store) SetDisabled(ctx context.Context, a Actor, account int64, disabled bool) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		acct, err := s.account(ctx, tx, `id = ?`, account)
		if err != nil {
			return err
		}
		d, action := 0, "启用账号"
		if disabled {
			d, action = 1, "停用账号"
			if _, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE account_id = ?`, account); err != nil {
				return err
			}
		}
		if _, err := s.exec(ctx, tx, `UPDATE accounts SET disabled = ?, updated_at = ? WHERE id = ?`, d, now(), account); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, action, acct.UnitID, 0, acct.Login)
	})
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func (s *Store) account(ctx context.Context, q rowQuerier, where string, args ...any) (*Account, error) {
	var a Account
	var role string
	var disabled, listed int64
	err := q.QueryRowContext(ctx, s.d.rebind(`SELECT id, login, name, role, COALESCE(unit_id, 0), password_hash, disabled,
COALESCE((SELECT listed FROM units WHERE units.id = accounts.unit_id), 1) FROM accounts WHERE `+where), args...).
		Scan(&a.ID, &a.Login, &a.Name, &role, &a.UnitID, &a.PasswordHash, &disabled, &listed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Role, a.Disabled, a.Unlisted = Role(role), disabled != 0, listed == 0
	return &a, nil
}

// AccountByLogin returns the account with the given login.
func (s *Store) AccountByLogin(ctx context.Context, login string) (*Account, error) {
	return s.account(ctx, s.db, `login = ?`, Key(strings.TrimSpace(login)))
}

// Account returns the account with the given ID.
func (s *Store) Account(ctx context.Context, id int64) (*Account, error) {
	return s.account(ctx, s.db, `id = ?`, id)
}

// Accounts returns every account, in the order they were made.
func (s *Store) Accounts(ctx context.Context) ([]*Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM accounts ORDER BY id`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	var out []*Account
	for _, id := range ids {
		a, err := s.Account(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Session is a logged-in account.
type Session struct {
	Account *Account
	CSRF    string // the token every form and unsafe request must carry
	Expires time.Time
}

// CreateSession starts a session for an account and returns its token
// (kept in the database only as its SHA-256) and its CSRF token.
func (s *Store) CreateSession(ctx context.Context, account int64, remote string, life time.Duration) (token string, sess *Session, err error) {
	token = Token()
	acct, err := s.Account(ctx, account)
	if err != nil {
		return "", nil, err
	}
	sess = &Session{Account: acct, CSRF: Token(), Expires: time.Now().UTC().Add(life)}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO sessions (token_sha256, account_id, csrf, remote, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			Sum([]byte(token)), account, sess.CSRF, Key(remote), now(), sess.Expires.Format(time.RFC3339Nano))
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// SessionByToken returns the live session of a token, with its account;
// an expired session, or one of a disabled account or of a unit removed
// from the roster, is not found.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, error) {
	var id int64
	var csrf, expires string
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT account_id, csrf, expires_at FROM sessions WHERE token_sha256 = ?`), Sum([]byte(token))).
		Scan(&id, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	exp, err := time.Parse(time.RFC3339Nano, expires)
	if err != nil || time.Now().After(exp) {
		return nil, ErrNotFound
	}
	acct, err := s.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	if acct.Barred() {
		return nil, ErrNotFound
	}
	return &Session{Account: acct, CSRF: csrf, Expires: exp}, nil
}

// DeleteSession ends a session (logging out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE token_sha256 = ?`, Sum([]byte(token)))
		return err
	})
}

// RecordLogin notes a login attempt, for the rate limit.
func (s *Store) RecordLogin(ctx context.Context, login, remote string, ok bool) error {
	v := 0
	if ok {
		v = 1
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `INSERT INTO login_attempts (login, remote, ok, at) VALUES (?, ?, ?, ?)`, Key(login), Key(remote), v, now())
		return err
	})
}

// Failures counts the failed login attempts since t: for a login, since
// that login's last success; from a remote address, all of them (a unit
// that knows its own password cannot reset its address's count to go on
// guessing other logins).
func (s *Store) Failures(ctx context.Context, login, remote string, since time.Time) (byLogin, byRemote int, err error) {
	return s.failures(ctx, s.db, login, remote, since)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) failures(ctx context.Context, q queryer, login, remote string, since time.Time) (byLogin, byRemote int, err error) {
	t := since.UTC().Format("2006-01-02T15:04:05.000000000Z")
	login, remote = Key(login), Key(AddressGroup(remote))
	if err = q.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM login_attempts WHERE login = ? AND ok = 0 AND at > ?
AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE login = ? AND ok = 1), '')`), login, t, login).Scan(&byLogin); err != nil {
		return
	}
	err = q.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM login_attempts WHERE remote = ? AND ok = 0 AND at > ?`), remote, t).Scan(&byRemote)
	return
}

// LoginLimits are the rate limits of StartLogin.
type LoginLimits struct {
	// Since: failures after it count (the window of the limit).
	Since time.Time
	// MaxLogin: a login with this many failures in the window is refused.
	MaxLogin int
	// RemoteWait is how long an address with this many failures in the
	// window must wait after its last failure before its next attempt
	// (0 = no wait). An address is never shut for the whole window: many
	// units of one office share one address behind a NAT.
	RemoteWait func(failures int) time.Duration
}

// LoginStart is the answer of StartLogin.
type LoginStart struct {
	// ID is the attempt recorded; 0 when it is refused.
	ID int64
	// ByLogin and ByRemote are the failures counted in the window.
	ByLogin, ByRemote int
	// Wait, for an attempt refused because of its address, is how long
	// the address has still to wait.
	Wait time.Duration
}

// StartLogin counts the failures in the window as Failures does and, when
// the login has not reached its limit and the address has waited long
// enough since its last failure, records the attempt as failed before its
// password is checked; LoginSucceeded turns it into a success. A refused
// attempt is not recorded as a failure (so it does not lengthen the wait)
// and goes to the audit log as "登录被限制" through LoginEvent's summary.
// Counting and recording are one transaction that holds a lock per login
// and per address (SQLite's immediate transaction; PostgreSQL advisory
// locks), so attempts made at once are counted one after another: a burst
// of guesses cannot all pass the check while the passwords are hashed.
// Attempts older than the window are deleted on the way.
func (s *Store) StartLogin(ctx context.Context, a Actor, login string, lim LoginLimits) (LoginStart, error) {
	var st LoginStart
	remote := AddressGroup(a.Remote)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		st = LoginStart{}
		if err := s.lockLogin(ctx, tx, "login:"+Key(login), "remote:"+Key(remote)); err != nil {
			return err
		}
		since := stamp(lim.Since)
		if _, err := s.exec(ctx, tx, `DELETE FROM login_attempts WHERE at < ?`, since); err != nil {
			return err
		}
		var err error
		if st.ByLogin, st.ByRemote, err = s.failures(ctx, tx, login, remote, lim.Since); err != nil {
			return err
		}
		if st.ByLogin >= lim.MaxLogin {
			return s.loginEvent(ctx, tx, a, "登录被限制", login, fmt.Sprintf("该账号在 %d 分钟内登录失败 %d 次", int(time.Since(lim.Since).Round(time.Minute).Minutes()), st.ByLogin))
		}
		if lim.RemoteWait != nil {
			if w := lim.RemoteWait(st.ByRemote); w > 0 {
				var last sql.NullString
				if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT MAX(at) FROM login_attempts WHERE remote = ? AND ok = 0 AND at > ?`), Key(remote), since).Scan(&last); err != nil {
					return err
				}
				if t, err := time.Parse(time.RFC3339Nano, last.String); err == nil {
					if left := w - time.Since(t); left > 0 {
						st.Wait = left
						return s.loginEvent(ctx, tx, a, "登录被限制", login, fmt.Sprintf("该地址登录失败 %d 次，须等待 %d 秒", st.ByRemote, int(w.Seconds())))
					}
				}
			}
		}
		return tx.QueryRowContext(ctx, s.d.rebind(`INSERT INTO login_attempts (login, remote, ok, at) VALUES (?, ?, 0, ?) RETURNING id`),
			Key(login), Key(remote), now()).Scan(&st.ID)
	})
	return st, err
}

// AddressGroup is the address that the login limits count and the
// audit log's summaries group by: an IPv6 address's /64 network (one
// machine or one site usually has a whole /64 to pick addresses from),
// any other address as it is.
func AddressGroup(remote string) string {
	ip := net.ParseIP(remote)
	if ip == nil || ip.To4() != nil {
		return remote
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}

// lockLogin takes PostgreSQL's transaction advisory locks of keys (SQLite's
// immediate transaction is a lock already).
func (s *Store) lockLogin(ctx context.Context, tx *sql.Tx, keys ...string) error {
	if s.d != postgresDialect {
		return nil
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, k); err != nil {
			return err
		}
	}
	return nil
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// Failed and refused logins go to the audit log summarised, so a guessing
// robot cannot make it grow without bound: per address and time window of
// LoginEventWindow, the first LoginEventsInFull of each action are written
// in full; the others are counted and written as one line "登录失败 N 次"
// when the window has closed (or when the log is read, FlushLoginEvents).
const (
	LoginEventWindow  = 15 * time.Minute
	LoginEventsInFull = 5
	// loginEventNames is how many of the logins tried a summary names.
	loginEventNames = 10
)

// LoginEvent writes a failed login ("登录失败") of login from a's address
// to the audit log, in full or into its window's summary.
func (s *Store) LoginEvent(ctx context.Context, a Actor, action, login, detail string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.lockLogin(ctx, tx, "remote:"+Key(AddressGroup(a.Remote))); err != nil {
			return err
		}
		return s.loginEvent(ctx, tx, a, action, login, detail)
	})
}

func (s *Store) loginEvent(ctx context.Context, tx *sql.Tx, a Actor, action, login, detail string) error {
	t := time.Now().UTC()
	bucket := stamp(t.Truncate(LoginEventWindow))
	remote := Key(AddressGroup(a.Remote))
	// the windows closed meanwhile get their summaries first
	if err := s.flushLoginEvents(ctx, tx, bucket, false); err != nil {
		return err
	}
	var n, done int
	var logins string
	err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT n, done, logins FROM login_events WHERE bucket = ? AND remote = ? AND action = ?`),
		bucket, remote, action).Scan(&n, &done, &logins)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	n++
	login = Key(login)
	names := strings.Split(logins, "\n")
	if logins == "" {
		names = nil
	}
	if !slices.Contains(names, login) && len(names) < loginEventNames {
		names = append(names, login)
	}
	if n <= LoginEventsInFull && done == n-1 {
		done = n
		if err := s.audit(ctx, tx, a, action, 0, 0, detail); err != nil {
			return err
		}
	}
	logins = strings.Join(names, "\n")
	if exists {
		_, err = s.exec(ctx, tx, `UPDATE login_events SET n = ?, done = ?, logins = ? WHERE bucket = ? AND remote = ? AND action = ?`,
			n, done, logins, bucket, remote, action)
	} else {
		_, err = s.exec(ctx, tx, `INSERT INTO login_events (bucket, remote, action, n, done, logins) VALUES (?, ?, ?, ?, ?, ?)`,
			bucket, remote, action, n, done, logins)
	}
	return err
}

// FlushLoginEvents writes the summaries of the failed and refused logins
// not yet in the audit log, those of the current window too (which go on
// counting from there), so the log read now is complete.
func (s *Store) FlushLoginEvents(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		return s.flushLoginEvents(ctx, tx, stamp(time.Now().UTC().Truncate(LoginEventWindow)), true)
	})
}

// flushLoginEvents writes the summaries of the windows before bucket and
// deletes their rows; with open, those of the windows from bucket on as
// well, keeping their rows.
func (s *Store) flushLoginEvents(ctx context.Context, tx *sql.Tx, bucket string, open bool) error {
	type ev struct {
		bucket, remote, action, logins string
		n, done                        int
	}
	read := func(rows *sql.Rows, err error) ([]ev, error) {
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []ev
		for rows.Next() {
			var e ev
			if err := rows.Scan(&e.bucket, &e.remote, &e.action, &e.n, &e.done, &e.logins); err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, rows.Err()
	}
	// DELETE … RETURNING: of two processes flushing at once, only one
	// gets a row (PostgreSQL makes the second wait, then finds it gone)
	closed, err := read(tx.QueryContext(ctx, s.d.rebind(`DELETE FROM login_events WHERE bucket < ? RETURNING bucket, remote, action, n, done, logins`), bucket))
	if err != nil {
		return err
	}
	for _, e := range closed {
		if err := s.summary(ctx, tx, e.bucket, e.remote, e.action, e.n-e.done, e.logins); err != nil {
			return err
		}
	}
	if !open {
		return nil
	}
	cur, err := read(tx.QueryContext(ctx, s.d.rebind(`SELECT bucket, remote, action, n, done, logins FROM login_events WHERE bucket >= ? AND n > done`), bucket))
	if err != nil {
		return err
	}
	for _, e := range cur {
		// only if nobody summarised it meanwhile
		res, err := s.exec(ctx, tx, `UPDATE login_events SET done = ? WHERE bucket = ? AND remote = ? AND action = ? AND done = ?`, e.n, e.bucket, e.remote, e.action, e.done)
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k != 1 {
			continue
		}
		if err := s.summary(ctx, tx, e.bucket, e.remote, e.action, e.n-e.done, e.logins); err != nil {
			return err
		}
	}
	return nil
}

// summary writes the audit line of n failed or refused logins of an
// address in the window from bucket that are not yet in the log.
func (s *Store) summary(ctx context.Context, tx *sql.Tx, bucket, remote, action string, n int, logins string) error {
	if n <= 0 {
		return nil
	}
	from, err := time.Parse(time.RFC3339Nano, bucket)
	if err != nil {
		return err
	}
	names := strings.Split(logins, "\n")
	detail := fmt.Sprintf("%s %d 次（%s 至 %s UTC，未逐条记录）；所用登录名：%s", action, n,
		from.Format("2006-01-02 15:04"), from.Add(LoginEventWindow).Format("15:04"), strings.Join(names, "、"))
	if len(names) >= loginEventNames {
		detail += " 等"
	}
	return s.audit(ctx, tx, Actor{Name: "未登录", Remote: remote}, action, 0, 0, detail)
}

// LoginSucceeded marks the attempt StartLogin recorded as a success.
func (s *Store) LoginSucceeded(ctx context.Context, id int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := s.exec(ctx, tx, `UPDATE login_attempts SET ok = 1 WHERE id = ?`, id)
		return err
	})
}

// endUnitSessions ends the sessions of the account of a unit removed
// from the roster.
func (s *Store) endUnitSessions(ctx context.Context, tx *sql.Tx, unit int64) error {
	_, err := s.exec(ctx, tx, `DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE unit_id = ?)`, unit)
	return err
}
