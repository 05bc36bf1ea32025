package published

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
	catalogue "github.com/nianbao/nianbao/schema/check"
)

// Rule IDs of the findings the importer raises.
const (
	RuleImport       = catalogue.Import         // a figure that could not be read
	RuleImportSplit  = catalogue.ImportSplit    // run-together digits split by the row's arithmetic
	RuleUnmapped     = catalogue.ImportUnmapped // a figure of an old format with no place in the current one
	RuleOldFormat    = catalogue.OldFormat      // the report uses the 2019 format
	RuleTableMissing = catalogue.TableMissing   // a statistical table is not in the text
)

// severity is the catalogue's severity of a rule the reader reports.
func severity(rule string) schema.Severity { return catalogue.SeverityOf(rule) }

// minor is the severity of a rule's lesser findings (text left unplaced).
func minor(rule string) schema.Severity { return catalogue.MinorOf(rule) }

var (
	titleRe = regexp.MustCompile(`^(.*?)(\d{4})年度?(?:政府)?信息公开工作(?:的)?年度报告$`)
	// 现公布白山市2022年政府信息公开工作年度报告
	announceRe = regexp.MustCompile(`公布(?:了)?(.{2,40}?)(\d{4})年度?(?:政府)?信息公开工作(?:的)?年度报告`)
	yearOnlyRe = regexp.MustCompile(`(\d{4})年度?(?:政府)?信息公开工作(?:的)?年度报告`)
	periodRe   = regexp.MustCompile(`统计(?:期限|时限|时间|期间|区间)?(?:为|是|自|从)?：?(\d{4})年1月1日`)
	pubRe      = regexp.MustCompile(`发布(?:日期|时间)：?(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})`)
	dateLineRe = regexp.MustCompile(`^(\d{4})(?:年(\d{1,2})月(\d{1,2})日|[-/.](\d{1,2})[-/.](\d{1,2}))$`)
	urlRe      = regexp.MustCompile(`(?:https?://|www\.)[A-Za-z0-9\-._~/?#@!$&*+=%:]+`)
	phoneRe    = regexp.MustCompile(`(?:联系电话|电话号码|咨询电话|电话)：?([0-9][0-9\-—－()（）]{5,19}[0-9])`)
	faxRe      = regexp.MustCompile(`传真(?:号码)?：?([0-9][0-9\-—－()（）]{5,19}[0-9])`)
	postRe     = regexp.MustCompile(`(?:邮编|邮政编码)：?([0-9]{6})`)
	emailRe    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	addrRe     = regexp.MustCompile(`(?:联系地址|通讯地址|地址)：?([^，；。）)]{4,60})`)
	officeRe   = regexp.MustCompile(`请与(.{2,40}?)联系`)
	subHeadRe  = regexp.MustCompile(`^（[一二三四五六七八九十]{1,3}）`)
	headNumRe  = regexp.MustCompile(`^(?:第)?([一二三四五六])(?:部分)?[、.，]?`)
	looseNumRe = regexp.MustCompile(`^([一二三四五六七八九十])、`)
	// the section numbering some reports use instead: （一）, 1., 第一部分
	altNumRe = regexp.MustCompile(`^(?:（([一二三四五六])）|([1-6])\.|第([一二三四五六])部分)`)
	title2Re = regexp.MustCompile(`^(\d{4})年度?(.{2,40}?)(?:政府)?信息公开工作(?:的)?年度报告$`)
)

// fillers are words dropped when comparing a heading loosely.
var fillers = []string{"行政机关", "政府信息公开工作", "政府信息公开", "本机关", "本单位", "的", "及", "和", "与", "、",
	"情况", "统计", "工作", "措施", "相关", "方面", "因", "被申请", "提起", "需要", "需"}

func core(s string) string {
	for _, f := range fillers {
		s = strings.ReplaceAll(s, f, "")
	}
	return s
}

