// Package template reads and writes the files staff fill — the YAML file and
// the Excel workbook — and imports published reports, all into the one
// report model of package schema. It also builds new templates, blank or
// carried forward from last year's report.
package template

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/workbook"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// MaxInput is the largest input file read, in bytes.
const MaxInput = 64 << 20

// Open reads a report from a file of any kind nianbao reads.
func Open(path string) (*schema.Report, error) {
	in := InputOf(path)
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, schema.Unusable(schema.Location{File: path}, "这是一个文件夹，不是报告文件；请给出文件名（批量校验一个文件夹请用 nianbao batch）", nil)
	}
	if in == nil || in.Kind == Unknown {
		return nil, schema.Unusable(schema.Location{File: path}, unknownKind(path), nil)
	}
	f, st, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > MaxInput {
		return nil, schema.Unusable(schema.Location{File: path},
			fmt.Sprintf("文件过大（%d MB），超过 %d MB 的上限", st.Size()>>20, MaxInput>>20), nil)
	}
	if in.readAt != nil {
		return in.readAt(path, f, st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxInput+1))
	if err != nil {
		return nil, schema.Unusable(schema.Location{File: path}, "无法读取文件："+chineseIOError(err), err)
	}
	return Read(path, data)
}

// Read reads a report from bytes; name's extension picks the reader.
func Read(name string, data []byte) (*schema.Report, error) {
	in := InputOf(name)
	if in == nil || in.Kind == Unknown {
		return nil, schema.Unusable(schema.Location{File: name}, unknownKind(name), nil)
	}
	if in.Text {
		if what := binaryKind(data); what != "" {
			return nil, schema.Unusable(schema.Location{File: name},
				fmt.Sprintf("这是%s，不是文字文件（扩展名 %s 可能被改过）；%s", what, filepath.Ext(name), supported), nil)
		}
	}
	return in.read(name, data)
}

// binaryKind names the kind of a binary file by its first bytes, or "".
func binaryKind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF")):
		return " PDF 文件"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return " Word 文档或 Excel 工作簿（.docx、.xlsx）"
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "旧版 Office 文件（.doc、.xls）"
	}
	return ""
}

// Encode writes r in the kind of file path names (.yaml or .xlsx).
func Encode(w io.Writer, path string, r *schema.Report) error {
	switch KindOf(path) {
	case YAML:
		_, err := w.Write(yamlfile.Write(r))
		return err
	case Workbook:
		return workbook.Write(w, r)
	}
	return fmt.Errorf("cannot write %s: only .yaml and .xlsx are written", path)
}

func chineseIOError(err error) string {
	switch {
	case os.IsNotExist(err):
		return "文件不存在"
	case os.IsPermission(err):
		return "没有读取权限"
	}
	return err.Error()
}
