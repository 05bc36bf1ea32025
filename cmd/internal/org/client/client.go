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
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nianbao/nianbao/schema/errtext"
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

// Chinese is the message for people (errtext.Explain).
func (e *Error) Chinese() string { return e.Error() }

// Options configure Login.
type Options struct {
	// HTTP is the client to use (nil: one with a 60-second timeout); its
	// cookie jar, if it has none, is set.
	HTTP *http.Client
	// AllowHTTP lets the password and the report go in clear over http://
	// to another machine (nianbao org send --allow-http); without it only
	// https:// is used, and http:// only to this machine (loopback).
	AllowHTTP bool
}

// plainOK reports whether u may be reached over plain http: a loopback
// host, or AllowHTTP.
func (o Options) plainOK(u *url.URL) bool {
	if o.AllowHTTP {
		return true
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// maxAnswer bounds what is read of an answer.
const maxAnswer = 16 << 20

// Login opens a session on the server at base (https://, or http:// to
// this machine or with Options.AllowHTTP) with a unit account. A redirect
// to plain http is refused likewise.
func Login(ctx context.Context, base, login, password string, o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(strings.TrimSpace(base), "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errtext.Errorf("上级服务器地址“%s”无效：应为 https:// 开头的地址，如 https://nianbao.example.gov.cn", base)
	}
	if u.Scheme == "http" && !o.plainOK(u) {
		return nil, errtext.Errorf("上级服务器地址“%s”是不加密的 http://：密码和报告会以明文经过网络。请用 https:// 地址；确在单位内网中、明知其风险时，命令行加 --allow-http", base)
	}
	hc := o.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	c := &Client{base: u, http: hc}
	if c.http.Jar == nil {
		c.http.Jar, _ = cookiejar.New(nil)
	}
	if c.http.CheckRedirect == nil {
		c.http.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme == "http" && !o.plainOK(req.URL) {
				return errtext.Errorf("上级服务器把请求转到了不加密的地址 %s，已停止", req.URL.Redacted())
			}
			if len(via) >= 10 {
				return errtext.Errorf("上级服务器的转向过多")
			}
			return nil
		}
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
		return nil, errtext.Errorf("账号 %s 在上级服务器上是%s账号，不是填报单位账号：请用上级为本单位开设的账号", login, c.Session.Role)
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
		why := errtext.Explain(err)
		if errors.Is(err, http.ErrSchemeMismatch) {
			why = "对方不是 HTTPS 服务（这个端口上运行的是不加密的 http？）"
		}
		return nil, errtext.Errorf("无法连接上级服务器 %s：%s", c.base.Host, why)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return nil, errtext.Errorf("读取上级服务器的答复失败：%s", errtext.Explain(err))
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
			return nil, errtext.Errorf("上级服务器的答复无法识别（不是预期的 JSON）：地址是否是 nianbao 收集服务器？")
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
	return nil, errtext.Errorf("上级服务器没有返回本单位的状态")
}

// Base is the other server's address.
func (c *Client) Base() string { return c.base.String() }
