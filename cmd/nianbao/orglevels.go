package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/org/client"
	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/workflow"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
)

// levelOptions are the flags of org sum, export and send.
type levelOptions struct {
	db, agency, level, out, url, login string
	year                               int
	allowMissing, allowHTTP            bool
}

// PasswordEnv carries the password of org send's account on the other
// server (never a flag: it would show in the process list).
const passwordEnv = "NIANBAO_PASSWORD"

// runOrgLevels runs org sum, export and send: the 本行政区域汇总 of the
// approved reports, its export, and its hand-up to the next level's server.
func runOrgLevels(e *env, ctx context.Context, op string, o levelOptions) int {
	if strings.TrimSpace(o.agency) == "" {
		return e.errorf("请用 --agency 给出本级人民政府的%s，例如 --agency 城南县人民政府", metaLabel("agency"))
	}
	if o.year < 2000 || o.year > 2100 {
		return e.errorf("请用 --year 给出四位数字的%s，例如 --year 2024", metaLabel("year"))
	}
	s, code := openStore(e, ctx, o.db, true)
	if s == nil {
		return code
	}
	defer s.Close()
	a := cliActor()
	if op == "sum" {
		res, err := workflow.Sum(ctx, s, a, store.RoleAdmin, workflow.SumOptions{Agency: o.agency, Level: o.level, Year: o.year, AllowMissing: o.allowMissing})
		var me *workflow.MissingError
		switch {
		case errors.As(err, &me):
			fmt.Fprintf(e.stderr, "nianbao：名单中有 %d 个单位的报告尚未审核通过，不汇总（催报后重试；确需先行汇总，加 --allow-missing）：\n", len(me.Missing))
			for _, m := range me.Missing {
				fmt.Fprintf(e.stderr, "  %s（%s）\n", m.Agency, m.State)
			}
			return 2
		case errors.Is(err, workflow.ErrNoApproved):
			return e.errorf("%d 年度还没有审核通过的报告，无法汇总", o.year)
		case err != nil:
			var se *batch.SumError
			if errors.As(err, &se) {
				return e.errorf("无法汇总：\n  %s", strings.ReplaceAll(se.Error(), "\n", "\n  "))
			}
			return e.errorf("无法汇总：%s", osReason(err))
		}
		fmt.Fprintf(e.stdout, "已汇总 %d 个单位审核通过的报告，存为%s第 %d 版（草稿）。\n", len(res.Included), res.Unit.Agency()+string(schema.ScopeRegion), res.Version.Seq)
		if len(res.Missing) > 0 {
			var names []string
			for _, m := range res.Missing {
				names = append(names, m.Agency+"（"+m.State+"）")
			}
			fmt.Fprintf(e.stdout, "注意：%d 个单位未计入（已写入汇总报告）：%s\n", len(names), strings.Join(names, "、"))
		}
		tables, rest := batch.TableFindings(res.Report.Format, res.Findings)
		if len(tables) > 0 {
			fmt.Fprintln(e.stdout, "汇总后的表格有问题：")
			(&check.Result{File: res.Version.FileName, Format: res.Report.Format, Findings: tables}).WriteText(e.stdout)
		}
		if len(rest) > 0 {
			fmt.Fprintln(e.stdout, "提交审核前还需补写（nianbao org export 导出后补写，再在收集服务器上传为新的一版）：")
			for _, f := range rest {
				fmt.Fprintf(e.stdout, "  %s %s\n", f.Severity.Chinese(), f.Message)
			}
		}
		if n, _ := check.Count(tables); n > 0 {
			return 1
		}
		return 0
	}
	region := findRegion(ctx, s, o.agency)
	if region == nil {
		return e.errorf("还没有“%s”的本行政区域汇总：先用 nianbao org sum 生成", o.agency)
	}
	switch op {
	case "export":
		ext := "yaml"
		if o.out != "" {
			if template.KindOf(o.out) == template.Workbook {
				ext = "xlsx"
			} else if template.KindOf(o.out) != template.YAML {
				return e.errorf("输出文件 %s 应以 .yaml 或 .xlsx 结尾", o.out)
			}
		}
		name, data, err := workflow.ExportSum(ctx, s, a, region, o.year, ext)
		if errors.Is(err, workflow.ErrNotApproved) {
			return e.errorf("%d 年度的本行政区域汇总尚未审核通过，不能导出上报", o.year)
		}
		if err != nil {
			return e.errorf("导出失败：%s", osReason(err))
		}
		path := o.out
		if path == "" {
			path = name
		}
		if _, err := os.Lstat(path); err == nil {
			return e.errorf("%s 已存在，不会覆盖；请换一个文件名", path)
		}
		if err := outdir.Write(path, data); err != nil {
			return e.errorf("无法写入 %s：%s", path, writeError(err))
		}
		fmt.Fprintf(e.stdout, "已导出审核通过的本行政区域汇总到 %s。\n", path)
		return 0
	case "send":
		if o.url == "" || o.login == "" {
			return e.errorf("请用 --url 给出上级收集服务器的地址，用 --login 给出上级为本单位开设的账号；密码放在环境变量 %s 中", passwordEnv)
		}
		pw := os.Getenv(passwordEnv)
		if pw == "" {
			return e.errorf("请把上级服务器账号的密码放在环境变量 %s 中（不用命令行参数，以免被其他用户看到）", passwordEnv)
		}
		if _, _, err := workflow.ApprovedSum(ctx, s, region, o.year); err != nil {
			if errors.Is(err, workflow.ErrNotApproved) {
				return e.errorf("%d 年度的本行政区域汇总尚未审核通过，不能上报", o.year)
			}
			return e.errorf("无法读取汇总：%s", osReason(err))
		}
		c, err := client.Login(ctx, o.url, o.login, pw, client.Options{AllowHTTP: o.allowHTTP})
		if err != nil {
			return e.errorf("登录上级服务器失败：%s", errtext.Explain(err))
		}
		h, err := client.SendSum(ctx, s, a, region, o.year, c)
		if err != nil {
			return e.errorf("上报失败（已记入操作日志）：%s", errtext.Explain(err))
		}
		fmt.Fprintf(e.stdout, "已把 %s 上传到 %s，为第 %d 版，上级服务器上的状态：%s。\n", h.File, c.Base(), h.Upload.Version, h.Status.State)
		if h.Refused != nil {
			return e.errorf("上级服务器没有接受提交：%s", errtext.Explain(h.Refused))
		}
		return 0
	}
	return e.errorf("没有“%s”操作", op)
}

// findRegion is the region unit of agency, or nil.
func findRegion(ctx context.Context, s *store.Store, agency string) *store.Unit {
	rs, err := s.RegionUnits(ctx)
	if err != nil {
		return nil
	}
	for i := range rs {
		if batch.NormaliseAgency(rs[i].Agency()) == batch.NormaliseAgency(agency) {
			return &rs[i]
		}
	}
	return nil
}
