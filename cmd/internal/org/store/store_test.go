package store

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

var kinds = storetest.Kinds

func newDSN(t testing.TB, kind string) string { return storetest.DSN(t, kind) }

// eachDB runs fn against a new database of each kind.
func eachDB(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			s := open(t, newDSN(t, kind))
			fn(t, s)
		})
	}
}

func open(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var ctx = context.Background()

var office = Actor{Name: "管理员", Remote: "127.0.0.1"}

// testRoster is a roster of n county departments.
func testRoster(t testing.TB, n int, extra ...[]string) *roster.Roster {
	t.Helper()
	var rows [][]string
	for i := range n {
		rows = append(rows, rostertest.Department(fmt.Sprintf("某某县第%d局", i+1), "某某县人民政府", fmt.Sprintf("联系人%d", i+1)))
	}
	return rostertest.Read(t, append(rows, extra...)...)
}

func TestMigrate(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := newDSN(t, kind)
			// several processes starting at once on a new database
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := Open(ctx, dsn)
					if err == nil {
						s.Close()
					}
					errs[i] = err
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("concurrent open: %v", err)
				}
			}
			s := open(t, dsn)
			if v, err := s.SchemaVersion(ctx); err != nil || v != Latest() {
				t.Fatalf("schema version %d %v, want %d", v, err, Latest())
			}
			var n int
			s.db.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
			if n != len(migrations) {
				t.Errorf("%d migrations recorded, want %d", n, len(migrations))
			}
			// a database of a newer nianbao is refused
			if _, err := s.db.Exec(s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), Latest()+1, "future", now()); err != nil {
				t.Fatal(err)
			}
			if _, err := Open(ctx, dsn); !errors.Is(err, ErrNewerSchema) {
				t.Errorf("newer schema: %v", err)
			}
		})
	}
}

// TestTablesDeclared: the backup's list of tables and columns is the
// database's own, so a backup misses nothing.
func TestTablesDeclared(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		var q string
		if s.Kind() == "sqlite" {
			q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
		} else {
			q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
		}
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			have = append(have, n)
		}
		rows.Close()
		var declared []string
		for _, tb := range tables {
			declared = append(declared, tb.name)
			rows, err := s.db.Query(`SELECT * FROM ` + tb.name + ` WHERE 1 = 0`)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := rows.Columns()
			rows.Close()
			var want []string
			for _, c := range tb.cols {
				want = append(want, c.name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: columns %v, declared %v", tb.name, got, want)
			}
		}
		slices.Sort(declared)
		if !slices.Equal(have, declared) {
			t.Errorf("tables %v, declared %v", have, declared)
		}
	})
}

func TestRosterImport(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		ch, err := s.ImportRoster(ctx, office, testRoster(t, 3))
		if err != nil || ch != (RosterChange{Added: 3}) {
			t.Fatalf("import: %+v %v", ch, err)
		}
		// again, with one unit changed, one gone and one new
		r := testRoster(t, 2, rostertest.Department("某某县新局", "", ""))
		r.Units[1].Fields[schema.RosterContact] = "新联系人"
		ch, err = s.ImportRoster(ctx, office, r)
		if err != nil || ch != (RosterChange{Added: 1, Updated: 1, Unchanged: 1, Unlisted: 1}) {
			t.Fatalf("reimport: %+v %v", ch, err)
		}
		us, err := s.Units(ctx)
		if err != nil || len(us) != 4 {
			t.Fatalf("units %v %v", us, err)
		}
		if !us[0].Listed || !us[1].Listed || us[2].Listed || !us[3].Listed {
			t.Errorf("listed flags %v %v %v %v", us[0].Listed, us[1].Listed, us[2].Listed, us[3].Listed)
		}
		if us[1].Fields[schema.RosterContact] != "新联系人" || us[1].Fields[schema.RosterParent] != "某某县人民政府" {
			t.Errorf("unit 2 %v", us[1].Fields)
		}
		u, err := s.UnitByName(ctx, " 某某县 第1局")
		if err != nil || u.ID != us[0].ID {
			t.Errorf("by name: %v %v", u, err)
		}
		if _, err := s.UnitByName(ctx, "没有这个局"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown name: %v", err)
		}
		log, err := s.Audit(ctx, AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
			if e.Account != office.Name || e.Remote != office.Remote || e.At == "" {
				t.Errorf("audit entry %+v", e)
			}
		}
		want := []string{"名单新增", "名单新增", "名单新增", "导入名单", "名单修改", "名单新增", "移出名单", "导入名单"}
		if !slices.Equal(actions, want) {
			t.Errorf("audit %v, want %v", actions, want)
		}
		if unit := log[4]; unit.UnitID != us[1].ID || !strings.Contains(unit.Detail, "新联系人") {
			t.Errorf("change entry %+v", unit)
		}
	})
}

