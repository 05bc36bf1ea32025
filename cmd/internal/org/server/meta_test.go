package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// publishedAs is unit A's good report as nianbao render publishes it in
// format (its PDF or web page, which print no 报告主体类型).
func publishedAs(t *testing.T, format string) []byte {
	t.Helper()
	r, err := template.Read("报告.yaml", read(t, goodA))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := publish.Render(r, publish.Options{Formats: []string{format}})
	if err != nil || len(pub.Outputs) != 1 || pub.Outputs[0].Err() != nil {
		t.Fatalf("render %s: %v %+v", format, err, pub)
	}
	return pub.Outputs[0].Data
}

// TestMetaFill: a unit that uploads only its published PDF gets a META
// error (报告主体类型 is not printed) and on its page a form of the fields
// its file leaves blank — walked from schema.MetaFields, the roster's
// values offered and marked as the roster's, the 报告主体类型 of a
// department offered as 本机关; saved as a new version through the upload
// path, it passes and can be submitted. A bad value is refused, a field
// already filled is never changed.
func TestMetaFill(t *testing.T) {
	scope := schema.MetaField(schema.MetaScope)
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, rev := f.as("unit-a"), f.as("reviewer")
			page := f.unitURL(f.a)
			p := unit.follow(unit.upload(page+"/upload", "年度报告.pdf", publishedAs(t, render.PDF)))
			must(t, p, 200, "已保存第 1 版", scope.Label+"未填写", "暂不能提交", "补填基本信息",
				`name="meta-`+schema.MetaScope+`"`, `<option value="`+string(schema.ScopeAgency)+`" selected>`, "按名单中的"+schema.MetaField(schema.RosterRole).Label)
			// the reviewer sees no form
			if a := rev.get(page); strings.Contains(a.body, "补填基本信息") {
				t.Errorf("the reviewer is offered the unit's form")
			}
			// a value outside the choices is refused, nothing saved
			must(t, unit.form(page+"/meta", url.Values{"meta-" + schema.MetaScope: {"某某"}}), http.StatusBadRequest, scope.Label, "之一")
			must(t, unit.form(page+"/meta", url.Values{}), http.StatusBadRequest, "请至少填写一项")
			// a field already filled is not changed by a forged field
			p = unit.follow(unit.form(page+"/meta", url.Values{"version": {"1"}, "meta-" + schema.MetaScope: {string(schema.ScopeAgency)},
				"meta-agency": {"别的单位"}}))
			must(t, p, 200, "已补填基本信息（第 2 版", "提交第 2 版")
			if strings.Contains(p.body, "补填基本信息</h2>") && strings.Contains(p.body, `name="meta-`+schema.MetaScope+`"`) {
				t.Errorf("the form still asks for the field just filled")
			}
			must(t, unit.form(page+"/meta", url.Values{"version": {"1"}, "meta-website": {"https://x"}}), http.StatusConflict, "不是最新的一版")
			vs, err := f.store.Versions(context.Background(), f.a.ID, 2024)
			if err != nil || len(vs) != 2 {
				t.Fatalf("versions: %d %v", len(vs), err)
			}
			v := vs[1]
			rep, _, err := f.s.readVersion(context.Background(), v)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Meta.Scope.Value != string(schema.ScopeAgency) || rep.Meta.Agency.Value != f.a.Agency() || !strings.HasSuffix(v.FileName, ".yaml") {
				t.Errorf("version 2: %s %q %q", v.FileName, rep.Meta.Scope.Value, rep.Meta.Agency.Value)
			}
			must(t, unit.follow(unit.form(page+"/submit", url.Values{"version": {"2"}})), 200, "已提交第 2 版", "待审核")
		})
	}
}
