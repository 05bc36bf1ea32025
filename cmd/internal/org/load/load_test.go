package load

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/server"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// unit is one unit of the load: its account's session, and the files it
// uploads.
type unit struct {
	id           int64
	cookie, csrf string
	files        []file // in upload order: with an error, then fixed
}

type file struct {
	name string
	data []byte
}

// acked is one upload the server acknowledged.
type acked struct {
	unit   int64
	seq    int
	sha256 string
}

// BenchmarkJanuary: NIANBAO_LOAD_UNITS units (default 2000), of which
// NIANBAO_LOAD_CLIENTS (default 200) upload at once, each client going
// through its share of the units without pause.
func BenchmarkJanuary(b *testing.B) {
	nUnits := envInt("NIANBAO_LOAD_UNITS", 2000)
	nClients := envInt("NIANBAO_LOAD_CLIENTS", 200)
	// NIANBAO_LOAD_SECONDS paces the run: every client's requests spread
	// over that many seconds (default 600, ten minutes of January); 0 =
	// no pause, every client sends its next request as soon as the last
	// is answered (the server's saturation)
	pace := time.Duration(envInt("NIANBAO_LOAD_SECONDS", 600)) * time.Second
	if os.Getenv("NIANBAO_LOAD_SECONDS") == "0" {
		pace = 0
	}
	kind := os.Getenv("NIANBAO_LOAD_DB")
	if kind == "" {
		kind = "sqlite"
	}
	ctx := context.Background()
	dsn := storetest.DSN(b, kind)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	units := setup(b, s, nUnits)
	// NIANBAO_LOAD_PROCS > 1 runs the built binary as that many server
	// processes on the one database (a province's servers behind one
	// PostgreSQL), each request of a unit going to the next process in
	// turn; 1 (the default) serves in this process
	var bases []string
	if nProcs := envInt("NIANBAO_LOAD_PROCS", 1); nProcs > 1 {
		bases = startProcs(b, dsn, nProcs)
	} else {
		srv, err := server.New(server.Options{Store: s})
		if err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		hs := &http.Server{Handler: srv}
		go hs.Serve(ln)
		defer hs.Close()
		bases = []string{"http://" + ln.Addr().String()}
	}
	// at is the process of a unit's k-th request
	at := func(i, k int) string { return bases[(i+k)%len(bases)] }
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: nClients * 2, MaxIdleConnsPerHost: nClients * 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	b.ResetTimer()
	for range b.N {
		var mu sync.Mutex
		var lat, submitLat []time.Duration
		var when []time.Duration // each upload's start, from the run's start
		var acks []acked
		var errs []string
		start := time.Now()
		var wg sync.WaitGroup
		for c := range nClients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// this client's requests: two uploads and a submission per unit
				var mine []int
				for i := c; i < len(units); i += nClients {
					mine = append(mine, i)
				}
				rng := rand.New(rand.NewPCG(uint64(c), 1))
				next := 0 // the client's next request, for pacing
				wait := func() {
					if pace == 0 {
						return
					}
					// request k of n starts at a random moment of the k-th of n equal slices of the run
					n := 3 * len(mine)
					at := start.Add(time.Duration((float64(next) + rng.Float64()) / float64(n) * float64(pace)))
					next++
					time.Sleep(time.Until(at))
				}
				for _, i := range mine {
					u := &units[i]
					for k, f := range u.files {
						wait()
						t0 := time.Now()
						seq, exit, err := upload(hc, at(i, k), u, f)
						d := time.Since(t0)
						mu.Lock()
						if err != nil {
							errs = append(errs, err.Error())
						} else {
							lat = append(lat, d)
							when = append(when, t0.Sub(start))
							acks = append(acks, acked{u.id, seq, sum(f.data)})
							if want := min(k, 1); (exit == 0) != (want == 1) {
								errs = append(errs, fmt.Sprintf("unit %d upload %d: exit %d", u.id, k+1, exit))
							}
						}
						mu.Unlock()
						if err != nil {
							break
						}
					}
					wait()
					t0 := time.Now()
					err := submit(hc, at(i, len(u.files)), u, len(u.files))
					d := time.Since(t0)
					mu.Lock()
					if err != nil {
						errs = append(errs, err.Error())
					} else {
						submitLat = append(submitLat, d)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		b.StopTimer()
		lost := verify(b, s, acks)
		p50, p95, pmax := quantiles(lat)
		s50, s95, _ := quantiles(submitLat)
		b.ReportMetric(float64(p50.Milliseconds()), "p50-ms")
		b.ReportMetric(float64(p95.Milliseconds()), "p95-ms")
		b.ReportMetric(float64(pmax.Milliseconds()), "max-ms")
		b.ReportMetric(float64(s95.Milliseconds()), "submit-p95-ms")
		b.ReportMetric(float64(len(errs)), "errors")
		b.ReportMetric(float64(lost), "lost")
		b.ReportMetric(float64(len(lat))/took.Seconds(), "uploads/s")
		mode := fmt.Sprintf("paced over %s", pace)
		if pace == 0 {
			mode = "no pause between requests"
		}
		if len(bases) > 1 {
			mode += fmt.Sprintf(", %d server processes", len(bases))
		}
		b.Logf("%s, %s: %d units, %d clients at once: %d uploads and %d submissions in %s (%.0f uploads/s); upload to findings p50 %s, p95 %s, max %s; submit p50 %s, p95 %s; %d errors, %d lost",
			kind, mode, nUnits, nClients, len(lat), len(submitLat), took.Round(time.Millisecond), float64(len(lat))/took.Seconds(),
			p50.Round(time.Millisecond), p95.Round(time.Millisecond), pmax.Round(time.Millisecond), s50.Round(time.Millisecond), s95.Round(time.Millisecond), len(errs), lost)
		// the p95 of each tenth of the run: a slow stretch (the machine busy
		// with something else) shows as one tenth, the server's own as all
		if took > 10*time.Second {
			var parts []string
			for k := range 10 {
				var part []time.Duration
				for i, w := range when {
					if int(10*w/took) == k {
						part = append(part, lat[i])
					}
				}
				_, p, _ := quantiles(part)
				parts = append(parts, fmt.Sprintf("%dms", p.Milliseconds()))
			}
			b.Logf("p95 by tenth of the run: %s", strings.Join(parts, " "))
		}
		for i, e := range errs {
			if i == 10 {
				break
			}
			b.Log("error: " + e)
		}
		if p95 > 300*time.Millisecond {
			b.Logf("p95 %s is over the target of 300 ms", p95)
		}
		b.StartTimer()
	}
}

// startProcs builds nianbao and starts n processes of serve --org on the
// database, each on a free loopback port; they are killed at the end.
func startProcs(b *testing.B, dsn string, n int) []string {
	bin := filepath.Join(b.TempDir(), "nianbao")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/nianbao/nianbao/cmd/nianbao").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	started := regexp.MustCompile(`(https?://127\.0\.0\.1:\d+)/`)
	var bases []string
	for range n {
		cmd := exec.Command(bin, "serve", "--org", "--db", dsn, "--addr", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			cmd.Process.Kill()
			cmd.Wait()
		})
		found := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if m := started.FindStringSubmatch(sc.Text()); m != nil {
					found <- m[1]
					break
				}
			}
			io.Copy(io.Discard, stdout)
		}()
		select {
		case u := <-found:
			bases = append(bases, u)
		case <-time.After(60 * time.Second):
			b.Fatalf("server process did not start: %s", stderr.String())
		}
	}
	return bases
}

