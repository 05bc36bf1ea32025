// Package client is the collection server's client of another collection
// server: a county office hands its approved 本行政区域汇总 up to the city's
// server as the county's unit report. It logs in with the county's unit
// account on the city's server and uses the endpoints any unit uses (POST
// /login, POST /api/v1/reports/{unit}/{year}, the submission), so the
// city's server sees an ordinary unit upload whose 报告主体类型 is
// 本行政区域汇总 — one tool at each level, 乡镇 → 县 → 市.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Session is the account logged in on the other server (its
// /api/v1/session answer).
type Session struct {
	Login string `json:"login"`
	Name  string `json:"name"`
	Role  string `json:"role"`
	Unit  int64  `json:"unit"`
	CSRF  string `json:"csrf"`
}

// Client is a session on another collection server.
type Client struct {
	base    *url.URL
	http    *http.Client
	Session Session
}

// Error is a request the other server refused: its HTTP status and its
// Chinese message.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("上级服务器拒绝了请求（HTTP %d）：%s", e.Status, e.Message)
}

// maxAnswer bounds what is read of an answer.
const maxAnswer = 16 << 20

// Login opens a session on the server at base (http:// or https://) with
// a unit account. hc may be nil (a client with a 60-second timeout); its
// cookie jar, if it has none, is set.
func Login(ctx context.Context, base, login, password string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("上级服务器地址“%s”无效：应为 http:// 或 https:// 开头的地址", base)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	c := &Client{base: u, http: hc}
	if c.http.Jar == nil {
		c.http.Jar, _ = cookiejar.New(nil)
	}
	form := url.Values{"login": {login}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url("/login"), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := c.do(req, http.StatusOK, &c.Session); err != nil {
		return nil, err
	}
	if c.Session.Unit == 0 {
		return nil, fmt.Errorf("账号 %s 在上级服务器上是%s账号，不是填报单位账号：请用上级为本单位开设的账号", login, c.Session.Role)
	}
	return c, nil
}

// url is the address of path (with an optional ?query) on the server.
func (c *Client) url(path string) string {
	u := *c.base
	p, q, _ := strings.Cut(path, "?")
	u.Path = strings.TrimRight(u.Path, "/") + p
	u.RawQuery = q
	return u.String()
}

// do sends req and decodes a JSON answer of status want into out; any
// other answer is an *Error.
func (c *Client) do(req *http.Request, want int, out any) error {
	_, err := c.send(req, want, out)
	return err
}

// send is do, returning the answer's header.
func (c *Client) send(req *http.Request, want int, out any) (http.Header, error) {
	req.Header.Set("Accept", "application/json")
	if c.Session.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.Session.CSRF)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("无法连接上级服务器 %s：%w", c.base.Host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, fmt.Errorf("读取上级服务器的答复失败：%w", err)
	}
	if resp.StatusCode != want {
		var e struct {
			Error string `json:"error"`
		}
		msg := strings.TrimSpace(string(body))
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		return nil, &Error{Status: resp.StatusCode, Message: msg}
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return nil, fmt.Errorf("上级服务器的答复不是预期的 JSON：%w", err)
		}
	}
	return resp.Header, nil
}

// Upload is the answer to an upload: the version's number on the other
// server and its findings (nianbao check --format json).
type Upload struct {
	Version int             `json:"version"`
	Check   json.RawMessage `json:"check"`
	// Exit is the exit code nianbao check would give (X-Nianbao-Exit):
	// 0 fit to publish, 1 errors.
	Exit int `json:"-"`
}

// Upload sends a report file as the next version of the account's unit
// report for year.
func (c *Client) Upload(ctx context.Context, year int, name string, data []byte) (*Upload, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return nil, err
	}
	fw.Write(data)
	if err := mw.Close(); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(c.reportPath(year)), &body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var up Upload
	h, err := c.send(req, http.StatusCreated, &up)
	if err != nil {
		return nil, err
	}
	up.Exit, _ = strconv.Atoi(h.Get("X-Nianbao-Exit"))
	return &up, nil
}

func (c *Client) reportPath(year int) string {
	return fmt.Sprintf("/api/v1/reports/%d/%d", c.Session.Unit, year)
}

// Submit submits version seq (the latest) of the account's report for
// year for review.
func (c *Client) Submit(ctx context.Context, year, seq int) error {
	form := url.Values{"version": {strconv.Itoa(seq)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(c.reportPath(year)+"/submit"), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req, http.StatusOK, nil)
}

// Status is the account's report for year on the other server, as its
// /api/v1/status answers.
type Status struct {
	Unit     int64  `json:"unit"`
	Agency   string `json:"agency"`
	State    string `json:"state"`
	Late     bool   `json:"late"`
	Round    int    `json:"round"`
	Versions int    `json:"versions"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
}

// Status returns where the account's report for year stands.
func (c *Client) Status(ctx context.Context, year int) (*Status, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url(fmt.Sprintf("/api/v1/status?year=%d", year)), nil)
	if err != nil {
		return nil, err
	}
	var out struct {
		Units []Status `json:"units"`
	}
	if err := c.do(req, http.StatusOK, &out); err != nil {
		return nil, err
	}
	for _, s := range out.Units {
		if s.Unit == c.Session.Unit {
			return &s, nil
		}
	}
	return nil, errors.New("上级服务器没有返回本单位的状态")
}

// Base is the other server's address.
func (c *Client) Base() string { return c.base.String() }
