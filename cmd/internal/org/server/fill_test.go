package server

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/template"
)

// formModel is a report as the browser app's form holds it (the model
// POST /api/v1/report answers), the part "report" the page posts.
func formModel(t *testing.T, data []byte) []byte {
	t.Helper()
	app, err := web.New(web.Options{Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	body, ct := multipartPart("file", "报告.yaml", data)
	req := httptest.NewRequest("POST", "/api/v1/report", body)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	app.Handler().ServeHTTP(rec, req)
	var page struct {
		Model json.RawMessage `json:"model"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Model) < 100 {
		t.Fatalf("no model: %d %s", rec.Code, rec.Body)
	}
	return page.Model
}

// model is unit A's good report as the form's model, made once.
func (f *fixture) model() []byte {
	if f.goodModel == nil {
		f.goodModel = formModel(f.t, read(f.t, goodA))
	}
	return f.goodModel
}

// multipartPart is a body with one part, and its content type.
func multipartPart(field, name string, data []byte) (*bytes.Buffer, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	return &body, mw.FormDataContentType()
}

// fillPost posts as the browser app does: under /fill/, its token in the
// app's header, the form's report as the part "report".
func (b *browser) fillPost(path, token string, model []byte) answer {
	b.f.t.Helper()
	var req *http.Request
	if model != nil {
		body, ct := multipartPart("report", "report.json", model)
		req, _ = http.NewRequest("POST", b.f.srv.URL+path, body)
		req.Header.Set("Content-Type", ct)
	} else {
		req, _ = http.NewRequest("POST", b.f.srv.URL+path, nil)
	}
	if token != "" {
		req.Header.Set(web.TokenHeader, token)
	}
	return b.do(req)
}

var targetMeta = regexp.MustCompile(`<meta name="nianbao-target" content="([^"]*)">`)

// target is the save target the page /fill/ carries for b ("" = none).
func (b *browser) target(query string) *web.Target {
	b.f.t.Helper()
	a := b.get("/fill/" + query)
	m := targetMeta.FindStringSubmatch(a.body)
	if a.code != 200 || m == nil {
		b.f.t.Fatalf("/fill/: %d %.300s", a.code, a.body)
	}
	if m[1] == "" {
		return nil
	}
	var t web.Target
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &t); err != nil {
		b.f.t.Fatal(err)
	}
	return &t
}

// TestFillSave: a unit fills its report in the browser app and saves it to
// its report on the server — a new version, checked as an upload, with
// its audit line — then submits it from the app once the gate lets it; on
// SQLite and PostgreSQL.
func TestFillSave(t *testing.T) {
	good, bad, _ := variants(t)
	goodModel, badModel := formModel(t, good), formModel(t, bad)
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ctx := context.Background()
			unit, office := f.as("unit-a"), f.as("office")
			page := f.unitURL(f.a)

			// the unit's page gets a target: its own report, starting from
			// its blank template; the office gets none
			tg := unit.target("?year=2024")
			if tg == nil || tg.Save != "units/"+itoa(f.a.ID)+"/2024/save" || tg.Open != page+"/template.xlsx" || tg.Back != page ||
				!strings.Contains(tg.Label, f.a.Agency()) {
				t.Fatalf("target: %+v", tg)
			}
			if office.target("?year=2024") != nil {
				t.Error("the office's page has a save target")
			}
			if unit.target("?year=abc") != nil {
				t.Error("a target for a year that is not one")
			}
			save := "/fill/" + tg.Save

			// with errors: saved as version 1, no submit offered
			var ans web.TargetAnswer
			a := unit.fillPost(save, unit.csrf, badModel)
			must(t, a, http.StatusCreated, "已保存第 1 版", "错误")
			json.Unmarshal([]byte(a.body), &ans)
			if ans.Submit != "" {
				t.Errorf("a report with errors is offered for submission: %s", a.body)
			}
			// fixed: version 2, stored as the workbook the page downloads,
			// read back and checked like an upload
			a = unit.fillPost(save, unit.csrf, goodModel)
			must(t, a, http.StatusCreated, "已保存第 2 版", "没有发现问题")
			ans = web.TargetAnswer{}
			json.Unmarshal([]byte(a.body), &ans)
			if ans.Submit != "units/"+itoa(f.a.ID)+"/2024/submit?version=2" {
				t.Fatalf("submit: %q", ans.Submit)
			}
			vs, err := f.store.Versions(ctx, f.a.ID, 2024)
			if err != nil || len(vs) != 2 {
				t.Fatalf("versions: %d %v", len(vs), err)
			}
			if !strings.HasSuffix(vs[1].FileName, ".xlsx") || vs[1].Errors != 0 || vs[0].Errors == 0 {
				t.Errorf("stored: %+v / %+v", vs[0], vs[1])
			}
			data, _ := f.store.Blob(ctx, vs[1].SHA256)
			back, err := template.Read(vs[1].FileName, data)
			orig, _ := template.Read("a.yaml", good)
			if err != nil || back.Meta.Agency.Value != f.a.Agency() {
				t.Fatalf("the stored workbook does not read back: %v", err)
			}
			cells := 0
			for id, td := range orig.Tables {
				for i, row := range td.Values {
					for j, v := range row {
						if got := back.Tables[id].Values[i][j]; got.State != v.State || got.Num != v.Num {
							t.Errorf("%s %s %s: stored %q, the form had %q", id, td.Table.Rows[i].Key, td.Table.Rows[i].Cols[j].Key, got.Raw, v.Raw)
						}
						cells++
					}
				}
			}
			if cells < 100 {
				t.Errorf("only %d cells compared", cells)
			}
			must(t, unit.get(page), 200, "第 2 版", vs[1].FileName)
			es, _ := f.store.Audit(ctx, store.AuditFilter{UnitID: f.a.ID})
			via := 0
			for _, e := range es {
				if e.Action == "上传报告" && strings.Contains(e.Detail, store.ViaForm) {
					via++
				}
			}
			if via != 2 {
				t.Errorf("%d audit lines of a save from the form, want 2", via)
			}
			// the app now starts from the latest version
			if tg := unit.target("?year=2024"); tg == nil || tg.Open != page+"/versions/2" {
				t.Errorf("target after saving: %+v", tg)
			}

			// refused: a file instead of the form, a wrong year, no or a
			// wrong token, another year's report not changed
			body, ct := multipartPart("file", "报告.yaml", good)
			req, _ := http.NewRequest("POST", f.srv.URL+save, body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set(web.TokenHeader, unit.csrf)
			must(t, unit.do(req), http.StatusBadRequest, "只保存网页中填写的报告")
			must(t, unit.fillPost("/fill/units/"+itoa(f.a.ID)+"/2023/save", unit.csrf, goodModel), http.StatusBadRequest, "不是 2023 年度的")
			must(t, unit.fillPost(save, "", goodModel), http.StatusForbidden)
			must(t, unit.fillPost(save, wrong(unit.csrf), goodModel), http.StatusForbidden)
			if vs, _ := f.store.Versions(ctx, f.a.ID, 2024); len(vs) != 2 {
				t.Errorf("a refused save stored a version: %d", len(vs))
			}
			// another unit's report, by number and by name
			must(t, f.as("unit-b").fillPost(save, f.as("unit-b").csrf, goodModel), http.StatusForbidden)

			// a stale version is not submitted; the latest is
			must(t, unit.fillPost("/fill/units/"+itoa(f.a.ID)+"/2024/submit?version=1", unit.csrf, nil), http.StatusConflict, "最新为第 2 版")
			must(t, unit.fillPost("/fill/"+ans.Submit, unit.csrf, nil), http.StatusOK, "已提交第 2 版")
			must(t, unit.get(page), 200, "待审核")
			// while it waits for review, the app has nothing to save to
			// and a save is refused by the workflow
			if tg := unit.target("?year=2024"); tg != nil {
				t.Errorf("a target while the report waits for review: %+v", tg)
			}
			// … in Chinese alone (the workflow's refusal, without its Go name)
			a = unit.fillPost(save, unit.csrf, goodModel)
			must(t, a, http.StatusConflict, "待审核的报告不能保存草稿")
			var refused web.TargetAnswer
			if json.Unmarshal([]byte(a.body), &refused); regexp.MustCompile(`[A-Za-z]{4,}`).MatchString(refused.Error) {
				t.Errorf("the refusal is not all Chinese: %s", refused.Error)
			}
		})
	}
}
