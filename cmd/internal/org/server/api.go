package server

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/nianbao/nianbao/cmd/internal/org/auth"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/schema"
)

// The JSON of the collection server's API. Field names are a public
// contract, like the browser app's.

type jsonSession struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Unit  int64  `json:"unit,omitempty"`
	CSRF  string `json:"csrf"`
}

func sessionJSON(s *store.Session) jsonSession {
	return jsonSession{Login: s.Account.Login, Name: s.Account.Name, Role: string(s.Account.Role), Unit: s.Account.UnitID, CSRF: s.CSRF}
}

// apiSession answers GET /api/v1/session: who is logged in, and the CSRF
// token a script sends with its POSTs (X-CSRF-Token).
func (c *call) apiSession() error {
	c.json(http.StatusOK, sessionJSON(c.sess))
	return nil
}

type jsonUnit struct {
	ID     int64             `json:"id"`
	Listed bool              `json:"listed"`
	Fields map[string]string `json:"fields"` // by schema.RosterFields key
}

func unitJSON(u store.Unit) jsonUnit {
	f := map[string]string{}
	for _, rf := range schema.RosterFields {
		f[rf.Key] = u.Fields[rf.Key]
	}
	return jsonUnit{ID: u.ID, Listed: u.Listed, Fields: f}
}

type jsonField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// apiRoster answers GET /api/v1/roster: every unit ever on the roster.
func (c *call) apiRoster() error {
	us, err := c.s.store.Units(c.r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Fields []jsonField `json:"fields"`
		Units  []jsonUnit  `json:"units"`
	}{Units: []jsonUnit{}}
	for _, rf := range schema.RosterFields {
		out.Fields = append(out.Fields, jsonField{rf.Key, rf.Label})
	}
	for _, u := range us {
		out.Units = append(out.Units, unitJSON(u))
	}
	c.json(http.StatusOK, out)
	return nil
}

type jsonStatus struct {
	Unit               int64  `json:"unit"`
	Agency             string `json:"agency"`
	State              string `json:"state"`
	Late               bool   `json:"late"`
	Due                string `json:"due"`
	EditedAfterPublish bool   `json:"edited_after_publish"`
	EditedAfterReturn  bool   `json:"edited_after_return"`
	Round              int    `json:"round"`
	Versions           int    `json:"versions"`
	Errors             int    `json:"errors"`
	Warnings           int    `json:"warnings"`
	Updated            string `json:"updated,omitempty"`
}

func statusJSON(l Line) jsonStatus {
	j := jsonStatus{Unit: l.Unit.ID, Agency: l.Unit.Agency(), State: string(l.Status.State), Late: l.Late, Due: l.Due.Format("2006-01-02"),
		EditedAfterPublish: l.Status.EditedAfterPublish, EditedAfterReturn: l.Status.Reworked, Round: l.Status.Round, Versions: l.Versions}
	if l.Latest != nil {
		j.Errors, j.Warnings, j.Updated = l.Latest.Errors, l.Latest.Warnings, l.Latest.CreatedAt
	}
	return j
}

// apiStatus answers GET /api/v1/status[?year=]: the board as JSON for
// the office; a unit's account gets its own line only.
func (c *call) apiStatus() error {
	year, err := c.yearParam()
	if err != nil {
		return err
	}
	var only int64
	if !auth.CanSeeBoard(c.acct()) {
		only = c.acct().UnitID
		if only == 0 {
			return errorf(http.StatusForbidden, "没有权限")
		}
	}
	ls, err := c.s.lines(c.r.Context(), year, only)
	if err != nil {
		return err
	}
	out := struct {
		Year  int          `json:"year"`
		Units []jsonStatus `json:"units"`
	}{Year: year, Units: []jsonStatus{}}
	for _, l := range ls {
		out.Units = append(out.Units, statusJSON(l))
	}
	c.json(http.StatusOK, out)
	return nil
}

type jsonVersion struct {
	Seq      int             `json:"seq"`
	File     string          `json:"file"`
	SHA256   string          `json:"sha256"`
	Size     int64           `json:"size"`
	Errors   int             `json:"errors"`
	Warnings int             `json:"warnings"`
	Created  string          `json:"created"`
	Check    json.RawMessage `json:"check"` // nianbao check --format json of the version
}

