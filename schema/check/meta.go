package check

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/nianbao/nianbao/schema"
)

func valid[T ~string](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func choices[T ~string](list []T) string {
	var s []string
	for _, x := range list {
		s = append(s, string(x))
	}
	return strings.Join(s, "、")
}

// metaLoc is a field's location, or the file when the field is absent.
func metaLoc(r *schema.Report, t schema.Text) schema.Location {
	if t.Loc.IsZero() {
		return schema.Location{File: r.Source}
	}
	return t.Loc
}

// checkMeta walks the declared metadata fields: a required field must be
// filled, and a filled one must be valid for its kind.
func checkMeta(p *Pass) {
	r := p.Report
	need := func(t schema.Text, label string) bool {
		if strings.TrimSpace(t.Value) == "" {
			p.Reportf("", metaLoc(r, t), "", "", "%s未填写", label)
			return false
		}
		return true
	}
	for _, mf := range schema.MetaFields {
		t := *mf.Get(&r.Meta)
		if mf.Required && !need(t, mf.Label) || strings.TrimSpace(t.Value) == "" {
			continue
		}
		switch mf.Kind {
		case schema.FieldYear:
			metaYear(p, t, mf.Label)
		case schema.FieldChoice:
			if !slices.Contains(mf.Choices, t.Value) {
				list := strings.Join(mf.Choices, "、")
				p.Reportf("", metaLoc(r, t), list, t.Value, "%s“%s”无效，应为：%s", mf.Label, t.Value, list)
			}
		case schema.FieldDate:
			metaDate(p, t, mf.Label)
		}
	}
}

// metaYear checks a filled year field: four half-width digits, not before
// the format applies.
func metaYear(p *Pass, t schema.Text, label string) {
	r := p.Report
	y := r.YearInt()
	if half := halfWidthDigits(t.Value); half != strings.TrimSpace(t.Value) && len(half) == 4 {
		p.Reportf("", metaLoc(r, t), half, t.Value, "%s“%s”用了全角数字，请改为半角数字 %s", label, t.Value, half)
	} else if y == 0 || len(strings.TrimSpace(t.Value)) != 4 {
		p.Reportf("", metaLoc(r, t), "四位数字年份", t.Value, "%s“%s”不是四位数字年份", label, t.Value)
	} else if y < r.Format.Year {
		p.Reportf("", metaLoc(r, t), fmt.Sprintf("%d 年或以后", r.Format.Year), t.Value,
			"%d 年度报告不适用%s格式（该格式自 %d 年度报告起施行）", y, r.Format.Notice, r.Format.Year)
	}
}

// metaDate checks a filled date field: a valid YYYY-MM-DD after the year
// reported on.
func metaDate(p *Pass, t schema.Text, label string) {
	r := p.Report
	y, _, _, ok := schema.ParseDate(t.Value)
	if !ok {
		p.Reportf("", metaLoc(r, t), "YYYY-MM-DD", t.Value, "%s“%s”不是有效日期，应写作 YYYY-MM-DD", label, t.Value)
		return
	}
	if ry := r.YearInt(); ry > 0 && y <= ry {
		p.Reportf("", metaLoc(r, t), fmt.Sprintf("%d 年", ry+1), t.Value,
			"%s“%s”早于统计期限结束（%d年12月31日），年度报告应在次年发布", label, t.Value, ry)
	}
}

func checkDateLate(p *Pass) {
	r := p.Report
	y, mo, d, ok := schema.ParseDate(r.Meta.Published.Value)
	ry := r.YearInt()
	if !ok || ry < 1900 || y <= ry {
		return
	}
	scope := schema.Scope(r.Meta.Scope.Value)
	if !valid(schema.Scopes, scope) {
		return // the deadline depends on the scope; META asks for it
	}
	_, dl := schema.DeadlineOf(scope, schema.Level(r.Meta.Level.Value))
	limitM, limitD, who := dl.Month, dl.Day, dl.Law
	if y > ry+1 || mo > limitM || (mo == limitM && d > limitD) {
		p.Reportf("", metaLoc(r, r.Meta.Published), fmt.Sprintf("%d年%d月%d日前", ry+1, limitM, limitD),
			r.Meta.Published.Value, "发布日期 %s 晚于法定期限：%s", schema.ChineseDate(r.Meta.Published.Value), who)
	}
}

func checkSectionMissing(p *Pass) {
	r := p.Report
	for _, s := range r.Format.Sections {
		if s.Kind != schema.Narrative {
			continue
		}
		has := false
		for _, b := range r.Narrative[s.Key] {
			if strings.TrimSpace(b.Text) != "" {
				has = true
				break
			}
		}
		if has {
			continue
		}
		loc, ok := r.SectionLoc[s.Key]
		state := "缺失"
		if ok {
			state = "没有内容"
		} else {
			loc = schema.Location{File: r.Source}
		}
		p.Reportf(s.Key, loc, "", "", "“%s”%s；年度报告须包括全部六个部分（《条例》第五十条）", s.Heading(), state)
	}
}

func checkReviseMark(p *Pass) {
	narrativeBlocks(p.Report, func(section string, b schema.Block) {
		if i := strings.Index(b.Text, schema.ReviseMark); i >= 0 {
			note := b.Text[i:]
			if j := strings.Index(note, "】"); j >= 0 {
				note = note[:j+len("】")]
			}
			p.Reportf(section, b.Loc, "按本年情况改写后删去标记", note, "这一段仍是从上年报告沿用的文字（%s），请改写并删去标记", firstRunes(b.Text, 20))
		}
	})
}

// halfWidthDigits turns the full-width digits ０–９ of s into ASCII digits
// and trims the spaces around it.
func halfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + r - '０'
		}
		return r
	}, strings.TrimSpace(s))
}

// invisible reports whether r is a control or format character that does
// not belong in published text (tabs and line breaks aside).
func invisible(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0xFFFD || r == 0xFFFE || r == 0xFFFF
}

func checkTextControl(p *Pass) {
	r := p.Report
	report := func(section string, loc schema.Location, where, text string) {
		var codes []string
		for _, c := range text {
			if invisible(c) {
				code := fmt.Sprintf("U+%04X", c)
				if !slices.Contains(codes, code) {
					codes = append(codes, code)
				}
			}
		}
		if len(codes) > 0 {
			p.Reportf(section, loc, "没有不可见字符", strings.Join(codes, " "),
				"%s含有控制字符或不可见字符 %s（多半来自复制粘贴），请删除", where, strings.Join(codes, "、"))
		}
	}
	for _, mf := range schema.MetaFields {
		if mf.Kind == schema.FieldText {
			t := mf.Get(&r.Meta)
			report("", metaLoc(r, *t), mf.Label, t.Value)
		}
	}
	narrativeBlocks(r, func(section string, b schema.Block) {
		report(section, b.Loc, "这一段", b.Text)
	})
}
