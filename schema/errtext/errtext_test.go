package errtext

import (
	"errors"
	"fmt"
	"io/fs"
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
		{"chinese", errors.New("pdf: 字体 黑体 无法载入：bad table"), "pdf: 字体 黑体 无法载入：bad table"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Explain(tt.err); got != tt.want {
				t.Errorf("Explain() = %q, want %q", got, tt.want)
			}
		})
	}
}
