package main

// The HTTP API of nianbao serve gives the CLI's answers: the same check
// JSON, the same rendered bytes, the same exit codes (as HTTP status and
// X-Nianbao-Exit), on the examples and on every hostile input of the
// robustness table.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/workbook"
)

const testToken = "test-token"

func newAPI(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	// the handler answers to the server's own address only
	app, err := web.New(web.Options{Token: testToken, Hosts: []string{strings.TrimPrefix(srv.URL, "http://")}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = app
	t.Cleanup(srv.Close)
	return srv
}

// post sends files as multipart parts (field → file name → bytes).
func post(t *testing.T, url string, parts map[string][2]string) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for field, p := range parts {
		fw, err := mw.CreateFormFile(field, p[0])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(p[1]))
	}
	mw.Close()
	req, _ := http.NewRequest("POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set(web.TokenHeader, testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantStatus is the HTTP status of an exit code.
var wantStatus = map[int]int{0: http.StatusOK, 1: http.StatusUnprocessableEntity}

// exampleInputs are the examples as YAML and as workbooks, by file name.
func exampleInputs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob("../../examples/*.yaml")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		out[name] = data
		r, err := template.Read(name, data)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := workbook.Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(name, ".yaml")+".xlsx"] = buf.Bytes()
	}
	planted, err := os.ReadFile("testdata/planted-errors.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out["planted-errors.yaml"] = planted
	return out
}

// TestAPICheckSameAsCLI: POST /api/v1/check answers the JSON of
// nianbao check --format json, byte for byte, with the exit code as status.
func TestAPICheckSameAsCLI(t *testing.T) {
	srv := newAPI(t)
	inputs := exampleInputs(t)
	dir := t.TempDir()
	t.Chdir(dir)
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(name, data, 0o644)
			var stdout, stderr bytes.Buffer
			code := run([]string{"check", "--format", "json", name}, nil, &stdout, &stderr)
			resp := post(t, srv.URL+"/api/v1/check", map[string][2]string{"file": {name, string(data)}})
			body := readAll(t, resp)
			if resp.StatusCode != wantStatus[code] {
				t.Errorf("status %d, CLI exit %d", resp.StatusCode, code)
			}
			if got := resp.Header.Get(web.ExitHeader); got != string(rune('0'+code)) {
				t.Errorf("%s %q, CLI exit %d", web.ExitHeader, got, code)
			}
			if !bytes.Equal(body, stdout.Bytes()) {
				t.Errorf("JSON differs from the CLI's:\n--- api\n%s\n--- cli\n%s", body, stdout.Bytes())
			}
		})
	}
	// with last year's report
	prev, cur := inputs["chengnan-scjg-2023.yaml"], inputs["chengnan-scjg-2024.yaml"]
	os.WriteFile("a.yaml", cur, 0o644)
	os.WriteFile("p.yaml", prev, 0o644)
	var stdout bytes.Buffer
	code := run([]string{"check", "--format", "json", "a.yaml", "--prev", "p.yaml"}, nil, &stdout, io.Discard)
	resp := post(t, srv.URL+"/api/v1/check", map[string][2]string{"file": {"a.yaml", string(cur)}, "prev": {"p.yaml", string(prev)}})
	if body := readAll(t, resp); resp.StatusCode != wantStatus[code] || !bytes.Equal(body, stdout.Bytes()) {
		t.Errorf("with prev: status %d (exit %d), JSON:\n%s\nCLI:\n%s", resp.StatusCode, code, body, stdout.Bytes())
	}
	// the two files the wrong way round
	resp = post(t, srv.URL+"/api/v1/check", map[string][2]string{"file": {"p.yaml", string(prev)}, "prev": {"a.yaml", string(cur)}})
	if body := readAll(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "弄反") {
		t.Errorf("swapped prev: status %d, %s", resp.StatusCode, body)
	}
}

