package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"os/exec"
	"path/filepath"
	"regexp"
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

// orgServer is a nianbao serve --org process.
type orgServer struct {
	cmd *exec.Cmd
	url string
}

var reStarted = regexp.MustCompile(`(https?://127\.0\.0\.1:\d+)/`)

// startOrg starts the built binary as the collection server on a free
// loopback port and waits until it listens.
func startOrg(t *testing.T, bin, dsn string) *orgServer {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--org", "--db", dsn, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := reStarted.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case u := <-found:
		return &orgServer{cmd: cmd, url: u}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the server did not start: %s", stderr.String())
	}
	return nil
}

// settle waits until the database stops changing after a server process
// was killed: on PostgreSQL the killed process's backend finishes a COMMIT
// it had already received (its transaction is whole, but lands after the
// kill), so counting versions and then audit lines at once could see one
// without the other ("41 upload entries for 40 versions").
func settle(t *testing.T, s *store.Store) {
	t.Helper()
	prev, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for range 60 {
		time.Sleep(500 * time.Millisecond)
		cur, err := s.Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		same := len(cur) == len(prev)
		for k, v := range cur {
			same = same && prev[k] == v
		}
		if same {
			return
		}
		prev = cur
	}
	t.Fatal("the database did not settle after the kill")
}

// afterKill waits for the database to settle after a server process was
// killed and checks nothing is half-written: each version of each unit
// with its draft step, one audit line per version, versions numbered
// without gaps, the store whole. It returns each unit's versions by
// number and events, and how many versions there are.
func afterKill(t *testing.T, s *store.Store, us []store.Unit) (versions []map[int]*store.Version, events [][]store.Event, stored int) {
	t.Helper()
	ctx := context.Background()
	settle(t, s)
	for i, u := range us {
		vs, err := s.Versions(ctx, u.ID, 2024)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := s.Events(ctx, u.ID, 2024)
		if err != nil {
			t.Fatal(err)
		}
		saved := map[int64]bool{}
		for _, e := range evs {
			saved[e.VersionID] = true
		}
		bySeq := map[int]*store.Version{}
		for j, v := range vs {
			if v.Seq != j+1 {
				t.Errorf("unit %d: version %d at place %d", i, v.Seq, j+1)
			}
			if !saved[v.ID] {
				t.Errorf("version %d of unit %d has no step", v.Seq, i)
			}
			bySeq[v.Seq] = v
		}
		versions, events, stored = append(versions, bySeq), append(events, evs), stored+len(vs)
	}
	log, _ := s.Audit(ctx, store.AuditFilter{Limit: 100000})
	uploads := 0
	for _, e := range log {
		if e.Action == "上传报告" {
			uploads++
		}
	}
	if uploads != stored {
		t.Errorf("%d upload entries for %d versions", uploads, stored)
	}
	if p, err := s.Check(ctx); err != nil || len(p) > 0 {
		t.Errorf("check after the kill: %v %v", p, err)
	}
	return versions, events, stored
}