// headingMatch reports whether the normalised text after the ordinal is the
// section's title or one of its aliases: exactly (rest == ""), or as a
// prefix followed by more text (the rest of the line).
func headingMatch(s *schema.Section, after string) (ok bool, n string) {
	after = strings.TrimRight(after, "：:。.")
	for _, t := range append([]string{s.Title}, s.Aliases...) {
		nt := norm(t)
		if after == nt {
			return true, nt
		}
	}
	if c := core(after); c != "" && c == core(norm(s.Title)) {
		return true, after
	}
	for _, t := range append([]string{s.Title}, s.Aliases...) {
		nt := norm(t)
		if strings.HasPrefix(after, nt) {
			return true, nt
		}
	}
	// a heading that keeps the title's distinctive start
	// ("存在的主要问题及明年工作计划")
	if runeLen(after) <= runeLen(s.Title)+10 && !isSentence(after) && !strings.ContainsAny(after, "，,") {
		for _, t := range append([]string{s.Title}, s.Aliases...) {
			if commonPrefix(after, norm(t)) >= 6 {
				return true, after
			}
		}
	}
	// a heading worded a little differently: nearly all of the title's
	// characters, in a line not much longer than the title
	if c, tc := []rune(core(after)), []rune(core(norm(s.Title))); len(tc) >= 2 && len(c) <= len(tc)+len(tc)/3 && !isSentence(after) {
		have := map[rune]int{}
		for _, r := range c {
			have[r]++
		}
		common := 0
		for _, r := range tc {
			if have[r] > 0 {
				have[r]--
				common++
			}
		}
		if common*5 >= len(tc)*4 && common*5 >= len(c)*4 {
			return true, after
		}
	}
	return false, ""
}

// strongTitle reports whether after is exactly the section's title or an
// alias, or starts with one; the number printed before it does not count.
func strongTitle(s *schema.Section, after string) (bool, string) {
	after = strings.TrimRight(after, "：:。.")
	for _, t := range append([]string{s.Title}, s.Aliases...) {
		if nt := norm(t); runeLen(nt) >= 4 && strings.HasPrefix(after, nt) {
			return true, nt
		}
	}
	return false, ""
}

// heading recognises a section heading at the start of a line, for a
// section after cur. It returns the section index and the text after the
// heading on the same line ("六、其他需要报告的事项 无。").
func heading(f *schema.Format, cur int, text string, alt bool) (int, string, bool) {
	if len(text) > 1200 {
		return 0, "", false
	}
	n := norm(text)
	if n == "" {
		return 0, "", false
	}
	var m []string
	number := ""
	if alt {
		if m = altNumRe.FindStringSubmatch(n); m != nil {
			number = m[1] + m[3]
			if m[2] != "" {
				number = string([]rune("一二三四五六")[m[2][0]-'1'])
			}
		}
	} else if strings.ContainsRune("第一二三四五六", []rune(n[:min(len(n), 3)])[0]) {
		if m = headNumRe.FindStringSubmatch(n); m != nil {
			number = m[1]
		}
	}
	if m == nil {
		return 0, "", false
	}
	for i := cur + 1; i < len(f.Sections); i++ {
		s := f.Sections[i]
		var ok bool
		var title string
		if s.Number != number {
			// numbering restarted or a number missing: the section's own
			// title, as printed, still names it
			if ok, title = strongTitle(s, n[len(m[0]):]); !ok {
				continue
			}
		} else if ok, title = headingMatch(s, n[len(m[0]):]); !ok {
			return 0, "", false
		}
		want := m[0] + title
		if n == want || strings.TrimRight(n, "：:。.") == want {
			return i, "", true
		}
		// find where the heading ends in the original text
		k := 0
		for j := range text {
			if j == 0 {
				continue
			}
			if norm(text[:j]) == want {
				k = j
				break
			}
			if j > 4*len(want)+16 {
				break
			}
		}
		if k == 0 {
			return i, "", true
		}
		rest := strings.TrimLeft(strings.TrimSpace(text[k:]), "：:。. ")
		return i, rest, true
	}
	return 0, "", false
}

