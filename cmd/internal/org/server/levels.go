package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/org/client"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// levelRoutes are the endpoints of the 汇总 and levels, and of roster
// editing: part of the route table (routes), kept in this file.
var levelRoutes = []Route{
	// the office's 本行政区域汇总 of a year
	{"GET", "/region/{year}", office, (*call).regionPage},
	{"POST", "/region/{year}/sum", admin, (*call).regionSum},
	{"POST", "/region/{year}/upload", admin, (*call).regionUpload},
	{"POST", "/region/{year}/submit", admin, (*call).regionSubmit},
	{"GET", "/region/{year}/export/{ext}", office, (*call).regionExport},
	{"POST", "/region/{year}/send", admin, (*call).regionSend},
	{"GET", "/api/v1/region/{year}", office, (*call).apiRegion},

	// roster editing
	{"GET", "/roster/units", admin, (*call).rosterPage},
	{"POST", "/roster/units", admin, (*call).rosterAdd},
	{"POST", "/roster/units/{id}", admin, (*call).rosterUpdate},
	{"POST", "/roster/units/{id}/remove", admin, (*call).rosterRemove},
	{"GET", "/api/v1/roster/history", admin, (*call).apiRosterHistory},
}

// pathYear is the {year} of a path that names no unit.
func (c *call) pathYear() (int, error) {
	q := c.r.PathValue("year")
	y, err := strconv.Atoi(q)
	if err != nil || y < 2000 || y > 2100 || strconv.Itoa(y) != q {
		return 0, badYear(q)
	}
	return y, nil
}

// region is the office's region unit, or nil before the first 汇总.
func (c *call) region() (*store.Unit, error) {
	rs, err := c.s.store.RegionUnits(c.r.Context())
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

// governmentGuess is the roster's 本级政府 for the first 汇总's form: its
// first listed unit of 机关类别 政府 at the highest level on the roster.
func (c *call) governmentGuess() (agency, level string) {
	us, err := c.s.store.Units(c.r.Context())
	if err != nil {
		return "", ""
	}
	best := len(schema.Levels)
	for _, u := range us {
		if !u.Listed || u.Fields[schema.RosterRole] != string(schema.RoleGovernment) {
			continue
		}
		for i, l := range schema.Levels {
			if string(l) == u.Fields[schema.RosterLevel] && i < best {
				best, agency, level = i, u.Agency(), string(l)
			}
		}
	}
	return agency, level
}

// yearRegion is the path's year and the office's region unit; 409 before
// the first 汇总.
func (c *call) yearRegion() (int, *store.Unit, error) {
	year, err := c.pathYear()
	if err != nil {
		return 0, nil, err
	}
	region, err := c.region()
	if err != nil {
		return 0, nil, err
	}
	if region == nil {
		return 0, nil, errorf(http.StatusConflict, "还没有本行政区域汇总：请先生成汇总")
	}
	return year, region, nil
}

// approved is the path's year with its approved reports and the units
// without one.
func (c *call) approved() (year int, children []workflow.Child, missing []store.SumMissing, err error) {
	if year, err = c.pathYear(); err != nil {
		return
	}
	children, missing, err = workflow.ApprovedReports(c.r.Context(), c.s.store, year)
	return
}

func (c *call) regionURL(year int) string { return fmt.Sprintf("/region/%d", year) }

func (c *call) regionPage() error {
	ctx := c.r.Context()
	year, children, missing, err := c.approved()
	if err != nil {
		return err
	}
	data := map[string]any{"Title": fmt.Sprintf("%d 年度本行政区域汇总", year), "Year": year, "Children": children, "Missing": missing,
		"Msg": c.msg(), "Scope": string(schema.ScopeRegion), "Levels": schema.Levels}
	data["Agency"], data["Level"] = c.governmentGuess()
	region, err := c.region()
	if err != nil {
		return err
	}
	if region != nil {
		data["Region"] = region
		data["Agency"], data["Level"] = region.Agency(), region.Fields[schema.RosterLevel]
		st, err := workflow.StatusOf(ctx, c.s.store, region.ID, year)
		if err != nil {
			return err
		}
		data["Status"] = st
		vs, err := c.s.store.Versions(ctx, region.ID, year)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			v := vs[len(vs)-1]
			data["Latest"] = v
			if rec, err := c.s.store.SumOf(ctx, v.ID); err == nil {
				data["Record"] = rec
			}
			rep, _, err := c.s.readVersion(ctx, v)
			if err == nil {
				cmp, err := workflow.Compare(ctx, c.s.store, year, rep)
				if err != nil {
					return err
				}
				data["Compare"] = cmp
				opt, err := workflow.CheckOptions(ctx, c.s.store, region, year)
				if err != nil {
					return err
				}
				res := &check.Result{File: v.FileName, Format: rep.Format, Findings: check.Run(rep, opt)}
				data["Result"] = res
				data["Blocking"] = publish.Check(rep, publish.Options{Checked: res}).Blocking()
			}
		}
		if _, _, err := workflow.ApprovedSum(ctx, c.s.store, region, year); err == nil {
			data["Approved"] = true
		}
	}
	c.page(http.StatusOK, "region", data)
	return nil
}

