package template

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// TestOpenWrongFiles: a file nianbao cannot read gets a Chinese message that
// tells a member of staff what the file is and what to do with it.
func TestOpenWrongFiles(t *testing.T) {
	dir := t.TempDir()
	pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	zip := []byte("PK\x03\x04\x14\x00\x06\x00")
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	if err := os.Mkdir(filepath.Join(dir, "reports.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte // nil: the path is the directory made above
		want string
	}{
		{"reports.yaml", nil, "这是一个文件夹"},
		{"报告.pdf", pdf, "没有找到任何页面"},
		{"报告.xls", ole, "另存为” .xlsx"},
		{"报告.doc", ole, "另存为” .docx"},
		{"报告.odt", zip, "无法识别的文件类型"},
		{"renamed.yaml", pdf, "这是 PDF 文件"},
		{"renamed.txt", pdf, "这是 PDF 文件"},
		{"renamed.yaml", zip, "Excel 工作簿"},
		{"renamed.html", ole, "旧版 Office 文件"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		if c.data != nil {
			path = filepath.Join(t.TempDir(), c.name)
			if err := os.WriteFile(path, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		_, err := Open(path)
		if !errors.Is(err, schema.ErrUnusable) {
			t.Errorf("%s: error %v, want an unusable-input error", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: message %q, want it to say %q", c.name, err, c.want)
		}
	}
}
