package server

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// filter is the board's selection (query parameters).
type filter struct {
	State  string // a workflow state; "" = all
	Late   bool   // only the late ones
	Edited bool   // only the ones changed after publication
	Level  string // 机关层级
	Role   string // 机关类别
	Q      string // part of the name
}

func (f filter) keep(l Line) bool {
	switch {
	case f.State != "" && string(l.Status.Board()) != f.State,
		f.Late && !l.Late,
		f.Edited && !l.Status.EditedAfterPublish,
		f.Level != "" && l.Unit.Fields[schema.RosterLevel] != f.Level,
		f.Role != "" && l.Unit.Fields[schema.RosterRole] != f.Role,
		f.Q != "" && !strings.Contains(l.Unit.Agency(), f.Q):
		return false
	}
	return true
}

// board is the office's view of the roster for a year: every unit's
// state, late marks after the deadline, 发布后修改, filters, the deadlines
// (editable by the office's administrators) and the downloads.
func (c *call) board() error {
	year, err := c.yearParam()
	if err != nil {
		return err
	}
	q := c.r.URL.Query()
	f := filter{State: q.Get("state"), Late: q.Get("late") == "1", Edited: q.Get("edited") == "1",
		Level: q.Get("level"), Role: q.Get("role"), Q: strings.TrimSpace(q.Get("q"))}
	all, err := c.s.lines(c.r.Context(), year, 0)
	if err != nil {
		return err
	}
	counts := map[workflow.State]int{}
	late, edited := 0, 0
	var shown []Line
	for _, l := range all {
		counts[l.Status.Board()]++
		if l.Late {
			late++
		}
		if l.Status.EditedAfterPublish {
			edited++
		}
		if f.keep(l) {
			shown = append(shown, l)
		}
	}
	type stateCount struct {
		State workflow.State
		N     int
	}
	var states []stateCount
	for _, st := range workflow.States {
		states = append(states, stateCount{st, counts[st]})
	}
	type deadline struct {
		Scope schema.Scope
		Due   string
		Law   string
	}
	var dls []deadline
	for _, sc := range schema.Scopes {
		d, err := workflow.Due(c.r.Context(), c.s.store, year, sc)
		if err != nil {
			return err
		}
		dls = append(dls, deadline{sc, d.Format("2006-01-02"), schema.Deadlines[sc].Law})
	}
	var fields []*schema.RosterField
	fields = append(fields, schema.RosterFields...)
	c.page(http.StatusOK, "board", map[string]any{
		"Title": fmt.Sprintf("%d 年度报告报送情况", year), "Year": year, "Lines": shown, "Total": len(all), "States": states,
		"LateCount": late, "EditedCount": edited, "Filter": f, "Deadlines": dls, "Fields": fields,
		"Levels": schema.Levels, "Roles": schema.Roles, "Msg": c.msg(),
		"LevelLabel": schema.MetaField(schema.RosterLevel).Label, "RoleLabel": schema.MetaField(schema.RosterRole).Label,
		"AgencyLabel": schema.MetaField(schema.RosterAgency).Label,
	})
	return nil
}

// deadlines sets the office's deadlines of a year (fields year, due-SCOPE).
func (c *call) deadlines() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	year, err := strconv.Atoi(c.r.PostFormValue("year"))
	if err != nil || year < 2000 || year > 2100 {
		return errorf(http.StatusBadRequest, "年度无效")
	}
	changed := 0
	for _, sc := range schema.Scopes {
		v := strings.TrimSpace(c.r.PostFormValue("due-" + string(sc)))
		if v == "" {
			continue
		}
		y, m, d, ok := schema.ParseDate(v)
		if !ok {
			return errorf(http.StatusBadRequest, "%s的期限“%s”无效：请写成 2025-01-31", sc, v)
		}
		due := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		cur, err := workflow.Due(c.r.Context(), c.s.store, year, sc)
		if err != nil {
			return err
		}
		if cur.Format("2006-01-02") == due {
			continue
		}
		if err := c.s.store.SetDeadline(c.r.Context(), c.actor(), year, string(sc), due); err != nil {
			return err
		}
		changed++
	}
	return c.redirect(c.withMsg(fmt.Sprintf("/board?year=%d", year), fmt.Sprintf("已修改 %d 个期限", changed)))
}