func (c *call) regionSum() error {
	year, err := c.pathYear()
	if err != nil {
		return err
	}
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	agency, level := strings.TrimSpace(c.r.PostFormValue("agency")), strings.TrimSpace(c.r.PostFormValue("level"))
	if region, err := c.region(); err != nil {
		return err
	} else if region != nil {
		agency, level = region.Agency(), region.Fields[schema.RosterLevel]
	}
	if roster.Key(agency) == "" {
		return errorf(http.StatusBadRequest, "请填写本级人民政府的%s", label("agency"))
	}
	res, err := workflow.Sum(c.r.Context(), c.s.store, c.actor(), c.acct().Role, workflow.SumOptions{Agency: agency, Level: level, Year: year,
		AllowMissing: c.r.PostFormValue("allow-missing") != ""})
	var me *workflow.MissingError
	switch {
	case errors.As(err, &me):
		return errorf(http.StatusConflict, "%s", me.Error())
	case errors.Is(err, workflow.ErrNoApproved):
		return errorf(http.StatusConflict, "%d 年度还没有审核通过的报告，无法汇总", year)
	case err != nil:
		return c.stepError(err)
	}
	return c.redirect(c.withMsg(c.regionURL(year), fmt.Sprintf("已汇总 %d 个单位审核通过的报告，存为第 %d 版（草稿）", len(res.Included), res.Version.Seq)))
}

// regionUpload stores a 汇总 the office completed or typed as the
// region's next version, checked against the units (SUM-CHILDREN).
func (c *call) regionUpload() error {
	ctx := c.r.Context()
	year, region, err := c.yearRegion()
	if err != nil {
		return err
	}
	name, data, err := c.readUpload()
	if err != nil {
		return err
	}
	rep, err := template.Read(name, data)
	if err != nil {
		return errorf(http.StatusBadRequest, "无法读取 %s：%s", name, errtext.Explain(err))
	}
	if y := rep.YearInt(); y != 0 && y != year {
		return errorf(http.StatusBadRequest, "%s 是 %d 年度的报告，不是 %d 年度的", name, y, year)
	}
	if ag := rep.Meta.Agency.Value; strings.TrimSpace(ag) != "" && roster.Key(ag) != roster.Key(region.Agency()) {
		return errorf(http.StatusBadRequest, "%s 的%s是“%s”，不是%s", name, label("agency"), ag, region.Agency())
	}
	opt, err := workflow.CheckOptions(ctx, c.s.store, region, year)
	if err != nil {
		return err
	}
	res := &check.Result{File: name, Format: rep.Format, Findings: check.Run(rep, opt)}
	var js strings.Builder
	res.WriteJSON(&js)
	v, err := workflow.SaveVersion(ctx, c.s.store, c.actor(), workflow.RoleFor(region, c.acct().Role),
		store.Upload{UnitID: region.ID, Year: year, File: store.File{Name: name, Data: data}, Findings: js.String(), Errors: res.Errors(), Warnings: res.Warnings()})
	if err != nil {
		return c.stepError(err)
	}
	return c.redirect(c.withMsg(c.regionURL(year), fmt.Sprintf("已保存第 %d 版：%s", v.Seq, res.Summary())))
}

func (c *call) regionSubmit() error {
	year, region, err := c.yearRegion()
	if err != nil {
		return err
	}
	vs, err := c.s.store.Versions(c.r.Context(), region.ID, year)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return errorf(http.StatusConflict, "请先生成汇总")
	}
	v := vs[len(vs)-1]
	if _, err := workflow.SubmitSum(c.r.Context(), c.s.store, c.actor(), c.acct().Role, region, year, v.ID); err != nil {
		return c.stepError(err)
	}
	return c.redirect(c.withMsg(c.regionURL(year), fmt.Sprintf("已提交第 %d 版，等待审核人审核", v.Seq)))
}

