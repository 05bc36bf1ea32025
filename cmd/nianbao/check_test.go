package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs the command in process and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.yaml")
	src, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(broken, bytes.Replace(src, []byte("disclosed: [18, 3, 1, 0, 1, 0, 23]"), []byte("disclosed: [18, 3, 1, 0, 1, 0, 24]"), 1), 0o644)
	garbage := filepath.Join(dir, "garbage.yaml")
	os.WriteFile(garbage, []byte("\x00\x01\x02not yaml"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string // substring of stdout or stderr
	}{
		{"clean", []string{"check", "../../examples/chengnan-scjg-2024.yaml"}, 0, "通过"},
		{"clean with prev", []string{"check", "../../examples/chengnan-scjg-2024.yaml", "--prev", "../../examples/chengnan-scjg-2023.yaml"}, 0, "通过"},
		{"warnings only", []string{"check", "../../examples/baishan-2022.yaml"}, 0, "TEXT-FEE"},
		{"errors", []string{"check", broken}, 1, "T3-ROW"},
		{"errors name the cell", []string{"check", broken}, 1, "broken.yaml:53:34"},
		{"missing file", []string{"check", filepath.Join(dir, "nope.yaml")}, 2, "文件不存在"},
		{"garbage", []string{"check", garbage}, 2, "空字符"},
		{"unknown type", []string{"check", "../../Makefile"}, 2, "无法识别的文件类型"},
		{"no args", []string{"check"}, 2, "用法"},
		{"bad format", []string{"check", "--format", "xml", broken}, 2, "未知的输出格式"},
		{"unknown command", []string{"frobnicate"}, 2, "没有“frobnicate”命令"},
		{"rules", []string{"rules"}, 0, "T3-BALANCE"},
		{"rule doc", []string{"rules", "t3-balance"}, 0, "第一项加第二项之和"},
		{"unknown rule", []string{"rules", "NOPE"}, 2, "没有规则"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.want) {
				t.Errorf("output lacks %q\nstdout: %s\nstderr: %s", tt.want, out, errOut)
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, _ := runCmd(t, "check", "--format", "json", "../../examples/rushanzhai-2022.yaml")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var res struct {
		File     string `json:"file"`
		OK       bool   `json:"ok"`
		Errors   int    `json:"errors"`
		Warnings int    `json:"warnings"`
		Findings []struct {
			Rule, Severity, Location, Message, Expected, Actual string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if !res.OK || res.Errors != 0 || res.Warnings != 1 || len(res.Findings) != 1 {
		t.Fatalf("unexpected result: %+v", res)
	}
	f := res.Findings[0]
	if f.Rule != "HEADING" || f.Severity != "warning" || f.Location != "../../examples/rushanzhai-2022.yaml:83:14" || f.Expected != "（三）" || f.Actual != "（二）" {
		t.Fatalf("unexpected finding: %+v", f)
	}
}

// TestReadmeRules keeps the README's rule table in step with the catalogue.
func TestReadmeRules(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	writeRulesMarkdown(&table)
	if !bytes.Contains(readme, table.Bytes()) {
		t.Fatalf("README.md 的规则表已过期；请用 `nianbao rules --markdown` 的输出替换：\n%s", table.String())
	}
}

// TestCheckJSONUnusable: with --format json a script always gets one JSON
// object on stdout, also when the file cannot be checked (exit 2).
func TestCheckJSONUnusable(t *testing.T) {
	code, out, errOut := runCmd(t, "check", "--format", "json", "nope.yaml")
	var res struct {
		File     string `json:"file"`
		OK       bool   `json:"ok"`
		Error    string `json:"error"`
		Findings []any  `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if code != 2 || res.OK || res.File != "nope.yaml" || !strings.Contains(res.Error, "文件不存在") || res.Findings == nil || !strings.Contains(errOut, "文件不存在") {
		t.Fatalf("exit %d, result %+v, stderr %s", code, res, errOut)
	}
}

// TestCheckChildren: check --children compares a 汇总 with the units'
// reports cell by cell and names the units whose report is missing.
func TestCheckChildren(t *testing.T) {
	dir := t.TempDir()
	units := filepath.Join(dir, "units")
	os.MkdirAll(units, 0o755)
	src, err := os.ReadFile("../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(units, "a.yaml")
	b := filepath.Join(units, "b.yaml")
	os.WriteFile(a, bytes.Replace(src, []byte("agency: 城南县市场监督管理局"), []byte("agency: 城南县甲局"), 1), 0o644)
	os.WriteFile(b, bytes.Replace(src, []byte("agency: 城南县市场监督管理局"), []byte("agency: 城南县乙局"), 1), 0o644)
	sum := filepath.Join(dir, "sum.yaml")
	if code, _, errOut := runCmd(t, "sum", units, "--agency", "城南县人民政府", "--year", "2024", "--level", "县", "-o", sum); code != 0 {
		t.Fatalf("sum: exit %d: %s", code, errOut)
	}
	_, out, _ := runCmd(t, "check", sum, "--children", units)
	if strings.Contains(out, "SUM-CHILDREN") {
		t.Fatalf("a sum made by nianbao sum disagrees with its units:\n%s", out)
	}
	// a figure typed by hand, and a unit's report taken out
	s, _ := os.ReadFile(sum)
	os.WriteFile(sum, bytes.Replace(s, []byte("licensing: 3040"), []byte("licensing: 3041"), 1), 0o644)
	os.Remove(b)
	code, out, _ := runCmd(t, "check", sum, "--children", units)
	for _, want := range []string{"SUM-CHILDREN", "表二“行政许可”·本年处理决定数量为 3041，但下级 1 份报告之和为 1520", "以下 1 个在下级报告中没有报告：城南县乙局"} {
		if !strings.Contains(out, want) {
			t.Errorf("check --children does not say %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}
