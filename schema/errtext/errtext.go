// Package errtext words errors in Chinese for the people who use nianbao:
// the commands, batch and the web app all show the same messages.
//
// An error is explained from its kind, never from its text: the project's
// own errors carry their Chinese wording (they implement Chinese: a
// reader's schema.InputError, an output folder's outdir.Error, Errorf), an
// error of the operating system is recognised with errors.Is on its kind
// (fs.ErrExist, syscall.ENOSPC, …) and named with its path, and anything
// else is marked 系统错误.
package errtext

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"syscall"

	"github.com/nianbao/nianbao/schema"
)

// ErrWouldOverwriteInput is returned when an output path names an input.
var ErrWouldOverwriteInput = errors.New("output would overwrite an input")

// Chinese is implemented by an error that carries its own wording for
// people: Explain shows it (an empty wording means the error's kind
// explains it).
type Chinese interface {
	error
	Chinese() string
}

// Errorf is fmt.Errorf for a message worded in Chinese where the error is
// made: Explain shows it as it is. %w wraps as in fmt.Errorf.
func Errorf(format string, a ...any) error {
	return &text{err: fmt.Errorf(format, a...)}
}

type text struct{ err error }

func (t *text) Error() string   { return t.err.Error() }
func (t *text) Unwrap() error   { return errors.Unwrap(t.err) }
func (t *text) Chinese() string { return t.err.Error() }

// kinds names the errors of the operating system, by kind, in order.
var kinds = append([]struct {
	err error
	why string
}{
	{fs.ErrNotExist, "文件或文件夹不存在"},
	{fs.ErrPermission, "没有权限"},
	{syscall.ENOTEMPTY, "文件夹不是空的"}, // before ErrExist, which it matches too
	{fs.ErrExist, "文件已存在"},
	{syscall.ENOSPC, "磁盘空间不足"},
	{syscall.EDQUOT, "磁盘配额已用完"},
	{syscall.EROFS, "磁盘或文件夹是只读的"},
	{syscall.ENOTDIR, "路径中有一段不是文件夹"},
	{syscall.EISDIR, "这是一个文件夹"},
	{syscall.ENAMETOOLONG, "文件名过长"},
	{syscall.ELOOP, "链接层数过多"},
	{syscall.EXDEV, "不能跨磁盘移动文件"},
	{syscall.EBUSY, "文件正在被其他程序使用"},
	{syscall.EMFILE, "打开的文件过多"},
	{syscall.EIO, "磁盘读写错误"},
	{syscall.EPIPE, "接收输出的程序已关闭"},
	{fs.ErrClosed, "文件已关闭"},
}, osKinds...)

// Explain says in Chinese what went wrong: the error's own Chinese wording
// (Chinese), a reader's error (wrapping schema.ErrUnusable), or the kind of
// an error of the operating system with its path; anything else is marked
// 系统错误 so that an English library message never stands alone.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var zh Chinese
	if errors.As(err, &zh) {
		if msg := zh.Chinese(); msg != "" {
			return msg
		}
	}
	if errors.Is(err, schema.ErrUnusable) {
		return err.Error()
	}
	if errors.Is(err, ErrWouldOverwriteInput) {
		return "输出文件与输入文件相同，不会覆盖输入"
	}
	if why := netWhy(err); why != "" {
		return why
	}
	why := ""
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			why = k.why
			break
		}
	}
	if why == "" {
		return fallback + err.Error() + "）"
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		why += "（" + pe.Path + "）"
	case errors.As(err, &le):
		why += "（" + le.New + "）"
	}
	return why
}

// fallback begins the wording of an error Explain does not know.
const fallback = "系统错误（"

// Known reports whether Explain has a wording of err's own, rather than
// its fallback that shows the error's text (系统错误（…）): a server shows
// an unknown error to people as a reference number instead, and keeps the
// text in its log.
func Known(err error) bool {
	return err == nil || !strings.HasPrefix(Explain(err), fallback)
}

// netWhy says what went wrong with a network connection (a request to
// another server), or "" for an error that is not one.
func netWhy(err error) string {
	var (
		ue  *url.Error
		op  *net.OpError
		dns *net.DNSError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		rh  tls.RecordHeaderError
	)
	isNet := errors.As(err, &ue) || errors.As(err, &op) || errors.As(err, &dns)
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "找不到主机名 " + dns.Name + "（地址写错了，或本机的域名解析（DNS）设置不对）"
		}
		return "无法解析主机名 " + dns.Name + "（本机的域名解析（DNS）服务没有答复）"
	case errors.As(err, &ua):
		return "对方的 HTTPS 证书不是受信任的机构签发的（自签名证书？请让对方换用正式证书，或把其根证书装入本机）"
	case errors.As(err, &hn):
		return "对方的 HTTPS 证书与地址中的主机名不符（地址写错了，或证书不是这台服务器的）"
	case errors.As(err, &ci):
		return "对方的 HTTPS 证书无效或已过期"
	case errors.As(err, &rh):
		return "对方不是 HTTPS 服务（这个端口上运行的是不加密的 http？）"
	case !isNet:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "对方拒绝连接（这个地址的这个端口上没有运行服务）"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "连接被对方中断"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "网络不通（到对方的网络不可达）"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return "连接超时（对方没有答复：地址或端口不对、对方没有运行，或被防火墙拦截）"
	case errors.Is(err, context.Canceled):
		return "请求已取消"
	}
	return "网络连接失败（请检查地址、网络和对方服务器）"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
