package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/nianbao/nianbao/cmd/internal/org/server"
	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/schema/errtext"
)

type serveOptions struct {
	addr      string
	noBrowser bool
	hosts     string
	token     string
	org       bool
	db        string
	tlsCert   string
	tlsKey    string
	proxy     bool
	publicURL string
}

// runServe starts the local web app (nianbao serve); on Windows a
// double-click, which gives no arguments, does the same.
func runServe(e *env) int {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "", "`地址` 监听的地址和端口，如 127.0.0.1:8080；默认只在本机 127.0.0.1 上自动选一个空闲端口。0.0.0.0:8080 让同一网络的电脑都能访问")
	fs.BoolVar(&o.noBrowser, "no-browser", false, "不自动打开浏览器")
	fs.StringVar(&o.hosts, "host", "", "`名称` 用 --addr 对外服务时，网址中可用的其他主机名（逗号分隔，如 nianbao.example.gov.cn）")
	fs.StringVar(&o.token, "token", "", "`令牌` 固定的接口令牌（供脚本使用）；默认每次启动随机生成")
	fs.BoolVar(&o.org, "org", false, "运行收集服务器（政务公开办收集本行政区域各单位的报告），数据存在 --db 给出的数据库中")
	fs.StringVar(&o.db, "db", "nianbao-org.db", "`数据库` --org：SQLite 数据库文件（不存在时新建），或 PostgreSQL 的连接地址 postgres://…")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "`文件` --org：HTTPS 证书（PEM）；与 --tls-key 一起给出时用 HTTPS 服务")
	fs.StringVar(&o.tlsKey, "tls-key", "", "`文件` --org：HTTPS 私钥（PEM）")
	fs.StringVar(&o.publicURL, "public-url", "", "`地址` --org：用户在浏览器中输入的地址，如 https://nianbao.example.gov.cn。在 HTTPS 反向代理之后运行时给出：设置密码链接按它生成（不取请求的 Host 头），https:// 时会话 Cookie 带 Secure、答复带 HSTS。不给出时链接按浏览器访问的地址生成，只有 --tls-cert 时才带 Secure")
	fs.BoolVar(&o.proxy, "trust-proxy", false, "--org：服务在本机的反向代理之后，客户端地址取自 X-Forwarded-For 的最后一项，即代理追加的地址（用于操作日志和登录限制）")
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "用法：nianbao serve [--addr 127.0.0.1:8080] [--no-browser]")
		fmt.Fprintln(w, "      nianbao serve --org --db 数据库 [--addr 0.0.0.0:8443 --tls-cert 证书.pem --tls-key 私钥.pem]")
		fmt.Fprintln(w, "      nianbao serve --org --db 数据库 --addr 127.0.0.1:8080 --trust-proxy --public-url https://nianbao.example.gov.cn   # 在 HTTPS 反向代理之后")
		fmt.Fprintln(w, "在浏览器中填报、校验、预览和下载年度报告：不需要安装其他软件，不连接互联网。")
		fmt.Fprintln(w, "启动后显示网址并自动打开浏览器；关闭窗口或按 Ctrl+C 停止。")
		fmt.Fprintln(w, "\n参数：")
		printFlags(w, fs)
	}
	if code, ok := e.parseNone(fs, usage); !ok {
		return code
	}
	var misplaced []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "db", "tls-cert", "tls-key", "trust-proxy", "public-url":
			if !o.org {
				misplaced = append(misplaced, "--"+f.Name)
			}
		case "no-browser", "host", "token":
			if o.org {
				misplaced = append(misplaced, "--"+f.Name)
			}
		}
	})
	if len(misplaced) > 0 {
		if o.org {
			return e.errorf("%s 只用于本机网页（nianbao serve），收集服务器（--org）不用", strings.Join(misplaced, "、"))
		}
		return e.errorf("%s 只用于收集服务器：请加上 --org", strings.Join(misplaced, "、"))
	}
	if o.addr != "" {
		if _, _, err := net.SplitHostPort(o.addr); err != nil {
			return e.errorf("--addr 的取值“%s”无效：请写成 IP:端口，如 127.0.0.1:8080 或 0.0.0.0:8080", o.addr)
		}
	}
	var hosts []string
	for _, h := range strings.Split(o.hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.org {
		return runServeOrg(e, ctx, o)
	}
	err := web.Serve(ctx, web.ServeOptions{
		Addr: o.addr, Hosts: hosts, NoBrowser: o.noBrowser, Out: e.stdout,
		App: web.Options{Token: o.token},
	})
	if err != nil {
		return e.errorf("%s", err)
	}
	return 0
}

// runServeOrg runs the collection server (nianbao serve --org).
func runServeOrg(e *env, ctx context.Context, o serveOptions) int {
	if o.publicURL != "" {
		if _, err := server.ParsePublicURL(o.publicURL); err != nil {
			return e.errorf("--public-url：%s", errtext.Explain(err))
		}
	}
	s, code := openStore(e, ctx, o.db, false)
	if s == nil {
		return code
	}
	defer s.Close()
	if accts, err := s.Accounts(ctx); err == nil && len(accts) == 0 {
		fmt.Fprintf(e.stdout, "数据库中还没有账号：先用 nianbao org account add 登录名 --role 管理员 --db %s 新建政务公开办的账号。\n", o.db)
	}
	err := server.Serve(ctx, server.ServeOptions{Addr: o.addr, TLSCert: o.tlsCert, TLSKey: o.tlsKey, Out: e.stdout,
		Server: server.Options{Store: s, TrustProxy: o.proxy, PublicURL: o.publicURL, Log: log.New(e.stderr, "nianbao：", log.LstdFlags)}})
	if err != nil {
		return e.errorf("%s", err)
	}
	return 0
}
