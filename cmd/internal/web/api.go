package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
)

// formName is the name of a report typed in the browser form, in messages
// and in the JSON's "file".
const formName = "网页填写的报告"

// Input is a request's report: an uploaded file (part "file") or the
// form's model (part "report", JSON), and optionally last year's report
// (part "prev").
type Input struct {
	Name   string // the uploaded file's base name, or formName
	Report *schema.Report
	Prev   *schema.Report // nil without a "prev" part
	Form   bool           // Report is the form's model, not a file
}

// Error is a request that cannot be served, with its HTTP status and a
// Chinese message for people.
type Error struct {
	Status int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

func badRequest(msg string) *Error { return &Error{http.StatusBadRequest, msg} }

// Read reads the request's multipart parts into memory, each capped at
// Options.MaxUpload, and the reports from them with the CLI's readers
// (template.Read). Nothing touches the disk. needReport makes a request
// without "file" or "report" an error. With an error, the Input, if not
// nil, names the file that could not be used.
func (a *App) Read(r *http.Request, needReport bool) (*Input, *Error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("请求应为 multipart/form-data，报告文件放在 file 字段中（如 curl -F file=@报告.xlsx）")
	}
	in := &Input{}
	var file, prev *upload
	var form []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, a.bodyError(err)
		}
		name := p.FormName()
		switch name {
		case "file", "prev", "report":
		default:
			p.Close()
			continue
		}
		data, err := io.ReadAll(io.LimitReader(p, a.opt.MaxUpload+1))
		p.Close()
		if err != nil {
			return nil, a.bodyError(err)
		}
		if int64(len(data)) > a.opt.MaxUpload {
			return nil, &Error{http.StatusRequestEntityTooLarge,
				fmt.Sprintf("文件过大：超过 %d MB 的上限", a.opt.MaxUpload>>20)}
		}
		switch name {
		case "file":
			file = &upload{name: uploadName(p.FileName()), data: data}
		case "prev":
			prev = &upload{name: uploadName(p.FileName()), data: data}
		case "report":
			form = data
		}
	}
	switch {
	case file != nil:
		in.Name = file.name
		rep, err := template.Read(file.name, file.data)
		if err != nil {
			return in, &Error{http.StatusBadRequest, errtext.Explain(err)}
		}
		in.Report = rep
	case form != nil:
		var m Model
		dec := json.NewDecoder(bytes.NewReader(form))
		if err := dec.Decode(&m); err != nil {
			return nil, badRequest("report 字段不是有效的报告数据（JSON）：" + jsonReason(err))
		}
		in.Name, in.Form = formName, true
		in.Report = m.report(formName)
		// the bounds every reader applies to the text it produces
		if err := in.Report.CheckText(); err != nil {
			return in, badRequest(errtext.Explain(err))
		}
	case needReport:
		return nil, badRequest("请上传报告文件（file 字段）")
	}
	if prev != nil {
		rep, err := template.Read(prev.name, prev.data)
		if err != nil {
			return in, &Error{http.StatusBadRequest, "上年报告：" + errtext.Explain(err)}
		}
		if in.Report != nil {
			if y, py := in.Report.YearInt(), rep.YearInt(); y != 0 && py != 0 && py != y-1 {
				return in, badRequest(fmt.Sprintf("上年报告 %s 是 %d 年度报告，不是 %s（%d 年度）的上一年；请检查两个文件是否弄反，跨年度检查只和 %d 年度报告比较",
					prev.name, py, in.Name, y, y-1))
			}
		}
		in.Prev = rep
	}
	return in, nil
}

type upload struct {
	name string
	data []byte
}