func upload(unit int64, year int, content string) Upload {
	return Upload{UnitID: unit, Year: year, File: File{Name: "报告.xlsx", Data: []byte(content)},
		Findings: `[]`, Errors: 1, Warnings: 2,
		Outputs: []File{{Format: "html", Name: "报告.html", Data: []byte("<p>" + content)}, {Format: "pdf", Name: "报告.pdf", Data: []byte("%PDF " + content)}}}
}

func TestVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.ImportRoster(ctx, office, testRoster(t, 2)); err != nil {
			t.Fatal(err)
		}
		us, _ := s.Units(ctx)
		unit := us[0].ID
		a := Actor{AccountID: 0, Name: "某某县第1局", Remote: "10.0.0.1"}
		var vs []*Version
		for i, content := range []string{"第一版", "第二版", "第一版"} {
			v, err := s.AddVersion(ctx, a, upload(unit, 2024, content))
			if err != nil {
				t.Fatal(err)
			}
			if v.Seq != i+1 {
				t.Errorf("version %d has seq %d", i, v.Seq)
			}
			vs = append(vs, v)
		}
		// another year, another unit: numbered on their own
		if v, _ := s.AddVersion(ctx, a, upload(unit, 2025, "x")); v.Seq != 1 {
			t.Errorf("2025 seq %d", v.Seq)
		}
		if v, _ := s.AddVersion(ctx, a, upload(us[1].ID, 2024, "y")); v.Seq != 1 {
			t.Errorf("other unit seq %d", v.Seq)
		}
		got, err := s.Versions(ctx, unit, 2024)
		if err != nil || len(got) != 3 {
			t.Fatalf("versions %v %v", got, err)
		}
		for i, v := range got {
			want := []string{"第一版", "第二版", "第一版"}[i]
			data, err := s.Blob(ctx, v.SHA256)
			if err != nil || string(data) != want {
				t.Errorf("version %d: %q %v", v.Seq, data, err)
			}
			if v.Size != int64(len(want)) || v.Errors != 1 || v.Warnings != 2 || v.Findings != `[]` || v.FileName != "报告.xlsx" {
				t.Errorf("version %+v", v)
			}
			if len(v.Outputs) != 2 || v.Outputs[0].Format != "html" || v.Outputs[1].Format != "pdf" {
				t.Fatalf("outputs %+v", v.Outputs)
			}
			pdf, err := s.Blob(ctx, v.Outputs[1].SHA256)
			if err != nil || string(pdf) != "%PDF "+want {
				t.Errorf("pdf %q %v", pdf, err)
			}
		}
		if got[0].SHA256 != got[2].SHA256 {
			t.Error("the same content stored under two hashes")
		}
		one, err := s.VersionByID(ctx, vs[1].ID)
		if err != nil || one.Seq != 2 || len(one.Outputs) != 2 {
			t.Errorf("by id %+v %v", one, err)
		}
		if _, err := s.VersionByID(ctx, 99999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown version: %v", err)
		}
		if _, err := s.AddVersion(ctx, a, upload(99999, 2024, "z")); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown unit: %v", err)
		}
		if _, err := s.Blob(ctx, Sum([]byte("never stored"))); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown blob: %v", err)
		}
		// nothing kept can be changed or removed, whoever asks
		for _, q := range []string{
			`UPDATE versions SET findings = 'x'`, `DELETE FROM versions`,
			`UPDATE blobs SET data = data`, `DELETE FROM blobs`,
			`UPDATE outputs SET file_name = 'x'`, `DELETE FROM outputs`,
			`UPDATE audit SET detail = ''`, `DELETE FROM audit`,
		} {
			if _, err := s.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		log, _ := s.Audit(ctx, AuditFilter{UnitID: unit})
		n := 0
		for _, e := range log {
			if e.Action == "上传报告" {
				n++
				if e.Remote != "10.0.0.1" || !strings.Contains(e.Detail, "SHA-256") {
					t.Errorf("upload entry %+v", e)
				}
			}
		}
		if n != 4 {
			t.Errorf("%d upload entries for the unit, want 4", n)
		}
		if p, err := s.Check(ctx); err != nil || len(p) > 0 {
			t.Errorf("check: %v %v", p, err)
		}
	})
}