// TestAPIRenderSameAsCLI: POST /api/v1/render gives the bytes nianbao
// render writes, for every format, drafts included; a report with errors
// without draft=1 is 422 with the check JSON.
func TestAPIRenderSameAsCLI(t *testing.T) {
	srv := newAPI(t)
	inputs := exampleInputs(t)
	dir := t.TempDir()
	t.Chdir(dir)
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			os.WriteFile(name, data, 0o644)
			out := filepath.Join(dir, "out-"+name)
			code := run([]string{"render", "-o", out, name}, nil, io.Discard, io.Discard)
			draft := ""
			if code == 1 {
				resp := post(t, srv.URL+"/api/v1/render?format=pdf", map[string][2]string{"file": {name, string(data)}})
				body := readAll(t, resp)
				var stdout bytes.Buffer
				run([]string{"check", "--format", "json", name}, nil, &stdout, io.Discard)
				if resp.StatusCode != http.StatusUnprocessableEntity || !bytes.Equal(body, stdout.Bytes()) {
					t.Errorf("refused render: status %d, body:\n%s", resp.StatusCode, body)
				}
				if code = run([]string{"render", "--draft", "-o", out, name}, nil, io.Discard, io.Discard); code != 1 {
					t.Fatalf("render --draft: exit %d", code)
				}
				draft = "&draft=1"
			} else if code != 0 {
				t.Fatalf("render: exit %d", code)
			}
			files, _ := filepath.Glob(filepath.Join(out, "*"))
			if len(files) != len(render.Defaults()) {
				t.Fatalf("CLI wrote %v", files)
			}
			cli := map[string][]byte{}
			for _, f := range files {
				cli[filepath.Base(f)], _ = os.ReadFile(f)
			}
			for _, f := range render.Defaults() {
				resp := post(t, srv.URL+"/api/v1/render?format="+f+draft, map[string][2]string{"file": {name, string(data)}})
				body := readAll(t, resp)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: status %d: %s", f, resp.StatusCode, body)
				}
				fname := attachmentName(t, resp)
				if want, ok := cli[fname]; !ok || !bytes.Equal(body, want) {
					t.Errorf("%s: %s (%d bytes) differs from the CLI's file (%v, %d bytes)", f, fname, len(body), ok, len(want))
				}
				if (draft != "") != (resp.Header.Get("X-Nianbao-Draft") == "1") {
					t.Errorf("%s: X-Nianbao-Draft %q with draft %q", f, resp.Header.Get("X-Nianbao-Draft"), draft)
				}
				if f == render.HTML && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") {
					t.Errorf("html served without a sandboxing CSP")
				}
			}
			resp := post(t, srv.URL+"/api/v1/render?format=zip"+draft, map[string][2]string{"file": {name, string(data)}})
			body := readAll(t, resp)
			zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatalf("zip: %v", err)
			}
			if len(zr.File) != len(cli) {
				t.Errorf("zip has %d files, want %d", len(zr.File), len(cli))
			}
			for _, zf := range zr.File {
				rc, _ := zf.Open()
				got, _ := io.ReadAll(rc)
				rc.Close()
				if !bytes.Equal(got, cli[zf.Name]) {
					t.Errorf("zip: %s differs from the CLI's", zf.Name)
				}
			}
			again := readAll(t, post(t, srv.URL+"/api/v1/render?format=zip"+draft, map[string][2]string{"file": {name, string(data)}}))
			if !bytes.Equal(again, body) {
				t.Errorf("zip is not deterministic")
			}
		})
	}
}

func attachmentName(t *testing.T, resp *http.Response) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil {
		t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
	}
	return params["filename"]
}