// uploadName is the base name of an uploaded file (a browser may send a
// Windows path), or a stand-in.
func uploadName(s string) string {
	s = path.Base(strings.ReplaceAll(s, `\`, "/"))
	if s == "." || s == "/" || s == "" {
		return "上传的文件"
	}
	return s
}

func (a *App) bodyError(err error) *Error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return &Error{http.StatusRequestEntityTooLarge, fmt.Sprintf("上传的内容过大：超过 %d MB 的上限", (3*a.opt.MaxUpload+1<<20)>>20)}
	}
	return badRequest("上传的内容不完整或格式有误，请重新上传")
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("第 %d 个字节处格式有误", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("字段 %s 的类型不对", te.Field)
	}
	return "内容不完整"
}

// Check checks the input, as nianbao check does (with Prev as --prev).
func Check(in *Input) *check.Result {
	return &check.Result{File: in.Name, Format: in.Report.Format,
		Findings: check.Run(in.Report, check.Options{Prev: in.Prev})}
}

func exitHeader(w http.ResponseWriter, code int) { w.Header().Set(ExitHeader, strconv.Itoa(code)) }

// WriteCheck answers the JSON of nianbao check --format json: 200 without
// errors, 422 with errors, the CLI's exit code in ExitHeader.
func WriteCheck(w http.ResponseWriter, res *check.Result) {
	writeCheck(w, res, statusOf(res), res.ExitCode())
}

// writeCheck answers res's JSON with the status and exit code.
func writeCheck(w http.ResponseWriter, res *check.Result, status, code int) {
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		Fail(w, http.StatusInternalServerError, "无法输出校验结果："+errtext.Explain(err))
		return
	}
	exitHeader(w, code)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// WriteUnusable answers the check JSON of a file that cannot be used (as
// nianbao check --format json prints it, exit 2) with e's status; in is
// what Read returned with e, possibly nil.
func WriteUnusable(w http.ResponseWriter, in *Input, e *Error) {
	name := ""
	if in != nil {
		name = in.Name
	}
	exitHeader(w, 2)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	check.WriteJSONUnusable(w, name, e.Msg)
}

// check answers POST /api/v1/check with the JSON of nianbao check --format
// json: 200 without errors, 422 with errors, 400 when the file cannot be
// used (the JSON then has "error").
func (a *App) check(w http.ResponseWriter, r *http.Request) {
	in, herr := a.Read(r, true)
	if herr != nil {
		WriteUnusable(w, in, herr)
		return
	}
	WriteCheck(w, Check(in))
}

func statusOf(res *check.Result) int {
	if res.OK() {
		return http.StatusOK
	}
	return http.StatusUnprocessableEntity
}

// zipFormat is the render format that packs every format into one zip.
const zipFormat = "zip"

// contentTypes are the media types of the outputs.
var contentTypes = map[string]string{
	render.HTML: "text/html; charset=utf-8",
	render.Text: "text/plain; charset=utf-8",
	render.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	render.PDF:  "application/pdf",
	render.SVG:  "image/svg+xml",
	zipFormat:   "application/zip",
	"yaml":      "application/yaml; charset=utf-8",
	"xlsx":      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// reportCSP is the policy of a served report's HTML: styles only, no
// script, no requests, sandboxed.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

// render answers POST /api/v1/render?format=pdf|docx|html|txt|zip[&draft=1]
// with the file nianbao render writes, or 422 with the check JSON when the
// report has errors and no draft was asked for.
func (a *App) render(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format := strings.ToLower(strings.TrimSpace(q.Get("format")))
	if format == "" {
		Fail(w, http.StatusBadRequest, "请用 format 参数指定输出格式："+strings.Join(append(render.Formats(), zipFormat), "、"))
		return
	}
	formats := []string{format}
	if format == zipFormat {
		formats = render.Defaults()
	} else if render.Lookup(format) == nil {
		Fail(w, http.StatusBadRequest, fmt.Sprintf("未知的输出格式“%s”：可用 %s", format, strings.Join(append(render.Formats(), zipFormat), "、")))
		return
	}
	draft := q.Get("draft") == "1" || q.Get("draft") == "true"
	in, herr := a.Read(r, true)
	if herr != nil {
		Fail(w, herr.Status, herr.Msg)
		return
	}
	res, files, isDraft, err := a.publish(in, formats, draft)
	if err != nil {
		// a report the renderers refuse (a character no font has, say) is
		// the CLI's exit 2 on a usable-looking file: the input's fault
		status := http.StatusInternalServerError
		if errors.Is(err, schema.ErrUnusable) {
			status = http.StatusBadRequest
		}
		Fail(w, status, "生成失败："+a.explain(r, err))
		return
	}
	if files == nil { // refused: the report does not pass the gate
		writeCheck(w, res, http.StatusUnprocessableEntity, 1)
		return
	}
	base := outdir.ReportName(in.Report)
	var body []byte
	if format == zipFormat {
		if body, err = zipFiles(files); err != nil {
			Fail(w, http.StatusInternalServerError, "无法打包："+a.explain(r, err))
			return
		}
	} else {
		body = files[0].data
	}
	code := 0
	if isDraft {
		w.Header().Set("X-Nianbao-Draft", "1")
		code = 1
	}
	if format == render.HTML || format == render.SVG {
		w.Header().Set("Content-Security-Policy", reportCSP)
	}
	exitHeader(w, code)
	SendFile(w, base+"."+format, contentTypes[format], body)
}

// output is one rendered file.
type output struct {
	name string
	data []byte
}

// publish checks the report and, through the publishing path
// (render/publish, as nianbao render), applies the gate and renders each
// format: files is nil when the gate refuses it, draft reports whether the
// files are drafts.
func (a *App) publish(in *Input, formats []string, draft bool) (res *check.Result, files []output, isDraft bool, err error) {
	popt := publish.Options{File: in.Name, Formats: formats, Draft: draft,
		TitleFont: a.opt.Render.TitleFont, BodyFont: a.opt.Render.BodyFont, HeadingFont: a.opt.Render.HeadingFont,
		StopOnFailure: true}
	pub, err := publish.Render(in.Report, popt)
	if err != nil {
		return nil, nil, false, err
	}
	if pub.Blocked {
		return pub.Check, nil, false, nil
	}
	base := outdir.ReportName(in.Report)
	for _, o := range pub.Outputs {
		if o.RenderErr != nil {
			return pub.Check, nil, false, o.RenderErr
		}
		files = append(files, output{name: base + o.Format.Ext, data: o.Data})
	}
	return pub.Check, files, pub.Draft, nil
}

// zipEpoch is the time stamped on every zip entry, so the same report
// gives the same zip.
var zipEpoch = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

func zipFiles(files []output) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: zipEpoch, Flags: 0x800})
		if err != nil {
			return nil, err
		}
		if _, err := fw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// SendFile answers data as a download named name (the header carries the
// name as RFC 2231 UTF-8, so a Chinese name survives).
func SendFile(w http.ResponseWriter, name, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// writeFormats are the kinds a report is saved as.
var writeFormats = map[string]string{"yaml": ".yaml", "xlsx": ".xlsx"}

// importReport answers POST /api/v1/import[?to=xlsx]: the report as YAML
// (default) or as a workbook. Like nianbao import, a file with reading
// errors is still converted, with exit code 1 (ExitHeader).
func (a *App) importReport(w http.ResponseWriter, r *http.Request) {
	to := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("to")))
	if to == "" {
		to = "yaml"
	}
	ext, ok := writeFormats[to]
	if !ok {
		Fail(w, http.StatusBadRequest, fmt.Sprintf("未知的输出类型“%s”：可用 yaml 或 xlsx", to))
		return
	}
	in, herr := a.Read(r, true)
	if herr != nil {
		Fail(w, herr.Status, herr.Msg)
		return
	}
	var buf bytes.Buffer
	if err := template.Encode(&buf, "report"+ext, in.Report); err != nil {
		Fail(w, http.StatusInternalServerError, "无法转换："+a.explain(r, err))
		return
	}
	code := 0
	for _, f := range in.Report.Issues {
		if f.Severity == schema.Error {
			code = 1
		}
	}
	exitHeader(w, code)
	name := strings.TrimSuffix(in.Name, path.Ext(in.Name))
	if in.Name == formName {
		name = in.Report.Meta.Agency.Value + in.Report.Meta.Year.Value + "年政府信息公开工作年度报告填报表"
	}
	SendFile(w, outdir.SafeName(name)+ext, contentTypes[to], buf.Bytes())
}

// blankTemplate answers GET /api/v1/template?year=&agency=[&format=yaml]
// with a blank template, as nianbao init --year --agency writes it.
func (a *App) blankTemplate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, ok := a.year(w, q.Get("year"), true)
	if !ok {
		return
	}
	a.sendTemplate(w, template.Blank(strings.TrimSpace(q.Get("agency")), year), q.Get("format"))
}

// nextTemplate answers POST /api/v1/template (file = last year's report,
// optional year, agency, format) with next year's template, as nianbao
// init --from writes it.
func (a *App) nextTemplate(w http.ResponseWriter, r *http.Request) {
	next, ok := a.next(w, r)
	if !ok {
		return
	}
	a.sendTemplate(w, next, r.URL.Query().Get("format"))
}

// next reads last year's report of a request and makes next year's
// template from it, as nianbao init --from does; !ok means it answered.
func (a *App) next(w http.ResponseWriter, r *http.Request) (*schema.Report, bool) {
	in, herr := a.Read(r, true)
	if herr != nil {
		Fail(w, herr.Status, herr.Msg)
		return nil, false
	}
	q := r.URL.Query()
	year, ok := a.year(w, q.Get("year"), false)
	if !ok {
		return nil, false
	}
	if year == 0 {
		py := in.Report.YearInt()
		if py == 0 {
			Fail(w, http.StatusBadRequest, "上年报告中没有有效的"+schema.MetaField("year").Label+"；请填写本年度")
			return nil, false
		}
		year = py + 1
	}
	next := template.FromPrevious(in.Report, year)
	if ag := strings.TrimSpace(q.Get("agency")); ag != "" {
		next.Meta.Agency.Value = ag
	}
	return next, true
}

// todoAnswer is the answer of POST /api/v1/todo: the template's file name
// and what is still to type in it (template.ToType), each item with its
// place in that file.
type todoAnswer struct {
	Template string      `json:"template"`
	Carried  int         `json:"carried"` // carry-over cells pre-filled
	Todo     []todoGroup `json:"todo"`
}

type todoGroup struct {
	Group string     `json:"group"`
	Table string     `json:"table,omitempty"`
	Items []todoItem `json:"items"`
}

type todoItem struct {
	Kind  string     `json:"kind"` // field, text or row
	Key   string     `json:"key"`
	Label string     `json:"label"`
	Note  string     `json:"note,omitempty"`
	Place string     `json:"place,omitempty"`
	Cells []todoCell `json:"cells,omitempty"`
}

type todoCell struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Name  string `json:"name"`
	Note  string `json:"note,omitempty"`
	Carry bool   `json:"carry,omitempty"`
	Place string `json:"place,omitempty"`
}

// todo answers POST /api/v1/todo (the parameters of POST
// /api/v1/template): what the member of staff must still type in next
// year's template — template.ToType, which names the carry-over cells
// init --from could not fill (CarryGaps) — with the place of each in the
// template file, read back from the file itself.
func (a *App) todo(w http.ResponseWriter, r *http.Request) {
	next, ok := a.next(w, r)
	if !ok {
		return
	}
	name, data, ok := a.encodeTemplate(w, next, r.URL.Query().Get("format"))
	if !ok {
		return
	}
	at := map[string]string{} // page key → place in the file
	if back, err := template.Read(name, data); err == nil {
		for loc, key := range places(back) {
			if old, ok := at[key]; !ok || loc < old {
				at[key] = loc
			}
		}
	}
	ans := todoAnswer{Template: name, Carried: template.Carried(next), Todo: []todoGroup{}}
	for _, g := range template.ToType(next) {
		tg := todoGroup{Group: g.Group, Table: g.Table}
		for _, it := range g.Items {
			key, kind := it.Key, "row"
			switch {
			case g.Table != "":
			case key == check.IntroSection || next.Format.Section(key) != nil:
				kind = "text"
			default:
				key, kind = "meta."+key, "field"
			}
			place := at[key]
			if place == "" {
				place = at[key+".0"] // a text: its first paragraph
			}
			ti := todoItem{Kind: kind, Key: it.Key, Label: it.Label, Note: it.Note, Place: place}
			for _, c := range it.Cells {
				ti.Cells = append(ti.Cells, todoCell{Key: c.Key, Label: c.Label, Name: c.Name, Note: c.Note, Carry: c.Carry, Place: at[c.Key]})
			}
			tg.Items = append(tg.Items, ti)
		}
		ans.Todo = append(ans.Todo, tg)
	}
	exitHeader(w, 0)
	writeJSON(w, http.StatusOK, ans)
}

func (a *App) year(w http.ResponseWriter, s string, required bool) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" && !required {
		return 0, true
	}
	y, err := strconv.Atoi(s)
	switch {
	case s == "":
		Fail(w, http.StatusBadRequest, "请给出"+schema.MetaField("year").Label+"（year 参数），如 year=2025")
		return 0, false
	case err != nil || y < 2000 || y > 2100:
		Fail(w, http.StatusBadRequest, schema.MetaField("year").Label+"“"+s+"”不合理：请填四位数字的年份，如 2025")
		return 0, false
	}
	return y, true
}

func (a *App) sendTemplate(w http.ResponseWriter, r *schema.Report, format string) {
	name, data, ok := a.encodeTemplate(w, r, format)
	if !ok {
		return
	}
	exitHeader(w, 0)
	SendFile(w, name, contentTypes[strings.TrimPrefix(path.Ext(name), ".")], data)
}

// encodeTemplate writes a template as format (xlsx, the default, or yaml)
// and names it as nianbao init does; !ok means it answered.
func (a *App) encodeTemplate(w http.ResponseWriter, r *schema.Report, format string) (name string, data []byte, ok bool) {
	format = strings.ToLower(strings.TrimSpace(format))
	if format == "" {
		format = "xlsx"
	}
	ext, ok := writeFormats[format]
	if !ok {
		Fail(w, http.StatusBadRequest, fmt.Sprintf("未知的模板类型“%s”：可用 xlsx 或 yaml", format))
		return "", nil, false
	}
	name, data, err := encode(r, ext)
	if err != nil {
		Fail(w, http.StatusInternalServerError, "无法生成模板："+a.explain(nil, err))
		return "", nil, false
	}
	return name, data, true
}

// encode writes a report as ext (.xlsx or .yaml), named as nianbao init
// names its template.
func encode(r *schema.Report, ext string) (name string, data []byte, err error) {
	var buf bytes.Buffer
	if err := template.Encode(&buf, "template"+ext, r); err != nil {
		return "", nil, err
	}
	return outdir.NameFor(r.Meta.Agency.Value, strings.TrimPrefix(r.Title(), r.Meta.Agency.Value)+"填报表") + ext, buf.Bytes(), nil
}

// Workbook is a report as the Excel workbook 保存为 Excel downloads, named
// as nianbao init names it: what a server stores when the page saves the
// form to it, so the stored file is the one the unit would have uploaded.
func Workbook(r *schema.Report) (name string, data []byte, err error) { return encode(r, ".xlsx") }

// pageResult is the page's answer for a report (POST /api/v1/report): the
// check JSON, the report as the form holds it, and for each finding the
// page keys of what it is about.
type pageResult struct {
	Check any `json:"check"`
	// Summary is the verdict line nianbao check prints (Result.Summary),
	// so the page and the CLI say the same words.
	Summary string     `json:"summary,omitempty"`
	Model   *Model     `json:"model,omitempty"`
	Targets [][]string `json:"targets"`
	Error   string     `json:"error,omitempty"`
}

// report answers POST /api/v1/report, the page's one call for 校验 and
// 填写: a file or the form's model in, findings and model out.
func (a *App) report(w http.ResponseWriter, r *http.Request) {
	in, herr := a.Read(r, true)
	if herr != nil {
		exitHeader(w, 2)
		writeJSON(w, herr.Status, pageResult{Error: herr.Msg, Targets: [][]string{}})
		return
	}
	res := Check(in)
	at := places(in.Report)
	targets := make([][]string, len(res.Findings))
	for i, f := range res.Findings {
		keys := []string{}
		for _, l := range append([]schema.Location{f.Location}, f.Related...) {
			if k, ok := at[locString(l)]; ok {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 && f.Section != "" {
			keys = append(keys, f.Section)
		}
		targets[i] = keys
	}
	exitHeader(w, res.ExitCode())
	writeJSON(w, http.StatusOK, pageResult{Check: res.JSON(), Summary: res.Summary(), Model: modelOf(in.Report), Targets: targets})
}

// format answers GET /api/v1/format: the declarations the page draws from.
func (a *App) format(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(a.declare)
}

// index serves the page with this start's token.
func (a *App) index(w http.ResponseWriter, r *http.Request) {
	page, err := fsRead(a.static, "index.html")
	if err != nil {
		Fail(w, http.StatusInternalServerError, "页面缺失")
		return
	}
	page = bytes.Replace(page, []byte("{{TOKEN}}"), []byte(url.QueryEscape(a.tokenFor(r))), 1)
	target := ""
	if a.opt.Target != nil {
		if t := a.opt.Target(r); t != nil {
			js, err := json.Marshal(t)
			if err != nil {
				Fail(w, http.StatusInternalServerError, "页面缺失")
				return
			}
			target = html.EscapeString(string(js))
		}
	}
	page = bytes.Replace(page, []byte("{{TARGET}}"), []byte(target), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Write(page)
}

// pageCSP: the page runs only its own script and talks only to this
// server; the sandboxed preview frame inherits it. Inline styles are
// allowed because the report's own HTML carries its style sheet.
const pageCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"connect-src 'self'; frame-src 'self' blob:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

func (a *App) asset(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path
	data, err := fsRead(a.static, name)
	if err != nil || name == "index.html" {
		Fail(w, http.StatusNotFound, "没有这个文件")
		return
	}
	switch path.Ext(name) {
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

func fsRead(fsys fs.FS, name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
