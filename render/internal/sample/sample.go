// Package sample builds a realistic, complete and balanced report for the
// renderers' tests and benchmarks, from the format declaration (no label is
// spelled here: tables are filled by row and column keys).
package sample

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// Report returns a complete 2024 report of a municipal bureau whose tables
// satisfy every relation of the format.
func Report() *schema.Report {
	r := schema.NewReport(schema.Current)
	r.Source = "sample.yaml"
	m := &r.Meta
	m.Agency.Value = "江州市生态环境局"
	m.Year.Value = "2024"
	m.Scope.Value = string(schema.ScopeAgency)
	m.Level.Value = string(schema.LevelCity)
	m.Role.Value = string(schema.RoleDepartment)
	m.Published.Value = "2025-01-20"
	m.Website.Value = "江州市人民政府门户网站（https://www.jiangzhou.gov.cn）“政府信息公开”专栏"
	m.Contact.Office.Value = "江州市生态环境局办公室"
	m.Contact.Address.Value = "江州市滨江区环城南路88号"
	m.Contact.Postcode.Value = "330100"
	m.Contact.Phone.Value = "0791-8888 6666"
	m.Contact.Email.Value = "jzshbj@jiangzhou.gov.cn"

	p := func(s string) schema.Block { return schema.Block{Kind: schema.Paragraph, Text: s} }
	h := func(s string) schema.Block { return schema.Block{Kind: schema.Heading, Text: s} }
	r.Narrative["overview"] = []schema.Block{
		p("2024年，江州市生态环境局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，围绕生态环境保护中心工作，持续深化政府信息公开，切实保障人民群众的知情权、参与权和监督权。"),
		h("（一）主动公开"),
		p("全年通过门户网站主动公开政府信息1,236条，其中环境质量信息412条、建设项目环境影响评价信息318条、行政处罚信息96条。制发行政规范性文件3件，废止1件，现行有效21件，均在“政策文件”栏目同步公开并配发政策解读。"),
		h("（二）依申请公开"),
		p("全年新收政府信息公开申请60件，上年结转2件；办结60件，结转下年度继续办理2件。其中予以公开31件，部分公开6件，不予公开5件，无法提供13件，不予处理3件，其他处理2件。"),
		h("（三）政府信息管理"),
		p("严格落实公文公开属性源头认定和保密审查制度，全年审查拟公开信息1,300余条；动态更新政府信息公开指南和目录，清理过期信息58条。"),
		h("（四）平台建设"),
		p("优化门户网站“政府信息公开”专栏，规范政务新媒体“江州生态环境”微信公众号运营，全年发布信息1,025条。"),
		h("（五）监督保障"),
		p("将政府信息公开工作纳入年度绩效考核，开展业务培训2次，全年未发生因政府信息公开工作被责任追究的情况。"),
	}
	r.Narrative["problems"] = []schema.Block{
		p("2024年我局政府信息公开工作取得了一定成效，但仍存在政策解读形式较为单一、部分栏目更新不够及时等问题。2025年，我局将丰富图解、视频等解读形式，建立栏目更新台账，每月检查，确保信息及时、准确、完整公开。"),
	}
	r.Narrative["other"] = []schema.Block{
		p("本年度未收取政府信息公开信息处理费。人大代表建议和政协提案办理结果均已按要求公开。"),
	}

	fill := func(id string, rows map[string][]string) {
		t := r.Format.Table(id)
		d := schema.NewTableData(t)
		for i, row := range t.Rows {
			vals, ok := rows[row.Key]
			if !ok {
				panic(fmt.Sprintf("sample: %s.%s missing", id, row.Key))
			}
			for j, s := range vals {
				v, err := schema.ParseNumber(s, row.Cols[j].Kind)
				if err != nil {
					panic(err)
				}
				d.Values[i][j] = v
			}
		}
		r.Tables[id] = d
	}
	fill("t2", map[string][]string{
		"rules":     {"0", "0", "0"},
		"normative": {"3", "1", "21"},
		"licensing": {"412"},
		"penalty":   {"96"},
		"coercion":  {"7"},
		"fees":      {"0"},
	})
	z := []string{"0", "0", "0", "0", "0", "0", "0"}
	t3 := map[string][]string{
		"received":            {"58", "1", "0", "0", "1", "0", "60"},
		"carried_over":        {"2", "0", "0", "0", "0", "0", "2"},
		"disclosed":           {"30", "1", "0", "0", "0", "0", "31"},
		"partial":             {"5", "0", "0", "0", "1", "0", "6"},
		"denied_secret":       {"1", "0", "0", "0", "0", "0", "1"},
		"denied_third_party":  {"2", "0", "0", "0", "0", "0", "2"},
		"denied_internal":     {"1", "0", "0", "0", "0", "0", "1"},
		"denied_process":      {"1", "0", "0", "0", "0", "0", "1"},
		"unable_no_info":      {"10", "0", "0", "0", "0", "0", "10"},
		"unable_create":       {"2", "0", "0", "0", "0", "0", "2"},
		"unable_unclear":      {"1", "0", "0", "0", "0", "0", "1"},
		"rejected_petition":   {"2", "0", "0", "0", "0", "0", "2"},
		"rejected_repeat":     {"1", "0", "0", "0", "0", "0", "1"},
		"other_no_correction": {"1", "0", "0", "0", "0", "0", "1"},
		"other_other":         {"1", "0", "0", "0", "0", "0", "1"},
		"total":               {"58", "1", "0", "0", "1", "0", "60"},
		"carried_forward":     {"2", "0", "0", "0", "0", "0", "2"},
	}
	for _, row := range r.Format.Table("t3").Rows {
		if _, ok := t3[row.Key]; !ok {
			t3[row.Key] = z
		}
	}
	fill("t3", t3)
	fill("t4", map[string][]string{
		"review":       {"1", "0", "0", "1", "2"},
		"direct":       {"0", "1", "0", "0", "1"},
		"after_review": {"0", "0", "0", "0", "0"},
	})
	return r
}

// Examples reads the reports in examples/ (seen from a package two levels
// below the repository root, as every renderer is), by base name.
func Examples(t testing.TB) map[string]*schema.Report {
	t.Helper()
	paths, err := filepath.Glob("../../examples/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	out := map[string]*schema.Report{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		r, err := yamlfile.Read(filepath.Base(p), data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".yaml")] = r
	}
	return out
}