func (c *call) regionExport() error {
	year, err := c.pathYear()
	if err != nil {
		return err
	}
	ext := c.r.PathValue("ext")
	if ext != "yaml" && ext != "xlsx" {
		return errorf(http.StatusNotFound, "只能导出 .yaml 或 .xlsx")
	}
	region, err := c.region()
	if err != nil {
		return err
	}
	if region == nil {
		return errorf(http.StatusNotFound, "还没有汇总")
	}
	name, data, err := workflow.ExportSum(c.r.Context(), c.s.store, c.actor(), region, year, ext)
	if errors.Is(err, workflow.ErrNotApproved) {
		return errorf(http.StatusConflict, "汇总尚未审核通过，不能导出上报")
	}
	if err != nil {
		return err
	}
	ctype := "application/yaml; charset=utf-8"
	if ext == "xlsx" {
		ctype = xlsxType
	}
	// the export itself is in the audit log (ExportSum); the download too
	c.unit, c.year = region, year
	return c.sendFile(name, ctype, data)
}

// regionSend hands the approved 汇总 up to the next level's server.
func (c *call) regionSend() error {
	ctx := c.r.Context()
	year, err := c.pathYear()
	if err != nil {
		return err
	}
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	region, err := c.region()
	if err != nil {
		return err
	}
	if region == nil {
		return errorf(http.StatusConflict, "还没有汇总")
	}
	if _, _, err := workflow.ApprovedSum(ctx, c.s.store, region, year); err != nil {
		return errorf(http.StatusConflict, "汇总尚未审核通过，不能上报")
	}
	cl, err := client.Login(ctx, c.r.PostFormValue("url"), c.r.PostFormValue("login"), c.r.PostFormValue("password"), client.Options{})
	if err != nil {
		return errorf(http.StatusBadGateway, "登录上级服务器失败：%s", errtext.Explain(err))
	}
	h, err := client.SendSum(ctx, c.s.store, c.actor(), region, year, cl)
	if err != nil {
		return errorf(http.StatusBadGateway, "上报失败（已记入操作日志）：%s", errtext.Explain(err))
	}
	msg := fmt.Sprintf("已上报到 %s：上级服务器上为第 %d 版，状态 %s", cl.Base(), h.Upload.Version, h.Status.State)
	if h.Refused != nil {
		msg += "；提交未成功：" + h.Refused.Error()
	}
	return c.redirect(c.withMsg(c.regionURL(year), msg))
}

// apiRegion answers GET /api/v1/region/{year}: the approved reports and
// the units without one, and the latest 汇总 compared cell by cell.
func (c *call) apiRegion() error {
	ctx := c.r.Context()
	year, children, missing, err := c.approved()
	if err != nil {
		return err
	}
	type jsonChild struct {
		Unit    int64  `json:"unit"`
		Agency  string `json:"agency"`
		Version int    `json:"version"`
		State   string `json:"state"`
	}
	out := struct {
		Year     int                       `json:"year"`
		Approved []jsonChild               `json:"approved"`
		Missing  []store.SumMissing        `json:"missing"`
		Region   *jsonUnit                 `json:"region,omitempty"`
		State    string                    `json:"state,omitempty"`
		Version  int                       `json:"version,omitempty"`
		Differs  int                       `json:"differs"`
		Cells    []workflow.CellComparison `json:"cells,omitempty"`
	}{Year: year, Approved: []jsonChild{}, Missing: missing}
	if out.Missing == nil {
		out.Missing = []store.SumMissing{}
	}
	for _, ch := range children {
		out.Approved = append(out.Approved, jsonChild{ch.Unit.ID, ch.Unit.Agency(), ch.Version.Seq, string(ch.State)})
	}
	region, err := c.region()
	if err != nil {
		return err
	}
	if region != nil {
		j := unitJSON(*region)
		out.Region = &j
		st, err := workflow.StatusOf(ctx, c.s.store, region.ID, year)
		if err != nil {
			return err
		}
		out.State = string(st.State)
		vs, err := c.s.store.Versions(ctx, region.ID, year)
		if err != nil {
			return err
		}
		if len(vs) > 0 {
			v := vs[len(vs)-1]
			out.Version = v.Seq
			if rep, _, err := c.s.readVersion(ctx, v); err == nil {
				cmp, err := workflow.Compare(ctx, c.s.store, year, rep)
				if err != nil {
					return err
				}
				out.Differs, out.Cells = cmp.Differs, cmp.Cells
			}
		}
	}
	c.json(http.StatusOK, out)
	return nil
}

