package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAccounts(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.ImportRoster(ctx, office, testRoster(t, 2)); err != nil {
			t.Fatal(err)
		}
		us, _ := s.Units(ctx)
		admin, tok, err := s.CreateAccount(ctx, office, "admin", "办公室", RoleAdmin, 0)
		if err != nil || tok == "" || admin.HasPassword() {
			t.Fatalf("admin: %+v %q %v", admin, tok, err)
		}
		unit, utok, err := s.CreateAccount(ctx, office, "unit1", "某某县第1局", RoleUnit, us[0].ID)
		if err != nil || unit.UnitID != us[0].ID {
			t.Fatalf("unit: %+v %v", unit, err)
		}
		for _, tt := range []struct {
			login string
			role  Role
			unit  int64
			want  error
		}{
			{"admin", RoleReviewer, 0, ErrLoginTaken},
			{"unit1b", RoleUnit, us[0].ID, ErrUnitTaken},
			{"unit3", RoleUnit, 0, ErrBadRole},
			{"rev", RoleReviewer, us[1].ID, ErrBadRole},
			{"x", "超级用户", 0, ErrBadRole},
			{"", RoleAdmin, 0, ErrLoginInvalid},
			{"unit9", RoleUnit, 99999, ErrNotFound},
		} {
			if _, _, err := s.CreateAccount(ctx, office, tt.login, "", tt.role, tt.unit); !errors.Is(err, tt.want) {
				t.Errorf("%s %s %d: %v, want %v", tt.login, tt.role, tt.unit, err, tt.want)
			}
		}
		// the one-time link
		if a, err := s.SetupAccount(ctx, utok); err != nil || a.ID != unit.ID {
			t.Fatalf("setup account: %+v %v", a, err)
		}
		if _, err := s.UsePasswordLink(ctx, office, utok, "hash1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordLink(ctx, office, utok, "hash2"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("link used twice: %v", err)
		}
		if _, err := s.SetupAccount(ctx, "made-up"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("unknown link: %v", err)
		}
		got, _ := s.AccountByLogin(ctx, " unit1 ")
		if got.PasswordHash != "hash1" {
			t.Errorf("hash %q", got.PasswordHash)
		}
		// a new link replaces the old one, which stops working
		tok2, err := s.IssueSetupLink(ctx, office, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetupAccount(ctx, tok); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("old link after a new one: %v", err)
		}
		// an expired link
		s.db.Exec(s.d.rebind(`UPDATE setup_tokens SET expires_at = ? WHERE token_sha256 = ?`), time.Now().Add(-time.Minute).UTC().Format(time.RFC3339Nano), Sum([]byte(tok2)))
		if _, err := s.UsePasswordLink(ctx, office, tok2, "h"); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("expired link: %v", err)
		}
		// sessions
		token, sess, err := s.CreateSession(ctx, unit.ID, "10.0.0.1", time.Hour)
		if err != nil || sess.CSRF == "" || token == sess.CSRF {
			t.Fatalf("session %+v %v", sess, err)
		}
		if got, err := s.SessionByToken(ctx, token); err != nil || got.Account.ID != unit.ID || got.CSRF != sess.CSRF {
			t.Errorf("session lookup %+v %v", got, err)
		}
		var stored string
		s.db.QueryRow(`SELECT token_sha256 FROM sessions`).Scan(&stored)
		if stored == token || stored != Sum([]byte(token)) {
			t.Error("session token stored in the clear")
		}
		old, _, _ := s.CreateSession(ctx, unit.ID, "", -time.Second)
		if _, err := s.SessionByToken(ctx, old); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		if err := s.SetDisabled(ctx, office, unit.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByToken(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("session of a disabled account: %v", err)
		}
		s.SetDisabled(ctx, office, unit.ID, false)
		token, _, _ = s.CreateSession(ctx, unit.ID, "", time.Hour)
		s.DeleteSession(ctx, token)
		if _, err := s.SessionByToken(ctx, token); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}
		// failures of a login since its last success; of an address, all
		for _, ok := range []bool{false, false, true, false, false, false} {
			s.RecordLogin(ctx, "unit1", "10.0.0.9", ok)
		}
		s.RecordLogin(ctx, "other", "10.0.0.9", false)
		l, r, err := s.Failures(ctx, "unit1", "10.0.0.9", time.Now().Add(-time.Hour))
		if err != nil || l != 3 || r != 6 {
			t.Errorf("failures %d %d %v, want 3 6", l, r, err)
		}
		if l, _, _ := s.Failures(ctx, "unit1", "x", time.Now().Add(time.Hour)); l != 0 {
			t.Errorf("failures in the future window: %d", l)
		}
		accts, _ := s.Accounts(ctx)
		if len(accts) != 2 {
			t.Errorf("%d accounts", len(accts))
		}
	})
}

