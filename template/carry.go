package template

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// DraftMark starts the note appended to every paragraph carried over from
// last year's report that mentions a year: the member of staff must rewrite
// the paragraph and delete the note. The paragraph itself is last year's,
// unchanged and still at the start of the block, so a stale year in it
// (“2024年，我局……”) is still there for the checker to find.
const DraftMark = schema.ReviseMark

// Blank returns a blank report for agency and year: every field but these
// two empty, every table present with every cell blank (not zero).
func Blank(agency string, year int) *schema.Report {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value = strings.TrimSpace(agency)
	if year > 0 {
		r.Meta.Year.Value = strconv.Itoa(year)
	}
	for _, t := range r.Format.Tables {
		r.Tables[t.ID] = schema.NewTableData(t)
	}
	return r
}

// FromPrevious returns next year's template from last year's report prev:
//   - the same agency, scope, level, role, website, contact and signer, with
//     the year set to year; dates are left empty;
//   - 上年结转 pre-filled, column by column, from last year's cells as the
//     format's Carries declare (上年结转 ← 结转下年度继续办理);
//   - last year's stock (现行有效件数, Format.Stocks) shown as a hint beside
//     this year's input, with how this year's follows from it;
//   - last year's narrative and 导语 kept as a draft: every paragraph that
//     mentions a year ends with a note starting with DraftMark that names
//     the years;
//   - every other figure blank.
func FromPrevious(prev *schema.Report, year int) *schema.Report {
	f := prev.Format
	if f == nil {
		f = schema.Current
	}
	r := schema.NewReport(f)
	pm := prev.Meta
	for _, mf := range schema.MetaFields {
		if !mf.PerYear {
			*mf.Get(&r.Meta) = schema.Text{Value: mf.Get(&pm).Value}
		}
	}
	r.Meta.Year = schema.Text{Value: strconv.Itoa(year)}
	r.Intro = draft(prev.Intro)
	for _, s := range f.Sections {
		// the narrative sections, and the text a table section holds
		// beside its table (an explanation, a paragraph the importer found
		// there): all kept as a draft, nothing read is dropped
		if bs := draft(prev.Narrative[s.Key]); len(bs) > 0 {
			r.Narrative[s.Key] = bs
		}
	}
	for _, t := range f.Tables {
		r.Tables[t.ID] = schema.NewTableData(t)
	}
	prevYear := prev.Meta.Year.Value
	if prevYear == "" {
		prevYear = "上"
	}
	for _, c := range f.Carries {
		d, pd := r.Tables[c.Table], prev.Tables[c.Table]
		t := f.Table(c.Table)
		if d == nil || t == nil {
			continue
		}
		row, prow := t.Row(c.Row), t.Row(c.PrevRow)
		if row == nil || prow == nil {
			continue
		}
		if pd == nil { // last year's report has no such table
			for _, col := range row.Cols {
				r.Hints[schema.CellKey(c.Table, c.Row, col.Key)] = fmt.Sprintf("%s年报告中没有%s（表格缺失，或只以图片发布），“%s”的“%s”未能结转，请对照上年报告手工填写",
					prevYear, t.Name, prow.Label, col.Label)
			}
			continue
		}
		for _, col := range row.Cols {
			pv := pd.Cell(c.PrevRow, col.Key)
			v := d.Cell(c.Row, col.Key)
			if pv == nil || v == nil {
				continue
			}
			if pv.OK() {
				v.SetNumber(pv.Num)
				v.Raw = pv.Num.String()
				continue
			}
			why := "空白"
			if !pv.IsBlank() {
				why = "为“" + pv.Raw + "”，不是数字"
			} else if prev.Imported != nil {
				why = "未能从已发布的报告中读出"
				if at := prev.Imported.Rows[schema.RowKey(c.Table, c.PrevRow)]; at != "" {
					why += "（该行在原文 " + at + "）"
				}
			}
			r.Hints[schema.CellKey(c.Table, c.Row, col.Key)] = fmt.Sprintf("%s年报告“%s”的“%s”%s，未能结转，请对照上年报告手工填写",
				prevYear, prow.Label, col.Label, why)
		}
	}
	for _, st := range f.Stocks {
		pd := prev.Tables[st.Table]
		if pd == nil {
			continue
		}
		t := f.Table(st.Table)
		for _, key := range st.Rows {
			row := t.Row(key)
			if row == nil {
				continue
			}
			pv := pd.Cell(key, st.Stock)
			if !pv.OK() {
				continue
			}
			in, out := labelOf(row, st.In), labelOf(row, st.Out)
			r.Hints[schema.CellKey(st.Table, key, st.Stock)] = fmt.Sprintf("%s年为 %s；本年应为 %s + %s − %s",
				prevYear, pv.Num.String(), pv.Num.String(), in, out)
		}
	}
	carryExplanations(r, prev)
	return r
}