// TestAPIHostileInputs: every hostile input of the robustness table gets
// the CLI's answer — the same JSON where the CLI checks it, a Chinese
// error (400 or 413) where the CLI exits 2 — on every endpoint, never a
// 500, a Go message or a hang.
func TestAPIHostileInputs(t *testing.T) {
	srv := newAPI(t)
	for _, tc := range hostileInputs() {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if err := tc.make(tc.file); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var stdout bytes.Buffer
			code := run([]string{"check", "--format", "json", tc.file}, nil, &stdout, io.Discard)
			for _, ep := range []string{"/api/v1/check", "/api/v1/render?format=pdf", "/api/v1/import?to=xlsx", "/api/v1/report", "/api/v1/template", "/api/v1/todo"} {
				var resp *http.Response
				var body []byte
				within(t, caseDeadline, ep, func() {
					resp = post(t, srv.URL+ep, map[string][2]string{"file": {tc.file, string(data)}})
					body = readAll(t, resp)
				})
				if resp.StatusCode >= 500 {
					t.Errorf("%s: status %d: %.300s", ep, resp.StatusCode, body)
				}
				isJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
				if isJSON && (strings.Contains(string(body), "goroutine") || strings.Contains(string(body), "panic")) {
					t.Errorf("%s: Go internals in the answer: %.300s", ep, body)
				}
				if code == 2 {
					if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusRequestEntityTooLarge {
						t.Errorf("%s: status %d, CLI exit 2", ep, resp.StatusCode)
					}
					if !hasHan(string(body)) {
						t.Errorf("%s: no Chinese reason: %.300s", ep, body)
					}
				}
				if ep == "/api/v1/check" && code != 2 {
					if resp.StatusCode != wantStatus[code] || !bytes.Equal(body, stdout.Bytes()) {
						t.Errorf("check: status %d (CLI exit %d); JSON differs:\n%.500s\nCLI:\n%.500s", resp.StatusCode, code, body, stdout.Bytes())
					}
				}
			}
		})
	}
}

// TestAPIGuards: the Host check, the token, the upload cap and the
// Chinese errors of bad requests.
func TestAPIGuards(t *testing.T) {
	srv := newAPI(t)
	example, _ := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	req := func(method, url, host, token string, body io.Reader, ctype string) (int, string) {
		r, _ := http.NewRequest(method, url, body)
		if host != "" {
			r.Host = host
		}
		if token != "" {
			r.Header.Set(web.TokenHeader, token)
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(readAll(t, resp))
	}
	form := func(data []byte) (io.Reader, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", "a.yaml")
		fw.Write(data)
		mw.Close()
		return &b, mw.FormDataContentType()
	}
	cases := []struct {
		name, method, path, host, token string
		body                            []byte
		status                          int
	}{
		{"page", "GET", "/", "", "", nil, 200},
		{"rebinding host", "GET", "/", "evil.example:80", "", nil, http.StatusMisdirectedRequest},
		{"rebinding host on the API", "POST", "/api/v1/check", "attacker.test", testToken, example, http.StatusMisdirectedRequest},
		{"no token", "POST", "/api/v1/check", "", "", example, http.StatusForbidden},
		{"wrong token", "POST", "/api/v1/check", "", "nope", example, http.StatusForbidden},
		{"token", "POST", "/api/v1/check", "", testToken, example, 200},
		{"too large", "POST", "/api/v1/check", "", testToken, bytes.Repeat([]byte("#"), web.MaxUpload+10), http.StatusRequestEntityTooLarge},
		{"the 图解 graphic", "POST", "/api/v1/render?format=svg", "", testToken, example, 200},
		{"unknown format", "POST", "/api/v1/render?format=odt", "", testToken, example, 400},
		{"no format", "POST", "/api/v1/render", "", testToken, example, 400},
		{"template without year", "GET", "/api/v1/template?agency=某某局", "", "", nil, 400},
		{"template bad year", "GET", "/api/v1/template?year=99999", "", "", nil, 400},
		{"template", "GET", "/api/v1/template?year=2025&agency=某某局", "", "", nil, 200},
		{"template yaml", "GET", "/api/v1/template?year=2025&agency=某某局&format=yaml", "", "", nil, 200},
		{"unknown API", "GET", "/api/v2/x", "", "", nil, 404},
		{"asset traversal", "GET", "/assets/../web.go", "", "", nil, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			ctype := ""
			if c.body != nil {
				body, ctype = form(c.body)
			}
			status, text := req(c.method, srv.URL+c.path, c.host, c.token, body, ctype)
			if status != c.status {
				t.Errorf("status %d, want %d: %.300s", status, c.status, text)
			}
			if status >= 400 && !hasHan(text) {
				t.Errorf("error without a Chinese reason: %.300s", text)
			}
		})
	}
	// not multipart
	status, text := req("POST", srv.URL+"/api/v1/check", "", testToken, strings.NewReader("agency: x"), "text/plain")
	if status != 400 || !hasHan(text) {
		t.Errorf("plain body: %d %s", status, text)
	}
	// the blank template is nianbao init's
	dir := t.TempDir()
	t.Chdir(dir)
	run([]string{"init", "--year", "2025", "--agency", "某某局", "-o", "t.yaml"}, nil, io.Discard, io.Discard)
	want, _ := os.ReadFile("t.yaml")
	status, text = req("GET", srv.URL+"/api/v1/template?year=2025&agency=%E6%9F%90%E6%9F%90%E5%B1%80&format=yaml", "", "", nil, "")
	if status != 200 || text != string(want) {
		t.Errorf("template differs from nianbao init's:\n%s", text)
	}
}

