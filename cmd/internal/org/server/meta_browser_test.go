package server

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/browsertest"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
)

// TestBrowserMeta: in Chromium with axe-core, a unit uploads only its
// published PDF, cannot submit, fills the missing 报告主体类型 on its page
// (offered from the roster's 机关类别), saves, and can submit.
func TestBrowserMeta(t *testing.T) {
	f := newFixture(t, "sqlite")
	pdf := filepath.Join(t.TempDir(), "年度报告.pdf")
	if err := os.WriteFile(pdf, publishedAs(t, render.PDF), 0o644); err != nil {
		t.Fatal(err)
	}
	b := browsertest.Start(t)
	p := &person{t: t, tab: b.Tab(t), url: f.srv.URL}
	p.login("unit-a", password("unit-a"))
	p.choose("#file", pdf)
	p.click("upload the PDF", `form[action$="/upload"] button`)
	label := schema.MetaField(schema.MetaScope).Label
	p.sees("已保存第 1 版", label+"未填写", "暂不能提交", "补填基本信息", label+"（必填）", "按名单中的"+schema.MetaField(schema.RosterRole).Label)
	p.tab.Axe(t, "补填基本信息")
	p.tab.Screenshot(t, "org-meta.png")
	p.click("save the metadata", `form[action$="/meta"] button`)
	p.sees("已补填基本信息（第 2 版", "提交第 2 版")
	p.click("submit", `form[action$="/submit"] button`)
	p.sees("已提交第 2 版", "待审核")
}
