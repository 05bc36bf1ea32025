// Package errtext words errors in Chinese for the people who use nianbao:
// the commands, batch and the web app all show the same messages.
package errtext

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"unicode"

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

// Explain says in Chinese what went wrong. A reader's or renderer's error
// (wrapping schema.ErrUnusable, or worded in Chinese where it is made) is
// kept; an error of the operating system is named in Chinese with its path,
// and anything else is marked 系统错误 so that an English library message
// never stands alone.
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
	if errors.Is(err, schema.ErrUnusable) || strings.ContainsFunc(err.Error(), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return err.Error()
	}
	var why string
	switch {
	case errors.Is(err, ErrWouldOverwriteInput):
		return "输出文件与输入文件相同，不会覆盖输入"
	case errors.Is(err, fs.ErrNotExist):
		why = "文件或文件夹不存在"
	case errors.Is(err, fs.ErrPermission):
		why = "没有权限"
	case errors.Is(err, syscall.ENOSPC):
		why = "磁盘空间不足"
	case errors.Is(err, syscall.EROFS):
		why = "磁盘或文件夹是只读的"
	case errors.Is(err, syscall.ENOTDIR):
		why = "路径中有一段不是文件夹"
	case errors.Is(err, syscall.EISDIR):
		why = "这是一个文件夹"
	case errors.Is(err, syscall.EPIPE):
		why = "接收输出的程序已关闭"
	default:
		return "系统错误（" + err.Error() + "）"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		why += "（" + pe.Path + "）"
	}
	return why
}
