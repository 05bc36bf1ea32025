package main

import (
	"context"
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
