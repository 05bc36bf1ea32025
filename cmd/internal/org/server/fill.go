package server

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/schema/errtext"
)

// Saving from the browser app under /fill/: a unit that fills its report
// in the page saves it straight to its report here (保存到服务器), through
// the upload path — the form's report is written as the workbook 保存为
// Excel would download, and that file is ingested as an uploaded one:
// read back with the CLI's readers, checked, stored as the next version
// with its audit line — and, when the gate lets it, submits it. The two
// routes are under /fill/ so the page's token (the session's CSRF token)
// guards them as it guards the app's own calls; they name the unit, so
// the route table's check keeps a unit to its own report.

// fillTarget is the page's save target for a request to /fill/: a unit's
// account, for its own report of the year (?year=, or the year being
// collected), while the workflow lets it save; nil for anyone else.
func (s *Server) fillTarget(r *http.Request) *web.Target {
	sess := auth.FromContext(r.Context())
	if sess == nil || sess.Account.Role != store.RoleUnit || sess.Account.UnitID == 0 {
		return nil
	}
	year := s.defaultYear()
	if q := r.URL.Query().Get("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 2000 || y > 2100 {
			return nil
		}
		year = y
	}
	ctx := r.Context()
	u, err := s.store.Unit(ctx, sess.Account.UnitID)
	if err != nil || !u.Listed {
		return nil
	}
	st, err := workflow.StatusOf(ctx, s.store, u.ID, year)
	if err != nil || !slices.Contains(workflow.Actions(st.State, store.RoleUnit), workflow.Save) {
		return nil
	}
	page := fmt.Sprintf("/units/%d/%d", u.ID, year)
	t := &web.Target{Save: fmt.Sprintf("units/%d/%d/save", u.ID, year), Label: fmt.Sprintf("%s %d 年度报告", u.Agency(), year),
		Back: page, Open: page + "/template.xlsx"}
	if vs, err := s.store.Versions(ctx, u.ID, year); err == nil && len(vs) > 0 {
		t.Open = fmt.Sprintf("%s/versions/%d", page, vs[len(vs)-1].Seq)
	}
	return t
}

// fillSave answers POST /fill/units/{unit}/{year}/save (part "report",
// the page's form): the report saved as the next version, with the
// message of an upload and, when it passes the gate and may be submitted
// now, where to submit it (web.TargetAnswer, 201).
func (c *call) fillSave() error {
	in, herr := c.s.fill.Read(c.r, true)
	if herr != nil {
		return &httpError{herr.Status, herr.Msg}
	}
	if !in.Form {
		return errorf(http.StatusBadRequest, "这里只保存网页中填写的报告；上传文件请到报告页面")
	}
	name, data, err := web.Workbook(in.Report)
	if err != nil {
		return errorf(http.StatusBadRequest, "无法把填写的内容保存为 Excel 填报表：%s", errtext.Explain(err))
	}
	if int64(len(data)) > c.s.opt.MaxUpload {
		return errorf(http.StatusRequestEntityTooLarge, "文件过大：超过 %d MB 的上限", c.s.opt.MaxUpload>>20)
	}
	v, res, err := c.ingestVia(name, data, store.ViaForm)
	if err != nil {
		return err
	}
	ans := web.TargetAnswer{Message: fmt.Sprintf("已保存第 %d 版：%s", v.Seq, res.Summary())}
	if len(res.Blocking()) == 0 && slices.Contains(workflow.Actions(c.state(), c.acct().Role), workflow.Submit) {
		ans.Submit = fmt.Sprintf("units/%d/%d/submit?version=%d", c.unit.ID, c.year, v.Seq)
	}
	c.w.Header().Set(web.ExitHeader, strconv.Itoa(res.ExitCode()))
	c.json(http.StatusCreated, ans)
	return nil
}

// fillSubmit answers POST /fill/units/{unit}/{year}/submit?version=N: the
// latest version submitted through the gate, as the report page submits
// it.
func (c *call) fillSubmit() error {
	seq, err := c.doSubmit()
	if err != nil {
		return err
	}
	c.json(http.StatusOK, web.TargetAnswer{Message: fmt.Sprintf("已提交第 %d 版，等待审核", seq)})
	return nil
}
