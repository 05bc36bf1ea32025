package check

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// The rules in this file catch what provincial reviews and third-party
// evaluations of annual reports criticise: a section with nothing in it, a
// year that does not belong where it stands, misnumbered main headings,
// stray spaces, and headline figures that jump from last year's.

// substance counts the letters and digits of a text: what is left of it once
// punctuation and spaces are set aside.
func substance(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// saysNothing reports whether a paragraph only says that there is nothing
// to say: 无, 无。, 暂无, 没有.
func saysNothing(s string) bool {
	s = strings.Trim(strings.TrimSpace(s), "。.；;！!")
	switch s {
	case "无", "暂无", "没有", "无此类情况", "无相关情况":
		return true
	}
	return false
}

func checkTextThin(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Sections {
		if s.Kind != schema.Narrative || s.MinText == 0 || len(r.Narrative[s.Key]) == 0 {
			continue
		}
		var paras []string
		chars := 0
		for _, b := range r.Narrative[s.Key] {
			if b.Kind == schema.Paragraph && strings.TrimSpace(b.Text) != "" {
				paras = append(paras, strings.TrimSpace(b.Text))
				chars += substance(b.Text)
			}
		}
		loc := sectionLoc(r, s.Key)
		switch {
		case len(paras) == 0:
			p.Reportf(s.Key, loc, "据实叙述的正文", "只有小标题",
				"“%s”只有小标题，没有正文：请据实写明本年度的情况", s.Heading())
		case len(paras) == 1 && saysNothing(paras[0]):
			p.Reportf(s.Key, loc, "据实叙述的正文", paras[0],
				"“%s”只写了“%s”：这一部分不能空缺，请据实写明本年度的情况", s.Heading(), paras[0])
		case chars < s.MinText:
			p.Reportf(s.Key, loc, fmt.Sprintf("至少 %d 个字", s.MinText), fmt.Sprintf("%d 个字", chars),
				"“%s”只有 %d 个字（%s），内容过于简略：请据实写明本年度的情况", s.Heading(), chars, firstRunes(strings.Join(paras, ""), 30))
		}
	}
}

var (
	// reYearWord is a year written as a year: 2023年, 2023年度.
	reYearWord = regexp.MustCompile(`((?:19|20)\d\d)\s*年(度)?`)
	// reThisYearOf is 本年度（2023年）: this report's year, spelled out.
	reThisYearOf = regexp.MustCompile(`(?:本年度?|今年|本报告年度)\s*（\s*$`)
	// reOurYear is a body speaking of its own year's work: 本单位2023年.
	reOurYear = regexp.MustCompile(`(?:本|我)(?:单位|机关|部门|局|委|办|厅|院|署|中心|部|市|区|县|镇|乡|街道|府|所|站|队)\s*$`)
	// reYearOpens is what follows a year that opens a sentence about the
	// year's work: 2023年，我局… / 2023年度，全市… / 2023年我办…
	reYearOpens = regexp.MustCompile(`^(?:度)?\s*(?:，|,|我|本|全)`)
	// reMonth follows a year that is part of a date: 2023年12月.
	reMonth = regexp.MustCompile(`^(?:度)?\s*\d{1,2}\s*月`)
	// planWords mark a sentence about next year's plans.
	planWords = []string{"将", "计划", "拟", "力争", "争取", "预计", "准备", "打算", "要点", "目标", "展望", "下一步", "明年"}
)

// sentenceStart reports whether byte offset i of text opens a sentence (and
// not the paragraph: TEXT-STALE looks at a paragraph's first words).
func sentenceStart(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \t\u3000")
	if before == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune("。；！？：", r)
}

// sentenceOf returns the sentence of text around byte offset i.
func sentenceOf(text string, i int) string {
	start := strings.LastIndexAny(text[:i], "。；！？")
	if start < 0 {
		start = 0
	}
	end := strings.IndexAny(text[i:], "。；！？")
	if end < 0 {
		end = len(text) - i
	}
	return text[start : i+end]
}

func checkTextYear(p *Pass) {
	r := p.Report
	year := r.YearInt()
	if year == 0 {
		return
	}
	narrativeBlocks(r, func(section string, b schema.Block) {
		text := fold(b.Text)
		for _, m := range reYearWord.FindAllStringSubmatchIndex(text, -1) {
			y, _ := strconv.Atoi(text[m[2]:m[3]])
			if y != year-1 && y != year+1 {
				continue
			}
			before, after := text[:m[0]], text[m[3]+len("年"):]
			word := strings.TrimSpace(text[m[0]:m[1]])
			why := ""
			switch {
			case reThisYearOf.MatchString(before):
				why = "用作本报告年度"
			case reMonth.MatchString(after):
				continue // a date: 2025年1月20日
			case y == year-1 && reOurYear.MatchString(before):
				why = "用作本报告年度的工作年份"
			case sentenceStart(text, m[0]) && reYearOpens.MatchString(after):
				if y == year+1 {
					if section == "problems" || containsAny(sentenceOf(text, m[0]), planWords) {
						continue // next year's plans
					}
					why = "用来叙述已经做过的工作"
				} else {
					why = "用作本报告年度的工作年份"
				}
			default:
				continue
			}
			p.Reportf(section, b.Loc, strconv.Itoa(year)+"年", word,
				"“%s”中的“%s”%s，而本报告是 %d 年度报告：是否沿用了往年的文字或写错了年份？",
				firstRunes(sentenceOf(text, m[0]), 40), word, why, year)
		}
	})
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// isSpace reports whether r is a space a paragraph may hold by mistake:
// half- and full-width spaces, tabs, no-break spaces.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0'
}

// cjkPunct is the full-width punctuation a space never belongs next to.
const cjkPunct = "，。、；：！？“”‘’《》（）【】…—"

func isCJK(r rune) bool { return unicode.Is(unicode.Han, r) || strings.ContainsRune(cjkPunct, r) }

// straySpaces returns the rune positions (from 1) and the kind of each
// space in s that does not belong: doubled spaces, tabs, full-width and
// no-break spaces, and a single space next to Chinese text and punctuation
// (between two Chinese characters, or before or after a full-width mark).
// A single space between Chinese text and a Latin word or a number is a
// matter of style and left alone.
func straySpaces(s string) (pos []int, kinds []string) {
	rs := []rune(s)
	start, end := 0, len(rs)
	for start < end && isSpace(rs[start]) {
		start++
	}
	for end > start && isSpace(rs[end-1]) {
		end--
	}
	for i := start; i < end; i++ {
		if !isSpace(rs[i]) {
			continue
		}
		j := i
		for j < end && isSpace(rs[j]) {
			j++
		}
		kind := ""
		switch {
		case j-i > 1:
			kind = fmt.Sprintf("连续 %d 个空格", j-i)
		case rs[i] == '\t':
			kind = "制表符"
		case rs[i] == '\u3000':
			kind = "全角空格"
		case rs[i] == '\u00a0':
			kind = "不换行空格"
		case (isCJK(rs[i-1]) && isCJK(rs[j])) || strings.ContainsRune(cjkPunct, rs[i-1]) || strings.ContainsRune(cjkPunct, rs[j]):
			kind = "多余的空格"
		}
		if kind != "" {
			pos = append(pos, i+1)
			kinds = append(kinds, kind)
		}
		i = j - 1
	}
	return pos, kinds
}

func checkTextSpace(p *Pass) {
	narrativeBlocks(p.Report, func(section string, b schema.Block) {
		for _, line := range strings.Split(b.Text, "\n") {
			pos, kinds := straySpaces(strings.TrimRight(line, "\r"))
			if len(pos) == 0 {
				continue
			}
			rs := []rune(strings.TrimLeft(line, " \t\u3000\u00a0"))
			lead := len([]rune(line)) - len(rs)
			var where []string
			for k, at := range pos[:min(len(pos), 3)] {
				i := at - 1 - lead
				ctx := string(rs[max(0, i-6):min(len(rs), i+7)])
				ctx = strings.NewReplacer("\t", "␉", "\u3000", "□", "\u00a0", "␣").Replace(ctx)
				where = append(where, fmt.Sprintf("第 %d 个字处%s（“%s”）", i+1, kinds[k], ctx))
			}
			more := ""
			if len(pos) > 3 {
				more = fmt.Sprintf("等 %d 处", len(pos))
			}
			p.Reportf(section, b.Loc, "没有多余的空格", fmt.Sprintf("%d 处", len(pos)),
				"正文%s%s：中文正文中不应有多余的空格或制表符，请删除（发布稿中连续的空格只印一个）", strings.Join(where, "、"), more)
		}
	})
}

func checkSectionOrder(p *Pass) {
	r := p.Report
	if len(r.Headings) == 0 {
		return
	}
	index := map[string]int{}
	for i, s := range r.Format.Sections {
		index[s.Key] = i
	}
	count := map[string]int{}
	last := -1
	var lastHeading string
	for _, h := range r.Headings {
		s := r.Format.Section(h.Section)
		if s == nil {
			continue
		}
		count[h.Section]++
		text := firstRunes(h.Text, 40)
		switch {
		case count[h.Section] > 1:
			p.Reportf(h.Section, h.Loc, "每个部分的标题只出现一次", fmt.Sprintf("第 %d 次", count[h.Section]),
				"标题“%s”重复出现：“%s”只能有一个", text, s.Heading())
		case index[h.Section] < last:
			p.Reportf(h.Section, h.Loc, "排在“"+lastHeading+"”之前", "排在之后",
				"标题“%s”排在“%s”之后：六个部分应按一、二、三、四、五、六的顺序排列", text, lastHeading)
		case h.Number != s.Number:
			p.Reportf(h.Section, h.Loc, s.Number+"、", h.Number+"、",
				"标题“%s”的编号应为“%s、”：应写作“%s”", text, s.Number, s.Heading())
		}
		if index[h.Section] > last {
			last, lastHeading = index[h.Section], s.Heading()
		}
	}
}

func checkYOYJump(p *Pass) {
	r, prev := p.Report, p.Prev
	for _, j := range r.Format.Jumps {
		t, d, _, ok := p.bothYears(j.Rule, j.Table)
		if !ok {
			continue
		}
		now, ok1 := sumRows(r, j.Table, j.Col, j.Rows)
		then, ok2 := sumRows(prev, j.Table, j.Col, j.Rows)
		if !ok1 || !ok2 {
			continue
		}
		diff, _ := now.Add(then.Neg())
		if diff.Units < 0 {
			diff = diff.Neg()
		}
		big, small := now, then
		if big.Cmp(small) < 0 {
			big, small = small, big
		}
		scaled := small
		scaled.Units *= j.Factor
		if diff.Cmp(schema.Int(j.Min)) < 0 || big.Cmp(scaled) <= 0 {
			continue
		}
		way := "增加"
		if now.Cmp(then) < 0 {
			way = "减少"
		}
		cell := d.Cell(j.Rows[0], j.Col)
		p.Reportf(t.Section, cell.Loc, fmt.Sprintf("与上年（%s）相差不超过 %d 倍", then, j.Factor), now.String(),
			"%s%s为 %s，上年为 %s，%s超过 %d 倍：请核实数字；如属实，请说明原因（异常值说明）",
			t.Name, describe(t, j.Col, j.Rows), now, then, way, j.Factor)
	}
}