// TestConcurrentVersions: uploads at once to the same units are numbered
// without a gap or a clash.
func TestConcurrentVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, s *Store) {
		if _, err := s.ImportRoster(ctx, office, testRoster(t, 4)); err != nil {
			t.Fatal(err)
		}
		us, _ := s.Units(ctx)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.AddVersion(ctx, office, upload(us[i%4].ID, 2024, fmt.Sprint("内容", i))); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for _, u := range us {
			vs, err := s.Versions(ctx, u.ID, 2024)
			if err != nil || len(vs) != 10 {
				t.Fatalf("%d versions %v", len(vs), err)
			}
			for i, v := range vs {
				if v.Seq != i+1 {
					t.Errorf("seq %d at %d", v.Seq, i)
				}
			}
		}
	})
}

func TestBackupRestore(t *testing.T) {
	for _, from := range kinds {
		for _, to := range kinds {
			t.Run(from+" to "+to, func(t *testing.T) {
				src := open(t, newDSN(t, from))
				if _, err := src.ImportRoster(ctx, office, testRoster(t, 3)); err != nil {
					t.Fatal(err)
				}
				us, _ := src.Units(ctx)
				for i := range 5 {
					if _, err := src.AddVersion(ctx, office, upload(us[i%3].ID, 2024, strings.Repeat("数据", i*1000))); err != nil {
						t.Fatal(err)
					}
				}
				src.Log(ctx, Actor{AccountID: 0, Name: "审核人"}, "查看报告", us[0].ID, 2024, "")
				vs, _ := src.Versions(ctx, us[0].ID, 2024)
				ev, err := src.Record(ctx, office, Step{UnitID: us[0].ID, Year: 2024, Action: "退回修改", VersionID: vs[0].ID,
					Comments:  []Comment{{Target: "t3.received.natural", Text: "请核实"}},
					Published: &Publication{PDF: []byte("%PDF final"), PublishedOn: "2025-01-20"}}, func(string) (string, error) { return "退回修改", nil })
				if err != nil {
					t.Fatal(err)
				}
				cs, _ := src.Comments(ctx, us[0].ID, 2024)
				if _, err := src.Record(ctx, office, Step{UnitID: us[0].ID, Year: 2024, Action: "提交审核", Comments: []Comment{{Text: "已核实", Answers: cs[0].ID}}},
					func(string) (string, error) { return "待审核", nil }); err != nil || ev.ID == 0 {
					t.Fatal(err)
				}
				src.SetDeadline(ctx, office, 2024, "本机关", "2025-01-25")
				region, err := src.RegionUnit(ctx, office, "城南县人民政府", "县")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := src.AddSum(ctx, office, upload(region.ID, 2024, "汇总"), SumRecord{Sources: []SumSource{{UnitID: us[0].ID, VersionID: vs[0].ID, Agency: us[0].Agency()}},
					Missing: []SumMissing{{UnitID: us[1].ID, Agency: us[1].Agency(), State: "未报"}}}, "", nil); err != nil {
					t.Fatal(err)
				}
				acct, _, _ := src.CreateAccount(ctx, office, "u1", "", RoleUnit, us[1].ID)
				src.CreateSession(ctx, acct.ID, "", time.Hour)
				src.RecordLogin(ctx, "u1", "1.2.3.4", false)
				src.LoginEvent(ctx, Actor{Remote: "1.2.3.4"}, "登录失败", "u1", "u1")
				var buf bytes.Buffer
				m, err := src.Backup(ctx, &buf)
				if err != nil {
					t.Fatal(err)
				}
				if m.Rows["versions"] != 6 || m.Rows["units"] != 4 || m.Rows["sums"] != 1 || m.Schema != Latest() { // five uploads and a 汇总; the region unit
					t.Errorf("manifest %+v", m)
				}
				dst := open(t, newDSN(t, to))
				if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())); err != nil {
					t.Fatal(err)
				}
				a, _ := src.Counts(ctx)
				b, _ := dst.Counts(ctx)
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("counts %v, restored %v", a, b)
				}
				for _, u := range us {
					va, _ := src.Versions(ctx, u.ID, 2024)
					vb, _ := dst.Versions(ctx, u.ID, 2024)
					if fmt.Sprintf("%+v", deref(va)) != fmt.Sprintf("%+v", deref(vb)) {
						t.Errorf("versions of %d differ:\n%+v\n%+v", u.ID, deref(va), deref(vb))
					}
				}
				ca, _ := src.Comments(ctx, us[0].ID, 2024)
				cb, _ := dst.Comments(ctx, us[0].ID, 2024)
				pa, _ := src.Publications(ctx, us[0].ID, 2024)
				pb, _ := dst.Publications(ctx, us[0].ID, 2024)
				if fmt.Sprint(ca) != fmt.Sprint(cb) || fmt.Sprint(pa) != fmt.Sprint(pb) || len(cb) != 2 || len(pb) != 1 {
					t.Errorf("comments or publications differ: %v %v / %v %v", ca, cb, pa, pb)
				}
				for _, tb := range tables {
					if b[tb.name] == 0 && tb.name != "schema_migrations" {
						t.Errorf("table %s left empty by the test: fill it so its restore is tested", tb.name)
					}
				}
				la, _ := src.Audit(ctx, AuditFilter{})
				lb, _ := dst.Audit(ctx, AuditFilter{})
				if fmt.Sprint(la) != fmt.Sprint(lb) {
					t.Error("audit log differs")
				}
				if p, err := dst.Check(ctx); err != nil || len(p) > 0 {
					t.Errorf("check: %v %v", p, err)
				}
				// the restored database goes on: new ids after the old ones
				v, err := dst.AddVersion(ctx, office, upload(us[0].ID, 2024, "恢复后"))
				if err != nil || v.Seq != 3 {
					t.Errorf("after restore: %+v %v", v, err)
				}
				// a database with data is never restored into
				if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), int64(buf.Len())); !errors.Is(err, ErrNotEmpty) {
					t.Errorf("restore into a used database: %v", err)
				}
			})
		}
	}
}

