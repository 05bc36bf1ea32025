package web

import (
	"context"
	"errors"
	"fmt"
	"github.com/nianbao/nianbao/schema/errtext"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// ServeOptions configure Serve.
type ServeOptions struct {
	// Addr is where to listen; "" means 127.0.0.1 on a free port. An
	// address that is not loopback serves the whole network: Serve warns.
	Addr string
	// Hosts are extra host names the server answers to (an office server's
	// DNS name); its IP addresses, localhost and the machine's name always
	// work.
	Hosts []string
	// NoBrowser does not open the default browser.
	NoBrowser bool
	// App configures the handler (token, limits, fonts).
	App Options
	// Out receives the address and messages for the person who started it.
	Out io.Writer
	// Ready, if set, is called with the page's address once listening.
	Ready func(url string)
}

// Serve runs the web app until ctx ends.
func Serve(ctx context.Context, o ServeOptions) error {
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errtext.Errorf("无法在 %s 上监听：%s", addr, listenReason(err))
	}
	defer ln.Close()
	tcp := ln.Addr().(*net.TCPAddr)
	port := fmt.Sprint(tcp.Port)
	loopback := tcp.IP.IsLoopback()
	hosts := []string{net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("localhost", port), net.JoinHostPort("::1", port)}
	if !loopback {
		if name, err := os.Hostname(); err == nil && name != "" {
			hosts = append(hosts, net.JoinHostPort(name, port))
		}
		for _, h := range o.Hosts {
			hosts = append(hosts, net.JoinHostPort(h, port))
		}
		o.App.IPHosts = true
	}
	o.App.Hosts = append(o.App.Hosts, hosts...)
	if o.App.Log == nil {
		o.App.Log = log.New(io.Discard, "", 0)
	}
	app, err := New(o.App)
	if err != nil {
		return err
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	host := "127.0.0.1"
	if !loopback && !tcp.IP.IsUnspecified() {
		host = tcp.IP.String()
	}
	url := "http://" + net.JoinHostPort(host, port) + "/"
	fmt.Fprintf(out, "nianbao 已启动：请在浏览器中打开 %s\n", url)
	if !loopback {
		fmt.Fprintf(out, "注意：服务监听 %s，同一网络中的其他电脑也能访问（用本机的 IP 地址或机器名）。只在单位内网中这样使用。\n", ln.Addr())
	}
	fmt.Fprintf(out, "接口令牌（供脚本调用 POST 接口，请求头 %s）：%s\n", TokenHeader, app.Token())
	fmt.Fprintln(out, "关闭这个窗口（或按 Ctrl+C）即停止服务。填写的内容不会保存在这台电脑上，需要时请在网页中下载。")
	return Run(ctx, app, ln, 5*time.Second, func() {
		if o.Ready != nil {
			o.Ready(url)
		}
		if !o.NoBrowser {
			if err := OpenBrowser(url); err != nil {
				fmt.Fprintf(out, "未能自动打开浏览器（%v）：请手动打开上面的地址\n", err)
			}
		}
	})
}

// Run serves h on ln, for nianbao's web services (the local app and the
// collection server), until ctx is done, then lets requests in flight end
// for up to grace. started runs once the server accepts connections.
func Run(ctx context.Context, h http.Handler, ln net.Listener, grace time.Duration, started func()) error {
	srv := httpServer(h)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if started != nil {
		started()
	}
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		srv.Shutdown(sctx)
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return errtext.Errorf("服务中止：%v", err)
	}
}

func listenReason(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "address already in use"), strings.Contains(s, "Only one usage"):
		return "这个端口已被其他程序占用，请换一个端口（如 --addr 127.0.0.1:8081），或不加 --addr 自动选择"
	case strings.Contains(s, "permission denied"), strings.Contains(s, "access permissions"):
		return "没有权限使用这个端口（1024 以下的端口需要管理员权限）"
	case strings.Contains(s, "cannot assign requested address"), strings.Contains(s, "no such host"), strings.Contains(s, "missing port"):
		return "地址无效：请写成 IP:端口，如 127.0.0.1:8080 或 0.0.0.0:8080"
	}
	return "系统错误（" + s + "）"
}

// OpenBrowser opens url in the user's default browser.
func OpenBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	case "darwin":
		cmd = exec.Command("open", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// httpServer is the http.Server of Run for h: time limits for slow or
// stalled clients, a cap on headers, and no Go messages on the console.
func httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      3 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}
