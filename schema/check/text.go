package check

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/nianbao/nianbao/schema"
)

// fold normalises text for matching: full-width ASCII to half-width and
// ASCII parentheses to the full-width ones the format uses.
func fold(s string) string {
	s = width.Fold.String(s)
	return strings.NewReplacer("(", "（", ")", "）").Replace(s)
}

// narrativeBlocks yields every narrative block with its section key, the
// intro first.
func narrativeBlocks(r *schema.Report, fn func(section string, b schema.Block)) {
	for _, b := range r.Intro {
		fn(IntroSection, b)
	}
	for _, s := range r.Format.Sections {
		for _, b := range r.Narrative[s.Key] {
			fn(s.Key, b)
		}
	}
}

// figure is a phrase of the narrative that quotes a table figure.
type figure struct {
	re *regexp.Regexp
	// cells names the figure: table ID, column key, and row keys summed.
	table, col string
	rows       []string
	// alts are alternative accepted sums (收到申请 may include 上年结转).
	alts [][]string
	// what describes the table side in messages.
	what string
	// about, when set, must occur in the sentence before the phrase, and
	// none of unlike between it and the phrase: 办结148件 counts requests
	// only in a sentence about 申请, not about hotline calls.
	about  string
	unlike []string
}

// notRequests are the other things a report counts in 件 beside
// information requests: hotline calls, letters, proposals, work orders.
var notRequests = []string{"热线", "信箱", "来电", "建议", "提案", "工单", "诉求", "投诉", "审批", "许可", "办件"}

// inContext reports whether the phrase at byte offset i of text stands in a
// sentence about fg.about.
func (fg *figure) inContext(text string, i int) bool {
	if fg.about == "" {
		return true
	}
	start := strings.LastIndexAny(text[:i], "。；;")
	sentence := text[start+1 : i]
	j := strings.LastIndex(sentence, fg.about)
	if j < 0 {
		return false
	}
	return !containsAny(sentence[j:], fg.unlike)
}

// No clause boundary and no digit between the keyword and the number.
const gap = `[^。；;，,、\d]`

func rowsWithPrefix(t *schema.Table, prefix string) []string {
	var out []string
	for _, r := range t.Rows {
		if strings.HasPrefix(r.Key, prefix) {
			out = append(out, r.Key)
		}
	}
	return out
}

// describe names the table cells a figure sums, in official labels:
// “（一）予以公开”总计, “（三）不予公开”各项总计之和.
func describe(t *schema.Table, col string, rows []string) string {
	first := t.Row(rows[0])
	c := first.Col(col).Label
	if len(rows) == 1 {
		return "“" + first.Label + "”" + c
	}
	// rows of one group: name the group
	if n := len(first.Path); n > 0 {
		group := first.Path[n-1]
		same := true
		for _, k := range rows {
			if p := t.Row(k).Path; len(p) != n || p[n-1] != group {
				same = false
			}
		}
		if same && n > 0 && (t.ID != "t3" || n > 1) {
			return "“" + group + "”各项" + c + "之和"
		}
	}
	var names []string
	for _, k := range rows {
		names = append(names, "“"+t.Row(k).Label+"”")
	}
	return strings.Join(names, "与") + c + "之和"
}