// tailHeading recognises a section heading at the end of a line of text
// ("…具体改进措施如下：五、存在的主要问题及改进情况").
func tailHeading(f *schema.Format, cur int, text string, alt bool) (int, string, bool) {
	if alt {
		return 0, "", false
	}
	for i := cur + 1; i < len(f.Sections); i++ {
		s := f.Sections[i]
		j := strings.LastIndex(text, s.Number+"、")
		if j <= 0 {
			continue
		}
		if k, rest, ok := heading(f, i-1, text[j:], false); ok && k == i && rest == "" {
			return i, strings.TrimSpace(text[:j]), true
		}
	}
	return 0, "", false
}

// parse reads the lines of a published report.
func (rd *reader) parse(lines []line) *schema.Report {
	f := schema.Format2021
	rep := schema.NewReport(f)
	rep.Source = rd.name

	// non-empty lines, page furniture dropped; nothing after the page's
	// footer once the report has begun
	var ls []line
	var all []line
	begun := false
	hdr, body := cmsHeader(trimmed(lines))
	if hdr.title != "" {
		// the body often starts with the title again, run into the text
		if len(body) > 0 && len(body[0].text) > len(hdr.title) && strings.HasPrefix(body[0].text, hdr.title) {
			// what follows keeps its column in the source line
			rest := body[0].text[len(hdr.title):]
			t := strings.TrimLeftFunc(rest, unicode.IsSpace)
			cut := utf8.RuneCountInString(hdr.title) + utf8.RuneCountInString(rest[:len(rest)-len(t)])
			body[0].text = strings.TrimSpace(t)
			body[0].n = withCol(lineOf(body[0].n), max(colOf(body[0].n), 1)+cut)
		}
		body = append([]line{{text: hdr.title, n: hdr.titleLine}}, body...)
	}
	if hdr.published != "" {
		all = append(all, line{text: "发布时间：" + hdr.published, n: hdr.pubLine})
	}
	for _, l := range reflow(f, body) {
		t := strings.TrimSpace(l.text)
		if t == "" {
			continue
		}
		l.text = t
		all = append(all, l)
		chrome, stop := isChrome(norm(t))
		if !begun {
			_, _, ok := heading(f, -1, t, false)
			_, _, alt := heading(f, -1, t, true)
			begun = ok || alt
		}
		if stop && begun {
			break
		}
		if chrome {
			continue
		}
		ls = append(ls, l)
	}
	rd.meta(rep, all)
	if hdr.source != "" && agencyLike(hdr.source) {
		defer func() {
			if rep.Meta.Agency.Value == "" {
				rep.Meta.Agency = schema.Text{Value: norm(hdr.source), Loc: rd.loc(hdr.sourceLine)}
			}
		}()
	}

	// the title, when there is one, ends the page's header
	start := 0
	for i, l := range ls {
		if i > 80 {
			break
		}
		if _, _, ok := heading(f, -1, l.text, false); ok {
			break
		}
		// a title on one line, or wrapped over two or three ("乳山市乳山寨镇 /
		// 2022年政府信息公开工作 / 年度报告"), with or without a Markdown "#"
		var m []string
		var n string
		used := 1
		for k := 1; k <= 3 && i+k <= len(ls) && m == nil; k++ {
			var b strings.Builder
			for _, x := range ls[i : i+k] {
				t := strings.TrimLeft(x.text, "# ")
				if k > 1 && !titlePiece(t) {
					b.Reset()
					break
				}
				b.WriteString(t)
			}
			if b.Len() == 0 {
				break
			}
			n = norm(b.String())
			if runeLen(n) > 80 {
				break
			}
			m = titleRe.FindStringSubmatch(n)
			if m2 := title2Re.FindStringSubmatch(n); m == nil && m2 != nil {
				m = []string{m2[0], m2[2], m2[1]}
			}
			used = k
		}
		if m != nil && runeLen(n) <= 80 {
			start = i + used
			if rep.Meta.Year.Value == "" {
				rep.Meta.Year = schema.Text{Value: m[2], Loc: rd.loc(l.n)}
			}
			agency := m[1]
			if agency == "" && i > 0 && agencyLike(ls[i-1].text) {
				agency = norm(ls[i-1].text)
				rep.Meta.Agency = schema.Text{Value: agency, Loc: rd.loc(ls[i-1].n)}
			} else if agency != "" {
				rep.Meta.Agency = schema.Text{Value: agency, Loc: rd.loc(l.n)}
			}
			break
		}
	}

	// split into the intro and the sections; reports that number their
	// sections （一）…（六） are split again that way
	intro, parts, locs, seen := rd.split(f, ls[start:], false)
	if len(locs) < 3 {
		if i2, p2, l2, s2 := rd.split(f, ls[start:], true); len(l2) > len(locs) {
			intro, parts, locs, seen = i2, p2, l2, s2
		}
	}
	rd.unheaded(f, parts, locs)
	for k, v := range locs {
		rep.SectionLoc[k] = v
	}
	rep.Headings = seen
	// the signature closes the last section
	last := -1
	for i := range parts {
		if len(parts[i]) > 0 {
			last = i
		}
	}
	if last >= 0 {
		parts[last] = rd.signature(rep, parts[last])
	} else {
		intro = rd.signature(rep, intro)
	}

	for _, l := range intro {
		if !agencyLike(l.text) && !dateLineRe.MatchString(norm(l.text)) {
			rep.Intro = append(rep.Intro, schema.Block{Kind: schema.Paragraph, Text: l.text, Loc: rd.loc(l.n)})
		}
	}
	rd.introMeta(rep)
	if last >= 0 {
		parts[last] = rd.undatedSignature(rep, parts[last])
	}
	if rep.Meta.Agency.Value == "" && rep.Meta.Signer.Value != "" {
		rep.Meta.Agency = rep.Meta.Signer
	}

	for _, b := range rep.Intro {
		rd.narrative = append(rd.narrative, b.Text)
	}
	for i, s := range f.Sections {
		if s.Kind == schema.Narrative {
			for _, l := range parts[i] {
				rd.narrative = append(rd.narrative, l.text)
			}
		}
	}
	var results []*result
	for i, s := range f.Sections {
		if s.Kind == schema.Narrative {
			if len(parts[i]) > 0 {
				rep.Narrative[s.Key] = blocks(rd, parts[i])
			}
			continue
		}
		rd.sec = s.Key
		res, narrative := rd.tableSection(s, parts[i], rep.SectionLoc[s.Key])
		if len(narrative) > 0 {
			rep.Narrative[s.Key] = narrative
		}
		if res == nil {
			loc := rep.SectionLoc[s.Key]
			msg := fmt.Sprintf("“%s”下没有%s（%s）的表格文字（表格缺失，或只以图片发布），未能导入", s.Heading(), f.Table(s.Table).Name, f.Table(s.Table).Caption)
			if loc.IsZero() {
				loc = schema.Location{File: rd.name}
				msg = fmt.Sprintf("没有找到“%s”及其%s（%s），未能导入", s.Heading(), f.Table(s.Table).Name, f.Table(s.Table).Caption)
			}
			rep.Issues = append(rep.Issues, schema.Finding{Rule: RuleTableMissing, Severity: severity(RuleTableMissing),
				Section: s.Key, Location: loc, Message: msg})
			continue
		}
		results = append(results, res)
	}
	rd.sec = ""
	rd.carry(rep, results)
	return rep
}