// TestOrgServerKill kills (SIGKILL) a real server process — the built
// binary running serve --org — in the middle of uploads from 8 clients,
// restarts it on the same database, and checks that every upload it
// acknowledged is there as sent, each with its draft step and its audit
// entry, that the database is whole, and that the restarted server goes
// on numbering versions.
func TestOrgServerKill(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "nianbao")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, kind)
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var labels []string
			for _, f := range schema.RosterFields[:3] {
				labels = append(labels, f.Label)
			}
			csv := strings.Join(labels, ",") + "\n"
			const n = 8
			for i := range n {
				csv += fixture.Agency(i) + ",县,部门\n"
			}
			r, err := roster.Read("名单.csv", []byte(csv))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportRoster(ctx, store.Actor{Name: "test"}, r); err != nil {
				t.Fatal(err)
			}
			us, _ := s.Units(ctx)
			type session struct{ cookie, csrf string }
			sess := make([]session, n)
			for i, u := range us {
				a, _, err := s.CreateAccount(ctx, store.Actor{Name: "test"}, fmt.Sprintf("u%d", i), "", store.RoleUnit, u.ID)
				if err != nil {
					t.Fatal(err)
				}
				tok, ss, err := s.CreateSession(ctx, a.ID, "127.0.0.1", time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				sess[i] = session{tok, ss.CSRF}
			}
			hc := &http.Client{Timeout: 30 * time.Second}
			upload := func(base string, i, k int) (int, string, error) {
				rep := fixture.ReportOf(us[i].Agency(), 2024, uint64(i))
				rep.Meta.Contact.Phone.Value = fmt.Sprintf("0000-%08d", k) // every upload its own bytes
				data := yamlfile.Write(rep)
				var body bytes.Buffer
				mw := multipart.NewWriter(&body)
				fw, _ := mw.CreateFormFile("file", "报告.yaml")
				fw.Write(data)
				mw.Close()
				req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/reports/%d/2024", base, us[i].ID), &body)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set(auth.CSRFHeader, sess[i].csrf)
				req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: sess[i].cookie})
				resp, err := hc.Do(req)
				if err != nil {
					return 0, "", err
				}
				defer resp.Body.Close()
				ans, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != http.StatusCreated {
					return 0, "", fmt.Errorf("HTTP %d %s", resp.StatusCode, ans)
				}
				var v struct {
					Version int `json:"version"`
				}
				if err := json.Unmarshal(ans, &v); err != nil || v.Version == 0 {
					return 0, "", fmt.Errorf("answer %s", ans)
				}
				return v.Version, store.Sum(data), nil
			}

			srv := startOrg(t, bin, dsn)
			type ack struct {
				unit int
				seq  int
				sum  string
			}
			var mu sync.Mutex
			var acks []ack
			var refused []string
			killed := make(chan struct{})
			var once sync.Once
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for k := 0; ; k++ {
						select {
						case <-killed:
							return
						default:
						}
						seq, sum, err := upload(srv.url, i, k)
						mu.Lock()
						if err == nil {
							acks = append(acks, ack{i, seq, sum})
							if len(acks) == 40 {
								once.Do(func() {
									srv.cmd.Process.Signal(syscall.SIGKILL)
									close(killed)
								})
							}
						} else if !strings.Contains(err.Error(), "HTTP") {
							// a connection cut by the kill: not acknowledged
						} else {
							refused = append(refused, err.Error())
						}
						mu.Unlock()
						if err != nil {
							select {
							case <-killed:
								return
							case <-time.After(10 * time.Millisecond):
							}
						}
					}
				}()
			}
			timer := time.AfterFunc(120*time.Second, func() {
				once.Do(func() {
					srv.cmd.Process.Signal(syscall.SIGKILL)
					close(killed)
				})
			})
			wg.Wait()
			timer.Stop()
			srv.cmd.Wait()
			if ws, ok := srv.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the server was not killed: %v", srv.cmd.ProcessState)
			}
			if len(refused) > 0 {
				t.Errorf("uploads refused: %v", refused)
			}
			if len(acks) < 40 {
				t.Fatalf("only %d uploads acknowledged", len(acks))
			}
			// every acknowledged upload is there, as it was sent
			versions, _, stored := afterKill(t, s, us)
			for _, a := range acks {
				v := versions[a.unit][a.seq]
				if v == nil || v.SHA256 != a.sum {
					t.Errorf("acknowledged version %d of unit %d is not stored as sent", a.seq, a.unit)
				}
			}

			// restarted on the same database: it goes on
			srv = startOrg(t, bin, dsn)
			defer func() {
				srv.cmd.Process.Kill()
				srv.cmd.Wait()
			}()
			vs, _ := s.Versions(ctx, us[0].ID, 2024)
			seq, _, err := upload(srv.url, 0, 1_000_000)
			if err != nil || seq != len(vs)+1 {
				t.Errorf("upload after the restart: version %d (want %d) %v", seq, len(vs)+1, err)
			}
			t.Logf("%s: %d uploads acknowledged before SIGKILL, %d versions stored, all acknowledged ones present", kind, len(acks), stored)
		})
	}
}
