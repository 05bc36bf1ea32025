package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/workbook"
)

// MaxPage is the most the page may weigh: every asset it loads.
const MaxPage = 300 << 10

// TestPageWeight: the page and everything it loads stay under 300 KB, and
// it loads nothing from outside (no http: or https: reference).
func TestPageWeight(t *testing.T) {
	total := 0
	err := fs.WalkDir(assets, "assets", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		total += len(data)
		for _, ref := range []string{"http://", "https://", "//cdn", "@import"} {
			if bytes.Contains(data, []byte(ref)) {
				t.Errorf("%s refers to an outside resource (%s)", path, ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("page weight %d bytes", total)
	if total > MaxPage {
		t.Errorf("the page weighs %d bytes, more than %d", total, MaxPage)
	}
}

func testApp(tb testing.TB) (*App, string) {
	tb.Helper()
	a, err := New(Options{Token: "t", Hosts: []string{"example.test"}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		tb.Fatal(err)
	}
	return a, "t"
}

// exampleWorkbook is the complete example as a workbook.
func exampleWorkbook(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("../../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	r, err := template.Read("a.yaml", data)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, r); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func uploadReq(tb testing.TB, target, name string, data []byte) *http.Request {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Host = "example.test"
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(TokenHeader, "t")
	return req
}

func serveOnce(tb testing.TB, a *App, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("%s: status %d: %.300s", req.URL, rec.Code, rec.Body.String())
	}
	return rec
}

// BenchmarkCheckWorkbook: the server time of checking an uploaded workbook
// (target ≤ 50 ms).
func BenchmarkCheckWorkbook(b *testing.B) {
	a, _ := testApp(b)
	wb := exampleWorkbook(b)
	for b.Loop() {
		serveOnce(b, a, uploadReq(b, "/api/v1/check", "a.xlsx", wb))
	}
}

// BenchmarkRenderAll: the server time of rendering all four formats as
// one zip from an uploaded workbook (target ≤ 300 ms).
func BenchmarkRenderAll(b *testing.B) {
	a, _ := testApp(b)
	wb := exampleWorkbook(b)
	for b.Loop() {
		serveOnce(b, a, uploadReq(b, "/api/v1/render?format=zip", "a.xlsx", wb))
	}
}

// fiftyChecks sends 50 checks of the workbook to the server at once and
// returns the failures.
func fiftyChecks(url string, wb []byte) []string {
	var wg sync.WaitGroup
	errs := make(chan string, 50)
	for range 50 {
		wg.Go(func() {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "a.xlsx")
			fw.Write(wb)
			mw.Close()
			req, _ := http.NewRequest("POST", url+"/api/v1/check", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set(TokenHeader, "t")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs <- resp.Status
			}
		})
	}
	wg.Wait()
	close(errs)
	var out []string
	for e := range errs {
		out = append(out, e)
	}
	return out
}

func testServer(tb testing.TB) *httptest.Server {
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	a, err := New(Options{Token: "t", Hosts: []string{strings.TrimPrefix(srv.URL, "http://")}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		tb.Fatal(err)
	}
	srv.Config.Handler = a
	tb.Cleanup(srv.Close)
	return srv
}

// BenchmarkConcurrentChecks: 50 checks of uploaded workbooks at once, all
// answered without error.
func BenchmarkConcurrentChecks(b *testing.B) {
	srv := testServer(b)
	wb := exampleWorkbook(b)
	for b.Loop() {
		if errs := fiftyChecks(srv.URL, wb); len(errs) > 0 {
			b.Fatalf("%d of 50 concurrent checks failed: %v", len(errs), errs)
		}
	}
}

// TestConcurrentChecks runs the 50 concurrent checks once, so the suite
// (not only make bench) shows they all succeed.
func TestConcurrentChecks(t *testing.T) {
	srv := testServer(t)
	if errs := fiftyChecks(srv.URL, exampleWorkbook(t)); len(errs) > 0 {
		t.Fatalf("%d of 50 concurrent checks failed: %v", len(errs), errs)
	}
}

// TestComputedCells: the cells the form computes are those the workbook
// fills with formulas: 表三's 总计 column and （七）总计 row, 表四's 总计
// columns; 表二 has none.
func TestComputedCells(t *testing.T) {
	d := declare(schema.Current)
	want := map[string]int{"t2": 0, "t3": 25 + 6, "t4": 3}
	for _, td := range d.Tables {
		if len(td.Computed) != want[td.ID] {
			t.Errorf("%s: %d computed cells, want %d", td.ID, len(td.Computed), want[td.ID])
		}
		seen := map[string]bool{}
		for _, c := range td.Computed {
			for _, term := range c.Terms {
				for _, other := range td.Computed {
					if other.Cell == term && !seen[term] {
						t.Errorf("%s: %s is listed before %s, which it sums", td.ID, c.Cell, term)
					}
				}
			}
			seen[c.Cell] = true
		}
	}
}

// TestLongAgencyDownloadName: a download's file name keeps the year and the
// fixed title whole however long the agency's name, as the CLI's outputs
// do (outdir.NameFor), so two years never get the same name.
func TestLongAgencyDownloadName(t *testing.T) {
	srv := testServer(t)
	agency := strings.Repeat("某某省某某市某某县某某乡镇人民政府办公室", 6)
	resp, err := http.Get(srv.URL + "/api/v1/template?year=2025&agency=" + agency)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil {
		t.Fatal(err)
	}
	name := params["filename"]
	if !strings.Contains(name, "~") || !strings.HasSuffix(name, "2025年政府信息公开工作年度报告填报表.xlsx") || len(name) > 200 {
		t.Errorf("download name %q: want the agency cut with a hash and the year and title whole", name)
	}
}

// TestMount: another server mounts the app under a prefix with a token per
// session (as nianbao serve --org does), and builds its own endpoint from
// Guard, Read and WriteCheck; the page refers to everything relatively.
func TestMount(t *testing.T) {
	sessions := map[string]string{"alice": "tok-a", "bob": "tok-b"}
	a, err := New(Options{Hosts: []string{"example.test"}, Log: log.New(io.Discard, "", 0),
		TokenFor: func(r *http.Request) string {
			c, err := r.Cookie("s")
			if err != nil {
				return ""
			}
			return sessions[c.Value]
		}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/fill/", http.StripPrefix("/fill", a))
	mux.Handle("POST /submit", a.Guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, herr := a.Read(r, true)
		if herr != nil {
			WriteUnusable(w, in, herr)
			return
		}
		WriteCheck(w, Check(in))
	})))
	do := func(req *http.Request, who string) *httptest.ResponseRecorder {
		req.Host = "example.test"
		if who != "" {
			req.AddCookie(&http.Cookie{Name: "s", Value: who})
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec
	}
	page := do(httptest.NewRequest("GET", "/fill/", nil), "alice")
	if page.Code != 200 || !strings.Contains(page.Body.String(), `content="tok-a"`) {
		t.Fatalf("page: %d, without alice's token", page.Code)
	}
	for _, ref := range []string{`"/assets/`, `"/api/`} {
		if strings.Contains(page.Body.String(), ref) {
			t.Errorf("the page refers to %s absolutely", ref)
		}
	}
	js, _ := assets.ReadFile("assets/app.js")
	if bytes.Contains(js, []byte(`"/api/`)) {
		t.Error("app.js calls the API by an absolute path, so it cannot be mounted under a prefix")
	}
	if rec := do(httptest.NewRequest("GET", "/fill/assets/app.js", nil), "alice"); rec.Code != 200 {
		t.Errorf("asset under the prefix: %d", rec.Code)
	}
	wb := exampleWorkbook(t)
	for _, ep := range []string{"/fill/api/v1/check", "/submit"} {
		for who, want := range map[string]int{"alice": 200, "bob": 403, "": 403} {
			req := uploadReq(t, ep, "a.xlsx", wb)
			req.Header.Set(TokenHeader, "tok-a")
			if rec := do(req, who); rec.Code != want {
				t.Errorf("%s as %q: %d, want %d: %.200s", ep, who, rec.Code, want, rec.Body)
			}
		}
	}
	req := uploadReq(t, "/submit", "a.xlsx", []byte("not a workbook"))
	req.Header.Set(TokenHeader, "tok-a")
	if rec := do(req, "alice"); rec.Code != 400 || rec.Header().Get(ExitHeader) != "2" || !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("unusable upload: %d %s", rec.Code, rec.Body)
	}
}

// TestFormBounds: the form's text is held to the readers' bounds
// (schema.MaxText, MaxParagraph), and a number typed with full-width digits
// comes back as typed, beside the CELL-FORMAT finding that quotes it.
func TestFormBounds(t *testing.T) {
	a, _ := testApp(t)
	ctype := "multipart/form-data; boundary=" + fuzzBoundary
	long := `{"sections":{"overview":[{"text":"` + strings.Repeat("字", schema.MaxParagraph+1) + `"}]}}`
	rec := post(a, "/api/v1/report", ctype, multipartBody([3]string{"report", "r.json", long}))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "字") {
		t.Errorf("a paragraph over the bound: %d %.300s", rec.Code, rec.Body)
	}
	rec = post(a, "/api/v1/report", ctype, multipartBody([3]string{"report", "r.json", `{"tables":{"t2":{"cells":{"normative.valid":{"value":"１２"}}}}}`}))
	var page struct {
		Model Model
		Check struct {
			Findings []struct{ Rule, Location string }
		}
	}
	json.Unmarshal(rec.Body.Bytes(), &page)
	if v := page.Model.Tables["t2"].Cells["normative.valid"].Value; v != "１２" {
		t.Errorf("the full-width number comes back as %q", v)
	}
	found := false
	for _, f := range page.Check.Findings {
		found = found || f.Rule == "CELL-FORMAT" && f.Location == "填写!t2.normative.valid"
	}
	if !found {
		t.Errorf("no CELL-FORMAT finding at the cell: %+v", page.Check.Findings)
	}
}

// TestTarget: the local app's page names no server to save to (the page
// then shows no 保存到服务器); a server's Target is carried in the page,
// escaped as an attribute, for the requests it gives one to only.
func TestTarget(t *testing.T) {
	get := func(a *App, who string) string {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = "example.test"
		req.Header.Set("X-Who", who)
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("page: %d", rec.Code)
		}
		return rec.Body.String()
	}
	local, err := New(Options{Hosts: []string{"example.test"}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	if page := get(local, ""); !strings.Contains(page, `<meta name="nianbao-target" content="">`) {
		t.Errorf("the local app's page names a target")
	}
	srv, err := New(Options{Hosts: []string{"example.test"}, Log: log.New(io.Discard, "", 0),
		Target: func(r *http.Request) *Target {
			if r.Header.Get("X-Who") != "unit" {
				return nil
			}
			return &Target{Save: "units/1/2024/save", Label: `某"局"<b>`, Back: "/units/1/2024"}
		}})
	if err != nil {
		t.Fatal(err)
	}
	page := get(srv, "unit")
	if !strings.Contains(page, `content="{&#34;save&#34;:&#34;units/1/2024/save&#34;,&#34;label&#34;:&#34;某\&#34;局\&#34;\u003cb\u003e&#34;`) {
		t.Errorf("the target is not in the page as escaped JSON:\n%s", page[:600])
	}
	if page := get(srv, "office"); !strings.Contains(page, `content=""`) {
		t.Errorf("a request without a target gets one")
	}
}

// TestInternal: with Options.Internal (the collection server's /fill/), an
// error Explain does not know is worded by it — a reference number — and
// never shows its Go text; a known one keeps its Chinese wording.
func TestInternal(t *testing.T) {
	a, err := New(Options{Internal: func(r *http.Request, err error) string { return "参考编号 1" }})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.explain(nil, errors.New("sql: database is closed")); got != "参考编号 1" {
		t.Errorf("unknown error: %q", got)
	}
	if got := a.explain(nil, errtext.Errorf("字体缺字")); got != "字体缺字" {
		t.Errorf("known error: %q", got)
	}
	local, _ := New(Options{})
	if got := local.explain(nil, errors.New("x")); !strings.Contains(got, "x") {
		t.Errorf("the local app: %q", got)
	}
}
