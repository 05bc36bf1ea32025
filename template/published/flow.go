package published

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// Crawler and CMS exports put the article's fields above the body
// ("标题: …", "发布时间: …", "来源: …", "索引号: …") and often a rule line
// ("==== 正文 ===="); some give the whole body on one line.

// headerField is a field line of a page's or crawler's header.
var headerField = regexp.MustCompile(`^\s*([\p{Han}A-Za-z]{1,8})\s*[:：]\s*(.*)$`)

// ruleLine is a separator line of a crawler's dump ("==== 正文 ====").
var ruleLine = regexp.MustCompile(`^\s*[=\-*#_~]{3,}.{0,12}?[=\-*#_~]{3,}\s*$`)

// header holds the fields read from a page's header.
type header struct {
	title, published, source string
	titleLine, pubLine       int
	sourceLine               int
}

// Header field names, by what they give.
var (
	titleFields  = []string{"标题", "题目", "题名", "文章标题", "名称", "信息名称"}
	dateFields   = []string{"发布时间", "发布日期", "成文日期", "发文日期", "公开日期", "生成日期"}
	sourceFields = []string{"发布机构", "发文机关", "发布单位", "来源", "信息来源", "文章来源", "公开主体"}
)

// cmsHeader reads the field lines at the top of the input (before the body
// starts) and returns them with the lines of the body. When a rule line
// separates the header from the body, everything above it is the header.
func cmsHeader(ls []line) (header, []line) {
	var h header
	rule := -1
	for i, l := range ls {
		if i > 40 {
			break
		}
		if ruleLine.MatchString(l.text) {
			rule = i
			break
		}
	}
	end := 0
	for i, l := range ls {
		if rule >= 0 && i > rule {
			break
		}
		if i == rule {
			end = i + 1
			break
		}
		m := headerField.FindStringSubmatch(l.text)
		if m == nil {
			if rule >= 0 {
				continue // crawler notes above the rule line
			}
			if strings.TrimSpace(l.text) == "" {
				continue
			}
			break
		}
		if rule < 0 && !knownField(m[1]) {
			// not a header after all: a report's own line "说明：…"
			return header{}, ls
		}
		fields, rest := splitFields(l.text)
		for _, fd := range fields {
			key, val := fd[0], fd[1]
			switch {
			case slicesContains(titleFields, key):
				if h.title == "" {
					h.title, h.titleLine = val, l.n
				}
			case slicesContains(dateFields, key):
				if h.published == "" {
					h.published, h.pubLine = val, l.n
				}
			case slicesContains(sourceFields, key):
				if h.source == "" && val != "" {
					h.source, h.sourceLine = val, l.n
				}
			}
		}
		end = i + 1
		if rest >= 0 {
			// the body starts on the header's line: it keeps its column
			if rule < 0 && h.title == "" && h.published == "" {
				return header{}, ls
			}
			col := max(colOf(l.n), 1) + utf8.RuneCountInString(l.text[:rest])
			body := line{text: l.text[rest:], n: withCol(lineOf(l.n), col)}
			return h, append([]line{body}, ls[i+1:]...)
		}
	}
	if rule < 0 && h.title == "" && h.published == "" {
		return header{}, ls
	}
	return h, ls[end:]
}

// fieldKey finds the header fields of a line: a known field name at the
// start of the line or after white space, then a colon.
var fieldKey = func() *regexp.Regexp {
	var ks []string
	for _, fs := range [][]string{titleFields, dateFields, sourceFields, otherFields} {
		for _, k := range fs {
			ks = append(ks, regexp.QuoteMeta(k))
		}
	}
	return regexp.MustCompile(`(?:^|[ \t\x{3000}\x{a0}])\s*(` + strings.Join(ks, "|") + `)\s*[:：]`)
}()

// maxFieldValue is the longest value (in characters) of a header field;
// past it, the field's value ends at its first space and the body follows
// (it follows at once where a field's value would start with a section
// heading).
const maxFieldValue = 80

