package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/web"
)

type serveOptions struct {
	addr      string
	noBrowser bool
	hosts     string
	token     string
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
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "用法：nianbao serve [--addr 127.0.0.1:8080] [--no-browser]")
		fmt.Fprintln(w, "在浏览器中填报、校验、预览和下载年度报告：不需要安装其他软件，不连接互联网。")
		fmt.Fprintln(w, "启动后显示网址并自动打开浏览器；关闭窗口或按 Ctrl+C 停止。")
		fmt.Fprintln(w, "\n参数：")
		printFlags(w, fs)
	}
	if code, ok := e.parseNone(fs, usage); !ok {
		return code
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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := web.Serve(ctx, web.ServeOptions{
		Addr: o.addr, Hosts: hosts, NoBrowser: o.noBrowser, Out: e.stdout,
		App: web.Options{Token: o.token},
	})
	if err != nil {
		return e.errorf("%s", err)
	}
	return 0
}
