package check_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/yamlfile"
)

const (
	complete     = "../../examples/chengnan-scjg-2024.yaml"
	completePrev = "../../examples/chengnan-scjg-2023.yaml"
)

func load(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t testing.TB, name string, data []byte) *schema.Report {
	t.Helper()
	r, err := yamlfile.Read(name, data)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return r
}

// ruleIDs returns the sorted, distinct rule IDs of fs.
func ruleIDs(fs []schema.Finding) []string {
	var ids []string
	for _, f := range fs {
		if !slices.Contains(ids, f.Rule) {
			ids = append(ids, f.Rule)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestCatalogue(t *testing.T) {
	if err := check.Validate(check.All); err != nil {
		t.Fatal(err)
	}
}

// TestRules plants one defect at a time in the complete example and checks
// exactly which rules fire. Every rule with a Check has a case that fires it
// here; the clean example itself (the first case) fires none.
func TestRules(t *testing.T) {
	base := string(load(t, complete))
	prevData := load(t, completePrev)
	tests := []struct {
		name    string
		old     string // text replaced in the example ("" = unchanged)
		new     string
		prev    bool // check with last year's report
		prevOld string
		prevNew string
		edit    func(string) string // a further edit of the report
		want    []string
	}{
		{name: "clean"},
		{name: "clean with prev", prev: true},
		{name: "META year", old: "year: 2024 ", new: "year: 24 ", want: []string{"META"}},
		{name: "META bad date", old: "published: 2025-01-22", new: "published: 2025-02-30", want: []string{"META"}},
		{name: "META published before year end", old: "published: 2025-01-22", new: "published: 2024-12-30", want: []string{"META"}},
		{name: "META level", old: "level: 县", new: "level: 区", want: []string{"META"}},
		{name: "META agency", old: "agency: 城南县市场监督管理局", new: "agency: ~", want: []string{"META"}},
		{name: "SECTION-MISSING", old: "problems:  # 五、存在的主要问题及改进情况\n", new: "problems: []\nunused:\n", want: []string{"SECTION-MISSING", "STRUCTURE"}},
		{name: "TABLE-MISSING", old: "appeals:  # 四", new: "appeals: ~\nx_appeals:  # 四", want: []string{"STRUCTURE", "TABLE-MISSING"}},
		{name: "CELL-EMPTY", old: "denied_secret: [0, 0, 0, 0, 0, 0, 0]", new: "denied_secret: [~, 0, 0, 0, 0, 0, 0]", want: []string{"CELL-EMPTY"}},
		{name: "CELL-EMPTY whole row", old: "denied_secret: [0, 0, 0, 0, 0, 0, 0]", new: "denied_secret: [~, ~, ~, ~, ~, ~, ~]", want: []string{"CELL-EMPTY"}},
		{name: "CELL-TYPE text", old: "denied_secret: [0, 0, 0, 0, 0, 0, 0]", new: "denied_secret: [无, 0, 0, 0, 0, 0, 0]", want: []string{"CELL-TYPE"}},
		{name: "CELL-TYPE negative", old: "coercion: 18", new: "coercion: -18", want: []string{"CELL-TYPE"}},
		{name: "CELL-TYPE fraction in a count", old: "penalty: 236", new: "penalty: 236.5", want: []string{"CELL-TYPE"}},
		{name: "CELL-FORMAT full-width", old: "penalty: 236", new: "penalty: ２３６", want: []string{"CELL-FORMAT"}},
		{name: "T3-ROW", old: "disclosed: [18, 3, 1, 0, 1, 0, 23]", new: "disclosed: [18, 3, 1, 0, 1, 0, 24]", want: []string{"T3-ROW", "TEXT-NUMBER"}},
		{name: "T3-RESULT", old: "total: [38, 6, 1, 1, 2, 0, 48]", new: "total: [38, 6, 1, 1, 2, 1, 49]", want: []string{"T3-RESULT"}},
		{name: "T3-BALANCE", old: "carried_forward: [2, 1, 0, 0, 1, 1, 5]", new: "carried_forward: [2, 1, 0, 0, 1, 2, 6]", want: []string{"T3-BALANCE", "TEXT-NUMBER"}},
		{name: "T4-TOTAL", old: "direct: [1, 0, 0, 1, 2]", new: "direct: [1, 0, 0, 1, 3]", want: []string{"T4-TOTAL", "TEXT-NUMBER"}},
		{name: "CARRY-OVER", prev: true, prevOld: "carried_forward: [2, 1, 0, 0, 0, 0, 3]", prevNew: "carried_forward: [1, 1, 0, 0, 0, 1, 3]", want: []string{"CARRY-OVER"}},
		{name: "STOCK-FLOW", prev: true, old: "normative: [3, 1, 12]", new: "normative: [3, 1, 13]", want: []string{"STOCK-FLOW"}},
		{name: "STOCK-MIN", old: "normative: [3, 1, 12]", new: "normative: [3, 1, 1]", want: []string{"STOCK-MIN"}},
		{name: "RULE-POWER", old: "rules: [0, 0, 0]", new: "rules: [0, 0, 6]", want: []string{"RULE-POWER"}},
		{name: "RULE-POWER silent for a city government", old: "rules: [0, 0, 0]  # 规章：本年制发件数、本年废止件数、现行有效件数\n", new: "rules: [0, 0, 6]\n", prevOld: "", want: nil},
		{name: "FEE-UNIT yuan suffix", old: "fees: 12.5", new: "fees: 125000元", want: []string{"CELL-TYPE", "FEE-UNIT"}},
		{name: "FEE-UNIT too large", old: "fees: 12.5", new: "fees: 125000", want: []string{"FEE-UNIT"}},
		{name: "TEXT-NUMBER", old: "予以公开23件", new: "予以公开22件", want: []string{"TEXT-NUMBER"}},
		{name: "TEXT-NUMBER zero phrase", old: "全年共收到政府信息公开申请50件", new: "全年未收到政府信息公开申请", want: []string{"TEXT-NUMBER"}},
		{name: "TEXT-AREAS", old: "  - heading: \"（三）政府信息管理\"\n  - \"严格落实公文公开属性源头认定和保密审查制度，拟公开信息实行“科室初审、办公室复审、分管领导终审”三级审核。完成行政规范性文件清理，动态更新政府信息公开目录和公开指南。\"\n", new: "", want: []string{"HEADING", "TEXT-AREAS"}},
		{name: "TEXT-FEE", old: "  - heading: \"（一）信息处理费收取情况\"\n  - \"本年度未发出收费通知，未收取信息处理费。\"\n  - heading: \"（二）人大代表建议和政协提案办理结果公开情况\"\n", new: "  - \"无。\"\n", want: []string{"TEXT-FEE"}},
		{name: "TEXT-STALE link", old: "website: https://www.chengnan.gov.cn/scjgj/zfxxgk/ndbg/", new: "website: https://www.chengnan.gov.cn/scjgj/2023j/", want: []string{"TEXT-STALE"}},
		{name: "TEXT-STALE basis", old: "intro: []", new: "intro:\n  - 根据国办公开办函〔2019〕60号要求，统计期限为2024年1月1日至2024年12月31日。", want: []string{"TEXT-STALE"}},
		{name: "TEXT-STALE period", old: "intro: []", new: "intro:\n  - 本报告统计期限为2023年1月1日至2023年12月31日。", want: []string{"TEXT-STALE"}},
		{name: "TEXT-STALE leading year", old: "将政府信息公开工作纳入", new: "2023年，将政府信息公开工作纳入", want: []string{"TEXT-STALE"}},
		{name: "TEXT-SIMILAR", prev: true, prevOld: "  - \"政策解读形式比较单一，以文字解读为主，群众阅读体验有待提升。2024年将丰富图解、视频等解读形式。\"\n",
			prevNew: "  - \"上年度报告提出的政策解读形式单一问题，本年度通过制作图解、视频解读等方式已基本整改。当前仍存在以下问题：一是部分业务科室对公文公开属性认定把握不准；二是依申请公开答复文书的说理性有待加强；三是基层市场监管所信息公开工作力量薄弱。\"\n  - \"2025年，我局将从三个方面改进：一是开展公开属性认定专题培训，建立典型案例库；二是规范答复文书模板，落实法律顾问审核；三是加强对基层市场监管所的业务指导，推动监管信息及时公开。\"\n",
			want:    []string{"TEXT-SIMILAR"}},
		{name: "TEXT-CONTROL", old: "扎实推进政府信息公开，", new: "扎实推进政府\u200b信息公开\\a，", want: []string{"TEXT-CONTROL"}},
		{name: "DATE-LATE", old: "published: 2025-01-22", new: "published: 2025-02-10", want: []string{"DATE-LATE"}},
		{name: "DATE-LATE silent for a government by March", old: "scope: 本机关", new: "scope: 本级政府", prevOld: "", want: nil},
		{name: "DATE-LATE for a township government after January", old: "scope: 本机关", new: "scope: 本级政府", edit: func(s string) string {
			s = strings.Replace(strings.Replace(s, "level: 县", "level: 乡镇", 1), "role: 部门", "role: 政府", 1)
			return strings.Replace(s, "published: 2025-01-22", "published: 2025-03-20", 1)
		}, want: []string{"DATE-LATE"}},
		{name: "REVISE-MARK", old: "扎实推进政府信息公开，保障人民群众的知情权、参与权和监督权。", new: "扎实推进政府信息公开。【待修改：上年报告的文字，含年份 2023，请按本年情况改写并删去此标记】", want: []string{"REVISE-MARK"}},
		{name: "HEADING", old: "（三）政府信息管理", new: "（二）政府信息管理", want: []string{"HEADING"}},
		{name: "TEXT-THIN 五 says 无", edit: thinProblems("  - \"无。\"\n"), want: []string{"TEXT-THIN"}},
		{name: "TEXT-THIN 五 too short", edit: thinProblems("  - \"继续做好信息公开工作。\"\n"), want: []string{"TEXT-THIN"}},
		{name: "TEXT-THIN 五 only a heading", edit: thinProblems("  - heading: \"（一）存在的主要问题\"\n"), want: []string{"TEXT-THIN"}},
		{name: "TEXT-THIN silent for a short but real 五", edit: thinProblems("  - \"依申请公开答复文书说理不够充分，明年将统一答复模板并由法律顾问逐件审核。\"\n"), want: nil},
		{name: "TEXT-YEAR last year as this year's", old: "所有申请均在法定期限内答复。", new: "2023年，我局所有申请均在法定期限内答复。", want: []string{"TEXT-YEAR"}},
		{name: "TEXT-YEAR 本年度（2023年）", old: "所有申请均在法定期限内答复。", new: "本年度（2023年）所有申请均在法定期限内答复。", want: []string{"TEXT-YEAR"}},
		{name: "TEXT-YEAR 本单位2023年度", old: "全年通过县政府门户网站", new: "本单位2023年度通过县政府门户网站", want: []string{"TEXT-YEAR"}},
		{name: "TEXT-YEAR next year's work outside 五", old: "组织全局业务培训2次。", new: "组织全局业务培训2次。2025年，我局组织业务培训2次。", want: []string{"TEXT-YEAR"}},
		{name: "TEXT-YEAR silent for comparisons, dates and plans", old: "组织全局业务培训2次。",
			new: "组织全局业务培训2次，较2023年增加1次。2025年，我局将继续开展培训。2023年以来共培训5次。本报告于2025年1月22日发布。针对2023年报告提出的问题已整改。", want: nil},
		{name: "TEXT-SPACE doubled", old: "扎实推进政府信息公开，", new: "扎实推进政府信息公开，  ", want: []string{"TEXT-SPACE"}},
		{name: "TEXT-SPACE tab and full-width space", old: "扎实推进政府信息公开，", new: "扎实推进政府\t信息公开，\u3000", want: []string{"TEXT-SPACE"}},
		{name: "TEXT-SPACE silent between Chinese and a number", old: "规范运维政务新媒体账号2个", new: "规范运维政务新媒体账号 2 个", want: nil},
		{name: "TEXT-NUMBER 办结", old: "所有申请均在法定期限内答复。", new: "上述申请共办结47件。", want: []string{"TEXT-NUMBER"}},
		{name: "TEXT-NUMBER 办结 agrees", old: "所有申请均在法定期限内答复。", new: "共办结48件，均在法定期限内答复。", want: nil},
		{name: "TEXT-NUMBER 结转至下年", old: "结转下年度继续办理5件", new: "结转至2025年4件", want: []string{"TEXT-NUMBER"}},
		{name: "TEXT-NUMBER 结转至下年 agrees", old: "结转下年度继续办理5件", new: "结转至2025年5件", want: nil},
		{name: "TEXT-NUMBER 行政诉讼", old: "提起行政诉讼3件", new: "提起行政诉讼4件", want: []string{"TEXT-NUMBER"}},
		{name: "TEXT-NUMBER silent for information items and hotline calls", old: "所有申请均在法定期限内答复。",
			new: "依申请公开信息数142条。12345热线受理并办结3000件。", want: nil},
		{name: "TEXT-NUMBER last year's paragraph", prev: true, old: "全年共收到政府信息公开申请50件", new: "全年共收到政府信息公开申请45件", want: []string{"TEXT-NUMBER"}},
		{name: "YOY-JUMP", prev: true, prevOld: "licensing: 1400", prevNew: "licensing: 400", want: []string{"YOY-JUMP"}},
		{name: "YOY-JUMP silent below the declared minimum", prev: true, prevOld: "review: [1, 0, 0, 0, 1]", prevNew: "review: [1, 0, 0, 0, 1]", want: nil},
		{name: "STRUCTURE row length", old: "review: [2, 1, 0, 1, 4]", new: "review: [2, 1, 0, 1]", want: []string{"CELL-EMPTY", "STRUCTURE"}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := base
			if tt.old != "" || tt.new != "" {
				if !strings.Contains(src, tt.old) {
					t.Fatalf("the example has no %q", tt.old)
				}
				src = strings.Replace(src, tt.old, tt.new, 1)
			}
			if tt.name == "RULE-POWER silent for a city government" {
				src = strings.Replace(strings.Replace(src, "level: 县", "level: 市", 1), "role: 部门", "role: 政府", 1)
				src = strings.Replace(src, "scope: 本机关", "scope: 本级政府", 1)
			}
			if tt.name == "DATE-LATE silent for a government by March" {
				src = strings.Replace(src, "published: 2025-01-22", "published: 2025-03-20", 1)
			}
			if tt.edit != nil {
				src = tt.edit(src)
			}
			r := read(t, "report.yaml", []byte(src))
			var opt check.Options
			if tt.prev {
				p := string(prevData)
				if tt.prevOld != "" {
					if !strings.Contains(p, tt.prevOld) {
						t.Fatalf("the previous example has no %q", tt.prevOld)
					}
					p = strings.Replace(p, tt.prevOld, tt.prevNew, 1)
				}
				opt.Prev = read(t, "prev.yaml", []byte(p))
			}
			fs := check.Run(r, opt)
			if got := ruleIDs(fs); !slices.Equal(got, tt.want) {
				var lines []string
				for _, f := range fs {
					lines = append(lines, f.Rule+" "+f.Location.String()+" "+f.Message)
				}
				t.Fatalf("rules fired %v, want %v\n%s", got, tt.want, strings.Join(lines, "\n"))
			}
			for _, f := range fs {
				seen[f.Rule] = true
				if f.Message == "" || f.Location.IsZero() {
					t.Errorf("finding without message or location: %+v", f)
				}
			}
		})
	}
	for _, r := range check.All {
		if r.Check != nil && !seen[r.ID] && r.ID != "SECTION-ORDER" && r.ID != "SUM-CHILDREN" { // TestSectionOrder; cmd/nianbao TestCheckChildren
			t.Errorf("no case fires rule %s", r.ID)
		}
	}
}

// thinProblems replaces 五's paragraphs in the complete example.
func thinProblems(with string) func(string) string {
	return func(src string) string {
		i := strings.Index(src, "problems:")
		i += strings.IndexByte(src[i:], '\n') + 1
		j := strings.Index(src, "\nother:")
		return src[:i] + with + src[j:]
	}
}

// TestExamples checks that each transcribed seed gives exactly the findings
// its real text deserves.
func TestExamples(t *testing.T) {
	tests := []struct {
		file string
		want []string // rule and location, in output order
	}{
		{"baishan-2022.yaml", []string{
			"TEXT-STALE baishan-2022.yaml:22:5", // 国办公开办函〔2019〕60号
			"TEXT-STALE baishan-2022.yaml:23:5", // the /2020j/ link
			"TEXT-AREAS baishan-2022.yaml:25:5", // no word on 政府信息管理
			"TEXT-FEE baishan-2022.yaml:73:5",   // 六 says only 无。
		}},
		{"baoshan-zwfw-2024.yaml", nil},
		{"rushanzhai-2022.yaml", []string{"HEADING rushanzhai-2022.yaml:83:14"}}, // （一）（二）（二）
		{"chengnan-scjg-2024.yaml", nil},
		{"chengnan-scjg-2023.yaml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := read(t, tt.file, load(t, filepath.Join("../../examples", tt.file)))
			var got []string
			for _, f := range check.Run(r, check.Options{}) {
				got = append(got, f.Rule+" "+f.Location.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestExamplesWithPrev(t *testing.T) {
	r := read(t, "2024.yaml", load(t, complete))
	prev := read(t, "2023.yaml", load(t, completePrev))
	if fs := check.Run(r, check.Options{Prev: prev}); len(fs) != 0 {
		t.Fatalf("unexpected findings: %+v", fs)
	}
}

func BenchmarkCheck(b *testing.B) {
	r := read(b, "2024.yaml", load(b, complete))
	prev := read(b, "2023.yaml", load(b, completePrev))
	b.ReportAllocs()
	for b.Loop() {
		check.Run(r, check.Options{Prev: prev})
	}
}

// TestReaderRulesCatalogued reads every seed and example through every
// reader and checks that each rule they report is in the catalogue with
// the same severity.
func TestReaderRulesCatalogued(t *testing.T) {
	var files []string
	for _, g := range []string{"../../examples/*.yaml", "../../../shared/seeds/*.txt", "../../template/published/testdata/*/*", "../../template/workbook/testdata/*.xlsx"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("too few inputs: %v", files)
	}
	for _, f := range files {
		r, err := template.Open(f)
		if err != nil {
			continue
		}
		for _, fd := range check.Run(r, check.Options{}) {
			rule := check.Lookup(fd.Rule)
			if rule == nil {
				t.Errorf("%s: rule %s is not in the catalogue", f, fd.Rule)
			} else if rule.Severity != fd.Severity && rule.Minor != fd.Severity {
				t.Errorf("%s: rule %s reported as %s, catalogued as %s", f, fd.Rule, fd.Severity, rule.Severity)
			}
		}
	}
}

// TestMessagesActionable: what staff read for a mistake they commonly make
// tells them what to type, and the text output does not repeat the expected
// and actual values a message already states.
func TestMessagesActionable(t *testing.T) {
	base := string(load(t, complete))
	tests := []struct {
		name, old, new string
		rule           string
		want           string // in the text output line of the finding
		notWant        string
	}{
		{"无 in a count", "licensing: 1520", "licensing: 无", "CELL-TYPE",
			"表二“行政许可”·本年处理决定数量应为非负整数，实际填写“无”；没有发生的事项请填 0", "（应为："},
		{"a dash in a count", "licensing: 1520", "licensing: \"-\"", "CELL-TYPE", "没有发生的事项请填 0", "（应为："},
		{"a word in a count", "licensing: 1520", "licensing: 若干", "CELL-TYPE", "实际填写“若干”", "没有发生的事项"},
		{"wrong row total", "disclosed: [18, 3, 1, 0, 1, 0, 23]", "disclosed: [18, 3, 1, 0, 1, 0, 24]", "T3-ROW",
			"为 24，应为 23", "（应为："},
		{"full-width year", "year: 2024 ", "year: \"２０２４\" ", "META", "报告年度“２０２４”用了全角数字，请改为半角数字 2024", "（应为："},
		{"one cell explains the row and the balance", "received: [", "received: [1", "T3-ROW", "自然人为 138，应为 38", "（应为："},
	}
	for _, tt := range tests {
		if !strings.Contains(base, tt.old) {
			t.Fatalf("%s: %q not in the example", tt.name, tt.old)
		}
		r := read(t, "r.yaml", []byte(strings.Replace(base, tt.old, tt.new, 1)))
		res := &check.Result{File: "r.yaml", Format: r.Format, Findings: check.Run(r, check.Options{})}
		var out strings.Builder
		if err := res.WriteText(&out); err != nil {
			t.Fatal(err)
		}
		var line string
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, " "+tt.rule+" ") {
				line = l
				break
			}
		}
		if line == "" {
			t.Errorf("%s: no %s finding:\n%s", tt.name, tt.rule, out.String())
			continue
		}
		if !strings.Contains(line, tt.want) {
			t.Errorf("%s: %q\nwant it to say %q", tt.name, line, tt.want)
		}
		if tt.notWant != "" && strings.Contains(line, tt.notWant) {
			t.Errorf("%s: %q\nshould not say %q", tt.name, line, tt.notWant)
		}
	}
}

// TestManyBlankRows: a table with many whole blank rows (a next-year
// template where only 上年结转 is filled) gets one CELL-EMPTY finding for
// them, naming the first rows; a few blank rows get one finding each.
func TestManyBlankRows(t *testing.T) {
	src := string(load(t, complete))
	blank := "[~, ~, ~, ~, ~, ~, ~]"
	for n, want := range map[int]int{3: 3, 5: 1} {
		s := src
		for _, row := range []string{"disclosed", "partial", "denied_secret", "denied_law", "denied_safety"}[:n] {
			i := strings.Index(s, "  "+row+": [")
			j := strings.Index(s[i:], "]") + i + 1
			s = s[:i] + "  " + row + ": " + blank + s[j:]
		}
		var empty []schema.Finding
		for _, f := range check.Run(read(t, "r.yaml", []byte(s)), check.Options{}) {
			if f.Rule == "CELL-EMPTY" {
				empty = append(empty, f)
			}
		}
		if len(empty) != want {
			t.Fatalf("%d blank rows: %d CELL-EMPTY findings, want %d: %+v", n, len(empty), want, empty)
		}
		if want == 1 && !strings.Contains(empty[0].Message, "5 行整行未填写") {
			t.Fatalf("message: %s", empty[0].Message)
		}
	}
}

// TestSince: a rule resting on a provision younger than the report is not
// run on it — TEXT-FEE on a 2019 or 2020 report, which predates the fee
// rules of 国办函〔2020〕109号 — and is run from the year it applies.
func TestSince(t *testing.T) {
	base := strings.Replace(string(load(t, complete)),
		"  - heading: \"（一）信息处理费收取情况\"\n  - \"本年度未发出收费通知，未收取信息处理费。\"\n  - heading: \"（二）人大代表建议和政协提案办理结果公开情况\"\n", "  - \"无。\"\n", 1)
	for _, tt := range []struct {
		year string
		fee  bool
	}{{"2019", false}, {"2020", false}, {"2021", true}, {"2024", true}} {
		src := strings.Replace(base, "year: 2024 ", "year: "+tt.year+" ", 1)
		fs := check.Run(read(t, "report.yaml", []byte(src)), check.Options{})
		if got := slices.Contains(ruleIDs(fs), "TEXT-FEE"); got != tt.fee {
			t.Errorf("%s: TEXT-FEE fired %v, want %v", tt.year, got, tt.fee)
		}
	}
}