// trimmed returns the non-empty lines, trimmed.
func trimmed(lines []line) []line {
	var out []line
	for _, l := range lines {
		if t := strings.TrimSpace(l.text); t != "" {
			if l.cells == 0 && strings.Contains(l.text, "\t") && !strings.ContainsAny(l.text, "|｜") {
				// a tab-separated row: its trailing tabs end blank cells
				body := strings.TrimRight(strings.TrimLeftFunc(l.text, unicode.IsSpace), " \r\u3000\u00a0")
				l.cells = strings.Count(body, "\t") + 1
			}
			l.text = t
			out = append(out, l)
		}
	}
	return out
}

// split divides the lines after the title into the intro and the six
// sections, by their headings.
func (rd *reader) split(f *schema.Format, ls []line, alt bool) ([]line, [][]line, map[string]schema.Location, []schema.SeenHeading) {
	cur := -1
	parts := make([][]line, len(f.Sections))
	locs := map[string]schema.Location{}
	var intro []line
	add := func(l line) {
		if cur < 0 {
			intro = append(intro, l)
		} else {
			parts[cur] = append(parts[cur], l)
		}
	}
	var seen []schema.SeenHeading
	for _, l := range ls {
		if i, rest, ok := heading(f, cur, l.text, alt); ok {
			cur = i
			locs[f.Sections[i].Key] = rd.loc(l.n)
			seen = append(seen, schema.SeenHeading{Number: printedNumber(l.text, f.Sections[i].Number, alt), Section: f.Sections[i].Key, Text: l.text, Loc: rd.loc(l.n)})
			if rest != "" {
				add(line{text: rest, n: l.n})
			}
			continue
		}
		if i, before, ok := tailHeading(f, cur, l.text, alt); ok {
			if before != "" {
				add(line{text: before, n: l.n})
			}
			cur = i
			locs[f.Sections[i].Key] = rd.loc(l.n)
			seen = append(seen, schema.SeenHeading{Number: f.Sections[i].Number, Section: f.Sections[i].Key, Text: l.text, Loc: rd.loc(l.n)})
			continue
		}
		// a heading printed without its number: the line is the title of
		// a later section and nothing else
		if i, ok := bareHeading(f, cur, l.text); ok && !alt {
			cur = i
			locs[f.Sections[i].Key] = rd.loc(l.n)
			seen = append(seen, schema.SeenHeading{Section: f.Sections[i].Key, Text: l.text, Loc: rd.loc(l.n)})
			continue
		}
		// A whole-line heading with the title of a section but the wrong
		// number, out of order or repeated: a misnumbered heading of a
		// later section still opens it; each is recorded for SECTION-ORDER.
		if i, number, ok := looseHeading(f, l.text, alt); ok {
			seen = append(seen, schema.SeenHeading{Number: number, Section: f.Sections[i].Key, Text: l.text, Loc: rd.loc(l.n)})
			if i > cur {
				cur = i
				locs[f.Sections[i].Key] = rd.loc(l.n)
				continue
			}
		}
		add(l)
	}
	return intro, parts, locs, seen
}

