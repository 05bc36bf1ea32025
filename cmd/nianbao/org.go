package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
)

var orgUsage = `用法：nianbao org backup --db 数据库 -o 备份.zip
      nianbao org restore --db 数据库 备份.zip
      nianbao org check --db 数据库
      nianbao org roster --db 数据库 名单.xlsx
      nianbao org account add 登录名 --role 管理员|审核人|填报单位 [--unit ` + metaLabel("agency") + `] [--name 名称] --db 数据库
      nianbao org account link|disable|enable 登录名 --db 数据库
      nianbao org accounts --db 数据库
      nianbao org audit --db 数据库 -o 操作日志.csv
      nianbao org sum --db 数据库 --year 2024 --agency 某某县人民政府 [--level 县] [--allow-missing]
      nianbao org export --db 数据库 --year 2024 --agency 某某县人民政府 [-o 汇总.xlsx]
      nianbao org send --db 数据库 --year 2024 --agency 某某县人民政府 --url https://上级服务器地址 --login 账号 [--allow-http]

收集服务器（nianbao serve --org）的数据库：名单、每份报告的每一版、生成的发布稿和操作日志。
--db 是 SQLite 数据库文件的路径（默认 nianbao-org.db），或 PostgreSQL 的连接地址
（postgres://用户:密码@主机:端口/数据库）。

  backup   把数据库的全部内容写入一个备份文件（.zip：清单和每张表一个 JSON 行文件）；服务器运行时也可备份
  restore  把备份恢复到一个空数据库（可以是另一种数据库：SQLite 的备份可恢复到 PostgreSQL，反之亦然）；
           逐一核对每个文件的 SHA-256 和每张表的行数，有任何不符则什么也不恢复
  check    核对数据库：SQLite 完整性检查，每个文件的内容与 SHA-256 是否相符
  roster   导入应报单位名单（nianbao roster --template 生成模板）：新增、修改的单位逐一记入操作日志；
           不在新名单中的单位移出名单，已报送的报告保留
  account  add 新建账号（每个填报单位一个账号，--unit 给出名单中的` + metaLabel("agency") + `），输出一次性设置密码链接；
           link 重新发放设置密码链接（忘记密码），disable/enable 停用或启用账号
  accounts 列出全部账号
  audit    导出操作日志（谁、何时、从哪里、做了什么）为 CSV（Excel、WPS 可直接打开）
  sum      把名单中各单位审核通过的报告汇总为本行政区域汇总报告，存为汇总的新一版（草稿）；有单位尚未
           通过时不汇总，除非加 --allow-missing（汇总报告写明未计入的单位）
  export   导出审核通过的本行政区域汇总（.yaml 或 .xlsx），用于向上级报送
  send     把审核通过的本行政区域汇总上传到上级收集服务器并提交审核（上级为本级开设的填报单位账号；
           密码放在环境变量 NIANBAO_PASSWORD 中）

退出码：0 成功；1 sum 汇总后的表格有错误；2 无法完成（原因见提示）

参数：
`

// metaLabel is the declared label of a metadata field (schema.MetaFields),
// for the help and messages that name it.
func metaLabel(key string) string { return schema.MetaField(key).Label }

