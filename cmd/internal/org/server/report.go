package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// uploadName is the base name of an uploaded file (a browser may send a
// Windows path, an attacker ../../), cut to 200 characters; never used as a
// path on disk.
func uploadName(s string) string {
	s = store.Text(s)
	s = path.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if s == "." || s == "/" || s == ".." || strings.TrimSpace(s) == "" {
		return "上传的文件"
	}
	if r := []rune(s); len(r) > 200 {
		ext := path.Ext(s)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		s = string(r[:200-len([]rune(ext))]) + ext
	}
	return s
}

// readUpload reads the request's one file (multipart part "file") into
// memory, capped at MaxUpload, and the other form fields.
func (c *call) readUpload() (name string, data []byte, err error) {
	if mf := c.r.MultipartForm; mf != nil {
		// the CSRF check has read the form already (a page's form carries
		// its token as a field); the body cap keeps it in memory
		fhs := mf.File["file"]
		if len(fhs) == 0 {
			return "", nil, errorf(http.StatusBadRequest, "请选择报告文件（Excel 填报表、YAML，或已发布的网页、Word、PDF、文字文件）")
		}
		fh := fhs[0]
		if fh.Size > c.s.opt.MaxUpload {
			return "", nil, errorf(http.StatusRequestEntityTooLarge, "文件过大：超过 %d MB 的上限", c.s.opt.MaxUpload>>20)
		}
		f, err := fh.Open()
		if err != nil {
			return "", nil, c.bodyError(err)
		}
		defer f.Close()
		d, err := io.ReadAll(io.LimitReader(f, c.s.opt.MaxUpload+1))
		if err != nil {
			return "", nil, c.bodyError(err)
		}
		return uploadName(fh.Filename), d, nil
	}
	mr, err := c.r.MultipartReader()
	if err != nil {
		return "", nil, errorf(http.StatusBadRequest, "请求应为 multipart/form-data，报告文件放在 file 字段中（如 curl -F file=@报告.xlsx）")
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, c.bodyError(err)
		}
		if p.FormName() != "file" || data != nil {
			io.Copy(io.Discard, io.LimitReader(p, 1<<10))
			p.Close()
			continue
		}
		d, err := io.ReadAll(io.LimitReader(p, c.s.opt.MaxUpload+1))
		p.Close()
		if err != nil {
			return "", nil, c.bodyError(err)
		}
		if int64(len(d)) > c.s.opt.MaxUpload {
			return "", nil, errorf(http.StatusRequestEntityTooLarge, "文件过大：超过 %d MB 的上限", c.s.opt.MaxUpload>>20)
		}
		name, data = uploadName(p.FileName()), d
	}
	if data == nil {
		return "", nil, errorf(http.StatusBadRequest, "请选择报告文件（Excel 填报表、YAML，或已发布的网页、Word、PDF、文字文件）")
	}
	return name, data, nil
}

func (c *call) bodyError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errorf(http.StatusRequestEntityTooLarge, "上传的内容过大：超过 %d MB 的上限", c.s.opt.MaxUpload>>20)
	}
	return errorf(http.StatusBadRequest, "上传的内容不完整或格式有误，请重新上传")
}

// prevReport is the unit's report for the year before: its latest
// version, for the cross-year checks; nil when there is none.
func (s *Server) prevReport(ctx context.Context, unit int64, year int) *schema.Report {
	vs, err := s.store.Versions(ctx, unit, year-1)
	if err != nil || len(vs) == 0 {
		return nil
	}
	rep, _, err := s.readVersion(ctx, vs[len(vs)-1])
	if err != nil {
		return nil
	}
	return rep
}

// readVersion reads a stored version back with the CLI's readers.
func (s *Server) readVersion(ctx context.Context, v *store.Version) (*schema.Report, []byte, error) {
	data, err := s.store.Blob(ctx, v.SHA256)
	if err != nil {
		return nil, nil, err
	}
	rep, err := template.Read(v.FileName, data)
	return rep, data, err
}

// checked is a version read back and checked (as nianbao check does).
type checked struct {
	Version *store.Version
	Report  *schema.Report
	Result  *check.Result
	Err     string // why the stored file cannot be read (never expected)
}

// checkVersion reads and checks a stored version.
func (s *Server) checkVersion(ctx context.Context, v *store.Version) *checked {
	ch := &checked{Version: v}
	rep, _, err := s.readVersion(ctx, v)
	if err != nil {
		ch.Err = errtext.Explain(err)
		return ch
	}
	ch.Report = rep
	ch.Result = publish.Check(rep, publish.Options{File: v.FileName, Prev: s.prevReport(ctx, v.UnitID, v.Year)})
	return ch
}

// ingest stores a new version of a unit's report from an uploaded file:
// read with the CLI's readers, checked, stored with its findings, and the
// workflow's save recorded. A file that cannot be read is refused (400)
// with the reader's Chinese reason, and nothing is stored.
func (c *call) ingest(name string, data []byte) (*store.Version, *check.Result, error) {
	return c.ingestVia(name, data, "")
}