// TestLoginBurst: attempts made at once are counted one after another, so
// a burst of 20 parallel guesses gets exactly the limit's 5 through, and a
// success no longer counts against the address; an address past its free
// failures waits after each failure, and a burst from it gets one attempt
// through per wait; an IPv6 address counts with its /64.
func TestLoginBurst(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		lim := LoginLimits{Since: time.Now().Add(-time.Hour), MaxLogin: 5}
		burst := func(lim LoginLimits, login func(i int) string, remote string) int {
			var wg sync.WaitGroup
			var passed atomic.Int32
			for i := 0; i < 20; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st, err := s.StartLogin(ctx, Actor{Name: login(i), Remote: remote}, login(i), lim)
					if err != nil {
						t.Error(err)
					}
					if st.ID != 0 {
						passed.Add(1)
					}
				}()
			}
			wg.Wait()
			return int(passed.Load())
		}
		if n := burst(lim, func(int) string { return "unit9" }, "10.0.0.7"); n != 5 {
			t.Errorf("%d of 20 parallel attempts passed, want 5", n)
		}
		st, err := s.StartLogin(ctx, Actor{Remote: "10.0.0.7"}, "unit8", lim)
		if err != nil || st.ID == 0 {
			t.Fatalf("another login from the address: %+v %v", st, err)
		}
		if err := s.LoginSucceeded(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		if l, r, _ := s.Failures(ctx, "unit8", "10.0.0.7", lim.Since); l != 0 || r != 5 {
			t.Errorf("after a success: login %d, address %d; want 0 and 5", l, r)
		}
		// the address's back-off: 3 free failures, then a wait after each
		// failure — one so short that it has passed when the next attempt
		// comes, then an hour — so whatever the machine's load a burst
		// gets exactly 4 through: the free ones and one after the wait
		lim.RemoteWait = func(n int) time.Duration {
			switch {
			case n < 3:
				return 0
			case n == 3:
				return time.Nanosecond
			}
			return time.Hour
		}
		spray := func(i int) string { return fmt.Sprint("spray", i) }
		if n := burst(lim, spray, "10.0.0.8"); n != 4 {
			t.Errorf("%d of 20 parallel attempts from a fresh address passed, want its 3 free ones and 1 after the wait", n)
		}
		st, _ = s.StartLogin(ctx, Actor{Remote: "10.0.0.8"}, "someone", lim)
		if st.ID != 0 || st.Wait <= 0 || st.Wait > time.Hour {
			t.Errorf("an attempt right after: %+v, want a wait of at most an hour", st)
		}
		// the refused attempts are not failures: they do not lengthen the wait
		if _, r, _ := s.Failures(ctx, "x", "10.0.0.8", lim.Since); r != 4 {
			t.Errorf("address failures %d, want 4", r)
		}
		// an IPv6 address counts with its /64: another address of the
		// same network waits too, another network does not
		if n := burst(lim, spray, "2001:db8:1:2::7"); n != 4 {
			t.Errorf("%d of 20 from a fresh IPv6 network passed, want 4", n)
		}
		if st, _ := s.StartLogin(ctx, Actor{Remote: "2001:db8:1:2:abcd::9"}, "x", lim); st.ID != 0 || st.Wait <= 0 {
			t.Errorf("another address of the /64: %+v, want a wait", st)
		}
		if st, _ := s.StartLogin(ctx, Actor{Remote: "2001:db8:1:3::7"}, "x", lim); st.ID == 0 {
			t.Errorf("another /64: %+v, want through", st)
		}
		if g := AddressGroup("::ffff:10.0.0.1"); g != "::ffff:10.0.0.1" {
			t.Errorf("an IPv4-mapped address: %q", g)
		}
		// attempts older than the window are deleted
		lim.Since = time.Now()
		s.StartLogin(ctx, Actor{Remote: "10.0.0.9"}, "late", lim)
		if c, _ := s.Counts(ctx); c["login_attempts"] != 1 {
			t.Errorf("%d login attempts kept, want 1", c["login_attempts"])
		}
	})
}

