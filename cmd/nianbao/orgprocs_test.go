package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// account is one logged-in account talking to the collection server's
// processes: its session cookie and CSRF token, valid on every process.
type account struct {
	hc           *http.Client
	cookie, csrf string
}

// loginAt logs in on the process at base, as a script does (JSON).
func loginAt(t *testing.T, hc *http.Client, base, login, password string) *account {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"login": {login}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s struct {
		CSRF string `json:"csrf"`
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(body, &s) != nil || s.CSRF == "" {
		t.Fatalf("login %s at %s: %d %s", login, base, resp.StatusCode, body)
	}
	c := &account{hc: hc, csrf: s.CSRF}
	for _, ck := range resp.Cookies() {
		if ck.Name == auth.CookieName {
			c.cookie = ck.Value
		}
	}
	if c.cookie == "" {
		t.Fatalf("login %s: no session cookie", login)
	}
	return c
}

// post sends a POST with the session; a form (urlencoded) or a file
// (multipart part "file").
func (c *account) post(u string, form url.Values, file []byte) (int, []byte, error) {
	var req *http.Request
	if file != nil {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "报告.yaml")
		fw.Write(file)
		mw.Close()
		req, _ = http.NewRequest(http.MethodPost, u, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
	} else {
		req, _ = http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set(auth.CSRFHeader, c.csrf)
	return c.do(req)
}

func (c *account) get(u string) (int, []byte, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return c.do(req)
}

// do sends req with the account's session cookie and reads the answer.
func (c *account) do(req *http.Request) (int, []byte, error) {
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: c.cookie})
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// TestOrgServerProcesses runs the collection server as several processes
// behind one PostgreSQL database, as a province does: three built
// binaries started at the same moment on an empty database (the
// migrations run once, under their lock); units log in on one process and
// upload, submit and are reviewed through the others in turn (a session
// is the database's, valid on every process); then one process is killed
// (SIGKILL) in the middle of uploads while the others go on. Every
// acknowledged upload and submission is there, nothing is half-written,
// versions are numbered without gaps or doubles across the processes.
func TestOrgServerProcesses(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "nianbao")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx := context.Background()
	dsn := storetest.DSN(t, "postgres")

	// three processes at once on the empty database
	const nProcs = 3
	procs := make([]*orgServer, nProcs)
	var wg sync.WaitGroup
	for i := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			procs[i] = startOrg(t, bin, dsn)
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	defer func() {
		for _, p := range procs {
			p.cmd.Process.Kill()
			p.cmd.Wait()
		}
	}()
	s, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != store.Latest() {
		t.Fatalf("schema version %d (%v), want %d", v, err, store.Latest())
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	var recorded, distinct int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations`).Scan(&recorded, &distinct); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if recorded != store.Latest() || distinct != recorded {
		t.Errorf("%d migrations recorded (%d distinct), want %d, each once", recorded, distinct, store.Latest())
	}

	// the roster, a unit account each and a reviewer, with passwords
	var labels []string
	for _, f := range schema.RosterFields[:3] {
		labels = append(labels, f.Label)
	}
	csv := strings.Join(labels, ",") + "\n"
	const n = 6
	for i := range n {
		csv += fixture.Agency(i) + ",县,部门\n"
	}
	r, err := roster.Read("名单.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	cli := store.Actor{Name: "test"}
	if _, err := s.ImportRoster(ctx, cli, r); err != nil {
		t.Fatal(err)
	}
	us, _ := s.Units(ctx)
	const pw = "一个足够长的测试密码 2025"
	addAccount := func(login string, role store.Role, unit int64) {
		_, tok, err := s.CreateAccount(ctx, cli, login, login, role, unit)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UsePasswordLink(ctx, cli, tok, auth.HashPassword(pw)); err != nil {
			t.Fatal(err)
		}
	}
	for i, u := range us {
		addAccount(fmt.Sprintf("u%d", i), store.RoleUnit, u.ID)
	}
	addAccount("reviewer", store.RoleReviewer, 0)
	hc := &http.Client{Timeout: 60 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	report := func(i, k int, bad bool) []byte {
		rep := fixture.ReportOf(us[i].Agency(), 2024, uint64(i))
		rep.Meta.Contact.Phone.Value = fmt.Sprintf("0000-%08d", k) // every upload its own bytes
		if bad {
			c := rep.Cell("t3", "received", "natural")
			v, _ := c.Num.Add(schema.Int(1000))
			c.SetNumber(v)
		}
		return yamlfile.Write(rep)
	}
	reportURL := func(p int, i int) string {
		return fmt.Sprintf("%s/api/v1/reports/%d/2024", procs[p%nProcs].url, us[i].ID)
	}

	// a round, each step on the next process: log in on one, upload with
	// an error on the next, the fix on the next, submit on the next; the
	// reviewer (logged in on another) returns some and approves the rest
	units := make([]*account, n)
	for i := range n {
		units[i] = loginAt(t, hc, procs[i%nProcs].url, fmt.Sprintf("u%d", i), pw)
	}
	rev := loginAt(t, hc, procs[1].url, "reviewer", pw)
	for i, c := range units {
		for k, bad := range []bool{true, false} {
			code, body, err := c.post(reportURL(i+1+k, i), nil, report(i, k, bad))
			if err != nil || code != http.StatusCreated {
				t.Fatalf("unit %d upload %d on process %d: %d %s %v", i, k+1, (i+1+k)%nProcs, code, body, err)
			}
			var ans struct {
				Version int `json:"version"`
			}
			json.Unmarshal(body, &ans)
			if ans.Version != k+1 {
				t.Fatalf("unit %d upload %d: version %d", i, k+1, ans.Version)
			}
		}
		if code, body, err := c.post(reportURL(i+3, i)+"/submit", url.Values{"version": {"2"}}, nil); err != nil || code != 200 {
			t.Fatalf("unit %d submit: %d %s %v", i, code, body, err)
		}
		decision := url.Values{"decision": {"approve"}}
		if i%2 == 1 {
			decision = url.Values{"decision": {"return"}, "note": {"请核实"}}
		}
		if code, body, err := rev.post(reportURL(i+4, i)+"/review", decision, nil); err != nil || code != 200 {
			t.Fatalf("review of unit %d: %d %s %v", i, code, body, err)
		}
	}
	// every process sees the same board
	for p := range procs {
		code, body, err := rev.get(procs[p].url + "/api/v1/status?year=2024")
		if err != nil || code != 200 || strings.Count(string(body), `"已通过"`) != n/2 || strings.Count(string(body), `"退回修改"`) != n/2 {
			t.Fatalf("status on process %d: %d %s %v", p, code, body, err)
		}
	}
	// a logout on one process ends the session on every one
	other := loginAt(t, hc, procs[0].url, "u0", pw)
	if code, _, err := other.post(procs[2].url+"/logout", url.Values{}, nil); err != nil || code != http.StatusSeeOther {
		t.Fatalf("logout: %d %v", code, err)
	}
	if code, _, _ := other.get(procs[1].url + "/api/v1/session"); code != http.StatusUnauthorized {
		t.Errorf("a session ended on process 2 is still valid on process 1: %d", code)
	}

	// the returned units upload again through every process at once; one
	// process is killed in the middle; each upload that fails for the
	// kill is sent to the next process, as a load balancer would
	type ack struct {
		unit, seq int
		sum       string
		submitted bool
	}
	var mu sync.Mutex
	var acks []ack
	var problems []string
	victim := procs[1]
	kill := sync.OnceFunc(func() { victim.cmd.Process.Signal(syscall.SIGKILL) })
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := units[i]
			for k := 2; k < 14; k++ {
				data := report(i, k, false)
				for try := 0; ; try++ {
					code, body, err := c.post(reportURL(i+k+try, i), nil, data)
					if err != nil && try < nProcs {
						continue // the killed process: not acknowledged, sent again elsewhere
					}
					mu.Lock()
					if err != nil || code != http.StatusCreated {
						problems = append(problems, fmt.Sprintf("unit %d upload %d: %d %s %v", i, k, code, body, err))
						mu.Unlock()
						return
					}
					var ans struct {
						Version int `json:"version"`
					}
					json.Unmarshal(body, &ans)
					a := ack{i, ans.Version, store.Sum(data), false}
					// the returned units submit their last upload, on yet
					// another process
					if k == 13 && i%2 == 1 {
						mu.Unlock()
						code, body, err := c.post(reportURL(i+k+try+1, i)+"/submit", url.Values{"version": {strconv.Itoa(a.seq)}}, nil)
						mu.Lock()
						if err == nil && code == 200 {
							a.submitted = true
						} else if err == nil {
							problems = append(problems, fmt.Sprintf("unit %d submit %d: %d %s", i, a.seq, code, body))
						}
					}
					acks = append(acks, a)
					if len(acks) == 20 {
						kill()
					}
					mu.Unlock()
					break
				}
			}
		}()
	}
	wg.Wait()
	kill()
	victim.cmd.Wait()
	if ws, ok := victim.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("process 1 was not killed: %v", victim.cmd.ProcessState)
	}
	for _, p := range problems {
		t.Error(p)
	}
	versions, events, stored := afterKill(t, s, us)
	for _, a := range acks {
		v := versions[a.unit][a.seq]
		if v == nil || v.SHA256 != a.sum {
			t.Errorf("acknowledged version %d of unit %d is not stored as sent", a.seq, a.unit)
			continue
		}
		submitted := false
		for _, e := range events[a.unit] {
			submitted = submitted || (e.Action == "提交审核" && e.VersionID == v.ID)
		}
		if a.submitted && !submitted {
			t.Errorf("acknowledged submission of version %d of unit %d is not stored", a.seq, a.unit)
		}
	}
	nSubmitted := 0
	for _, a := range acks {
		if a.submitted {
			nSubmitted++
		}
	}
	if nSubmitted == 0 {
		t.Error("no submission acknowledged during the kill phase")
	}
	// the survivors go on, and a restarted process joins them
	procs[1] = startOrg(t, bin, dsn)
	vs, _ := s.Versions(ctx, us[0].ID, 2024)
	if code, body, err := units[0].post(reportURL(1, 0), nil, report(0, 99, false)); err != nil || code != http.StatusCreated ||
		!strings.Contains(string(body), fmt.Sprintf(`"version": %d`, len(vs)+1)) {
		t.Errorf("upload on the restarted process: %d %s %v", code, body, err)
	}
	t.Logf("%d processes on one PostgreSQL database: %d uploads and %d submissions acknowledged in %s around a SIGKILL of one, %d versions stored, all acknowledged ones present",
		nProcs, len(acks), nSubmitted, time.Since(start).Round(time.Millisecond), stored)
}