func deref(vs []*Version) []Version {
	var out []Version
	for _, v := range vs {
		out = append(out, *v)
	}
	return out
}

func TestRestoreDamaged(t *testing.T) {
	src := open(t, newDSN(t, "sqlite"))
	src.ImportRoster(ctx, office, testRoster(t, 1))
	us, _ := src.Units(ctx)
	src.AddVersion(ctx, office, upload(us[0].ID, 2024, "原文"))
	var buf bytes.Buffer
	if _, err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a zip", []byte("hello"), "not a backup archive"},
		{"a file's content changed", rezip(t, buf.Bytes(), "tables/blobs.jsonl", func(b []byte) []byte {
			return bytes.Replace(b, []byte(base64.StdEncoding.EncodeToString([]byte("原文"))), []byte(base64.StdEncoding.EncodeToString([]byte("改文"))), 1)
		}), "does not match"},
		{"a row left out", rezip(t, buf.Bytes(), "tables/audit.jsonl", func(b []byte) []byte {
			return b[bytes.IndexByte(b, '\n')+1:]
		}), "the manifest says"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dst := open(t, newDSN(t, "sqlite"))
			_, err := dst.Restore(ctx, bytes.NewReader(tt.data), int64(len(tt.data)))
			if err == nil || tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("restore: %v", err)
			}
			if c, _ := dst.Counts(ctx); c["units"] != 0 || c["blobs"] != 0 {
				t.Errorf("a failed restore left rows: %v", c)
			}
		})
	}
}