// TestAPIFormRoundTrip: a report read by the page (POST /api/v1/report)
// and sent back as the form's JSON renders to the same bytes as the file,
// so what the browser form saves and renders is what the CLI makes.
func TestAPIFormRoundTrip(t *testing.T) {
	srv := newAPI(t)
	for name, data := range exampleInputs(t) {
		t.Run(name, func(t *testing.T) {
			resp := post(t, srv.URL+"/api/v1/report", map[string][2]string{"file": {name, string(data)}})
			var page struct {
				Model   json.RawMessage `json:"model"`
				Targets [][]string      `json:"targets"`
				Check   struct {
					Findings []struct{ Rule, Location string }
				} `json:"check"`
			}
			if err := json.Unmarshal(readAll(t, resp), &page); err != nil {
				t.Fatal(err)
			}
			if len(page.Targets) != len(page.Check.Findings) {
				t.Fatalf("%d targets for %d findings", len(page.Targets), len(page.Check.Findings))
			}
			for i, f := range page.Check.Findings {
				if strings.HasPrefix(f.Rule, "T3-") && len(page.Targets[i]) == 0 {
					t.Errorf("finding %s at %s has no cell", f.Rule, f.Location)
				}
			}
			for _, f := range []string{"html", "pdf"} {
				a := readAll(t, post(t, srv.URL+"/api/v1/render?draft=1&format="+f, map[string][2]string{"file": {name, string(data)}}))
				b := readAll(t, post(t, srv.URL+"/api/v1/render?draft=1&format="+f, map[string][2]string{"report": {"report.json", string(page.Model)}}))
				if !bytes.Equal(a, b) {
					t.Errorf("%s from the form's JSON differs from the file's (%d vs %d bytes)", f, len(b), len(a))
				}
			}
		})
	}
}

