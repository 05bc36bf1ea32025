package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
)

// The office's accounts (nianbao org account add|link|disable|enable, in
// the browser): a new account and a new one-time setup link are shown
// once, to the administrator who made them.

// setupLink is the one-time link of token on this server: at its public
// address (--public-url) when it has one, never at a Host header a
// request may forge; otherwise as the browser reached it.
func (c *call) setupLink(token string) string {
	q := url.Values{"token": {token}}.Encode()
	if c.s.opt.PublicURL != "" {
		return c.s.opt.PublicURL + "/setup?" + q
	}
	scheme := "http"
	if c.r.TLS != nil || c.s.opt.Secure {
		scheme = "https"
	}
	return (&url.URL{Scheme: scheme, Host: c.r.Host, Path: "/setup", RawQuery: q}).String()
}

func (c *call) accountsPage() error {
	accts, err := c.s.store.Accounts(c.r.Context())
	if err != nil {
		return err
	}
	units, err := c.s.store.Units(c.r.Context())
	if err != nil {
		return err
	}
	names := map[int64]string{}
	taken := map[int64]bool{}
	for _, a := range accts {
		taken[a.UnitID] = true
	}
	var free []store.Unit
	for _, u := range units {
		names[u.ID] = u.Agency()
		if u.Listed && !taken[u.ID] {
			free = append(free, u)
		}
	}
	c.page(http.StatusOK, "accounts", map[string]any{"Title": "账号", "Accounts": accts, "Units": names, "Free": free,
		"Roles": store.Roles, "Msg": c.msg()})
	return nil
}

func (c *call) accountAdd() error {
	if err := c.r.ParseForm(); err != nil {
		return c.bodyError(err)
	}
	f := c.r.PostForm
	role := store.Role(f.Get("role"))
	var unit int64
	name := strings.TrimSpace(f.Get("name"))
	if role == store.RoleUnit {
		id, err := strconv.ParseInt(f.Get("unit"), 10, 64)
		if err != nil {
			return errorf(http.StatusBadRequest, "填报单位的账号请选择名单中的单位")
		}
		u, err := c.s.store.Unit(c.r.Context(), id)
		if err != nil {
			return errorf(http.StatusBadRequest, "名单中没有这个单位")
		}
		unit = u.ID
		if name == "" {
			name = u.Agency()
		}
	}
	login := strings.TrimSpace(f.Get("login"))
	if name == "" {
		name = login
	}
	acct, token, err := c.s.store.CreateAccount(c.r.Context(), c.actor(), login, name, role, unit)
	switch {
	case errors.Is(err, store.ErrLoginTaken):
		return errorf(http.StatusConflict, "登录名“%s”已被使用", login)
	case errors.Is(err, store.ErrLoginInvalid):
		return errorf(http.StatusBadRequest, "登录名不能为空，最多 64 个字符")
	case errors.Is(err, store.ErrUnitTaken):
		return errorf(http.StatusConflict, "这个单位已有账号（每个单位一个账号）；忘记密码请重新发放链接")
	case errors.Is(err, store.ErrBadRole):
		return errorf(http.StatusBadRequest, "请选择角色；填报单位的账号要选择单位")
	case err != nil:
		return err
	}
	return c.showLink(acct, token, fmt.Sprintf("已新建%s账号 %s。", acct.Role, acct.Login))
}

// showLink shows a new setup link once.
func (c *call) showLink(acct *store.Account, token, what string) error {
	c.page(http.StatusOK, "done", map[string]any{"Title": "设置密码链接", "Back": "/accounts",
		"Message": fmt.Sprintf("%s请把下面的一次性链接交给账号使用人，用它设置密码（%d 天内有效，只能用一次；这个页面关闭后不再显示）：",
			what, int(store.SetupLinkLife.Hours()/24)), "Link": c.setupLink(token)})
	return nil
}

// accountID is the {id} of the path, an existing account.
func (c *call) accountID() (*store.Account, error) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errorf(http.StatusNotFound, "没有这个账号")
	}
	a, err := c.s.store.Account(c.r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "没有这个账号")
	}
	return a, err
}

func (c *call) accountLink() error {
	a, err := c.accountID()
	if err != nil {
		return err
	}
	token, err := c.s.store.IssueSetupLink(c.r.Context(), c.actor(), a.ID)
	if err != nil {
		return err
	}
	return c.showLink(a, token, fmt.Sprintf("已为账号 %s 发放新的设置密码链接，以前的链接已失效。", a.Login))
}

// accountState disables (field disabled=1) or enables an account; an
// administrator cannot disable their own.
func (c *call) accountState() error {
	a, err := c.accountID()
	if err != nil {
		return err
	}
	disable := c.r.PostFormValue("disabled") == "1"
	if disable && a.ID == c.acct().ID {
		return errorf(http.StatusConflict, "不能停用自己正在使用的账号")
	}
	if err := c.s.store.SetDisabled(c.r.Context(), c.actor(), a.ID, disable); err != nil {
		return err
	}
	what := "已启用"
	if disable {
		what = "已停用（其登录已全部失效）"
	}
	return c.redirect(c.withMsg("/accounts", "账号 "+a.Login+" "+what))
}