func runOrg(e *env) int {
	fs := flag.NewFlagSet("org", flag.ContinueOnError)
	db := fs.String("db", "nianbao-org.db", "`数据库` SQLite 文件或 postgres:// 连接地址")
	out := fs.String("o", "", "`文件` backup 的备份文件，audit 的 CSV 文件，export 的汇总文件（.yaml 或 .xlsx）")
	role := fs.String("role", "", "`角色` account add：管理员、审核人或填报单位")
	unitName := fs.String("unit", "", "`"+metaLabel("agency")+"` account add --role 填报单位：名单中的单位")
	name := fs.String("name", "", "`名称` account add：账号的显示名称（默认为"+metaLabel("agency")+"或登录名）")
	base := fs.String("url", "http://localhost:8080", "`地址` 收集服务器的地址，用于生成设置密码链接；send：上级收集服务器的地址")
	var lv levelOptions
	fs.IntVar(&lv.year, "year", 0, "`年度` sum、export、send："+metaLabel("year"))
	fs.StringVar(&lv.agency, "agency", "", "`"+metaLabel("agency")+"` sum、export、send：本级人民政府的"+metaLabel("agency"))
	fs.StringVar(&lv.level, "level", "", "`层级` sum："+metaLabel("level"))
	fs.BoolVar(&lv.allowMissing, "allow-missing", false, "sum：有单位的报告尚未审核通过时仍然汇总")
	fs.StringVar(&lv.login, "login", "", "`账号` send：上级服务器上本级的填报单位账号")
	fs.BoolVar(&lv.allowHTTP, "allow-http", false, "send：允许以不加密的 http:// 连接其他电脑上的上级服务器（密码和报告以明文传输，只在单位内网中、明知其风险时使用）")
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
	case "sum", "export", "send":
		if len(args) != 1 {
			return e.errorf("%s 只用参数；多余的参数：%s", args[0], strings.Join(args[1:], " "))
		}
		lv.db, lv.out, lv.url = *db, *out, ""
		if urlGiven(fs) {
			lv.url = *base
		}
		return runOrgLevels(e, ctx, args[0], lv)
	case "backup":
		if len(args) != 1 {
			return e.errorf("backup 的备份文件用 -o 给出；多余的参数：%s", strings.Join(args[1:], " "))
		}
		return orgExport(e, ctx, *db, *out, "备份文件", "备份-2025-02-01.zip", "备份失败",
			func(s *store.Store, w io.Writer) (string, error) {
				m, err := s.Backup(ctx, w)
				if err != nil {
					return "", err
				}
				return fmt.Sprintf("已备份 %s 到 %s（%d 个单位，%d 个报告版本，%d 个文件，%d 条操作日志）。", s, *out,
					m.Rows["units"], m.Rows["versions"], m.Rows["blobs"], m.Rows["audit"]), nil
			})
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
	case "roster":
		if len(args) != 2 {
			return e.errorf("请给出一个名单文件：nianbao org roster --db 数据库 名单.xlsx")
		}
		r, code := openRoster(e, args[1])
		if r == nil {
			return code
		}
		s, code := openStore(e, ctx, *db, false)
		if s == nil {
			return code
		}
		defer s.Close()
		ch, err := s.ImportRoster(ctx, cliActor(), r)
		if err != nil {
			return e.errorf("导入名单失败：%s", osReason(err))
		}
		fmt.Fprintf(e.stdout, "已导入名单 %s：新增 %d，修改 %d，未变 %d，移出名单 %d。\n", args[1], ch.Added, ch.Updated, ch.Unchanged, ch.Unlisted)
		return 0
	case "account":
		if len(args) != 3 {
			return e.errorf("用法：nianbao org account add|link|disable|enable 登录名 --db 数据库")
		}
		s, code := openStore(e, ctx, *db, true)
		if s == nil {
			return code
		}
		defer s.Close()
		return orgAccount(e, ctx, s, args[1], args[2], *role, *unitName, *name, *base)
	case "accounts":
		s, code := openStore(e, ctx, *db, true)
		if s == nil {
			return code
		}
		defer s.Close()
		accts, err := s.Accounts(ctx)
		if err != nil {
			return e.errorf("无法读取账号：%s", osReason(err))
		}
		for _, a := range accts {
			state := "已设置密码"
			switch {
			case a.Disabled:
				state = "已停用"
			case !a.HasPassword():
				state = "尚未设置密码"
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\n", a.Login, a.Role, a.Name, state)
		}
		fmt.Fprintf(e.stdout, "共 %d 个账号。\n", len(accts))
		return 0
	case "audit":
		return orgExport(e, ctx, *db, *out, " CSV 文件", "操作日志.csv", "导出操作日志失败",
			func(s *store.Store, w io.Writer) (string, error) {
				n, err := s.ExportAudit(ctx, w, store.AuditFilter{})
				return fmt.Sprintf("已导出 %d 条操作日志到 %s。", n, *out), err
			})
	}
	usage(e.stderr)
	return e.errorf("没有“%s”操作；可用 backup、restore、check、roster、account、accounts、audit、sum、export、send", args[0])
}

