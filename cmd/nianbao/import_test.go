package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/template/yamlfile"
)

const seeds = "../../template/published/testdata/seeds/"

func TestImport(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string // substrings of stdout+stderr
	}{
		{"2021 format", []string{"import", seeds + "000.txt", "-o", filepath.Join(dir, "000.yaml")}, 0,
			[]string{"机关名称：白山市", "报告年度：2022", "2021 年格式", "表三（收到和处理政府信息公开申请情况）：读取 175 / 175", "已写入",
				"机关类别：政府（由机关名称“白山市”推断，请核对）",
				"下一步：补填报告主体类型、机关层级（已发布的报告中没有）"}},
		{"2019 format", []string{"import", seeds + "001.txt", "-o", filepath.Join(dir, "001.yaml")}, 1,
			[]string{"旧格式", "国办公开办函〔2019〕60号", "政府集中采购", "001.txt:80", "表二（主动公开政府信息情况）：读取 0 / 10"}},
		{"tables missing", []string{"import", seeds + "004.txt", "-o", filepath.Join(dir, "004.yaml")}, 1,
			[]string{"缺失的表格（3 条）", "004.txt:28", "表四（政府信息公开行政复议、行政诉讼情况）：缺失", "004.txt:33  2022年我市政务公开工作"}},
		{"no publication date", []string{"import", seeds + "002.txt", "-o", filepath.Join(dir, "002.yaml")}, 0,
			[]string{"发布日期：未找到", "补填报告主体类型、机关层级、发布日期"}},
		{"to stdout", []string{"import", "-o", "-", seeds + "003.txt"}, 0,
			[]string{"agency: 乳山市乳山寨镇", "level: 乡镇", "【由机关名称“乳山市乳山寨镇”推断，请核对】", "requests:", "已导入"}},
		{"not published", []string{"import", filepath.Join(dir, "x.yaml")}, 2, []string{"import 只读取已发布的报告"}},
		{"missing file", []string{"import", filepath.Join(dir, "none.txt")}, 2, []string{"文件不存在"}},
		{"bad output", []string{"import", seeds + "000.txt", "-o", filepath.Join(dir, "x.txt")}, 2, []string{".yaml"}},
		{"usage", []string{"import"}, 2, []string{"用法"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errs)
			}
			for _, w := range tt.wants {
				if !strings.Contains(out+errs, w) {
					t.Errorf("output lacks %q:\n%s%s", w, out, errs)
				}
			}
		})
	}
	// the YAML written reads back with the same figures
	data, err := os.ReadFile(filepath.Join(dir, "000.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := yamlfile.Read("000.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if v := r.Cell("t2", "licensing", "decisions"); !v.OK() || v.Num.String() != "358973" {
		t.Errorf("round trip: 行政许可 = %v", v)
	}
	if v := r.Cell("t2", "fees", "amount"); !v.OK() || v.Num.String() != "7984.47" {
		t.Errorf("round trip: 收费 = %v", v)
	}
}

// TestImportDefaultOutput writes beside the input, never over it.
func TestImportDefaultOutput(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(seeds + "002.txt")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "baoshan.txt")
	os.WriteFile(in, src, 0o444)
	code, out, errs := runCmd(t, "import", in)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "baoshan.yaml")); err != nil {
		t.Error(err)
	}
	after, _ := os.ReadFile(in)
	if string(after) != string(src) {
		t.Error("input changed")
	}
}