// bareHeading recognises a line that is only the title (or an alias) of a
// section after cur, printed without its number ("存在的主要问题及改进情况").
func bareHeading(f *schema.Format, cur int, text string) (int, bool) {
	if len(text) > 200 {
		return 0, false
	}
	if cur+1 >= len(f.Sections) {
		return 0, false
	}
	n := strings.TrimRight(norm(text), "：:。. ")
	for i := cur + 1; i < len(f.Sections); i++ {
		for _, nt := range sectionTitles(f.Sections[i]) {
			if n == nt {
				return i, true
			}
		}
	}
	// a short title ("总体情况") is too common a phrase to open a later
	// section, but it opens the next one, where it is expected
	if s := f.Sections[cur+1]; runeLen(n) >= 4 && runeLen(n) < 6 && n == norm(s.Title) {
		return cur + 1, true
	}
	return 0, false
}

var titleCache sync.Map // *schema.Section → []string

// sectionTitles are a section's title and aliases, normalised, those of at
// least 6 characters (a bare title shorter than that is too common a phrase).
func sectionTitles(s *schema.Section) []string {
	if v, ok := titleCache.Load(s); ok {
		return v.([]string)
	}
	var out []string
	for _, t := range append([]string{s.Title}, s.Aliases...) {
		if nt := norm(t); runeLen(nt) >= 6 {
			out = append(out, nt)
		}
	}
	titleCache.Store(s, out)
	return out
}