// overview is batch's overview workbook of every unit's latest version:
// the stored files are checked by batch.Run (the CLI's nianbao batch
// --roster) in a temporary folder, and its 总览.xlsx is sent.
func (c *call) overview() error {
	year, err := c.yearParam()
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	tmp, err := os.MkdirTemp("", "nianbao-overview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	in, out := filepath.Join(tmp, "reports"), filepath.Join(tmp, "out")
	if err := os.Mkdir(in, 0o700); err != nil {
		return err
	}
	lines, err := c.s.lines(ctx, year, 0)
	if err != nil {
		return err
	}
	ros := &roster.Roster{Source: "收集服务器名单"}
	collected := map[string]batch.Collected{}
	n := 0
	for _, l := range lines {
		u := l.Unit
		fields := map[string]string{}
		for k, v := range u.Fields {
			fields[k] = v
		}
		// the board's deadline (the office's, or the statutory one)
		ros.Units = append(ros.Units, &roster.Unit{Fields: fields, Due: l.Due})
		v := l.Latest
		if v == nil {
			continue
		}
		data, err := c.s.store.Blob(ctx, v.SHA256)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%04d-%s-第%d版%s", u.ID, outdir.SafeName(u.Agency()), v.Seq, strings.ToLower(path.Ext(v.FileName)))
		if err := os.WriteFile(filepath.Join(in, name), data, 0o600); err != nil {
			return err
		}
		review := string(l.Status.State)
		if l.Status.EditedAfterPublish {
			review += "（发布后修改）"
		}
		// named as the unit's page names it: the workbook comes alone
		collected[name] = batch.Collected{Name: fmt.Sprintf("%s 第 %d 版（%s）", u.Agency(), v.Seq, v.FileName),
			Review: review, Submitted: l.Status.Submitted}
		n++
	}
	if n == 0 {
		return errorf(http.StatusConflict, "%d 年度还没有任何单位上传报告，没有总览可下载", year)
	}
	if _, err := batch.Run(batch.Options{Dir: in, Out: out, Roster: ros, Year: year, Today: c.s.opt.Now(), Jobs: 2, Collected: collected}); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(out, batch.OverviewWorkbook))
	if err != nil {
		return err
	}
	return c.sendFile(fmt.Sprintf("%d年度报告%s", year, batch.OverviewWorkbook), xlsxType, data)
}

// auditPage lists the audit log, newest first, a page at a time (after=ID
// shows the entries older than ID).
func (c *call) auditPage() error {
	const page = 200
	before, _ := strconv.ParseInt(c.r.URL.Query().Get("before"), 10, 64)
	if before < 0 {
		before = 0
	}
	// the failed logins not yet summarised are, so the page is complete
	if err := c.s.store.FlushLoginEvents(c.r.Context()); err != nil {
		return err
	}
	shown, err := c.s.store.Audit(c.r.Context(), store.AuditFilter{Before: before, Newest: true, Limit: page})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	if us, err := c.s.store.Units(c.r.Context()); err == nil {
		for _, u := range us {
			names[u.ID] = u.Agency()
		}
	}
	var more int64
	if len(shown) == page && shown[len(shown)-1].ID > 1 {
		more = shown[len(shown)-1].ID
	}
	c.page(http.StatusOK, "audit", map[string]any{"Title": "操作日志", "Entries": shown, "Units": names, "More": more})
	return nil
}

// auditCSV exports the whole audit log as CSV (nianbao org audit).
func (c *call) auditCSV() error {
	var buf bytes.Buffer
	if _, err := c.s.store.ExportAudit(c.r.Context(), &buf, store.AuditFilter{}); err != nil {
		return err
	}
	return c.sendFile("操作日志.csv", csvType, buf.Bytes())
}
