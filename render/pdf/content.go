package pdf

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/nianbao/nianbao/render/internal/outline"
	"github.com/nianbao/nianbao/render/svg"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

// text is one run of text to draw, with the font that will draw it and
// where it came from (for messages).
type text struct {
	role  role
	runes []rune
	where string
	loc   schema.Location
	face  *face
}

type blockKind int

const (
	bTitle blockKind = iota
	bPara
	bHeading // 一、
	bSub     // （一）
	bTable
	bSign
)

type block struct {
	kind  blockKind
	text  *text
	table *tableModel
}

// document is the report as a list of blocks, every character checked and
// assigned a font.
type document struct {
	r          *schema.Report
	fs         *faces
	opt        Options
	blocks     []block
	signer     *text
	date       *text
	title      *text
	agency     int // runes of the title that are the agency's name
	digits     *text
	mark       *text
	used       map[string]map[rune]bool // fpdf family → runes drawn
	fonts      map[string]*face
	embeds     map[string]*embedded // fpdf family → the font embedded (embed.go)
	graphic    *svg.Drawing         // the 图解 page, nil without Options.Graphic
	gtexts     []*text              // its texts, one per Text item
	embedOrder []*embedded
	errs       []error
	trace      *[]drawnCell // tests: every table cell drawn
	lines      *[]drawnLine // tests: every paragraph line drawn
}

// drawnLine records a line of a paragraph or heading drawn, for tests.
type drawnLine struct {
	text     *text
	line, of int // line index, number of lines of the paragraph
	page     int
}

// drawnCell records a table cell drawn, for tests.
type drawnCell struct {
	table *schema.Table
	cell  *tcell
	page  int
	text  string
}

// maxErrors bounds the characters reported; one bad font would otherwise
// list the whole report.
const maxErrors = 20

// tidy prints no doubled space pasted into a paragraph (schema.Tidy), line
// by line.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = schema.Tidy(l)
	}
	return strings.Join(lines, "\n")
}

// prepare builds the document and checks every character against its font.
func prepare(r *schema.Report, fs *faces, opt Options) (*document, error) {
	d := &document{r: r, fs: fs, opt: opt, used: map[string]map[rune]bool{}, fonts: map[string]*face{}}
	m := &r.Meta
	parts, err := outline.Of(r)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		switch p.Kind {
		case outline.Title:
			d.title = d.add(roleTitle, p.Text, "标题（机关名称和报告年度）", p.Loc)
			d.agency = len(normalize(m.Agency.Value))
			d.blocks = append(d.blocks, block{kind: bTitle, text: d.title})
		case outline.Paragraph:
			where := "导语（由机关名称、网址和联系方式生成）"
			switch {
			case p.Section != nil:
				where = fmt.Sprintf("“%s”第%d段", p.Section.Heading(), p.N)
			case !p.Generated:
				where = fmt.Sprintf("导语第%d段", p.N)
			}
			d.blocks = append(d.blocks, block{kind: bPara, text: d.add(roleBody, p.Text, where, p.Loc)})
		case outline.Heading:
			d.blocks = append(d.blocks, block{kind: bHeading, text: d.add(roleHeading, p.Text, "标题“"+p.Text+"”", p.Loc)})
		case outline.SubHeading:
			d.blocks = append(d.blocks, block{kind: bSub, text: d.add(roleKai, tidy(p.Text), "“"+p.Section.Heading()+"”中的小标题", p.Loc)})
		case outline.Table:
			if tm := d.buildTable(p.Table, p.Data); tm != nil {
				d.blocks = append(d.blocks, block{kind: bTable, table: tm})
			}
		case outline.Signer:
			d.signer = d.add(roleBody, p.Text, schema.MetaField("signer").Label, p.Loc)
		case outline.Date:
			d.date = d.add(roleBody, p.Text, schema.MetaField("sign_date").Label, p.Loc)
		}
	}
	d.blocks = append(d.blocks, block{kind: bSign})
	if opt.Graphic {
		if err := d.addGraphic(); err != nil {
			return nil, err
		}
	}
	// nianbao's own text: page numbers and the draft mark.
	d.digits = d.add(rolePage, "— 0123456789 —", "页码", schema.Location{})
	if opt.Draft {
		d.mark = d.add(roleMark, DraftMark, "草稿标记", schema.Location{})
	}
	if len(d.errs) > 0 {
		if len(d.errs) > maxErrors {
			n := len(d.errs) - maxErrors
			d.errs = append(d.errs[:maxErrors], errtext.Errorf("……另有 %d 处同类问题", n))
		}
		return nil, errors.Join(d.errs...)
	}
	return d, nil
}