// unheaded finds a narrative section whose heading the report left out,
// by what it holds: the running text printed after the table of the
// section before it (五's paragraphs straight after 表四's figures), when
// that text has the words of the section (Section.Marks). The lines move
// to the section, which is then found at its first line.
func (rd *reader) unheaded(f *schema.Format, parts [][]line, locs map[string]schema.Location) {
	for i := 1; i < len(f.Sections); i++ {
		s, before := f.Sections[i], f.Sections[i-1]
		if _, ok := locs[s.Key]; ok || s.Kind != schema.Narrative || len(s.Marks) == 0 || before.Kind != schema.TableSection {
			continue
		}
		ls := parts[i-1]
		ss := specs[before.Table]
		k := len(ls)
		for k > 0 && tableProse(ss, ls[k-1].text) {
			k--
		}
		if k == 0 || k == len(ls) {
			continue // no table before the text, or no text after it
		}
		tail := ls[k:]
		if strings.HasPrefix(norm(tail[0].text), "注") {
			continue // a note on the table
		}
		var text strings.Builder
		for _, l := range tail {
			text.WriteString(norm(l.text))
		}
		marked := false
		for _, m := range s.Marks {
			marked = marked || strings.Contains(text.String(), m)
		}
		if !marked {
			continue
		}
		parts[i] = append(append([]line(nil), tail...), parts[i]...)
		parts[i-1] = ls[:k]
		locs[s.Key] = rd.loc(tail[0].n)
	}
}

// printedNumber is the ordinal a main heading was printed with (四 in
// 四、存在的主要问题及改进情况), or def when it is numbered another way.
func printedNumber(text, def string, alt bool) string {
	if m := looseNumRe.FindStringSubmatch(norm(text)); m != nil && !alt {
		return m[1]
	}
	return def
}

// looseHeading recognises a line that is nothing but an ordinal and the
// exact title (or an alias) of a section, whatever the ordinal: 四、存在的主要
// 问题及改进情况 where 五 was meant. It returns the section's index and the
// ordinal as printed.
func looseHeading(f *schema.Format, text string, alt bool) (int, string, bool) {
	if alt || len(text) > 200 {
		return 0, "", false
	}
	n := norm(text)
	m := looseNumRe.FindStringSubmatch(n)
	if m == nil {
		return 0, "", false
	}
	after := strings.TrimRight(n[len(m[0]):], "：:。. ")
	for i, s := range f.Sections {
		for _, t := range append([]string{s.Title}, s.Aliases...) {
			if after == norm(t) {
				return i, m[1], true
			}
		}
	}
	return 0, "", false
}