// rosterFields are a form's roster fields, by key.
func (c *call) rosterFields() map[string]string {
	f := map[string]string{}
	for _, rf := range schema.RosterFields {
		f[rf.Key] = c.r.PostFormValue(rf.Key)
	}
	return f
}

func (c *call) rosterPage() error {
	us, err := c.s.store.Units(c.r.Context())
	if err != nil {
		return err
	}
	hist, err := c.s.store.RosterChanges(c.r.Context(), 0)
	if err != nil {
		return err
	}
	// the latest first, at most 200
	var recent []store.RosterChangeEntry
	for i := len(hist) - 1; i >= 0 && len(recent) < 200; i-- {
		recent = append(recent, hist[i])
	}
	names := map[int64]string{}
	for _, u := range us {
		names[u.ID] = u.Agency()
	}
	c.page(http.StatusOK, "roster", map[string]any{"Title": "应报单位名单", "Units": us, "Fields": schema.RosterFields, "History": recent,
		"Names": names, "Msg": c.msg()})
	return nil
}

func (c *call) rosterError(err error) error {
	var re *roster.Error
	switch {
	case errors.As(err, &re):
		return errorf(http.StatusBadRequest, "名单中的单位填写有误：%s", strings.ReplaceAll(re.Error(), "\n", "；"))
	case errors.Is(err, store.ErrUnitExists):
		return errorf(http.StatusConflict, "名单中已有这个%s的单位", label("agency"))
	case errors.Is(err, store.ErrNotFound):
		return errorf(http.StatusNotFound, "名单中没有这个单位")
	}
	return c.stepError(err)
}

func (c *call) rosterAdd() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	u, err := workflow.AddUnit(c.r.Context(), c.s.store, c.actor(), c.acct().Role, c.rosterFields())
	if err != nil {
		return c.rosterError(err)
	}
	return c.redirect(c.withMsg("/roster/units", "已把“"+u.Agency()+"”列入名单"))
}

func (c *call) pathID() (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(http.StatusNotFound, "名单中没有这个单位")
	}
	return id, nil
}

func (c *call) rosterUpdate() error {
	id, err := c.pathID()
	if err != nil {
		return err
	}
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	u, err := workflow.UpdateUnit(c.r.Context(), c.s.store, c.actor(), c.acct().Role, id, c.rosterFields())
	if err != nil {
		return c.rosterError(err)
	}
	return c.redirect(c.withMsg("/roster/units", "已保存“"+u.Agency()+"”"))
}

func (c *call) rosterRemove() error {
	id, err := c.pathID()
	if err != nil {
		return err
	}
	if err := workflow.RemoveUnit(c.r.Context(), c.s.store, c.actor(), c.acct().Role, id); err != nil {
		return c.rosterError(err)
	}
	return c.redirect(c.withMsg("/roster/units", "已移出名单（已报送的报告保留；该单位的账号不能再登录）"))
}

// apiRosterHistory answers GET /api/v1/roster/history[?unit=]: every
// change of the roster, or of one unit, oldest first.
func (c *call) apiRosterHistory() error {
	var unit int64
	if q := c.r.URL.Query().Get("unit"); q != "" {
		n, err := strconv.ParseInt(q, 10, 64)
		if err != nil {
			return errorf(http.StatusBadRequest, "unit 应为单位编号")
		}
		unit = n
	}
	hist, err := c.s.store.RosterChanges(c.r.Context(), unit)
	if err != nil {
		return err
	}
	type jsonChange struct {
		ID     int64             `json:"id"`
		Unit   int64             `json:"unit"`
		Action string            `json:"action"`
		Old    map[string]string `json:"old"`
		New    map[string]string `json:"new"`
		At     string            `json:"at"`
	}
	out := []jsonChange{}
	for _, h := range hist {
		out = append(out, jsonChange{h.ID, h.UnitID, h.Action, h.Old, h.New, h.At})
	}
	c.json(http.StatusOK, map[string]any{"changes": out})
	return nil
}
