package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/web"
	"github.com/nianbao/nianbao/schema/errtext"
)

// ServeOptions configure Serve.
type ServeOptions struct {
	// Addr is where to listen (default 127.0.0.1:8080).
	Addr string
	// TLSCert and TLSKey are the certificate and key files of HTTPS; both
	// or neither. Under TLS the session cookie is Secure.
	TLSCert, TLSKey string
	// Server configures the handler (Secure is set from the TLS files).
	Server Options
	// Out receives the address and messages for the person who started it.
	Out io.Writer
	// Ready, if set, is called with the server's address once listening.
	Ready func(url string)
}

// Serve runs the collection server until ctx ends.
func Serve(ctx context.Context, o ServeOptions) error {
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return errtext.Errorf("HTTPS 需要同时给出证书（--tls-cert）和私钥（--tls-key）")
	}
	var tlsConfig *tls.Config
	if o.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			return errtext.Errorf("无法读取证书或私钥：%s", errtext.Explain(err))
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		o.Server.Secure = true
	}
	addr := o.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	if o.Server.Log == nil {
		o.Server.Log = log.New(io.Discard, "", 0)
	}
	h, err := New(o.Server)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return errtext.Errorf("无法在 %s 上监听：%s", addr, errtext.Explain(err))
	}
	defer ln.Close()
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String() + "/"
	fmt.Fprintf(out, "nianbao 收集服务器已启动：%s（数据库 %s）\n", url, o.Server.Store)
	public := h.opt.PublicURL
	if public != "" {
		fmt.Fprintf(out, "用户访问的地址：%s/（设置密码链接按这个地址生成）\n", public)
	}
	switch {
	case tlsConfig == nil && strings.HasPrefix(public, "https://"):
		fmt.Fprintln(out, "在 HTTPS 反向代理之后运行：会话 Cookie 带 Secure，答复带 HSTS；请只让代理访问这个端口。")
	case tlsConfig == nil:
		fmt.Fprintln(out, "注意：未使用 HTTPS（--tls-cert、--tls-key，或在 HTTPS 反向代理之后用 --public-url https://…），密码和报告以明文传输；只在单位内网这样运行。")
	}
	fmt.Fprintln(out, "按 Ctrl+C 停止服务。")
	return web.Run(ctx, h, ln, 10*time.Second, func() {
		if o.Ready != nil {
			o.Ready(url)
		}
	})
}