// setup makes the roster of n units, an account and a session for each,
// and each unit's two files: a tenth of them workbooks, the rest YAML.
func setup(b *testing.B, s *store.Store, n int) []unit {
	ctx := context.Background()
	var labels []string
	for _, f := range schema.RosterFields[:3] {
		labels = append(labels, f.Label)
	}
	var csv strings.Builder
	csv.WriteString(strings.Join(labels, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&csv, "%s,县,部门\n", fixture.Agency(i))
	}
	r, err := roster.Read("名单.csv", []byte(csv.String()))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportRoster(ctx, store.Actor{Name: "load"}, r); err != nil {
		b.Fatal(err)
	}
	us, err := s.Units(ctx)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]unit, len(us))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, su := range us {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			acct, _, err := s.CreateAccount(ctx, store.Actor{Name: "load"}, fmt.Sprintf("u%d", i), "", store.RoleUnit, su.ID)
			if err != nil {
				b.Error(err)
				return
			}
			token, sess, err := s.CreateSession(ctx, acct.ID, "127.0.0.1", 24*time.Hour)
			if err != nil {
				b.Error(err)
				return
			}
			good := fixture.ReportOf(su.Agency(), 2024, uint64(i))
			bad := fixture.ReportOf(su.Agency(), 2024, uint64(i))
			c := bad.Cell("t3", "received", "natural")
			v, _ := c.Num.Add(schema.Int(1000))
			c.SetNumber(v)
			ext := ".yaml"
			if i%10 == 0 {
				ext = ".xlsx"
			}
			u := unit{id: su.ID, cookie: token, csrf: sess.CSRF}
			for _, rep := range []*schema.Report{bad, good} {
				var buf bytes.Buffer
				name := "报告" + ext
				if err := template.Encode(&buf, name, rep); err != nil {
					b.Error(err)
					return
				}
				u.files = append(u.files, file{name, buf.Bytes()})
			}
			out[i] = u
		}()
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return out
}