// normalize turns a text into the runes to draw: white space becomes a
// plain space, invisible control and format characters are dropped, and
// leading and trailing spaces (including the ideographic spaces people type
// to indent) go, since the layout indents.
func normalize(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
		case unicode.IsSpace(r):
			r = ' '
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			continue
		}
		out = append(out, r)
	}
	trim := func(r rune) bool { return r == ' ' || r == '\u3000' }
	for len(out) > 0 && trim(out[0]) {
		out = out[1:]
	}
	for len(out) > 0 && trim(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out
}

// add checks a text against the fonts of its role and records it.
func (d *document) add(rl role, s, where string, loc schema.Location) *text {
	t := &text{role: rl, runes: normalize(s), where: where, loc: loc}
	f, missing := d.fs.pick(rl, t.runes)
	t.face = f
	if missing != 0 {
		d.glyphErrors(t, f)
		return t
	}
	used := d.used[f.family]
	if used == nil {
		used = map[rune]bool{}
		d.used[f.family] = used
		d.fonts[f.family] = f
	}
	for _, r := range t.runes {
		used[r] = true
	}
	return t
}

// glyphErrors reports every distinct character of t that f cannot draw.
func (d *document) glyphErrors(t *text, f *face) {
	seen := map[rune]bool{}
	for _, r := range t.runes {
		if seen[r] || (r <= 0xffff && (f.font.Has(r) || isSpace(r))) {
			continue
		}
		seen[r] = true
		loc, where := t.loc, t.where
		if l, w, ok := d.locate(t, r); ok {
			loc, where = l, w
		}
		var msg string
		var cause error
		switch {
		case r > 0xffff:
			msg = fmt.Sprintf("%s中的字符“%c”（U+%04X）在 Unicode 基本多文种平面之外（CJK 扩展 B 区及以后的生僻字等），PDF 无法排印；请改用通用规范汉字，或用文字说明该字的写法", where, r, r)
			cause = ErrOutsideBMP
		case f.user:
			msg = fmt.Sprintf("%s中的字符“%c”（U+%04X）在%s中没有字形；请用 %s 换用含有该字的 TrueType 字体，或改写该字", where, r, r, f.label, f.flag)
			cause = ErrMissingGlyph
		default:
			msg = fmt.Sprintf("%s中的字符“%c”（U+%04X）在%s中没有字形（内置字体覆盖 GBK 字符集）；请用 %s 指定含有该字的 TrueType 字体，或改写该字", where, r, r, f.label, "--font-body")
			cause = ErrMissingGlyph
		}
		d.errs = append(d.errs, schema.Unusable(loc, msg, cause))
	}
}

// locate finds, for a text generated from several fields (the title, the
// opening paragraph), the field holding rune r.
func (d *document) locate(t *text, r rune) (schema.Location, string, bool) {
	if t.role != roleTitle && !strings.HasPrefix(t.where, "导语（") {
		return schema.Location{}, "", false
	}
	for _, mf := range schema.MetaFields {
		if !mf.Printed || mf.Kind == schema.FieldDate {
			continue // not printed, or in the 落款 only
		}
		if f := mf.Get(&d.r.Meta); strings.ContainsRune(f.Value, r) {
			use := "导语"
			if t.role == roleTitle {
				use = "标题"
			}
			return f.Loc, mf.Label + "（用于" + use + "）", true
		}
	}
	return schema.Location{}, "", false
}

// runesOf lists the runes drawn in an fpdf family, sorted.
func (d *document) runesOf(family string) []rune {
	rs := make([]rune, 0, len(d.used[family]))
	for r := range d.used[family] {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return rs
}