type jsonEvent struct {
	ID      int64  `json:"id"`
	Action  string `json:"action"`
	State   string `json:"state"`
	Version int    `json:"version,omitempty"` // seq
	Note    string `json:"note,omitempty"`
	At      string `json:"at"`
}

type jsonComment struct {
	ID      int64  `json:"id"`
	Event   int64  `json:"event"`
	Target  string `json:"target,omitempty"`
	Text    string `json:"text"`
	Answers int64  `json:"answers,omitempty"`
	At      string `json:"at"`
}

type jsonPublication struct {
	Version     int    `json:"version"`
	PDFSHA256   string `json:"pdf_sha256"`
	PublishedOn string `json:"published_on"`
}

// apiReport answers GET /api/v1/reports/{unit}/{year}: the report's
// status, every version with its findings, the workflow's steps, the
// comments and answers, and the publications.
func (c *call) apiReport() error {
	ctx := c.r.Context()
	l, err := c.s.line(ctx, *c.unit, c.year)
	if err != nil {
		return err
	}
	vs, err := c.s.store.Versions(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	seq := map[int64]int{}
	out := struct {
		Unit         jsonUnit          `json:"unit"`
		Year         int               `json:"year"`
		Status       jsonStatus        `json:"status"`
		Versions     []jsonVersion     `json:"versions"`
		Events       []jsonEvent       `json:"events"`
		Comments     []jsonComment     `json:"comments"`
		Publications []jsonPublication `json:"publications"`
	}{Unit: unitJSON(*c.unit), Year: c.year, Status: statusJSON(l), Versions: []jsonVersion{}, Events: []jsonEvent{},
		Comments: []jsonComment{}, Publications: []jsonPublication{}}
	for _, v := range vs {
		seq[v.ID] = v.Seq
		js := json.RawMessage(v.Findings)
		if !json.Valid(js) {
			js = json.RawMessage("null")
		}
		out.Versions = append(out.Versions, jsonVersion{Seq: v.Seq, File: v.FileName, SHA256: v.SHA256, Size: v.Size,
			Errors: v.Errors, Warnings: v.Warnings, Created: v.CreatedAt, Check: js})
	}
	evs, err := c.s.store.Events(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	for _, e := range evs {
		out.Events = append(out.Events, jsonEvent{ID: e.ID, Action: e.Action, State: e.State, Version: seq[e.VersionID], Note: e.Note, At: e.At})
	}
	cs, err := c.s.store.Comments(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	for _, cm := range cs {
		out.Comments = append(out.Comments, jsonComment{ID: cm.ID, Event: cm.EventID, Target: cm.Target, Text: cm.Text, Answers: cm.Answers, At: cm.At})
	}
	ps, err := c.s.store.Publications(ctx, c.unit.ID, c.year)
	if err != nil {
		return err
	}
	for _, p := range ps {
		out.Publications = append(out.Publications, jsonPublication{Version: seq[p.VersionID], PDFSHA256: p.PDFSHA256, PublishedOn: p.PublishedOn})
	}
	c.json(http.StatusOK, out)
	return nil
}

// apiUpload answers POST /api/v1/reports/{unit}/{year} (multipart, file):
// the file is stored as the report's next version (saved as a draft) and
// its check JSON returned, 201 with the exit header of nianbao check.
func (c *call) apiUpload() error {
	v, res, err := c.uploaded()
	if err != nil {
		return err
	}
	c.w.Header().Set(web.ExitHeader, strconv.Itoa(res.ExitCode()))
	c.json(http.StatusCreated, struct {
		Version int `json:"version"`
		Check   any `json:"check"`
	}{v.Seq, res.JSON()})
	return nil
}

// apiSubmit answers POST /api/v1/reports/{unit}/{year}/submit (form
// fields as the page's: version, answer-ID): the latest version submitted
// through the gate; 422 with the blocking findings when refused.
func (c *call) apiSubmit() error {
	seq, err := c.doSubmit()
	if err != nil {
		return err
	}
	c.json(http.StatusOK, map[string]any{"version": seq, "state": string(workflow.Pending)})
	return nil
}

// apiReview answers POST /api/v1/reports/{unit}/{year}/review (decision
// approve|return, note, target/comment, cell-target/cell-comment).
func (c *call) apiReview() error {
	action, err := c.doReview()
	if err != nil {
		return err
	}
	st, _ := workflow.Next(workflow.Pending, action, c.acct().Role)
	c.json(http.StatusOK, map[string]any{"action": string(action), "state": string(st)})
	return nil
}
