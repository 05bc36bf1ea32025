package published

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// norm folds text for comparing labels: white space and quotation marks
// removed, full-width letters and digits folded to ASCII, and the brackets
// and punctuation of official labels folded to their full-width form, so
// "(三) 不予 公开" and "（三）不予公开" compare equal. Item numbers "1、"
// and "1．" become "1.".
func norm(s string) string {
	if normal(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevDigit := false
	for _, r := range s {
		r, keep := normRune(r, prevDigit)
		if !keep {
			continue
		}
		prevDigit = r >= '0' && r <= '9'
		b.WriteRune(r)
	}
	return b.String()
}

// normal reports whether norm leaves s as it is (most lines of a report
// are), so that it need not build a copy. An invalid byte is not normal:
// norm writes it as U+FFFD.
func normal(s string) bool {
	prevDigit := false
	for _, r := range s {
		m, keep := normRune(r, prevDigit)
		if !keep || m != r || r == utf8.RuneError {
			return false
		}
		prevDigit = r >= '0' && r <= '9'
	}
	return true
}

// normRune is what norm makes of r: the rune written, or keep false when
// it is left out.
func normRune(r rune, prevDigit bool) (rune, bool) {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	}
	switch {
	case r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || r == '"' || r == '\'' || r == '“' || r == '”' ||
		r == '‘' || r == '’' || r == '「' || r == '」' || r == '『' || r == '』' || r == '\u200b' || r == '\ufeff':
		return r, false
	case r < 0x80:
		switch r {
		case '(':
			r = '（'
		case ')':
			r = '）'
		case ':':
			r = '：'
		case ',':
			r = '，'
		case ';':
			r = '；'
		}
	case r == '、' && prevDigit:
		r = '.'
	case unicode.IsSpace(r):
		return r, false
	}
	return r, true
}

// fold folds full-width ASCII letters, digits and signs to ASCII.
func fold(s string) string {
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E || r == '\u3000' {
			return width.Fold.String(s)
		}
	}
	return s
}

// foldOrdinal rewrites a leading "(一)" as "（一）".
func foldOrdinal(s string) string {
	t := strings.TrimSpace(s)
	if m := ordinalSub.FindStringSubmatchIndex(t); m != nil {
		return "（" + t[m[2]:m[3]] + "）" + strings.TrimSpace(t[m[1]:])
	}
	return t
}

var ordinalSub = regexp.MustCompile(`^[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]`)

// runeLen is the number of characters of s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// chromeStop are lines of a web page after the report's end: navigation,
// footers, sharing widgets. Nothing after them belongs to the report.
var chromeStop = []string{
	"上一篇", "下一篇", "上一条", "下一条", "扫一扫", "相关链接", "相关文章", "相关阅读", "相关附件",
	"网站地图", "联系我们", "版权所有", "主办单位", "主办：", "承办单位", "技术支持", "网站标识码",
	"【打印】", "打印本页", "【关闭】", "关闭窗口", "分享到", "【我要纠错】", "附件下载",
}

// chromeDrop are single lines of page furniture inside or around the report
// (article metadata, counters) dropped wherever they appear.
var chromeDrop = []string{
	"信息来源", "文章来源", "来源：", "浏览次数", "点击次数", "访问次数", "阅读次数", "点击数", "浏览量",
	"发布日期", "发布时间", "发文日期", "成文日期", "索引号", "发布单位", "发布机构", "主题分类", "体裁分类",
	"文号", "时效", "有效性", "字号", "【字体", "字体：", "当前位置", "您当前的位置", "您现在的位置", "首页>", "首页 >",
	"【大】", "【中】", "【小】", "分享：", "打印", "收藏", "责任编辑", "编辑：",
}

// isChrome reports whether a line is page furniture; stop says nothing
// after it is part of the report.
func isChrome(n string) (chrome, stop bool) {
	if pageNumber.MatchString(n) {
		return true, false
	}
	n = strings.TrimLeft(n, "•·●◆■□▪-*>》【[")
	if n == "" {
		return false, false
	}
	for _, p := range chromeStopNorm {
		if strings.HasPrefix(n, p) {
			return true, true
		}
	}
	if strings.Contains(n, "ICP备") || strings.Contains(n, "公网安备") || strings.Contains(n, "版权所有") {
		return true, true
	}
	if runeLen(n) <= 60 {
		for _, p := range chromeDropNorm {
			if strings.HasPrefix(n, p) {
				return true, false
			}
		}
	}
	return false, false
}

var chromeStopNorm, chromeDropNorm = normAll(chromeStop), normAll(chromeDrop)

func normAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = norm(s)
	}
	return out
}

// pageNumber matches page numbers and page footers: "- 3 -", "— 3 —",
// "第3页", "第3页共8页", "3/8", "共8页第3页".
var pageNumber = regexp.MustCompile(`^(?:[-—－–]+\d{1,4}[-—－–]+|第\d{1,4}页(?:，?共\d{1,4}页)?|共\d{1,4}页，?第\d{1,4}页|\d{1,4}/\d{1,4}|page\d{1,4}(?:of\d{1,4})?)$`)

// isSentence reports whether a line is running text rather than a table
// cell: it has a full stop or semicolon.
func isSentence(n string) bool {
	return strings.ContainsAny(n, "。；!?！？")
}