// TestLoginEvents: per address and window, the first failed logins are in
// the audit log in full and the others in one summary line, written when
// the window closes or the log is read.
func TestLoginEvents(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		// the test's events must fall in one window: near a window's end,
		// wait for the next one (at most 2 minutes, about 1 run in 8)
		if left := LoginEventWindow - time.Since(time.Now().Truncate(LoginEventWindow)); left < 2*time.Minute {
			t.Logf("waiting %v for the next %v window", left.Round(time.Second), LoginEventWindow)
			time.Sleep(left + time.Second)
		}
		count := func() (full, summaries, total int) {
			es, err := s.Audit(ctx, AuditFilter{Limit: 100000})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range es {
				if e.Action != "登录失败" {
					continue
				}
				if strings.Contains(e.Detail, "未逐条记录") {
					summaries++
					var n int
					fmt.Sscanf(e.Detail, "登录失败 %d 次", &n)
					total += n
				} else {
					full++
					total++
				}
			}
			return
		}
		a := Actor{Name: "guess", Remote: "10.1.1.1"}
		for i := 0; i < 500; i++ {
			if err := s.LoginEvent(ctx, a, "登录失败", fmt.Sprint("login", i%20), "x"); err != nil {
				t.Fatal(err)
			}
		}
		// another address is counted apart
		s.LoginEvent(ctx, Actor{Remote: "10.1.1.2"}, "登录失败", "u", "x")
		if f, sm, n := count(); f != LoginEventsInFull+1 || sm != 0 || n != LoginEventsInFull+1 {
			t.Errorf("before the log is read: %d in full, %d summaries, %d in all", f, sm, n)
		}
		if err := s.FlushLoginEvents(ctx); err != nil {
			t.Fatal(err)
		}
		if f, sm, n := count(); f != LoginEventsInFull+1 || sm != 1 || n != 501 {
			t.Errorf("after reading: %d in full, %d summaries, %d in all; want %d, 1, 501", f, sm, n, LoginEventsInFull+1)
		}
		es, _ := s.Audit(ctx, AuditFilter{Newest: true, Limit: 1})
		if d := es[0].Detail; !strings.Contains(d, "登录失败 495 次") || !strings.Contains(d, "login0、login1") || !strings.HasSuffix(d, "等") || es[0].Remote != "10.1.1.1" {
			t.Errorf("summary %+v", es[0])
		}
		// more in the same window, and a window that has closed: its
		// summary is written by the next event
		for i := 0; i < 7; i++ {
			s.LoginEvent(ctx, a, "登录失败", "late", "x")
		}
		old := stamp(time.Now().Add(-time.Hour).Truncate(LoginEventWindow))
		if _, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO login_events (bucket, remote, action, n, done, logins) VALUES (?, ?, ?, ?, ?, ?)`),
			old, "10.1.1.3", "登录失败", 40, 5, "old"); err != nil {
			t.Fatal(err)
		}
		s.LoginEvent(ctx, Actor{Remote: "10.1.1.4"}, "登录失败", "u", "x")
		if f, sm, n := count(); f != LoginEventsInFull+2 || sm != 2 || n != 501+35+1 {
			t.Errorf("after a closed window: %d in full, %d summaries, %d in all", f, sm, n)
		}
		s.FlushLoginEvents(ctx)
		if _, sm, n := count(); sm != 3 || n != 501+35+1+7 {
			t.Errorf("at the end: %d summaries, %d in all", sm, n)
		}
		if c, _ := s.Counts(ctx); c["login_events"] != 3 {
			t.Errorf("%d open windows kept, want 3", c["login_events"])
		}
	})
}

// TestSetupLinkOnce: a setup link used twice at the same moment sets one
// password.
func TestSetupLinkOnce(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		_, tok, err := s.CreateAccount(ctx, office, "rev", "审核人", RoleReviewer, 0)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var used atomic.Int32
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.UsePasswordLink(ctx, office, tok, fmt.Sprint("hash", i)); err == nil {
					used.Add(1)
				} else if !errors.Is(err, ErrTokenInvalid) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := used.Load(); n != 1 {
			t.Errorf("the link set a password %d times, want once", n)
		}
	})
}

func TestExportAudit(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		s.ImportRoster(ctx, office, testRoster(t, 2))
		us, _ := s.Units(ctx)
		for i := range 1500 {
			s.Log(ctx, Actor{Name: "=cmd|' /C calc'!A0", Remote: "10.0.0.1"}, "查看报告", us[i%2].ID, 2024, fmt.Sprint("第", i, "次"))
		}
		var b strings.Builder
		n, err := s.ExportAudit(ctx, &b, AuditFilter{})
		if err != nil || n != 1500+3 {
			t.Fatalf("%d entries %v", n, err)
		}
		lines := strings.Split(strings.TrimSpace(b.String()), "\r\n")
		if len(lines) != n+1 || !strings.HasPrefix(lines[0], "\uFEFF序号,") {
			t.Fatalf("%d lines, first %q", len(lines), lines[0])
		}
		last := lines[len(lines)-1]
		if !strings.Contains(last, "'=cmd") || !strings.Contains(last, "某某县第2局") || !strings.Contains(last, ",2024,") {
			t.Errorf("last line %q", last)
		}
		b.Reset()
		if n, _ := s.ExportAudit(ctx, &b, AuditFilter{UnitID: us[0].ID, Limit: 10}); n != 10 {
			t.Errorf("limited export: %d", n)
		}
	})
}

// TestHostileText: SQL metacharacters, NUL, bytes that are not UTF-8 and
// very long text through every stored field are kept as text on both
// databases, and the tables are untouched.
func TestHostileText(t *testing.T) {
	hostile := []string{
		"'); DROP TABLE units; --", `" OR 1=1 --`, "a\x00b", "\xff\xfe坏", "$1 ? :name @x", strings.Repeat("长", 100000),
		"../../etc/passwd", `C:\Windows\..\x.xlsx`,
	}
	eachDB(t, func(t *testing.T, s *Store) {
		s.ImportRoster(ctx, office, testRoster(t, 1))
		us, _ := s.Units(ctx)
		for i, h := range hostile {
			a := Actor{Name: h, Remote: h}
			login := fmt.Sprint("login", i, h)
			if len([]rune(login)) > 64 {
				if _, _, err := s.CreateAccount(ctx, a, login, h, RoleReviewer, 0); !errors.Is(err, ErrLoginInvalid) {
					t.Errorf("long login: %v", err)
				}
				login = fmt.Sprint("login", i)
			}
			acct, tok, err := s.CreateAccount(ctx, a, login, h, RoleReviewer, 0)
			if err != nil {
				t.Fatalf("account %.40q: %v", h, err)
			}
			if _, err := s.UsePasswordLink(ctx, a, tok, h); err != nil {
				t.Fatal(err)
			}
			if got, err := s.AccountByLogin(ctx, acct.Login); err != nil || got.Name != Text(h) {
				t.Errorf("account by login %.40q: %v", h, err)
			}
			if err := s.RecordLogin(ctx, h, h, false); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.Failures(ctx, h, h, time.Now().Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
			v, err := s.AddVersion(ctx, a, Upload{UnitID: us[0].ID, Year: 2024, File: File{Name: h, Data: []byte(h)}, Findings: h,
				Outputs: []File{{Format: h, Name: h, Data: []byte(h)}}})
			if err != nil {
				t.Fatalf("version %.40q: %v", h, err)
			}
			got, _ := s.VersionByID(ctx, v.ID)
			if got.FileName != Text(h) || got.Findings != Text(h) {
				t.Errorf("version fields of %.40q changed beyond Text", h)
			}
			if data, _ := s.Blob(ctx, v.SHA256); string(data) != h {
				t.Errorf("file bytes of %.40q changed", h)
			}
			if _, err := s.Record(ctx, a, Step{UnitID: us[0].ID, Year: 2024, Action: "保存草稿", VersionID: v.ID, Note: h,
				Comments: []Comment{{Target: h, Text: h}}}, func(string) (string, error) { return "草稿", nil }); err != nil {
				t.Fatalf("record %.40q: %v", h, err)
			}
			if err := s.SetDeadline(ctx, a, 2024, h, h); err != nil {
				t.Fatal(err)
			}
			if _, err := s.UnitByName(ctx, h); !errors.Is(err, ErrNotFound) {
				t.Errorf("unit by name %.40q: %v", h, err)
			}
		}
		c, err := s.Counts(ctx)
		if err != nil || c["units"] != 1 || c["versions"] != int64(len(hostile)) || c["accounts"] != int64(len(hostile)) {
			t.Errorf("counts %v %v", c, err)
		}
		if p, err := s.Check(ctx); err != nil || len(p) > 0 {
			t.Errorf("check %v %v", p, err)
		}
	})
}