// orgExport writes to the new file out what export writes from the
// database (backup, audit), then says what it wrote (done). what and
// example name the file for a missing -o; failed opens the message of a
// failed export.
func orgExport(e *env, ctx context.Context, dsn, out, what, example, failed string,
	export func(s *store.Store, w io.Writer) (done string, err error)) int {
	if out == "" {
		return e.errorf("请用 -o 给出%s，例如 -o %s", what, example)
	}
	if _, err := os.Lstat(out); err == nil {
		return e.errorf("%s 已存在，不会覆盖；请换一个文件名", out)
	}
	s, code := openStore(e, ctx, dsn, true)
	if s == nil {
		return code
	}
	defer s.Close()
	var buf bytes.Buffer
	done, err := export(s, &buf)
	if err != nil {
		return e.errorf("%s：%s", failed, osReason(err))
	}
	if err := outdir.Write(out, buf.Bytes()); err != nil {
		return e.errorf("无法写入 %s：%s", out, writeError(err))
	}
	fmt.Fprintln(e.stdout, done)
	return 0
}

// cliActor is who acts from the command line, for the audit log.
func cliActor() store.Actor {
	who := "命令行"
	if u := os.Getenv("USER"); u != "" {
		who += "（" + u + "）"
	}
	return store.Actor{Name: who, Remote: "本机"}
}

func orgAccount(e *env, ctx context.Context, s *store.Store, op, login, role, unitName, name, base string) int {
	link := func(token string) string {
		return strings.TrimRight(base, "/") + "/setup?token=" + token
	}
	switch op {
	case "add":
		r := store.Role(role)
		if !slices.Contains(store.Roles, r) {
			var rs []string
			for _, x := range store.Roles {
				rs = append(rs, string(x))
			}
			return e.errorf("--role 应为 %s 之一", strings.Join(rs, "、"))
		}
		var unit int64
		if r == store.RoleUnit {
			if unitName == "" {
				return e.errorf("填报单位的账号要用 --unit 给出名单中的%s", metaLabel("agency"))
			}
			u, err := s.UnitByName(ctx, unitName)
			if err != nil {
				return e.errorf("名单中没有“%s”：请先用 nianbao org roster 导入名单，或核对名称", unitName)
			}
			unit = u.ID
			if name == "" {
				name = u.Agency()
			}
		} else if unitName != "" {
			return e.errorf("只有填报单位的账号属于一个单位；%s账号不用 --unit", r)
		}
		if name == "" {
			name = login
		}
		_, token, err := s.CreateAccount(ctx, cliActor(), login, name, r, unit)
		switch {
		case errors.Is(err, store.ErrLoginTaken):
			return e.errorf("登录名“%s”已被使用", login)
		case errors.Is(err, store.ErrLoginInvalid):
			return e.errorf("登录名不能为空，最多 64 个字符")
		case errors.Is(err, store.ErrUnitTaken):
			return e.errorf("“%s”已有账号（每个单位一个账号）；忘记密码请用 nianbao org account link", unitName)
		case err != nil:
			return e.errorf("无法新建账号：%s", osReason(err))
		}
		fmt.Fprintf(e.stdout, "已新建%s账号 %s。请把下面的一次性链接交给账号使用人，用它设置密码（%d 天内有效，只能用一次）：\n%s\n",
			r, login, int(store.SetupLinkLife.Hours()/24), link(token))
		return 0
	case "link", "disable", "enable":
		acct, err := s.AccountByLogin(ctx, login)
		if err != nil {
			return e.errorf("没有账号“%s”", login)
		}
		switch op {
		case "link":
			token, err := s.IssueSetupLink(ctx, cliActor(), acct.ID)
			if err != nil {
				return e.errorf("无法发放链接：%s", osReason(err))
			}
			fmt.Fprintf(e.stdout, "账号 %s 的新一次性设置密码链接（以前的链接已失效；原密码在设置新密码前仍可使用）：\n%s\n", login, link(token))
		default:
			if err := s.SetDisabled(ctx, cliActor(), acct.ID, op == "disable"); err != nil {
				return e.errorf("操作失败：%s", osReason(err))
			}
			if op == "disable" {
				fmt.Fprintf(e.stdout, "已停用账号 %s，其登录已全部失效。\n", login)
			} else {
				fmt.Fprintf(e.stdout, "已启用账号 %s。\n", login)
			}
		}
		return 0
	}
	return e.errorf("account 的操作应为 add、link、disable 或 enable")
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

// urlGiven reports whether --url was given on the command line.
func urlGiven(fs *flag.FlagSet) bool {
	given := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "url" {
			given = true
		}
	})
	return given
}