// ingestVia is ingest of a file that came another way than an upload
// (store.Upload.Via).
func (c *call) ingestVia(name string, data []byte, via string) (*store.Version, *check.Result, error) {
	ctx := c.r.Context()
	rep, err := template.Read(name, data)
	if err != nil {
		return nil, nil, errorf(http.StatusBadRequest, "无法读取 %s：%s", name, errtext.Explain(err))
	}
	if y := rep.YearInt(); y != 0 && y != c.year {
		return nil, nil, errorf(http.StatusBadRequest, "%s 是 %d 年度的报告，不是 %d 年度的：请上传 %d 年度的报告", name, y, c.year, c.year)
	}
	if ag := rep.Meta.Agency.Value; strings.TrimSpace(ag) != "" && roster.Key(ag) != c.unit.Key {
		return nil, nil, errorf(http.StatusBadRequest, "%s 的%s是“%s”，不是本单位（%s）：请上传本单位的报告，或核对报告中的%s", name, label("agency"), ag, c.unit.Agency(), label("agency"))
	}
	if _, err := workflow.Next(c.state(), workflow.Save, c.acct().Role); err != nil {
		return nil, nil, c.stepError(err)
	}
	res := publish.Check(rep, publish.Options{File: name, Prev: c.s.prevReport(ctx, c.unit.ID, c.year)})
	var js bytes.Buffer
	res.WriteJSON(&js)
	v, err := workflow.SaveVersion(ctx, c.s.store, c.actor(), c.acct().Role, store.Upload{UnitID: c.unit.ID, Year: c.year,
		File: store.File{Name: name, Data: data}, Findings: js.String(), Errors: res.Errors(), Warnings: res.Warnings(), Via: via})
	if err != nil {
		return nil, nil, c.stepError(err)
	}
	return v, res, nil
}

// uploaded stores the request's file (part "file") as the next version.
func (c *call) uploaded() (*store.Version, *check.Result, error) {
	name, data, err := c.readUpload()
	if err != nil {
		return nil, nil, err
	}
	return c.ingest(name, data)
}

// state is the current state of the call's report.
func (c *call) state() workflow.State {
	st, err := workflow.StatusOf(c.r.Context(), c.s.store, c.unit.ID, c.year)
	if err != nil {
		return workflow.NotSubmitted
	}
	return st.State
}

// stepError explains a refused workflow step.
func (c *call) stepError(err error) error {
	var ge *workflow.GateError
	switch {
	case errors.As(err, &ge):
		return errorf(http.StatusUnprocessableEntity, "%s", ge.Error())
	case errors.Is(err, workflow.ErrNotAllowed), errors.Is(err, workflow.ErrRole):
		return errorf(http.StatusConflict, "不能这样操作：%s（可能已有人处理过这份报告，请刷新页面）", errtext.Explain(err))
	case errors.Is(err, workflow.ErrNotLatest):
		return errorf(http.StatusConflict, "只能提交最新的一版：请刷新页面")
	}
	return err
}

// Line is one unit's report for a year on the board.
type Line struct {
	Unit     store.Unit
	Status   workflow.Status
	Late     bool
	Due      time.Time
	Latest   *store.Version // nil = nothing uploaded
	Versions int
}

// lines are the board's lines: every unit on the roster (or the one
// unit only), for a year, from the year's events and versions in two
// queries.
func (s *Server) lines(ctx context.Context, year int, only int64) ([]Line, error) {
	us, err := s.store.Units(ctx)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.EventsOfYear(ctx, year)
	if err != nil {
		return nil, err
	}
	byUnit := map[int64][]store.Event{}
	for _, e := range evs {
		byUnit[e.UnitID] = append(byUnit[e.UnitID], e)
	}
	vs, err := s.store.VersionsOfYear(ctx, year)
	if err != nil {
		return nil, err
	}
	versions := map[int64][]*store.Version{}
	for _, v := range vs {
		versions[v.UnitID] = append(versions[v.UnitID], v)
	}
	due := map[schema.Scope]time.Time{}
	now := s.opt.Now()
	var out []Line
	for _, u := range us {
		if !u.Listed || (only != 0 && u.ID != only) {
			continue
		}
		l, err := s.lineOf(ctx, u, year, byUnit[u.ID], versions[u.ID], due, now)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// line is one unit's line.
func (s *Server) line(ctx context.Context, u store.Unit, year int) (Line, error) {
	evs, err := s.store.Events(ctx, u.ID, year)
	if err != nil {
		return Line{}, err
	}
	vs, err := s.store.Versions(ctx, u.ID, year)
	if err != nil {
		return Line{}, err
	}
	return s.lineOf(ctx, u, year, evs, vs, map[schema.Scope]time.Time{}, s.opt.Now())
}

func (s *Server) lineOf(ctx context.Context, u store.Unit, year int, evs []store.Event, vs []*store.Version, due map[schema.Scope]time.Time, now time.Time) (Line, error) {
	st := workflow.StatusOfEvents(evs)
	scope := schema.ScopeOfRole(schema.Role(u.Fields[schema.RosterRole]))
	d, ok := due[scope]
	if !ok {
		var err error
		if d, err = workflow.Due(ctx, s.store, year, scope); err != nil {
			return Line{}, err
		}
		due[scope] = d
	}
	l := Line{Unit: u, Status: st, Due: d, Late: workflow.Late(st, d, now), Versions: len(vs)}
	if len(vs) > 0 {
		l.Latest = vs[len(vs)-1]
	}
	return l, nil
}

// label is the declared label of a metadata field (schema.MetaFields),
// for messages that name it.
func label(key string) string { return schema.MetaField(key).Label }

// badYear refuses a year in a path or a parameter that is not one.
func badYear(s string) error {
	return errorf(http.StatusBadRequest, "%s“%s”不合理：应为四位数字的年份，如 2025", label("year"), s)
}

// defaultYear is the report year being collected: last year's, until the
// end of the year.
func (s *Server) defaultYear() int { return s.opt.Now().Year() - 1 }

// yearParam reads ?year=, or the default.
func (c *call) yearParam() (int, error) {
	q := strings.TrimSpace(c.r.URL.Query().Get("year"))
	if q == "" {
		return c.s.defaultYear(), nil
	}
	var y int
	if _, err := fmt.Sscanf(q, "%d", &y); err != nil || y < 2000 || y > 2100 || fmt.Sprint(y) != q {
		return 0, badYear(q)
	}
	return y, nil
}
