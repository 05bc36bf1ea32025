package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/render/outdir"
)

const orgUsage = `用法：nianbao org backup --db 数据库 -o 备份.zip
      nianbao org restore --db 数据库 备份.zip
      nianbao org check --db 数据库

收集服务器（nianbao serve --org）的数据库：名单、每份报告的每一版、生成的发布稿和操作日志。
--db 是 SQLite 数据库文件的路径（默认 nianbao-org.db），或 PostgreSQL 的连接地址
（postgres://用户:密码@主机:端口/数据库）。

  backup   把数据库的全部内容写入一个备份文件（.zip：清单和每张表一个 JSON 行文件）；服务器运行时也可备份
  restore  把备份恢复到一个空数据库（可以是另一种数据库：SQLite 的备份可恢复到 PostgreSQL，反之亦然）；
           逐一核对每个文件的 SHA-256 和每张表的行数，有任何不符则什么也不恢复
  check    核对数据库：SQLite 完整性检查，每个文件的内容与 SHA-256 是否相符

退出码：0 成功；2 无法完成（原因见提示）

参数：
`

func runOrg(e *env) int {
	fs := flag.NewFlagSet("org", flag.ContinueOnError)
	db := fs.String("db", "nianbao-org.db", "`数据库` SQLite 文件或 postgres:// 连接地址")
	out := fs.String("o", "", "`文件` backup 的备份文件")
	usage := func(w io.Writer) {
		fmt.Fprint(w, orgUsage)
		printFlags(w, fs)
	}
	args, code, ok := e.parseFlags(fs, usage)
	if !ok {
		return code
	}
	if len(args) == 0 {
		usage(e.stderr)
		return e.errorf("请给出 backup、restore 或 check")
	}
	ctx := context.Background()
	switch args[0] {
	case "backup":
		if len(args) != 1 {
			return e.errorf("backup 的备份文件用 -o 给出；多余的参数：%s", strings.Join(args[1:], " "))
		}
		if *out == "" {
			return e.errorf("请用 -o 给出备份文件，例如 -o 备份-2025-02-01.zip")
		}
		if _, err := os.Lstat(*out); err == nil {
			return e.errorf("%s 已存在，不会覆盖；请换一个文件名", *out)
		}
		s, code := openStore(e, ctx, *db, true)
		if s == nil {
			return code
		}
		defer s.Close()
		var buf bytes.Buffer
		m, err := s.Backup(ctx, &buf)
		if err != nil {
			return e.errorf("备份失败：%s", osReason(err))
		}
		if err := outdir.Write(*out, buf.Bytes()); err != nil {
			return e.errorf("无法写入 %s：%s", *out, writeError(err))
		}
		fmt.Fprintf(e.stdout, "已备份 %s 到 %s（%d 个单位，%d 个报告版本，%d 个文件，%d 条操作日志）。\n", s, *out,
			m.Rows["units"], m.Rows["versions"], m.Rows["blobs"], m.Rows["audit"])
		return 0
	case "restore":
		if len(args) != 2 {
			return e.errorf("请给出一个备份文件：nianbao org restore --db 数据库 备份.zip")
		}
		f, err := os.Open(args[1])
		if err != nil {
			return e.errorf("无法打开备份文件：%s", osReason(err))
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return e.errorf("%s 不是备份文件", args[1])
		}
		s, code := openStore(e, ctx, *db, false)
		if s == nil {
			return code
		}
		defer s.Close()
		m, err := s.Restore(ctx, f, st.Size())
		switch {
		case errors.Is(err, store.ErrNotEmpty):
			return e.errorf("数据库 %s 中已有数据，不会恢复到其中（恢复只用于新的空数据库）：%s", s, err)
		case err != nil:
			return e.errorf("恢复失败，数据库没有任何改动：%s", err)
		}
		fmt.Fprintf(e.stdout, "已从 %s 恢复到 %s（备份于 %s，%d 个单位，%d 个报告版本，%d 个文件，%d 条操作日志）。\n", args[1], s,
			m.Created, m.Rows["units"], m.Rows["versions"], m.Rows["blobs"], m.Rows["audit"])
		return 0
	case "check":
		s, code := openStore(e, ctx, *db, true)
		if s == nil {
			return code
		}
		defer s.Close()
		problems, err := s.Check(ctx)
		if err != nil {
			return e.errorf("核对失败：%s", err)
		}
		if len(problems) > 0 {
			fmt.Fprintf(e.stderr, "nianbao：数据库 %s 有 %d 处问题，请用最近的备份恢复：\n", s, len(problems))
			for _, p := range problems {
				fmt.Fprintln(e.stderr, "  "+p)
			}
			return 2
		}
		c, _ := s.Counts(ctx)
		fmt.Fprintf(e.stdout, "数据库 %s 无误（%d 个单位，%d 个报告版本，%d 个文件）。\n", s, c["units"], c["versions"], c["blobs"])
		return 0
	}
	usage(e.stderr)
	return e.errorf("没有“%s”操作；可用 backup、restore、check", args[0])
}

// openStore opens the database; must says it has to exist already (an
// SQLite file that is not there is not created).
func openStore(e *env, ctx context.Context, dsn string, must bool) (*store.Store, int) {
	if must && !store.IsPostgres(dsn) {
		if _, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
			return nil, e.errorf("数据库文件不存在：%s", dsn)
		}
	}
	s, err := store.Open(ctx, dsn)
	if err != nil {
		if errors.Is(err, store.ErrNewerSchema) {
			return nil, e.errorf("数据库由更新版本的 nianbao 创建，请升级 nianbao：%s", err)
		}
		return nil, e.errorf("无法打开数据库 %s：%s", dsn, osReason(err))
	}
	return s, 0
}