// TestCorruptionFound: a file changed behind the store's back (the
// append-only trigger dropped by hand) is refused on reading and reported
// by Check.
func TestCorruptionFound(t *testing.T) {
	s := open(t, newDSN(t, "sqlite"))
	s.ImportRoster(ctx, office, testRoster(t, 1))
	us, _ := s.Units(ctx)
	v, _ := s.AddVersion(ctx, office, upload(us[0].ID, 2024, "原文"))
	s.db.Exec(`DROP TRIGGER blobs_keep_update`)
	if _, err := s.db.Exec(`UPDATE blobs SET data = ? WHERE sha256 = ?`, []byte("改文"), v.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(ctx, v.SHA256); !errors.Is(err, ErrCorrupt) {
		t.Errorf("blob: %v", err)
	}
	if p, _ := s.Check(ctx); len(p) != 1 {
		t.Errorf("check: %v", p)
	}
}

// crashEnv makes the test binary a child process that uploads until it is
// killed, printing each acknowledged version.
const crashEnv = "NIANBAO_STORE_CRASH_CHILD"

func TestMain(m *testing.M) {
	if dsn := os.Getenv(crashEnv); dsn != "" {
		crashChild(dsn)
		return
	}
	os.Exit(m.Run())
}

// crashChild uploads versions from 8 goroutines as fast as it can and
// prints "ack ID SHA" after each AddVersion returned.
func crashChild(dsn string) {
	s, err := Open(ctx, dsn)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	us, err := s.Units(ctx)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for i := 0; ; i++ {
				data := make([]byte, 10000+rng.IntN(200000))
				for j := range data {
					data[j] = byte(rng.Uint32())
				}
				up := Upload{UnitID: us[rng.IntN(len(us))].ID, Year: 2024, File: File{Name: fmt.Sprintf("w%d-%d.xlsx", w, i), Data: data},
					Findings: `[]`, Outputs: []File{{Format: "html", Name: "a.html", Data: data[:len(data)/2]}, {Format: "pdf", Name: "a.pdf", Data: data[len(data)/3:]}}}
				v, err := s.AddVersion(ctx, Actor{Name: "crash"}, up)
				mu.Lock()
				if err != nil {
					fmt.Fprintln(out, "error", err)
				} else {
					fmt.Fprintln(out, "ack", v.ID, v.SHA256)
				}
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// TestCrash kills (SIGKILL) a process in the middle of uploads, then
// checks that every version it acknowledged is there, whole, with its
// outputs, and that nothing is half-written.
func TestCrash(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			dsn := newDSN(t, kind)
			s := open(t, dsn)
			if _, err := s.ImportRoster(ctx, office, testRoster(t, 20)); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), crashEnv+"="+dsn)
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			acks := map[int64]string{}
			sc := bufio.NewScanner(stdout)
			deadline := time.Now().Add(60 * time.Second)
			for sc.Scan() {
				var id int64
				var sum string
				line := sc.Text()
				if _, err := fmt.Sscanf(line, "ack %d %s", &id, &sum); err != nil {
					cmd.Process.Kill()
					t.Fatalf("child: %s", line)
				}
				acks[id] = sum
				if len(acks) == 60 || time.Now().After(deadline) {
					cmd.Process.Signal(syscall.SIGKILL)
					break
				}
			}
			for sc.Scan() { // acknowledged before the kill landed
				var id int64
				var sum string
				if _, err := fmt.Sscanf(sc.Text(), "ack %d %s", &id, &sum); err == nil {
					acks[id] = sum
				}
			}
			cmd.Wait()
			if len(acks) < 20 {
				t.Fatalf("only %d uploads acknowledged", len(acks))
			}
			s.Close()
			s = open(t, dsn)
			for id, sum := range acks {
				v, err := s.VersionByID(ctx, id)
				if err != nil || v.SHA256 != sum {
					t.Errorf("acknowledged version %d: %+v %v", id, v, err)
					continue
				}
				if _, err := s.Blob(ctx, sum); err != nil {
					t.Errorf("version %d file: %v", id, err)
				}
			}
			c, _ := s.Counts(ctx)
			if c["versions"] < int64(len(acks)) {
				t.Errorf("%d versions, %d acknowledged", c["versions"], len(acks))
			}
			// nothing half-written: every version has both outputs and its audit entry
			if c["outputs"] != 2*c["versions"] {
				t.Errorf("%d outputs for %d versions", c["outputs"], c["versions"])
			}
			log, _ := s.Audit(ctx, AuditFilter{Limit: 100000})
			n := 0
			for _, e := range log {
				if e.Action == "上传报告" {
					n++
				}
			}
			if int64(n) != c["versions"] {
				t.Errorf("%d upload entries for %d versions", n, c["versions"])
			}
			if p, err := s.Check(ctx); err != nil || len(p) > 0 {
				t.Errorf("check after the crash: %v %v", p, err)
			}
			t.Logf("%s: %d acknowledged, %d versions stored after SIGKILL", kind, len(acks), c["versions"])
		})
	}
}

// rezip returns the zip archive data with one entry's content changed.
func rezip(t *testing.T, data []byte, name string, change func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b = change(b)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return out.Bytes()
}