// titlePiece reports whether a line can be part of a title wrapped over
// lines: short, Chinese characters and digits only.
func titlePiece(t string) bool {
	n := norm(t)
	if n == "" || runeLen(n) > 40 {
		return false
	}
	for _, r := range n {
		if !unicode.Is(unicode.Han, r) && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// agencyLike reports whether a line looks like the name of a body: short,
// no punctuation, not a heading.
func agencyLike(t string) bool {
	n := norm(t)
	if n == "" || runeLen(n) > 40 || strings.ContainsAny(n, "。，；：、！？（）《》0123456789") {
		return false
	}
	return true
}

// signature finds the signing body and date at the end of the last section
// and returns the section's lines without them (and without anything after).
func (rd *reader) signature(rep *schema.Report, ls []line) []line {
	for k := len(ls) - 1; k >= 0 && k >= len(ls)-4; k-- {
		n := norm(ls[k].text)
		m := dateLineRe.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		mo, d := m[2], m[3]
		if mo == "" {
			mo, d = m[4], m[5]
		}
		rep.Meta.SignDate = schema.Text{Value: isoDate(m[1], mo, d), Loc: rd.loc(ls[k].n)}
		end := k
		if k > 0 && agencyLike(ls[k-1].text) && !subHeadRe.MatchString(norm(ls[k-1].text)) {
			rep.Meta.Signer = schema.Text{Value: norm(ls[k-1].text), Loc: rd.loc(ls[k-1].n)}
			end = k - 1
		}
		if rep.Meta.Published.Value == "" {
			rep.Meta.Published = rep.Meta.SignDate
		}
		return ls[:end]
	}
	return ls
}

// undatedSignature takes a signature without its date off the end of the
// last section: a last line that is the agency's name or a body of it
// (known once the title and the intro have been read).
func (rd *reader) undatedSignature(rep *schema.Report, ls []line) []line {
	if k := len(ls) - 1; k >= 0 && rep.Meta.Signer.Value == "" && signerLike(ls[k].text, rep.Meta.Agency.Value) {
		rep.Meta.Signer = schema.Text{Value: norm(ls[k].text), Loc: rd.loc(ls[k].n)}
		return ls[:k]
	}
	return ls
}

// signerLike reports whether a line is the name of the body agency (the
// report's agency as its title names it), standing alone: the agency
// itself (白山市), or a body of it (白山市人民政府, …办公室).
func signerLike(line, agency string) bool {
	n, a := norm(line), norm(agency)
	if a == "" || !agencyLike(n) || !strings.HasPrefix(n, a) {
		return false
	}
	if n == a {
		return true
	}
	for _, s := range append([]string{"人民政府", "街道办事处"}, deptSuffixes...) {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

func isoDate(y, m, d string) string {
	pad := func(s string) string {
		if len(s) == 1 {
			return "0" + s
		}
		return s
	}
	return y + "-" + pad(m) + "-" + pad(d)
}

// meta reads the publication date from the page's metadata lines.
func (rd *reader) meta(rep *schema.Report, all []line) {
	for _, l := range all {
		if m := pubRe.FindStringSubmatch(norm(l.text)); m != nil {
			rep.Meta.Published = schema.Text{Value: isoDate(m[1], m[2], m[3]), Loc: rd.loc(l.n)}
			return
		}
	}
}

// introMeta reads the agency, year, website and contact office from the
// opening paragraphs.
func (rd *reader) introMeta(rep *schema.Report) {
	m := &rep.Meta
	for _, b := range rep.Intro {
		n := norm(b.Text)
		loc := b.Loc
		if m.Agency.Value == "" || m.Year.Value == "" {
			if x := announceRe.FindStringSubmatch(n); x != nil {
				if m.Agency.Value == "" && !strings.ContainsAny(x[1], "，。、；") {
					m.Agency = schema.Text{Value: x[1], Loc: loc}
				}
				if m.Year.Value == "" {
					m.Year = schema.Text{Value: x[2], Loc: loc}
				}
			} else if x := yearOnlyRe.FindStringSubmatch(n); x != nil && m.Year.Value == "" {
				m.Year = schema.Text{Value: x[1], Loc: loc}
			}
		}
		if m.Year.Value == "" {
			if x := periodRe.FindStringSubmatch(n); x != nil {
				m.Year = schema.Text{Value: x[1], Loc: loc}
			}
		}
		if m.Website.Value == "" {
			if u := urlRe.FindString(foldASCII(b.Text)); u != "" {
				m.Website = schema.Text{Value: strings.TrimRight(u, ".。，,)）"), Loc: loc}
			}
		}
		c := &m.Contact
		set := func(t *schema.Text, re *regexp.Regexp) {
			if t.Value == "" {
				if x := re.FindStringSubmatch(n); x != nil {
					*t = schema.Text{Value: x[len(x)-1], Loc: loc}
				}
			}
		}
		set(&c.Phone, phoneRe)
		set(&c.Fax, faxRe)
		set(&c.Postcode, postRe)
		set(&c.Address, addrRe)
		set(&c.Office, officeRe)
		if c.Email.Value == "" {
			if e := emailRe.FindString(n); e != "" {
				c.Email = schema.Text{Value: e, Loc: loc}
			}
		}
	}
}

// width folds full-width ASCII (for URLs).
func foldASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '！' && r <= '～' {
			r = r - '！' + '!'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// blocks turns the lines of a narrative section into paragraphs and
// sub-headings: a line that is only "（一）主动公开" is a heading.
func blocks(rd *reader, ls []line) []schema.Block {
	var out []schema.Block
	for _, l := range ls {
		n := norm(l.text)
		if subHeadRe.MatchString(n) && runeLen(n) <= 40 && !isSentence(n) && !strings.ContainsAny(n, "，") {
			out = append(out, schema.Block{Kind: schema.Heading, Text: foldOrdinal(l.text), Loc: rd.loc(l.n)})
			continue
		}
		out = append(out, schema.Block{Kind: schema.Paragraph, Text: l.text, Loc: rd.loc(l.n)})
	}
	return out
}