// figures lists the phrases TEXT-NUMBER understands: ordinary narrative
// wording mapped onto the declaration's row and column keys.
func figures(f *schema.Format) []figure {
	t3, t4 := f.Table("t3"), f.Table("t4")
	if t3 == nil || t4 == nil {
		return nil
	}
	review := regexp.QuoteMeta(t4.Row("review").Label)
	suit := regexp.QuoteMeta(t4.Row("direct").Path[0])
	num := `(?P<n>\d+)\s*(?:件|个|起|宗)`
	figs := []figure{
		{re: regexp.MustCompile(`(?:收到|受理|新收|接收)` + gap + `{0,15}?申请` + gap + `{0,8}?` + num),
			table: "t3", col: "total", rows: []string{"received"}, alts: [][]string{{"received", "carried_over"}}},
		{re: regexp.MustCompile(`(?:收到|受理|新收|接收)` + gap + `{0,6}?` + num + `[^。；;，,、\d]{0,12}?申请`),
			table: "t3", col: "total", rows: []string{"received"}, alts: [][]string{{"received", "carried_over"}}},
		{re: regexp.MustCompile(`(?:^|[^收到和及与新])(?P<p>受理` + gap + `{0,4}?` + num + `)`),
			table: "t3", col: "total", rows: []string{"received"}, alts: [][]string{{"received", "carried_over"}},
			about: "申请", unlike: notRequests},
		{re: regexp.MustCompile(`(?:答复|办结|办理完毕)` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: []string{"total"}, alts: [][]string{{"received"}, {"received", "carried_over"}},
			about: "申请", unlike: notRequests},
		{re: regexp.MustCompile(`自然人(?:提出)?(?:的)?申请` + gap + `{0,4}?` + num),
			table: "t3", col: "natural", rows: []string{"received"}},
		{re: regexp.MustCompile(`上年结转` + gap + `{0,12}?` + num),
			table: "t3", col: "total", rows: []string{"carried_over"}},
		{re: regexp.MustCompile(`(?:^|[^部或])(?P<p>予以公开` + gap + `{0,4}?` + num + `)`),
			table: "t3", col: "total", rows: []string{"disclosed"}},
		{re: regexp.MustCompile(`全部或部分公开` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: []string{"disclosed", "partial"}},
		{re: regexp.MustCompile(`(?:^|[^或])(?P<p>部分公开` + gap + `{0,4}?` + num + `)`),
			table: "t3", col: "total", rows: []string{"partial"}},
		{re: regexp.MustCompile(`不予公开` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: rowsWithPrefix(t3, "denied_")},
		{re: regexp.MustCompile(`无法提供` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: rowsWithPrefix(t3, "unable_")},
		{re: regexp.MustCompile(`不予处理` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: rowsWithPrefix(t3, "rejected_")},
		{re: regexp.MustCompile(`结转(?:至|到)?下一?年度?(?:继续办理)?` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: []string{"carried_forward"}},
		{re: regexp.MustCompile(`结转(?:至|到)\s*\d{4}\s*年度?(?:继续办理)?` + gap + `{0,4}?` + num),
			table: "t3", col: "total", rows: []string{"carried_forward"}},
		{re: regexp.MustCompile(num + gap + `{0,2}?结转(?:至|到)?下一?年`),
			table: "t3", col: "total", rows: []string{"carried_forward"}},
		{re: regexp.MustCompile(review + gap + `{0,6}?` + num),
			table: "t4", col: "total", rows: []string{"review"}},
		{re: regexp.MustCompile(suit + gap + `{0,6}?` + num),
			table: "t4", col: "total", rows: []string{"direct", "after_review"}},
	}
	for i := range figs {
		figs[i].what = describe(f.Table(figs[i].table), figs[i].col, figs[i].rows)
	}
	return figs
}

// zeroPhrase is a statement that a figure is zero (未收到申请).
type zeroPhrase struct {
	re    *regexp.Regexp
	table string
	rows  []string
}

func zeroPhrases(f *schema.Format) []zeroPhrase {
	t4 := f.Table("t4")
	if t4 == nil || f.Table("t3") == nil {
		return nil
	}
	review := regexp.QuoteMeta(t4.Row("review").Label)
	suit := regexp.QuoteMeta(t4.Row("direct").Path[0])
	return []zeroPhrase{
		{regexp.MustCompile(`未(?:收到|受理|接到)(?P<w>` + gap + `{0,12}?)申请`), "t3", []string{"received"}},
		{regexp.MustCompile(`未(?:发生|出现|收到|接到)` + `[^。；;，,\d]{0,12}?` + review), "t4", []string{"review"}},
		{regexp.MustCompile(`未(?:发生|出现|收到|接到)` + `[^。；;\d]{0,20}?` + suit), "t4", []string{"direct", "after_review"}},
	}
}

func sumRows(r *schema.Report, table, col string, rows []string) (schema.Decimal, bool) {
	d := r.Tables[table]
	if d == nil {
		return schema.Decimal{}, false
	}
	var total schema.Decimal
	for _, rk := range rows {
		v := d.Cell(rk, col)
		if !v.OK() {
			return schema.Decimal{}, false
		}
		total, _ = total.Add(v.Num)
	}
	return total, true
}

func checkTextNumber(p *Pass) {
	r, prev := p.Report, p.Prev
	figs, zeros := figures(r.Format), zeroPhrases(r.Format)
	narrativeBlocks(r, func(section string, b schema.Block) {
		text := fold(b.Text)
		// a paragraph whose every wrong figure is last year's: one finding
		type wrong struct {
			phrase, digits string
			fg             *figure
			want           schema.Decimal
		}
		var wrongs []wrong
		lastYears := 0
		for k := range figs {
			fg := &figs[k]
			for _, m := range fg.re.FindAllStringSubmatchIndex(text, -1) {
				at := m[0]
				phrase, digits := text[m[0]:m[1]], text[m[2*fg.re.SubexpIndex("n")]:m[2*fg.re.SubexpIndex("n")+1]]
				if i := fg.re.SubexpIndex("p"); i > 0 {
					phrase, at = text[m[2*i]:m[2*i+1]], m[2*i]
				}
				if !fg.inContext(text, at) {
					continue
				}
				n, err := strconv.ParseInt(digits, 10, 64)
				if err != nil {
					continue
				}
				if fg.matches(r, n) {
					continue
				}
				want, ok := sumRows(r, fg.table, fg.col, fg.rows)
				if !ok {
					continue
				}
				wrongs = append(wrongs, wrong{phrase, digits, fg, want})
				if prev != nil && prev.Format == r.Format && fg.matches(prev, n) {
					lastYears++
				}
			}
		}
		if len(wrongs) > 0 && lastYears == len(wrongs) {
			var said, table []string
			for _, w := range wrongs {
				said = append(said, "“"+w.phrase+"”")
				table = append(table, r.Format.Table(w.fg.table).Name+w.fg.what+" "+w.want.String())
			}
			p.Reportf(section, b.Loc, strings.Join(table, "、"), "与上年报告相同",
				"这一段的数字%s与上年报告的表格相同，而本年%s：这一段可能沿用了上年的文字，请按本年情况改写",
				strings.Join(said, "、"), strings.Join(table, "、"))
			wrongs = nil
		}
		for _, w := range wrongs {
			t := r.Format.Table(w.fg.table)
			p.Reportf(section, b.Loc, w.want.String(), w.digits,
				"正文写“%s”，但%s%s为 %s；请核对正文与表格", w.phrase, t.Name, w.fg.what, w.want)
		}
		for _, z := range zeros {
			m := z.re.FindStringSubmatch(text)
			if m == nil {
				continue
			}
			if i := z.re.SubexpIndex("w"); i > 0 && containsAny(m[i], []string{"复议", "诉讼"}) {
				continue // 未收到…行政复议申请: not about information requests
			}
			want, ok := sumRows(r, z.table, "total", z.rows)
			if !ok || want.Cmp(schema.Decimal{}) == 0 {
				continue
			}
			t := r.Format.Table(z.table)
			p.Reportf(section, b.Loc, want.String(), "0",
				"正文写“%s”，但%s%s为 %s；请核对正文与表格", m[0], t.Name, describe(t, "total", z.rows), want)
		}
	})
}

// matches reports whether n is the figure's sum in r, or one of its
// accepted alternatives.
func (fg *figure) matches(r *schema.Report, n int64) bool {
	for _, rows := range append([][]string{fg.rows}, fg.alts...) {
		if v, ok := sumRows(r, fg.table, fg.col, rows); ok && v.Cmp(schema.Int(n)) == 0 {
			return true
		}
	}
	return false
}

func sectionText(r *schema.Report, key string) string {
	var b strings.Builder
	for _, bl := range r.Narrative[key] {
		b.WriteString(fold(bl.Text))
		b.WriteByte('\n')
	}
	return b.String()
}

func sectionLoc(r *schema.Report, key string) schema.Location {
	if bs := r.Narrative[key]; len(bs) > 0 {
		return bs[0].Loc
	}
	if l, ok := r.SectionLoc[key]; ok {
		return l
	}
	return schema.Location{File: r.Source}
}

func checkTextAreas(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Sections {
		if len(s.Areas) == 0 || len(r.Narrative[s.Key]) == 0 {
			continue
		}
		text := sectionText(r, s.Key)
		var missing []string
		for _, a := range s.Areas {
			found := false
			for _, w := range a.Words {
				if strings.Contains(text, w) {
					found = true
					break
				}
			}
			if !found {
				missing = append(missing, a.Name)
			}
		}
		if len(missing) > 0 {
			var all []string
			for _, a := range s.Areas {
				all = append(all, a.Name)
			}
			p.Reportf(s.Key, sectionLoc(r, s.Key), strings.Join(all, "、"), "缺少："+strings.Join(missing, "、"),
				"“%s”没有写到%s；总体情况应涵盖%s等方面", s.Heading(), strings.Join(missing, "、"), strings.Join(all, "、"))
		}
	}
}

var feeWords = []string{"信息处理费", "收费", "收取费用", "处理费", "收取"}

func checkTextFee(p *Pass) {
	r := p.Report
	// The fee statement belongs in the last narrative section (六).
	var last *schema.Section
	for _, s := range r.Format.Sections {
		if s.Kind == schema.Narrative {
			last = s
		}
	}
	if last == nil || len(r.Narrative[last.Key]) == 0 {
		return // SECTION-MISSING reports it
	}
	text := sectionText(r, last.Key)
	for _, w := range feeWords {
		if strings.Contains(text, w) {
			return
		}
	}
	p.Reportf(last.Key, sectionLoc(r, last.Key), "信息处理费收取情况（未收取也要写明）", firstRunes(r.Narrative[last.Key][0].Text, 30),
		"“%s”没有说明信息处理费的收取情况（《政府信息公开信息处理费管理办法》：发出收费通知的件数和总金额、实际收取的总金额；未收取的写明未收取）", last.Heading())
}

func firstRunes(s string, n int) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", " "))
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

var (
	rePeriod   = regexp.MustCompile(`(\d{4})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|－)\s*(\d{4})\s*年\s*12\s*月\s*31\s*日`)
	reURL      = regexp.MustCompile(`(?i)(?:https?://|www\.)[A-Za-z0-9./_\-?=&%#:~+]+`)
	reURLYear  = regexp.MustCompile(`/((?:19|20)\d\d)[A-Za-z]?/`)
	reOldBasis = regexp.MustCompile(`国办公开办函\s*〔\s*2019\s*〕\s*60\s*号`)
	reTitle    = regexp.MustCompile(`((?:19|20)\d\d)\s*年(?:度)?政府信息公开工作年度报告`)
	reLeadYear = regexp.MustCompile(`^((?:19|20)\d\d)\s*年`)
)

func checkTextStale(p *Pass) {
	r := p.Report
	year := r.YearInt()
	if year == 0 {
		return
	}
	ys := strconv.Itoa(year)
	stale := func(section string, loc schema.Location, text string, leading bool) {
		for _, m := range rePeriod.FindAllStringSubmatch(text, -1) {
			if m[1] != ys || m[2] != ys {
				p.Reportf(section, loc, ys+"年1月1日至"+ys+"年12月31日", m[0], "统计期限写作“%s”，应为本报告年度 %s 年", m[0], ys)
			}
		}
		for _, u := range reURL.FindAllString(text, -1) {
			for _, m := range reURLYear.FindAllStringSubmatch(u, -1) {
				if y, _ := strconv.Atoi(m[1]); y < year {
					p.Reportf(section, loc, "指向 "+ys+" 年度报告的网址", u,
						"网址 %s 指向 %s 年的栏目（%s），可能沿用了往年报告的链接", u, m[1], strings.Trim(m[0], "/"))
				}
			}
		}
		if m := reOldBasis.FindString(text); m != "" {
			p.Reportf(section, loc, r.Format.Notice, m,
				"引用了已被替代的%s；%d 年度起应依据%s", m, r.Format.Year, r.Format.Notice)
		}
		for _, m := range reTitle.FindAllStringSubmatchIndex(text, -1) {
			title, y := text[m[0]:m[1]], text[m[2]:m[3]]
			if y == ys || publishedLastYear(text[:m[0]], y, year) {
				continue
			}
			p.Reportf(section, loc, ys+"年", title, "正文提到“%s”，与报告年度 %s 年不符", title, ys)
		}
		if leading {
			if m := reLeadYear.FindStringSubmatch(text); m != nil {
				if y, _ := strconv.Atoi(m[1]); y < year {
					p.Reportf(section, loc, ys+"年", m[1]+"年",
						"段落以“%s年”开头，早于报告年度 %s 年：是否沿用了往年的文字？", m[1], ys)
				}
			}
		}
	}
	// The website field is checked unless the opening paragraph quotes
	// the same address (one defect, one finding).
	quoted := false
	for _, b := range r.Intro {
		if w := strings.TrimSpace(r.Meta.Website.Value); w != "" && strings.Contains(b.Text, w) {
			quoted = true
		}
	}
	if !quoted {
		stale("", metaLoc(r, r.Meta.Website), fold(r.Meta.Website.Value), false)
	}
	narrativeBlocks(r, func(section string, b schema.Block) {
		stale(section, b.Loc, fold(b.Text), section != IntroSection)
	})
}

// publishedLastYear reports whether last year's report is named as a work
// of this year (公开发布《…2021年政府信息公开工作年度报告》 in a 2022 report):
// the words just before the title say it was published or refer to it as
// last year's.
func publishedLastYear(before, y string, year int) bool {
	if y != strconv.Itoa(year-1) {
		return false
	}
	rs := []rune(before)
	near := string(rs[max(0, len(rs)-16):])
	return containsAny(near, []string{"发布", "公布", "印发", "公开", "上年", "上一年", "编制", "报送"})
}

// reSubHeading matches a leading （一） style ordinal.
var reSubHeading = regexp.MustCompile(`^\s*（([一二三四五六七八九十]+)）`)

func chineseOrdinal(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digits[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digits[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return digits[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return digits[rs[0]]*10 + digits[rs[2]]
	}
	return 0
}

func ordinalText(n int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return d[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + d[n-10]
	case n%10 == 0:
		return d[n/10] + "十"
	}
	return d[n/10] + "十" + d[n%10]
}

func checkHeading(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Sections {
		expect := 1
		for _, b := range r.Narrative[s.Key] {
			m := reSubHeading.FindStringSubmatch(fold(b.Text))
			if m == nil {
				continue
			}
			// A run-in heading opens a paragraph: （一）提升….  A paragraph
			// that merely starts with a bracketed ordinal counts the same.
			n := chineseOrdinal(m[1])
			if n == 0 {
				continue
			}
			if n != expect {
				want := "（" + ordinalText(expect) + "）"
				p.Reportf(s.Key, b.Loc, want, "（"+m[1]+"）",
					"“%s”的小标题编号不连续：此处应为%s，实际为（%s）", s.Heading(), want, m[1])
			}
			expect = n + 1
		}
	}
}

// shingles returns the set of hashes of the n-rune shingles of s, ignoring
// white space.
func shingles(s string, n int) map[uint64]struct{} {
	rs := make([]rune, 0, len(s)/3)
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\u3000' {
			rs = append(rs, r)
		}
	}
	out := make(map[uint64]struct{}, len(rs))
	for i := 0; i+n <= len(rs); i++ {
		h := uint64(14695981039346656037)
		for _, r := range rs[i : i+n] {
			h ^= uint64(r)
			h *= 1099511628211
		}
		out[h] = struct{}{}
	}
	return out
}

// similarity is the share of this text's shingles found in the other.
func similarity(a, b string) (float64, int) {
	sa, sb := shingles(a, 8), shingles(b, 8)
	if len(sa) == 0 {
		return 0, 0
	}
	common := 0
	for k := range sa {
		if _, ok := sb[k]; ok {
			common++
		}
	}
	return float64(common) / float64(len(sa)), len(sa)
}

func checkTextSimilar(p *Pass) {
	r, prev := p.Report, p.Prev
	for _, s := range r.Format.Sections {
		if s.Kind != schema.Narrative {
			continue
		}
		this, last := sectionText(r, s.Key), sectionText(prev, s.Key)
		sim, n := similarity(this, last)
		if n < 50 || sim < 0.8 {
			continue
		}
		pct := fmt.Sprintf("%.0f%%", sim*100)
		p.Reportf(s.Key, sectionLoc(r, s.Key), "据实撰写本年度内容", "与上年相同 "+pct,
			"“%s”有 %s 的文字与上年报告相同；内容雷同是格式通知列明的问责情形，请据实更新", s.Heading(), pct)
	}
}
