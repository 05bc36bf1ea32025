package errtext

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// TestExplain: an error of the operating system or of a library is shown
// in Chinese; a reader's Chinese error is kept as it is.
func TestExplain(t *testing.T) {
	pe := func(op string, err error) error { return &fs.PathError{Op: op, Path: "/out/a.pdf", Err: err} }
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"not exist", pe("open", syscall.ENOENT), "文件或文件夹不存在（/out/a.pdf）"},
		{"connection refused", &url.Error{Op: "Post", URL: "https://x/login", Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}, "对方拒绝连接（这个地址的这个端口上没有运行服务）"},
		{"no such host", &url.Error{Op: "Post", URL: "https://x/login", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nianbao.example", IsNotFound: true}}}, "找不到主机名 nianbao.example（地址写错了，或本机的域名解析（DNS）设置不对）"},
		{"timeout", &url.Error{Op: "Post", URL: "https://x/login", Err: context.DeadlineExceeded}, "连接超时（对方没有答复：地址或端口不对、对方没有运行，或被防火墙拦截）"},
		{"network, other", &net.OpError{Op: "read", Err: errors.New("something odd")}, "网络连接失败（请检查地址、网络和对方服务器）"},
		{"a deadline that is not the network's", context.DeadlineExceeded, "系统错误（context deadline exceeded）"},
		{"permission", pe("open", syscall.EACCES), "没有权限（/out/a.pdf）"},
		{"disk full", pe("write", syscall.ENOSPC), "磁盘空间不足（/out/a.pdf）"},
		{"read-only", pe("open", syscall.EROFS), "磁盘或文件夹是只读的（/out/a.pdf）"},
		{"not a folder", pe("mkdir", syscall.ENOTDIR), "路径中有一段不是文件夹（/out/a.pdf）"},
		{"a folder", pe("open", syscall.EISDIR), "这是一个文件夹（/out/a.pdf）"},
		{"closed pipe", pe("write", syscall.EPIPE), "接收输出的程序已关闭（/out/a.pdf）"},
		{"wrapped", fmt.Errorf("write: %w", syscall.ENOSPC), "磁盘空间不足"},
		{"unknown", errors.New("zip: not a valid zip file"), "系统错误（zip: not a valid zip file）"},
		{"reader", schema.Unusable(schema.Location{File: "a.yaml"}, "文件为空，不是年度报告", nil), "a.yaml：文件为空，不是年度报告"},
		{"input", fmt.Errorf("a.yaml: %w", ErrWouldOverwriteInput), "输出文件与输入文件相同，不会覆盖输入"},
		{"chinese made here", Errorf("字体 %s 无法载入：%w", "黑体", errors.New("bad table")), "字体 黑体 无法载入：bad table"},
		// issue 15, defect 7: a message holding any Han character was taken
		// as already translated, so OS errors on Chinese paths stayed English
		{"exists, Chinese path", &os.LinkError{Op: "rename", Old: "/输出/.总览.html.nianbao-1.tmp", New: "/输出/总览.html", Err: syscall.EEXIST}, "文件已存在（/输出/总览.html）"},
		{"disk full, Chinese path", &fs.PathError{Op: "write", Path: "/输出/某某局2024年报告.pdf", Err: syscall.ENOSPC}, "磁盘空间不足（/输出/某某局2024年报告.pdf）"},
		{"not empty, Chinese path", &fs.PathError{Op: "remove", Path: "/输出/某某局", Err: syscall.ENOTEMPTY}, "文件夹不是空的（/输出/某某局）"},
		{"name too long", &fs.PathError{Op: "open", Path: "/输出/长", Err: syscall.ENAMETOOLONG}, "文件名过长（/输出/长）"},
		{"English library message with Chinese in it", errors.New("zip: not a valid zip file: 报告.xlsx"), "系统错误（zip: not a valid zip file: 报告.xlsx）"},
		{"wrapped reader error", fmt.Errorf("read: %w", schema.Unusable(schema.Location{File: "a.yaml"}, "文件为空，不是年度报告", nil)), "a.yaml：文件为空，不是年度报告"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Explain(tt.err); got != tt.want {
				t.Errorf("Explain() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKnown(t *testing.T) {
	if !Known(&fs.PathError{Op: "open", Path: "a", Err: syscall.ENOSPC}) || !Known(Errorf("中文")) || !Known(nil) {
		t.Error("a known error is not")
	}
	if Known(errors.New("sql: database is closed")) || Known(fmt.Errorf("x: %w", errors.New("y"))) {
		t.Error("an unknown error is known")
	}
}