// splitFields returns the fields of a header line — several when a page's
// info bar or a crawler put them on one line ("来源：… 发布时间：… 标题：…")
// — and where the body starts when it follows on the same line (−1: it
// does not). A field's value runs to the next field.
func splitFields(text string) (fields [][2]string, rest int) {
	m := headerField.FindStringSubmatchIndex(text)
	locs := fieldKey.FindAllStringSubmatchIndex(text, -1)
	if len(locs) == 0 || locs[0][2] != m[2] {
		// the line's own key is no known field: one field
		return [][2]string{{text[m[2]:m[3]], strings.TrimSpace(text[m[4]:m[5]])}}, -1
	}
	rest = -1
	for k, loc := range locs {
		from, to := loc[1], len(text)
		if k+1 < len(locs) {
			to = locs[k+1][0]
		}
		val := text[from:to]
		lead := len(val) - len(strings.TrimLeft(val, " \t\u3000\u00a0"))
		sp := -1
		switch {
		case headingLen(schema.Format2021, val[lead:]) > 0:
			sp = 0 // an empty field ("点击次数：") before the first heading
		case utf8.RuneCountInString(strings.TrimSpace(val)) > maxFieldValue:
			// the header ends in this field's value, at its first space:
			// the body follows (a key further on is the body's own text)
			sp = strings.IndexAny(val[lead:], " \t\u3000\u00a0")
		}
		if sp >= 0 {
			rest = from + lead + sp
			val = val[:lead+sp]
		}
		fields = append(fields, [2]string{text[loc[2]:loc[3]], strings.TrimSpace(val)})
		if sp >= 0 {
			break
		}
	}
	if rest >= 0 {
		rest += len(text[rest:]) - len(strings.TrimLeft(text[rest:], " \t\u3000\u00a0"))
	}
	return fields, rest
}

// otherFields are header fields that carry nothing for the report.
var otherFields = []string{"文号", "索引号", "栏目", "原文链接", "链接", "网址", "本地目录", "主题分类", "体裁分类",
	"分类", "关键词", "关键字", "有效性", "时效", "浏览次数", "点击数", "点击次数", "访问次数", "阅读次数", "浏览量", "访问量", "作者", "编辑", "责任编辑", "字号", "所属机构", "组配分类"}

func knownField(k string) bool {
	return slicesContains(otherFields, k) || slicesContains(titleFields, k) || slicesContains(dateFields, k) || slicesContains(sourceFields, k)
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// longLine is the length (in characters) from which a line is taken for
// running text that lost its line breaks.
const longLine = 300

// reflow breaks lines that hold several parts of the report: a section
// heading inside running text ("…12月31日。一、总体情况 2025年，…",
// "…0000000四、政府信息公开行政复议…") starts a line of its own and ends
// there, so the heading and its text are found as if the text had its
// line breaks. In a long line a sub-heading after a full stop ("。（二）依申请
// 公开方面") or after a colon ("报告如下：（一）主动公开方面。") starts a new
// line too. Every piece keeps the line number.
func reflow(f *schema.Format, ls []line) []line {
	var out []line
	for _, l := range ls {
		if len(l.at) > 0 || !strings.ContainsRune(l.text, '、') && runeLen(l.text) < longLine {
			out = append(out, l)
			continue
		}
		pieces := breakLine(f, l)
		if len(pieces) == 1 && pieces[0].text == l.text {
			pieces[0] = l // not broken: keeps a PDF line's places
		}
		out = append(out, pieces...)
	}
	return out
}

func breakLine(f *schema.Format, l line) []line {
	text := l.text
	long := runeLen(text) >= longLine
	var out []line
	// a piece of a long line keeps where it starts in the line (its
	// character column), so that what is found in it is placed there and
	// not only at "line 10" of a crawler's one-line text
	runes, at := 0, 0 // rune count of text[:at]
	emit := func(from, to int) {
		s := text[from:to]
		lead := len(s) - len(strings.TrimLeft(s, " \t\u3000"))
		if s = strings.TrimSpace(s); s == "" {
			return
		}
		runes += utf8.RuneCountInString(text[at : from+lead])
		at = from + lead
		n := l.n
		if long { // a piece of a piece keeps its column in the source line
			n = withCol(lineOf(l.n), max(colOf(l.n), 1)+runes)
		}
		out = append(out, line{text: s, n: n})
	}
	start := 0
	if n := headingLen(f, text); long && n > 0 && n < len(text) {
		// the line starts with a heading, its text follows
		emit(0, n)
		start = n
	}
	for i := start; i < len(text); {
		r, sz := utf8.DecodeRuneInString(text[i:])
		if i > start {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if strings.ContainsRune("一二三四五六", r) && (long || breakBefore(prev)) {
				if n := headingLen(f, text[i:]); n > 0 {
					emit(start, i)
					emit(i, i+n)
					i += n
					start = i
					continue
				}
			}
			if long && r == '（' && (prev == '。' || (prev == '：' || prev == ':') && titled(text[i:])) &&
				subHeadRe.MatchString(text[i:min(len(text), i+20)]) {
				emit(start, i)
				start = i
			}
		}
		i += sz
	}
	emit(start, len(text))
	return out
}

// titled reports whether a numbered item after a colon ("报告如下：（一）
// 主动公开方面。围绕…") is a sub-heading that starts a paragraph: a short
// title closed by a full stop, not an item of a list run on in the
// sentence ("包括：（一）…；（二）…").
func titled(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r == '。':
			return n >= 4
		case r == '；' || r == ';' || n > 40:
			return false
		}
		n++
	}
	return false
}

