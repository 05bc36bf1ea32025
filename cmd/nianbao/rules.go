package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/schema/check"
)

func runRules(e *env) int {
	switch {
	case len(e.args) == 0:
		for _, r := range check.All {
			fmt.Fprintf(e.stdout, "%-15s %s  %s\n", r.ID, r.Class(), r.Title)
		}
		return 0
	case len(e.args) == 1 && (e.args[0] == "-h" || e.args[0] == "--help"):
		fmt.Fprintln(e.stdout, "用法：nianbao rules [规则号]")
		fmt.Fprintln(e.stdout, "不带参数列出全部校验规则；带规则号（如 CELL-EMPTY，大小写均可）显示详细说明、错误示例和改正方法。")
		return 0
	case len(e.args) == 1 && e.args[0] == "--markdown":
		writeRulesMarkdown(e.stdout)
		return 0
	case len(e.args) == 1:
		r := check.Lookup(strings.ToUpper(e.args[0]))
		if r == nil {
			return e.errorf("没有规则“%s”；nianbao rules 列出全部规则", e.args[0])
		}
		fmt.Fprintf(e.stdout, "%s（%s）%s\n\n%s\n", r.ID, r.Class(), r.Title, r.Doc)
		return 0
	}
	return e.errorf("用法：nianbao rules [规则号 | --markdown]")
}

// writeRulesMarkdown writes the rule table the README carries; a test keeps
// the README in step with the catalogue.
func writeRulesMarkdown(w io.Writer) {
	fmt.Fprintln(w, "| 规则号 | 级别 | 要求 |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, r := range check.All {
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", r.ID, r.Class(), r.Title)
	}
}
