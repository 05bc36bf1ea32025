package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	htmpl "html/template"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// pageNames are the page templates (pages/NAME.html), each drawn inside
// pages/layout.html.
var pageNames = []string{"error", "login", "setup", "report", "board", "audit", "done", "accounts", "rosterimport"}

// levelPages are the pages of levels.go.
var levelPages = []string{"region", "roster"}

func (s *Server) parsePages() error {
	funcs := htmpl.FuncMap{
		"class":  check.Class,
		"where":  func(f schema.Finding) string { return f.Where() },
		"target": findingTarget,
		"cell":   targetName,
		"date":   shortTime,
		"inc":    func(i int) int { return i + 1 },
		"section": func(key string) string {
			if sec := schema.Current.Section(key); sec != nil {
				return sec.Heading()
			}
			return key
		},
	}
	for _, n := range slices.Concat(pageNames, levelPages) {
		t, err := htmpl.New("layout.html").Funcs(funcs).ParseFS(files, "pages/layout.html", "pages/"+n+".html")
		if err != nil {
			return err
		}
		s.pages[n] = t
	}
	return nil
}

// page draws a page; data's fields are the page's, and the layout's
// (Title, Session, CSRF) are added.
func (c *call) page(status int, name string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	if c.sess != nil {
		data["Session"] = c.sess
		data["Account"] = c.sess.Account
		data["CSRF"] = c.sess.CSRF
		data["Office"] = auth.CanSeeBoard(c.sess.Account)
		data["Admin"] = c.sess.Account.Role == store.RoleAdmin
		data["NavYear"] = c.s.defaultYear()
	}
	data["CSRFField"] = auth.CSRFField
	var buf bytes.Buffer
	if err := c.s.pages[name].Execute(&buf, data); err != nil {
		c.s.opt.Log.Printf("page %s: %v", name, err)
		http.Error(c.w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(status)
	c.w.Write(buf.Bytes())
}

// findingTarget is what a reviewer's comment on a finding points at: its
// rule and stable place.
func findingTarget(f schema.Finding) string {
	if f.Place == "" {
		return f.Rule
	}
	return f.Rule + "@" + f.Place
}

// cellGroup is one table's cells, for the reviewer's choice of a cell.
type cellGroup struct {
	Table string
	Cells []cellChoice
}

type cellChoice struct{ Key, Name string }

// cellChoices lists every cell of every table of the format, named with
// the official labels.
func cellChoices(f *schema.Format) []cellGroup {
	var out []cellGroup
	for _, t := range f.Tables {
		g := cellGroup{Table: t.Name}
		for _, row := range t.Rows {
			for _, col := range row.Cols {
				g.Cells = append(g.Cells, cellChoice{schema.CellKey(t.ID, row.Key, col.Key), t.CellName(row, col)})
			}
		}
		out = append(out, g)
	}
	return out
}

// targetName names a comment's target for people: a cell key by the
// cell's official labels, a finding's target by rule and place.
func targetName(target string) string {
	rule, place, isFinding := strings.Cut(target, "@")
	if !isFinding {
		place = target
	}
	name := place
	if parts := strings.Split(place, "."); len(parts) == 3 {
		if t := schema.Current.Table(parts[0]); t != nil {
			if row := t.Row(parts[1]); row != nil {
				for _, col := range row.Cols {
					if col.Key == parts[2] {
						name = t.CellName(row, col)
					}
				}
			}
		}
	} else if sec := schema.Current.Section(place); sec != nil {
		name = sec.Heading()
	}
	if isFinding {
		return rule + "：" + name
	}
	return name
}

// shortTime shows a stored time in 北京时间, to the minute.
func shortTime(s string) string { return store.LocalTime(s, "2006-01-02 15:04") }

func (c *call) loginPage() error {
	if c.sess != nil {
		return c.redirect("/")
	}
	c.page(http.StatusOK, "login", map[string]any{"Title": "登录", "Message": c.msg()})
	return nil
}

// wantsJSON reports whether a script asked for JSON (Accept).
func (c *call) wantsJSON() bool {
	return strings.Contains(c.r.Header.Get("Accept"), "application/json")
}

func (c *call) login() error {
	login, password := c.r.PostFormValue("login"), c.r.PostFormValue("password")
	sess, err := c.s.auth.Login(c.w, c.r, login, password)
	var rl *auth.RateLimitError
	if err != nil {
		var status int
		var msg string
		switch {
		case errors.As(err, &rl) && rl.Wait > 0:
			// the address's wait: short, so the other units behind the
			// same address (a NAT) are held up a minute at most
			secs := int(rl.Wait.Round(time.Second).Seconds())
			secs = max(secs, 1)
			c.w.Header().Set("Retry-After", strconv.Itoa(secs))
			status, msg = http.StatusTooManyRequests, fmt.Sprintf("从这个网络地址登录失败的次数过多：请 %d 秒后再试", secs)
		case errors.Is(err, auth.ErrRateLimited):
			c.w.Header().Set("Retry-After", strconv.Itoa(int(auth.FailureWindow.Seconds())))
			status, msg = http.StatusTooManyRequests, fmt.Sprintf("这个账号登录失败次数过多，已暂停登录：请 %d 分钟后再试，或请政务公开办重新发放设置密码链接", int(auth.FailureWindow.Minutes()))
		case errors.Is(err, auth.ErrNoPassword):
			status, msg = http.StatusUnauthorized, "这个账号还没有设置密码：请用政务公开办给您的一次性链接设置密码"
		case errors.Is(err, auth.ErrUnlisted):
			status, msg = http.StatusForbidden, "本单位已移出应报单位名单，这个账号不能再登录；已报送的报告仍由政务公开办保存。如有疑问请联系政务公开办"
		case errors.Is(err, auth.ErrBadLogin):
			status, msg = http.StatusUnauthorized, "登录名或密码不对"
		default:
			return err
		}
		if c.wantsJSON() {
			c.json(status, map[string]string{"error": msg})
			return nil
		}
		c.page(status, "login", map[string]any{"Title": "登录", "Error": msg, "Login": login})
		return nil
	}
	if c.wantsJSON() {
		c.json(http.StatusOK, sessionJSON(sess))
		return nil
	}
	return c.redirect("/")
}

func (c *call) logout() error {
	c.s.auth.Logout(c.w, c.r)
	return c.redirect(c.withMsg("/login", "已退出登录"))
}

func (c *call) setupPage() error {
	token := c.r.URL.Query().Get("token")
	acct, err := c.s.store.SetupAccount(c.r.Context(), token)
	if err != nil {
		return errorf(http.StatusNotFound, "这个设置密码链接无效、已用过或已过期：请向政务公开办索取新的链接")
	}
	c.page(http.StatusOK, "setup", map[string]any{"Title": "设置密码", "Token": token, "Login": acct.Login, "Min": auth.MinPassword})
	return nil
}

func (c *call) setup() error {
	token, pw, pw2 := c.r.PostFormValue("token"), c.r.PostFormValue("password"), c.r.PostFormValue("password2")
	data := map[string]any{"Title": "设置密码", "Token": token, "Min": auth.MinPassword}
	acct, err := c.s.store.SetupAccount(c.r.Context(), token)
	if err != nil {
		return errorf(http.StatusNotFound, "这个设置密码链接无效、已用过或已过期：请向政务公开办索取新的链接")
	}
	data["Login"] = acct.Login
	if pw != pw2 {
		data["Error"] = "两次输入的密码不一致"
		c.page(http.StatusBadRequest, "setup", data)
		return nil
	}
	_, problem, err := c.s.auth.SetPassword(c.r, token, pw)
	switch {
	case errors.Is(err, store.ErrTokenInvalid):
		return errorf(http.StatusNotFound, "这个设置密码链接无效、已用过或已过期：请向政务公开办索取新的链接")
	case err != nil:
		return err
	case problem != "":
		data["Error"] = problem
		c.page(http.StatusBadRequest, "setup", data)
		return nil
	}
	return c.redirect(c.withMsg("/login", "密码已设置，请登录"))
}

func (c *call) home() error {
	if auth.CanSeeBoard(c.acct()) {
		return c.redirect("/board")
	}
	return c.redirect(fmt.Sprintf("/units/%d/%d", c.acct().UnitID, c.s.defaultYear()))
}

// accountNames are the accounts' display names by ID, for the history.
func (s *Server) accountNames(ctx context.Context) map[int64]string {
	out := map[int64]string{}
	if as, err := s.store.Accounts(ctx); err == nil {
		for _, a := range as {
			out[a.ID] = fmt.Sprintf("%s（%s）", a.Name, a.Role)
		}
	}
	return out
}

// reportURL is the page of the call's report.
func (c *call) reportURL() string { return fmt.Sprintf("/units/%d/%d", c.unit.ID, c.year) }

// round is one submission with what changed since the one before.
type round struct {
	N        int
	Event    store.Event
	Version  *store.Version
	Diff     *workflow.RoundDiff
	Answers  []store.Comment
	Returned *store.Event // the review that followed, if any
	Comments []store.Comment
}

// reportPage is the unit's page and the reviewer's: the state, the latest
// version's findings, what the account may do now, the review rounds, the
// comments, every version and publication.
func (c *call) reportPage() error {
	ctx := c.r.Context()
	now := c.s.opt.Now()
	line, err := c.s.line(ctx, *c.unit, c.year)
	if err != nil {
		return err
	}
	vs, err := c.s.store.Versions(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	evs, err := c.s.store.Events(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	comments, err := c.s.store.Comments(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	pubs, err := c.s.store.Publications(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	role := c.acct().Role
	actions := map[string]bool{}
	for _, a := range workflow.Actions(line.Status.State, role) {
		actions[string(a)] = true
	}
	data := map[string]any{
		"Title": fmt.Sprintf("%s %d 年度报告", c.unit.Agency(), c.year), "Unit": c.unit, "Year": c.year, "Line": line,
		"Versions": vs, "Events": evs, "Publications": pubs, "Actions": actions, "Msg": c.msg(),
		"IsUnit": role == store.RoleUnit, "Today": now.Format("2006-01-02"), "URL": c.reportURL(),
		"Accept": template.Extensions(false, template.YAML, template.Workbook, template.Published), "CellRows": []int{0, 1, 2},
		"Cells": cellChoices(schema.Current), "Who": c.s.accountNames(ctx),
	}
	var latest *checked
	if len(vs) > 0 {
		latest = c.s.checkVersion(ctx, vs[len(vs)-1])
		data["Latest"] = latest
		if latest.Result != nil {
			var explain []schema.Finding
			for _, f := range latest.Result.Findings {
				if check.Class(f) == check.ClassExplain {
					explain = append(explain, f)
				}
			}
			data["ToExplain"] = explain
			var req, opt []workflow.Blank
			for _, b := range workflow.Blanks(latest.Report, c.unit.Fields, c.year) {
				if b.Field.Required {
					req = append(req, b)
				} else {
					opt = append(opt, b)
				}
			}
			data["Blanks"], data["MoreBlanks"] = req, opt
			data["Blocking"] = latest.Result.Blocking()
			data["Summary"] = latest.Result.Summary()
		}
	}
	// rounds: every submission, what changed since the one before, and
	// the review that followed
	byVersion := map[int64]*store.Version{}
	for _, v := range vs {
		byVersion[v.ID] = v
	}
	byEvent := map[int64][]store.Comment{}
	answered := map[int64]bool{}
	for _, cm := range comments {
		byEvent[cm.EventID] = append(byEvent[cm.EventID], cm)
		if cm.Answers != 0 {
			answered[cm.Answers] = true
		}
	}
	var rounds []*round
	var prev *checked
	for i := range evs {
		e := evs[i]
		switch workflow.Action(e.Action) {
		case workflow.Submit:
			rd := &round{N: len(rounds) + 1, Event: e, Version: byVersion[e.VersionID], Answers: byEvent[e.ID]}
			if v := byVersion[e.VersionID]; v != nil {
				cur := c.s.checkVersion(ctx, v)
				if prev != nil && prev.Report != nil && cur.Report != nil {
					d := workflow.Diff(prev.Report, cur.Report, prev.Result.Findings, cur.Result.Findings)
					rd.Diff = &d
				}
				prev = cur
			}
			rounds = append(rounds, rd)
		case workflow.Return, workflow.Approve:
			if len(rounds) > 0 {
				last := rounds[len(rounds)-1]
				last.Returned, last.Comments = &evs[i], byEvent[e.ID]
			}
		}
	}
	data["Rounds"] = rounds
	// the comments of the last return still waiting for an answer: only
	// while that return is the round under way (returned, or changed and
	// not yet submitted again); once resubmitted, approved or reopened
	// after approval they wait for nothing
	if line.Status.Board() == workflow.Returned {
		for i := len(evs) - 1; i >= 0; i-- {
			if workflow.Action(evs[i].Action) == workflow.Return {
				var open []store.Comment
				for _, cm := range byEvent[evs[i].ID] {
					if !answered[cm.ID] {
						open = append(open, cm)
					}
				}
				data["Open"] = open
				break
			}
		}
	}
	c.page(http.StatusOK, "report", data)
	return nil
}

func (c *call) upload() error {
	v, res, err := c.uploaded()
	if err != nil {
		return err
	}
	return c.redirect(c.withMsg(c.reportURL(), fmt.Sprintf("已保存第 %d 版：%s", v.Seq, res.Summary())))
}

// latest is the report's latest version, read back.
func (c *call) latest() (*store.Version, *schema.Report, error) {
	vs, err := c.s.store.Versions(c.r.Context(), c.unit.ID, c.year)
	if err != nil {
		return nil, nil, err
	}
	if len(vs) == 0 {
		return nil, nil, errorf(http.StatusConflict, "还没有上传报告")
	}
	v := vs[len(vs)-1]
	rep, _, err := c.s.readVersion(c.r.Context(), v)
	if err != nil {
		return nil, nil, err
	}
	return v, rep, nil
}

// explain saves a new version with the unit's explanations of 需说明
// warnings (fields rule, place, reason, repeated).
func (c *call) explain() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	v, rep, err := c.latest()
	if err != nil {
		return err
	}
	f := c.r.PostForm
	var ex []schema.Explanation
	for i, rule := range f["rule"] {
		if i < len(f["place"]) && i < len(f["reason"]) {
			ex = append(ex, schema.Explanation{Rule: store.Text(rule), Place: store.Text(f["place"][i]), Reason: store.Text(f["reason"][i])})
		}
	}
	name, data, err := workflow.Explain(rep, v.FileName, ex)
	if errors.Is(err, workflow.ErrNoReason) {
		return errorf(http.StatusBadRequest, "请至少为一个问题写明原因")
	}
	if err != nil {
		return err
	}
	nv, res, err := c.ingest(name, data)
	if err != nil {
		return err
	}
	return c.redirect(c.withMsg(c.reportURL(), fmt.Sprintf("已保存说明（第 %d 版 %s）：%s", nv.Seq, nv.FileName, res.Summary())))
}

// metaFill saves a new version with the metadata fields the latest one
// leaves blank filled in by the unit (fields meta-KEY, by the keys of
// schema.MetaFields), through the same path as an upload.
func (c *call) metaFill() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	v, rep, err := c.latest()
	if err != nil {
		return err
	}
	if seq := c.r.PostForm.Get("version"); seq != "" && seq != strconv.Itoa(v.Seq) {
		return errorf(http.StatusConflict, "页面上的第 %s 版已不是最新的一版（最新为第 %d 版）：请刷新页面后再填写", seq, v.Seq)
	}
	values := map[string]string{}
	for _, f := range schema.MetaFields {
		values[f.Key] = store.Text(c.r.PostForm.Get("meta-" + f.Key))
	}
	name, data, err := workflow.FillMeta(rep, v.FileName, values)
	var me *workflow.MetaError
	switch {
	case errors.Is(err, workflow.ErrNoMeta):
		return errorf(http.StatusBadRequest, "请至少填写一项基本信息")
	case errors.As(err, &me):
		return errorf(http.StatusBadRequest, "%s", me.Error())
	case err != nil:
		return err
	}
	nv, res, err := c.ingest(name, data)
	if err != nil {
		return err
	}
	return c.redirect(c.withMsg(c.reportURL(), fmt.Sprintf("已补填基本信息（第 %d 版 %s）：%s", nv.Seq, nv.FileName, res.Summary())))
}

// submit submits the latest version, with the unit's answers to the
// last return's comments (fields answer-ID).
func (c *call) submit() error {
	seq, err := c.doSubmit()
	if err != nil {
		return err
	}
	return c.redirect(c.withMsg(c.reportURL(), fmt.Sprintf("已提交第 %d 版，等待审核", seq)))
}

// doSubmit submits the latest version (field version, if given, must be
// its number) with the answers (fields answer-ID) and returns its number.
func (c *call) doSubmit() (int, error) {
	if err := c.r.ParseForm(); err != nil {
		return 0, c.bodyError(err)
	}
	v, rep, err := c.latest()
	if err != nil {
		return 0, err
	}
	if seq := c.r.Form.Get("version"); seq != "" && seq != strconv.Itoa(v.Seq) {
		return 0, errorf(http.StatusConflict, "页面上的第 %s 版已不是最新的一版（最新为第 %d 版）：请刷新页面后再提交", seq, v.Seq)
	}
	var answers []store.Comment
	for k, vals := range c.r.PostForm {
		id, ok := strings.CutPrefix(k, "answer-")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		answers = append(answers, store.Comment{Answers: n, Text: strings.TrimSpace(vals[0])})
	}
	_, err = workflow.Apply(c.r.Context(), c.s.store, c.actor(), c.acct().Role, store.Step{UnitID: c.unit.ID, Year: c.year,
		Action: string(workflow.Submit), VersionID: v.ID, Comments: answers}, rep, c.s.prevReport(c.r.Context(), c.unit.ID, c.year))
	if errors.Is(err, store.ErrNotFound) {
		return 0, errorf(http.StatusBadRequest, "答复的意见不属于这份报告")
	}
	if err != nil {
		return 0, c.stepError(err)
	}
	return v.Seq, nil
}

// review approves or returns the submitted version (field decision), with
// the reviewer's comments on findings (target, comment) and on cells
// (cell-target, cell-comment).
func (c *call) review() error {
	action, err := c.doReview()
	if err != nil {
		return err
	}
	return c.redirect(c.withMsg(c.reportURL(), string(action)))
}

// doReview takes the reviewer's step and returns it.
func (c *call) doReview() (workflow.Action, error) {
	if err := c.r.ParseForm(); err != nil {
		return "", c.bodyError(err)
	}
	f := c.r.PostForm
	var action workflow.Action
	switch f.Get("decision") {
	case "approve":
		action = workflow.Approve
	case "return":
		action = workflow.Return
	default:
		return "", errorf(http.StatusBadRequest, "请选择“审核通过”或“退回修改”（decision 为 approve 或 return）")
	}
	var comments []store.Comment
	add := func(targets, texts []string) {
		for i, t := range texts {
			if strings.TrimSpace(t) == "" || i >= len(targets) {
				continue
			}
			comments = append(comments, store.Comment{Target: strings.TrimSpace(targets[i]), Text: strings.TrimSpace(t)})
		}
	}
	add(f["target"], f["comment"])
	add(f["cell-target"], f["cell-comment"])
	note := strings.TrimSpace(f.Get("note"))
	if action == workflow.Return && len(comments) == 0 && note == "" {
		return "", errorf(http.StatusBadRequest, "退回修改时请写明意见：针对问题、单元格，或总体意见")
	}
	vs, err := c.s.store.Versions(c.r.Context(), c.unit.ID, c.year)
	if err != nil {
		return "", err
	}
	if len(vs) == 0 {
		return "", errorf(http.StatusConflict, "还没有上传报告")
	}
	v := vs[len(vs)-1]
	if seq := f.Get("version"); seq != "" && seq != strconv.Itoa(v.Seq) {
		return "", errorf(http.StatusConflict, "页面上的第 %s 版已不是最新的一版：请刷新页面", seq)
	}
	if _, err := workflow.Apply(c.r.Context(), c.s.store, c.actor(), c.acct().Role, store.Step{UnitID: c.unit.ID, Year: c.year,
		Action: string(action), VersionID: v.ID, Note: note, Comments: comments}, nil, nil); err != nil {
		return "", c.stepError(err)
	}
	return action, nil
}

// publish marks the approved version published: its final PDF (rendered
// through the publishing path) is stored with its SHA-256 and the date.
func (c *call) publish() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	day := strings.TrimSpace(c.r.PostFormValue("date"))
	if y, m, d, ok := schema.ParseDate(day); !ok {
		return errorf(http.StatusBadRequest, "发布的日期“%s”无效：请写成 2025-01-20", day)
	} else {
		day = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	if _, err := workflow.Next(c.state(), workflow.Publish, c.acct().Role); err != nil {
		return c.stepError(err)
	}
	v, rep, err := c.latest()
	if err != nil {
		return err
	}
	pdf, err := c.finalPDF(rep, v)
	if err != nil {
		return err
	}
	if _, err := workflow.Apply(c.r.Context(), c.s.store, c.actor(), c.acct().Role, store.Step{UnitID: c.unit.ID, Year: c.year,
		Action: string(workflow.Publish), VersionID: v.ID, Published: &store.Publication{PDF: pdf, PublishedOn: day}}, nil, nil); err != nil {
		return c.stepError(err)
	}
	return c.redirect(c.withMsg(c.reportURL(), "已标记为已发布，发布稿 PDF 已存档"))
}

// finalPDF renders a version's PDF through the publishing path; a report
// the gate refuses has none.
func (c *call) finalPDF(rep *schema.Report, v *store.Version) ([]byte, error) {
	ro := c.s.opt.Render
	pub, err := publish.Render(rep, publish.Options{File: v.FileName, Formats: []string{render.PDF}, Prev: c.s.prevReport(c.r.Context(), c.unit.ID, c.year),
		TitleFont: ro.TitleFont, BodyFont: ro.BodyFont, HeadingFont: ro.HeadingFont, StopOnFailure: true})
	if err != nil {
		return nil, err
	}
	if pub.Blocked || len(pub.Outputs) == 0 {
		return nil, errorf(http.StatusUnprocessableEntity, "这一版不能发布：%s", pub.Check.Summary())
	}
	if err := pub.Outputs[0].Err(); err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "无法生成 PDF：%s", errtext.Explain(err))
	}
	return pub.Outputs[0].Data, nil
}

// sendFile logs the download first: a file that leaves the server without
// its line in the audit log is not sent.
func (c *call) sendFile(name, ctype string, data []byte) error {
	if err := c.s.store.Log(c.r.Context(), c.actor(), "下载", unitID(c.unit), c.year, name); err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(data)
	return nil
}

func unitID(u *store.Unit) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	csvType  = "text/csv; charset=utf-8"
)

// blankTemplate is the unit's blank workbook for the year (nianbao init).
func (c *call) blankTemplate() error {
	r := template.Blank(c.unit.Agency(), c.year)
	var buf bytes.Buffer
	if err := template.Encode(&buf, "template.xlsx", r); err != nil {
		return err
	}
	return c.sendFile(outdir.NameFor(r.Meta.Agency.Value, strings.TrimPrefix(r.Title(), r.Meta.Agency.Value)+"填报表")+".xlsx", xlsxType, buf.Bytes())
}

// versionFile sends a stored version's file as uploaded.
func (c *call) versionFile() error {
	v, err := c.versionOf()
	if err != nil {
		return err
	}
	data, err := c.s.store.Blob(c.r.Context(), v.SHA256)
	if err != nil {
		return err
	}
	return c.sendFile(v.FileName, "application/octet-stream", data)
}

// publishedPDF sends the n-th publication's final PDF.
func (c *call) publishedPDF() error {
	n, err := strconv.Atoi(c.r.PathValue("n"))
	if err != nil {
		return errorf(http.StatusNotFound, "没有这次发布")
	}
	pubs, err := c.s.store.Publications(c.r.Context(), c.unit.ID, c.year)
	if err != nil {
		return err
	}
	if n < 1 || n > len(pubs) {
		return errorf(http.StatusNotFound, "没有这次发布")
	}
	data, err := c.s.store.Blob(c.r.Context(), pubs[n-1].PDFSHA256)
	if err != nil {
		return err
	}
	return c.sendFile(outdir.NameFor(c.unit.Agency(), fmt.Sprintf("%d年政府信息公开工作年度报告", c.year))+".pdf", "application/pdf", data)
}

// importRoster imports the uploaded roster in two steps. The upload is
// read and shown as what it would change — the units it adds and
// changes, by name, and the listed units it lacks — and nothing changes
// yet; the office confirms (fields sha256, plan, token: the previewed
// file, kept in the store, and its plan, signed with the session's
// secret), choosing whether the units the file lacks leave the roster
// (remove, unticked by default). A confirmation of a plan that no longer
// holds (the roster changed meanwhile) shows the new plan instead.
func (c *call) importRoster() error {
	ctx := c.r.Context()
	var name string
	var data []byte
	confirm := c.r.FormValue("token") != ""
	if confirm {
		name = uploadName(c.r.FormValue("name"))
		sum := c.r.FormValue("sha256")
		if !hmac.Equal([]byte(c.r.FormValue("token")), []byte(rosterToken(c.sess.CSRF, sum, c.r.FormValue("plan")))) {
			return errorf(http.StatusBadRequest, "导入确认无效或已过期：请重新选择名单文件导入")
		}
		var err error
		if data, err = c.s.store.Blob(ctx, sum); err != nil {
			return errorf(http.StatusBadRequest, "导入确认无效或已过期：请重新选择名单文件导入")
		}
	} else {
		var err error
		if name, data, err = c.readUpload(); err != nil {
			return err
		}
	}
	r, err := roster.Read(name, data)
	if err != nil {
		return errorf(http.StatusBadRequest, "无法导入名单 %s：%s", name, errtext.Explain(err))
	}
	plan, err := c.s.store.PlanRoster(ctx, r)
	if err != nil {
		return err
	}
	if !confirm || plan.Digest() != c.r.FormValue("plan") {
		sum, err := c.s.store.KeepFile(ctx, data)
		if err != nil {
			return err
		}
		digest := plan.Digest()
		c.page(http.StatusOK, "rosterimport", map[string]any{"Title": "导入名单：核对", "Name": name, "Plan": plan,
			"SHA": sum, "Digest": digest, "Token": rosterToken(c.sess.CSRF, sum, digest), "Changed": confirm})
		return nil
	}
	remove := c.r.FormValue("remove") != ""
	ch, err := c.s.store.ApplyRoster(ctx, c.actor(), r, remove)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已导入名单 %s：新增 %d，修改 %d，未变 %d，移出名单 %d", name, ch.Added, ch.Updated, ch.Unchanged, ch.Unlisted)
	if ch.Kept > 0 {
		msg += fmt.Sprintf("；未列入这份名单的 %d 个单位仍在名单中", ch.Kept)
	}
	return c.redirect(c.withMsg("/board", msg))
}

// rosterToken signs a previewed roster file and its plan with the
// session's secret.
func rosterToken(key, sum, plan string) string {
	h := hmac.New(sha256.New, []byte(key))
	h.Write([]byte("roster\x00" + sum + "\x00" + plan))
	return hex.EncodeToString(h.Sum(nil))[:32]
}
