package template

import (
	"io/fs"
	"os"

	"github.com/nianbao/nianbao/schema"
)

// openInput opens path for reading if it is a regular file (or a link to
// one), and refuses anything else at once with a Chinese error: a FIFO
// would block the read forever, a device never ends, a socket cannot be
// read as a file. The kind is checked before opening (which never
// blocks) and again on the opened file, opened without blocking, so a
// file swapped in between is refused too.
func openInput(path string) (*os.File, fs.FileInfo, error) {
	loc := schema.Location{File: path}
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, schema.Unusable(loc, "无法打开文件："+chineseIOError(err), err)
	}
	if err := regular(loc, st); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlocking, 0)
	if err != nil {
		return nil, nil, schema.Unusable(loc, "无法打开文件："+chineseIOError(err), err)
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, nil, schema.Unusable(loc, "无法读取文件："+chineseIOError(err), err)
	}
	if err := regular(loc, st); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, st, nil
}

// regular refuses a file that is not a regular file, naming what it is.
func regular(loc schema.Location, st fs.FileInfo) error {
	m := st.Mode()
	var what string
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		what = "一个文件夹"
	case m&fs.ModeNamedPipe != 0:
		what = "一个命名管道（FIFO）"
	case m&fs.ModeSocket != 0:
		what = "一个套接字（socket）"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		what = "一个设备文件"
	default:
		what = "一个特殊文件"
	}
	return schema.Unusable(loc, "这是"+what+"，不是报告文件；nianbao 只读取普通文件，请给出报告文件本身", nil)
}
