package pdf

import (
	"strings"
	"testing"
)

// unit advances: CJK 1, ASCII 0.5, space 0.25.
func unitAdv(r rune) float64 {
	switch {
	case r == ' ':
		return 0.25
	case r < 0x80:
		return 0.5
	}
	return 1
}

func breakStrings(s string, first, rest float64) []string {
	var out []string
	for _, l := range breakLines([]rune(s), unitAdv, first, rest) {
		out = append(out, string(l.text))
	}
	return out
}

func TestBreakLines(t *testing.T) {
	for _, tc := range []struct {
		name        string
		text        string
		first, rest float64
		want        []string
	}{
		{"fits", "政府信息公开", 10, 10, []string{"政府信息公开"}},
		{"plain", "一二三四五六七八九十", 4, 4, []string{"一二三四", "五六七八", "九十"}},
		{"first line indent", "一二三四五六七八九十", 2, 4, []string{"一二", "三四五六", "七八九十"}},
		// 避头: a comma may not start a line; 四 moves down with it.
		{"no comma at line start", "一二三四，五六七八", 4, 4, []string{"一二三", "四，五六", "七八"}},
		{"no full stop and quote at line start", "一二三四。”五六", 4, 4, []string{"一二三", "四。”五", "六"}},
		{"closing bracket", "一二三四）五", 4, 4, []string{"一二三", "四）五"}},
		{"ellipsis and dash pairs", "一二三……四", 4, 4, []string{"一二", "三……四"}},
		{"dash pair", "一二三——四", 4, 4, []string{"一二", "三——四"}},
		// 避尾: an opening mark may not end a line.
		{"no opening bracket at line end", "一二三《四五》六", 4, 4, []string{"一二三", "《四五》", "六"}},
		{"no opening quote at line end", "一二三“四”", 4, 4, []string{"一二三", "“四”"}},
		// Words and numbers are not split.
		{"number kept whole", "一二三5.6%四", 4, 4, []string{"一二三", "5.6%四"}},
		{"year kept whole", "一二三2023年", 4, 4, []string{"一二三", "2023年"}},
		{"spaces vanish at breaks", "ab cd ef gh", 2.5, 2.5, []string{"ab cd", "ef gh"}},
		// A word wider than a line breaks, after a / where it can.
		{"long url", "见http://www.example.gov.cn/a/b/c", 8, 8, []string{"见http://www", ".example.gov.cn/", "a/b/c"}},
		{"long word without break chars", "abcdefghijklmnopqrstuvwxyz", 4, 4, []string{"abcdefgh", "ijklmnop", "qrstuvwx", "yz"}},
		// A URL that would leave a wide gap breaks after its punctuation.
		{"url fills the line", "电子版在（https://www.jiangzhou.gov.cn）查阅", 12, 12, []string{"电子版在（https://www", ".jiangzhou.gov.cn）查阅"}},
		{"email fills the line", "一二三四五六七：jzshbj@jiangzhou.gov.cn", 14, 14, []string{"一二三四五六七：jzshbj", "@jiangzhou.gov.cn"}},
		{"phone numbers stay whole", "一二三四五六七八：0791-88886666", 10, 10, []string{"一二三四五六七八：", "0791-88886666"}},
		{"too narrow for anything", "一二", 0.5, 0.5, []string{"一", "二"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := breakStrings(tc.text, tc.first, tc.rest)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestBreakLinesInvariants: no character lost or added, no line wider than
// the width unless it is one unbreakable unit, no forbidden line starts or
// ends where a legal break existed.
func TestBreakLinesInvariants(t *testing.T) {
	texts := []string{
		"2022年，乳山寨镇按照《中华人民共和国政府信息公开条例》要求，切实加强组织领导，突出重点，强化措施，全面推进政府信息公开工作，保障公众的知情权、参与权和监督权，不断提高服务水平和工作的透明度。",
		"本报告电子版可在http://www.example.gov.cn/zwgk/xxgkml/xxgknb/index.html查阅或下载。如对本报告有疑问，请与办公室联系（电话：010-12345678）。",
		"“三安全一稳定”……——《条例》、（一）1.属于国家秘密；5.6%，ABC def。",
	}
	for _, s := range texts {
		for w := 3.0; w <= 30; w += 0.75 {
			ls := breakLines([]rune(s), unitAdv, w, w)
			var joined strings.Builder
			for i, l := range ls {
				joined.WriteString(string(l.text))
				if l.width > w+1e-9 {
					// only a single unbreakable unit, or closing marks hung
					// past the end, may overflow
					body := strings.TrimRight(string(l.text), noLineStart)
					if len(tokenize([]rune(body), unitAdv)) > 1 && sumAdv([]rune(body), unitAdv) > w+1e-9 {
						t.Errorf("w=%v: line %q is %v wide", w, string(l.text), l.width)
					}
				}
				if l.last != (i == len(ls)-1) {
					t.Errorf("w=%v: last flag wrong on line %d", w, i)
				}
				// a line may start with the . or @ of an address broken before it
				inWord := i > 0 && isWordRune(l.text[0]) && len(ls[i-1].text) > 0 && isWordRune(ls[i-1].text[len(ls[i-1].text)-1]) && strings.ContainsRune(wordBreakBefore, l.text[0])
				if i > 0 && !inWord && strings.ContainsRune(noLineStart, l.text[0]) && len(l.text) > 1 && w >= 8 {
					t.Errorf("w=%v: line starts with %q: %q", w, l.text[0], string(l.text))
				}
				if i < len(ls)-1 && strings.ContainsRune(noLineEnd, l.text[len(l.text)-1]) && w >= 8 {
					t.Errorf("w=%v: line ends with %q: %q", w, l.text[len(l.text)-1], string(l.text))
				}
			}
			if got, want := noSpace(joined.String()), noSpace(s); got != want {
				t.Fatalf("w=%v: characters lost or added:\n got %s\nwant %s", w, got, want)
			}
		}
	}
}

func TestOrdinalPrefix(t *testing.T) {
	for s, want := range map[string]int{"（三）不予公开": 3, "三、本年度办理结果": 2, "（十二）其他": 4, "1.属于国家秘密": 0, "（一": 0, "申请人情况": 0} {
		if got := ordinalPrefix([]rune(s)); got != want {
			t.Errorf("%s: %d, want %d", s, got, want)
		}
	}
}

// FuzzBreakLines: whatever the text and widths, no character is lost or
// added and every line holds something.
func FuzzBreakLines(f *testing.F) {
	f.Add("本报告电子版可在http://www.example.gov.cn/a/b查阅，“三安全一稳定”……", 10.0, 12.0)
	f.Add("（（（（））））。。。", 1.0, 1.5)
	f.Add("a b  c\u3000d", 0.0, 0.0)
	f.Fuzz(func(t *testing.T, s string, first, rest float64) {
		if first != first || rest != rest || first > 1e6 || rest > 1e6 { // NaN, huge
			return
		}
		rs := []rune(s)
		var joined []rune
		for _, l := range breakLines(rs, unitAdv, first, rest) {
			if len(l.text) == 0 {
				t.Fatalf("empty line from %q", s)
			}
			joined = append(joined, l.text...)
		}
		if noSpace(string(joined)) != noSpace(s) {
			t.Fatalf("characters lost or added:\n got %q\nwant %q", string(joined), s)
		}
	})
}

// TestEmailBeforeClosingMarks: an e-mail address followed by ）。 that does
// not fit at the line end breaks before its @ or . rather than moving whole
// to the next line and leaving a wide gap.
func TestEmailBeforeClosingMarks(t *testing.T) {
	adv := func(r rune) float64 {
		if r < 0x80 {
			return 0.5
		}
		return 1
	}
	text := []rune("电话：010-12345678；电子邮箱：scjgj@chengnan.gov.cn）。")
	lines := breakLines(text, adv, 26, 26)
	if len(lines) != 2 {
		t.Fatalf("%d lines: %+v", len(lines), lines)
	}
	if !strings.HasPrefix(string(lines[1].text), "@") && !strings.HasPrefix(string(lines[1].text), ".") {
		t.Fatalf("second line %q does not start inside the address at @ or .", lines[1].text)
	}
	if got := string(lines[0].text) + string(lines[1].text); got != string(text) {
		t.Fatalf("text changed: %q", got)
	}
}

// TestURLBreakPoints: a URL breaks after a slash or before a dot, never
// after a dot, inside "//" or after "https:".
func TestURLBreakPoints(t *testing.T) {
	rs := []rune("https://www.chengnan.gov.cn/scjgj/zfxxgk/")
	var at []string
	for k := 1; k < len(rs); k++ {
		if wordBreakAt(rs, k) {
			at = append(at, string(rs[:k])+"|")
		}
	}
	want := []string{"https://|", "https://www|", "https://www.chengnan|", "https://www.chengnan.gov|", "https://www.chengnan.gov.cn/|", "https://www.chengnan.gov.cn/scjgj/|"}
	if strings.Join(at, " ") != strings.Join(want, " ") {
		t.Fatalf("break points %q, want %q", at, want)
	}
}
