package web

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/nianbao/nianbao/template"
)

// fuzzBoundary is the boundary FuzzMultipart's bodies are sent with.
const fuzzBoundary = "nbfuzz"

// goInternals are the marks of a Go message leaking into an answer.
var goInternals = []string{"goroutine", "panic", "runtime error", "json: ", "multipart: ", "unexpected EOF", "invalid character", "nil pointer"}

// checkAnswer fails on a 5xx, on an error answer that is not JSON with a
// Chinese reason, and on Go internals in an error.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%s: status %d: %.300s", what, rec.Code, rec.Body)
	}
	if rec.Code < 400 || rec.Code == http.StatusUnprocessableEntity { // 422: the check's findings
		return
	}
	var e struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Fatalf("%s: status %d without a JSON error: %.300s", what, rec.Code, rec.Body)
	}
	if !strings.ContainsFunc(e.Error, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Fatalf("%s: error without a Chinese reason: %q", what, e.Error)
	}
	for _, s := range goInternals {
		if strings.Contains(e.Error, s) {
			t.Fatalf("%s: Go internals (%q) in the error: %q", what, s, e.Error)
		}
	}
}

func fuzzApp(t testing.TB) *App {
	a, _ := testApp(t)
	return a
}

func post(a *App, target, ctype string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", target, bytes.NewReader(body))
	req.Host = "example.test"
	req.Header.Set("Content-Type", ctype)
	req.Header.Set(TokenHeader, "t")
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	return rec
}

// multipartBody frames parts (name → content) with fuzzBoundary.
func multipartBody(parts ...[3]string) []byte {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary(fuzzBoundary)
	for _, p := range parts {
		fw, _ := mw.CreateFormFile(p[0], p[1])
		fw.Write([]byte(p[2]))
	}
	mw.Close()
	return b.Bytes()
}

// FuzzMultipart: any request body, framed or not, gets an answer: never a
// 5xx, a panic or a Go message; an error is JSON with a Chinese reason.
func FuzzMultipart(f *testing.F) {
	wb := exampleWorkbook(f)
	f.Add(multipartBody([3]string{"file", "a.xlsx", string(wb)}))
	f.Add(multipartBody([3]string{"file", "a.yaml", "agency: 某局\nyear: 2024\n"}, [3]string{"prev", "b.yaml", "year: 2023\n"}))
	f.Add(multipartBody([3]string{"report", "r.json", `{"meta":{"agency":{"value":"某局"}}}`}))
	f.Add(multipartBody([3]string{"other", "x", "y"}))
	f.Add(multipartBody([3]string{"file", `C:\路径\报告.yaml`, "- [\n"}))
	f.Add([]byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.yaml\"\r\n\r\nagency: x"))
	f.Add([]byte("--" + fuzzBoundary + "--\r\n"))
	f.Add([]byte("not multipart at all"))
	f.Add([]byte{})
	a := fuzzApp(f)
	ctype := "multipart/form-data; boundary=" + fuzzBoundary
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, ep := range []string{"/api/v1/check", "/api/v1/report", "/api/v1/import", "/api/v1/template", "/api/v1/todo"} {
			checkAnswer(t, ep, post(a, ep, ctype, body))
		}
	})
}

// FuzzForm: any JSON in the form's "report" part is read as the form's
// model, or refused in Chinese; a model the server accepts is answered
// with a model that reads back to the same findings (the form round trip
// is stable), and renders as a draft.
func FuzzForm(f *testing.F) {
	for _, name := range []string{"chengnan-scjg-2024.yaml", "baoshan-zwfw-2024.yaml"} {
		data, err := readExample(name)
		if err != nil {
			f.Fatal(err)
		}
		r, err := template.Read(name, data)
		if err != nil {
			f.Fatal(err)
		}
		m, _ := json.Marshal(modelOf(r))
		f.Add(m)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"meta":{"year":{"value":"二〇二四"}},"tables":{"t3":null,"t2":{"cells":{"normative.valid":{"value":"１２"}}}}}`))
	f.Add([]byte(`{"tables":{"t3":{"cells":{"received.natural":{"value":"-1e999"},"nosuch.row":{"value":"1"}}}}}`))
	f.Add([]byte(`{"sections":{"overview":[{"heading":true,"text":"（一）"},{"text":"` + strings.Repeat("字", 300) + `"}],"nosuch":[{"text":"x"}]}}`))
	f.Add([]byte(`{"intro":[{"text":"\u0000\ud800"}],"format":2019}`))
	f.Add([]byte(`{"meta":{"agency":{"value":1}}}`))
	f.Add([]byte(`{"meta":`))
	a := fuzzApp(f)
	ctype := "multipart/form-data; boundary=" + fuzzBoundary
	f.Fuzz(func(t *testing.T, form []byte) {
		body := multipartBody([3]string{"report", "report.json", string(form)})
		rec := post(a, "/api/v1/report", ctype, body)
		checkAnswer(t, "report", rec)
		if rec.Code != http.StatusOK {
			return
		}
		var page struct {
			Check struct {
				Findings []struct{ Rule, Location, Message string }
			}
			Model   json.RawMessage
			Targets [][]string
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Fatalf("the answer is not JSON: %v", err)
		}
		if len(page.Targets) != len(page.Check.Findings) {
			t.Fatalf("%d targets for %d findings", len(page.Targets), len(page.Check.Findings))
		}
		// the model the page gets back reads to the same findings
		again := post(a, "/api/v1/report", ctype, multipartBody([3]string{"report", "report.json", string(page.Model)}))
		checkAnswer(t, "report again", again)
		var page2 struct {
			Check struct {
				Findings []struct{ Rule, Location, Message string }
			}
		}
		json.Unmarshal(again.Body.Bytes(), &page2)
		if len(page2.Check.Findings) != len(page.Check.Findings) {
			t.Fatalf("the model read back gives %d findings, not %d:\n%+v\n%+v", len(page2.Check.Findings), len(page.Check.Findings), page2.Check.Findings, page.Check.Findings)
		}
		for i, fd := range page.Check.Findings {
			if page2.Check.Findings[i] != fd {
				t.Fatalf("finding %d: %+v, read back %+v", i, fd, page2.Check.Findings[i])
			}
		}
		checkAnswer(t, "render", post(a, "/api/v1/render?format=txt&draft=1", ctype, body))
	})
}

func readExample(name string) ([]byte, error) {
	return os.ReadFile("../../../examples/" + name)
}
