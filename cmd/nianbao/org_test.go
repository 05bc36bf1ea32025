package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/template/roster"
)

func TestOrgBackupRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(dir, "org.db"))
	if err != nil {
		t.Fatal(err)
	}
	writeRosterCSV(t, filepath.Join(dir, "名单.csv"), "城南县教育局", "城南县财政局")
	r, err := roster.Open(filepath.Join(dir, "名单.csv"))
	if err != nil {
		t.Fatal(err)
	}
	a := store.Actor{Name: "管理员"}
	if _, err := s.ImportRoster(ctx, a, r); err != nil {
		t.Fatal(err)
	}
	us, _ := s.Units(ctx)
	if _, err := s.AddVersion(ctx, a, store.Upload{UnitID: us[0].ID, Year: 2024, File: store.File{Name: "r.yaml", Data: []byte("agency: x")}, Findings: "[]"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errs := runIn(t, dir, "org", "backup", "--db", "org.db", "-o", "备份.zip")
	if code != 0 || !strings.Contains(out, "2 个单位，1 个报告版本") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	code, _, errs = runIn(t, dir, "org", "backup", "--db", "org.db", "-o", "备份.zip")
	if code != 2 || !strings.Contains(errs, "已存在，不会覆盖") {
		t.Errorf("backup over a file: %d %s", code, errs)
	}
	code, out, errs = runIn(t, dir, "org", "restore", "--db", "new.db", "备份.zip")
	if code != 0 || !strings.Contains(out, "已从 备份.zip 恢复") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	code, out, errs = runIn(t, dir, "org", "check", "--db", "new.db")
	if code != 0 || !strings.Contains(out, "无误（2 个单位，1 个报告版本") {
		t.Errorf("check: %d %s %s", code, out, errs)
	}
	code, _, errs = runIn(t, dir, "org", "restore", "--db", "new.db", "备份.zip")
	if code != 2 || !strings.Contains(errs, "已有数据，不会恢复") {
		t.Errorf("restore twice: %d %s", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "坏.zip"), []byte("not a zip"), 0o644)
	code, _, errs = runIn(t, dir, "org", "restore", "--db", "other.db", "坏.zip")
	if code != 2 || !strings.Contains(errs, "恢复失败，数据库没有任何改动") {
		t.Errorf("bad backup: %d %s", code, errs)
	}
	code, _, errs = runIn(t, dir, "org", "check", "--db", "nope.db")
	if code != 2 || !strings.Contains(errs, "数据库文件不存在") {
		t.Errorf("missing db: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "nope.db")); err == nil {
		t.Error("check created a database")
	}
	code, _, errs = runIn(t, dir, "org", "vacuum")
	if code != 2 || !strings.Contains(errs, "没有“vacuum”操作") {
		t.Errorf("unknown op: %d %s", code, errs)
	}
}

func TestOrgAccountsAndAudit(t *testing.T) {
	dir := t.TempDir()
	writeRosterCSV(t, filepath.Join(dir, "名单.csv"), "城南县教育局", "城南县财政局")
	code, out, errs := runIn(t, dir, "org", "roster", "--db", "org.db", "名单.csv")
	if code != 0 || !strings.Contains(out, "新增 2") {
		t.Fatalf("roster: %d %s %s", code, out, errs)
	}
	code, out, errs = runIn(t, dir, "org", "account", "add", "jiaoyu", "--role", "填报单位", "--unit", "城南县 教育局", "--db", "org.db")
	if code != 0 || !strings.Contains(out, "http://localhost:8080/setup?token=") {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"account", "add", "jiaoyu2", "--role", "填报单位", "--unit", "城南县教育局"}, "已有账号"},
		{[]string{"account", "add", "jiaoyu", "--role", "审核人"}, "已被使用"},
		{[]string{"account", "add", "x", "--role", "填报单位"}, "--unit"},
		{[]string{"account", "add", "x", "--role", "填报单位", "--unit", "不存在局"}, "名单中没有"},
		{[]string{"account", "add", "x", "--role", "审核人", "--unit", "城南县财政局"}, "不用 --unit"},
		{[]string{"account", "add", "x", "--role", "超级用户"}, "--role 应为"},
		{[]string{"account", "link", "nobody"}, "没有账号"},
		{[]string{"account", "add", strings.Repeat("长", 65), "--role", "审核人"}, "最多 64 个字符"},
	} {
		code, _, errs := runIn(t, dir, append(append([]string{"org"}, tt.args...), "--db", "org.db")...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: %d %s, want %q", tt.args, code, errs, tt.want)
		}
	}
	runIn(t, dir, "org", "account", "add", "admin", "--role", "管理员", "--db", "org.db")
	code, out, _ = runIn(t, dir, "org", "account", "disable", "admin", "--db", "org.db")
	if code != 0 || !strings.Contains(out, "已停用") {
		t.Errorf("disable: %d %s", code, out)
	}
	code, out, _ = runIn(t, dir, "org", "accounts", "--db", "org.db")
	if code != 0 || !strings.Contains(out, "jiaoyu\t填报单位\t城南县教育局\t尚未设置密码") || !strings.Contains(out, "admin\t管理员\tadmin\t已停用") {
		t.Errorf("accounts: %s", out)
	}
	code, out, errs = runIn(t, dir, "org", "audit", "--db", "org.db", "-o", "日志.csv")
	if code != 0 {
		t.Fatalf("audit: %d %s", code, errs)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "日志.csv"))
	for _, w := range []string{"导入名单", "新建账号", "停用账号", "城南县教育局", "本机"} {
		if !strings.Contains(string(csv), w) {
			t.Errorf("audit CSV lacks %q", w)
		}
	}
}

// TestServeOrgFlags: the collection server's flags need --org, and the
// local app's flags are refused with it; a bad database is a Chinese error.
func TestServeOrgFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "请加上 --org"},
		{[]string{"serve", "--db", "x.db"}, "请加上 --org"},
		{[]string{"serve", "--org", "--token", "x"}, "--token 只用于本机网页"},
		{[]string{"serve", "--public-url", "https://nianbao.example.gov.cn"}, "请加上 --org"},
		{[]string{"serve", "--org", "--public-url", "nianbao.example.gov.cn"}, "公开地址“nianbao.example.gov.cn”无效"},
		{[]string{"serve", "--org", "--public-url", "https://nianbao.example.gov.cn/org/"}, "不带路径"},
		{[]string{"serve", "--org", "--db", filepath.Join(t.TempDir(), "无此目录", "org.db")}, "无法打开数据库"},
		{[]string{"serve", "--org", "--db", filepath.Join(t.TempDir(), "org.db"), "--addr", "127.0.0.1:0", "--tls-cert", "无此文件.pem", "--tls-key", "无此文件.pem"}, "无法读取证书"},
	} {
		var stderr strings.Builder
		if code := run(tt.args, nil, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}