// carryExplanations keeps last year's explanations (异常值说明) only where
// the same rule still finds the same place wrong in the new report: a
// reason given for last year's figures says nothing about this year's.
func carryExplanations(r, prev *schema.Report) {
	if len(prev.Explanations) == 0 {
		return
	}
	r.Explanations = prev.Explanations
	fs := check.Run(r, check.Options{Prev: prev})
	r.Explanations = nil
	for _, e := range prev.Explanations {
		for _, f := range fs {
			if f.Rule == e.Rule && f.Explained == e.Reason {
				r.Explanations = append(r.Explanations, schema.Explanation{Rule: e.Rule, Place: e.Place, Reason: e.Reason})
				break
			}
		}
	}
}

// CarryGaps lists the cells that FromPrevious should have pre-filled from
// last year's report but could not (a blank, a text, a figure the import
// could not read): the member of staff must type them. Each is named by
// its official labels, with the reason.
func CarryGaps(r *schema.Report) []string {
	var out []string
	for _, g := range carryGaps(r) {
		out = append(out, g.table.Name+"“"+g.row.Label+"”“"+g.col.Label+"”："+g.reason)
	}
	return out
}

// Carried counts the carry-over cells FromPrevious pre-filled in r.
func Carried(r *schema.Report) int {
	n := 0
	for _, c := range r.Format.Carries {
		if d := r.Tables[c.Table]; d != nil {
			if i := d.Table.RowIndex(c.Row); i >= 0 {
				for _, v := range d.Values[i] {
					if v.OK() {
						n++
					}
				}
			}
		}
	}
	return n
}

// carryGap is one cell of CarryGaps.
type carryGap struct {
	table  *schema.Table
	row    *schema.Row
	col    *schema.Column
	reason string
}

func carryGaps(r *schema.Report) []carryGap {
	var out []carryGap
	for _, c := range r.Format.Carries {
		t := r.Format.Table(c.Table)
		if t == nil {
			continue
		}
		row := t.Row(c.Row)
		if row == nil {
			continue
		}
		for _, col := range row.Cols {
			if h := r.Hints[schema.CellKey(c.Table, c.Row, col.Key)]; h != "" {
				out = append(out, carryGap{t, row, col, h})
			}
		}
	}
	return out
}

func labelOf(row *schema.Row, key string) string {
	if c := row.Col(key); c != nil {
		return c.Label
	}
	return key
}

// draft copies blocks, marking every block that mentions a year.
func draft(blocks []schema.Block) []schema.Block {
	out := make([]schema.Block, 0, len(blocks))
	for _, b := range blocks {
		text := b.Text
		if years := Years(text); len(years) > 0 && !strings.Contains(text, DraftMark) {
			text += DraftMark + "：上年报告的文字，含年份 " + strings.Join(years, "、") + "，请按本年情况改写并删去此标记】"
		}
		out = append(out, schema.Block{Kind: b.Kind, Text: text})
	}
	return out
}

// Years returns the distinct years (1990–2099) mentioned in s, in order of
// first mention: runs of exactly four digits, ASCII or full-width.
func Years(s string) []string {
	var out []string
	var run []rune
	flush := func() {
		if len(run) == 4 {
			y := string(run)
			if (strings.HasPrefix(y, "199") || strings.HasPrefix(y, "20")) && !slices.Contains(out, y) {
				out = append(out, y)
			}
		}
		run = run[:0]
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			run = append(run, r)
		case r >= '０' && r <= '９':
			run = append(run, '0'+(r-'０'))
		default:
			flush()
		}
	}
	flush()
	return out
}