// TestAPITodo: POST /api/v1/todo lists what nianbao init --from leaves to
// type: the carry-over cells it names as not pre-filled (the same cells and
// reasons), the count it pre-filled, and every other cell to type at its
// place in the very template init --from writes.
func TestAPITodo(t *testing.T) {
	srv := newAPI(t)
	inputs := map[string][]byte{}
	for name, data := range exampleInputs(t) {
		if name != "planted-errors.yaml" {
			inputs[name] = data
		}
	}
	reals, _ := filepath.Glob("../../template/published/testdata/real/*.txt")
	if len(reals) == 0 {
		t.Fatal("no real reports in template/published/testdata/real")
	}
	for _, f := range reals {
		data, _ := os.ReadFile(f)
		inputs[filepath.Base(f)] = data
	}
	// last year's 结转下年度继续办理 left blank in two cells: init --from
	// cannot carry them
	gap, err := template.Read("a.yaml", inputs["chengnan-scjg-2023.yaml"])
	if err != nil {
		t.Fatal(err)
	}
	*gap.Tables["t3"].Cell("carried_forward", "natural") = schema.Value{}
	*gap.Tables["t3"].Cell("carried_forward", "other") = schema.Value{}
	var buf bytes.Buffer
	if err := template.Encode(&buf, "gap.yaml", gap); err != nil {
		t.Fatal(err)
	}
	inputs["gap.yaml"] = buf.Bytes()
	gapsSeen := 0
	for name, data := range inputs {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			os.WriteFile(name, data, 0o644)
			var stdout bytes.Buffer
			if code := run([]string{"init", "--from", name, "-o", "next.xlsx"}, nil, &stdout, io.Discard); code != 0 {
				// a report without a year: the API refuses it too, in Chinese
				resp := post(t, srv.URL+"/api/v1/todo", map[string][2]string{"file": {name, string(data)}})
				if body := readAll(t, resp); resp.StatusCode != 400 || !hasHan(string(body)) {
					t.Errorf("init --from exits %d; the API answers %d %s", code, resp.StatusCode, body)
				}
				return
			}
			var cliGaps []string
			carried := -1
			for _, line := range strings.Split(stdout.String(), "\n") {
				if g, ok := strings.CutPrefix(line, "    【结转】"); ok {
					cliGaps = append(cliGaps, g)
				}
				if i := strings.Index(line, "上年结转 "); i >= 0 {
					fmt.Sscanf(line[i+len("上年结转 "):], "%d", &carried)
				}
			}
			resp := post(t, srv.URL+"/api/v1/todo", map[string][2]string{"file": {name, string(data)}})
			body := readAll(t, resp)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var ans struct {
				Template string
				Carried  int
				Todo     []struct {
					Group, Table string
					Items        []struct {
						Kind, Key, Label, Note, Place string
						Cells                         []struct {
							Key, Label, Name, Note, Place string
							Carry                         bool
						}
					}
				}
			}
			if err := json.Unmarshal(body, &ans); err != nil {
				t.Fatal(err)
			}
			if ans.Carried != carried {
				t.Errorf("carried %d, init --from says %d", ans.Carried, carried)
			}
			tmplData, _ := os.ReadFile("next.xlsx")
			tmpl, err := template.Read("next.xlsx", tmplData)
			if err != nil {
				t.Fatal(err)
			}
			var apiGaps []string
			for _, g := range ans.Todo {
				// init --from prints the same list
				want := []string{"  【" + g.Group + "】"}
				for _, it := range g.Items {
					switch {
					case it.Kind == "row":
						var cs []string
						for _, c := range it.Cells {
							cs = append(cs, c.Label)
						}
						want = append(want, "    "+it.Label+"："+strings.Join(cs, "、"))
					case it.Label == g.Group:
						want = append(want, "    本部分文字："+it.Note)
					default:
						want = append(want, "    "+it.Label+"："+it.Note)
					}
				}
				for _, w := range want {
					if !strings.Contains(stdout.String(), w+"\n") {
						t.Errorf("init --from does not print %q", w)
					}
				}
				for _, it := range g.Items {
					if it.Kind == "row" && len(it.Cells) == 0 || it.Kind != "row" && it.Note == "" {
						t.Errorf("%s: empty item %+v", g.Group, it)
					}
					for _, c := range it.Cells {
						parts := strings.Split(c.Key, ".")
						v := tmpl.Tables[parts[0]].Cell(parts[1], parts[2])
						if !v.IsBlank() {
							t.Errorf("%s is listed to type but the template has %q", c.Name, v.Text())
						}
						if c.Place == "" || c.Place != v.Loc.String() {
							t.Errorf("%s: place %q, the template's cell is %s", c.Name, c.Place, v.Loc)
						}
						if c.Carry {
							apiGaps = append(apiGaps, c.Note)
						}
					}
				}
			}
			if len(apiGaps) != len(cliGaps) {
				t.Fatalf("%d carry-over cells to type, init --from names %d: %v / %v", len(apiGaps), len(cliGaps), apiGaps, cliGaps)
			}
			for i := range cliGaps {
				if !strings.HasSuffix(cliGaps[i], "："+apiGaps[i]) {
					t.Errorf("carry gap %d: %q, init --from: %q", i, apiGaps[i], cliGaps[i])
				}
			}
			gapsSeen += len(cliGaps)
		})
	}
	if gapsSeen == 0 {
		t.Error("no input has a carry-over cell init --from could not fill: the test proves nothing about them")
	}
}