// A line number may carry a character column: n = line + col × colShift
// (col from 1; 0 = the start of the line). Only the pieces of a long line
// (text that lost its line breaks) and the words in them carry one.
const colShift = 1 << 25

func withCol(n, col int) int { return n + col*colShift }

func lineOf(n int) int { return n % colShift }

func colOf(n int) int { return n / colShift }

// breakBefore reports whether a heading may start after r in running text.
func breakBefore(r rune) bool {
	return strings.ContainsRune("。；：！？… \t\u3000）)", r) || r >= '0' && r <= '9'
}

// headingLen returns the length in bytes of a section heading at the start
// of s ("二、主动公开政府信息情况" in "二、主动公开政府信息情况第二十条…"),
// or 0. The heading is the section's title or an alias, a title worded a
// little differently ("四、政府信息公开行政复议与行政诉讼情况"), or a title
// that keeps its distinctive start ("五、存在的主要问题及明年工作计划"), up
// to the next figure or punctuation.
func headingLen(f *schema.Format, s string) int {
	m := headNumRe.FindStringIndex(s)
	if m == nil || m[1] == 0 || !strings.ContainsAny(s[:m[1]], "、.，") {
		return 0
	}
	num, _ := utf8.DecodeRuneInString(strings.TrimPrefix(s, "第"))
	after := s[m[1]:]
	best := 0
	for _, sec := range f.Sections {
		if sec.Number != string(num) {
			continue
		}
		for _, t := range append([]string{sec.Title}, sec.Aliases...) {
			nt, ct := norm(t), core(norm(t))
			lim := len(t) + 40
			var p strings.Builder
			prevDigit := false
			for k := 0; k < len(after) && k <= lim; {
				r, sz := utf8.DecodeRuneInString(after[k:])
				k += sz
				if r == '、' && prevDigit {
					p.WriteByte('.')
				} else {
					p.WriteString(norm(string(r)))
				}
				prevDigit = r >= '0' && r <= '9'
				ps := p.String()
				if ps == nt {
					return m[1] + k
				}
				if ct != "" && len(ps) >= len(ct) && k > best && core(ps) == ct {
					best = k
				}
			}
		}
		if best > 0 {
			return m[1] + best
		}
		// the distinctive start of the title, up to the next figure or mark
		end := strings.IndexFunc(after, func(r rune) bool {
			return r >= '0' && r <= '9' || strings.ContainsRune("，。：；、（(　 \t,.:;", r)
		})
		if end < 0 {
			end = len(after)
		}
		seg := norm(after[:end])
		if runeLen(seg) > runeLen(sec.Title)+10 {
			return 0
		}
		for _, t := range append([]string{sec.Title}, sec.Aliases...) {
			if commonPrefix(seg, norm(t)) >= 6 {
				return m[1] + end
			}
		}
		if ok, _ := headingMatch(sec, seg); ok && end > 0 {
			return m[1] + end
		}
	}
	return 0
}

// commonPrefix is the number of leading characters a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for a != "" && b != "" {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if ra != rb {
			break
		}
		n++
		a, b = a[sa:], b[sb:]
	}
	return n
}