func upload(hc *http.Client, base string, u *unit, f file) (seq, exit int, err error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filepath.Base(f.name))
	fw.Write(f.data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/reports/%d/2024", base, u.id), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(auth.CSRFHeader, u.csrf)
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: u.cookie})
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, fmt.Errorf("unit %d: %w", u.id, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return 0, 0, fmt.Errorf("unit %d upload: HTTP %d %s", u.id, resp.StatusCode, bytes.TrimSpace(data))
	}
	var ans struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.Version == 0 {
		return 0, 0, fmt.Errorf("unit %d upload: answer %q", u.id, data)
	}
	exit, _ = strconv.Atoi(resp.Header.Get("X-Nianbao-Exit"))
	return ans.Version, exit, nil
}

func submit(hc *http.Client, base string, u *unit, seq int) error {
	form := url.Values{"version": {strconv.Itoa(seq)}}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/units/%d/2024/submit", base, u.id), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(auth.CSRFHeader, u.csrf)
	req.AddCookie(&http.Cookie{Name: auth.CookieName, Value: u.cookie})
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("unit %d submit: %w", u.id, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("unit %d submit: HTTP %d", u.id, resp.StatusCode)
	}
	return nil
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// verify counts the acknowledged uploads not in the store as they were
// sent.
func verify(b *testing.B, s *store.Store, acks []acked) int {
	ctx := context.Background()
	byUnit := map[int64][]acked{}
	for _, a := range acks {
		byUnit[a.unit] = append(byUnit[a.unit], a)
	}
	lost := 0
	for id, as := range byUnit {
		vs, err := s.Versions(ctx, id, 2024)
		if err != nil {
			b.Fatal(err)
		}
		have := map[int]string{}
		for _, v := range vs {
			have[v.Seq] = v.SHA256
		}
		for _, a := range as {
			if have[a.seq] != a.sha256 {
				lost++
			}
		}
	}
	if p, err := s.Check(ctx); err != nil || len(p) > 0 {
		b.Errorf("store check after the load: %v %v", p, err)
	}
	return lost
}

func quantiles(ds []time.Duration) (p50, p95, pmax time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.95), s[len(s)-1]
}
