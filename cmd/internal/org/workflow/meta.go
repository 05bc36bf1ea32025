package workflow

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// ErrNoMeta refuses a metadata fill that fills no field.
var ErrNoMeta = errors.New("no metadata value")

// MetaError is a value refused for a metadata field.
type MetaError struct {
	Field *schema.Field
	Value string
	Why   string
}

func (e *MetaError) Error() string {
	return fmt.Sprintf("%s“%s”无效：%s", e.Field.Label, e.Value, e.Why)
}

// Blank is one metadata field a report leaves blank, for the unit's form:
// the value offered for it and where that value comes from ("" = none
// offered, the unit chooses or types it).
type Blank struct {
	Field   *schema.Field
	Offer   string
	From    string // FromRoster, FromYear, FromRole: where Offer comes from
	Choices []string
}

// Date reports whether the field is a date (entered as 2025-01-20).
func (b Blank) Date() bool { return b.Field.Kind == schema.FieldDate }

// Offer sources.
const (
	FromRoster = "roster" // the value of the unit's roster field
	FromYear   = "year"   // the year the report is collected for
	FromRole   = "role"   // decided by the roster's 机关类别
)

// Why says where the offered value comes from, for the unit's form.
func (b Blank) Why() string {
	switch b.From {
	case FromRoster:
		return "取自应报单位名单，请核对"
	case FromYear:
		return "本页收集的年度"
	case FromRole:
		return "按名单中的" + schema.MetaField(schema.RosterRole).Label + "预选"
	}
	return ""
}

// Blanks are the metadata fields r leaves blank that a unit can fill on
// the server, walking schema.MetaFields: the required ones first, then
// the others (a field that falls back to another, Default, is not
// listed). The value of a field the roster holds for the unit (roster,
// by schema.RosterFields key) is offered, marked as the roster's; the
// year is offered as the year collected; the 报告主体类型 is offered only
// where the roster's 机关类别 decides it (a department reports as 本机关 —
// a government may report as 本级政府 or hand up its 汇总, so it chooses).
func Blanks(r *schema.Report, roster map[string]string, year int) []Blank {
	var req, opt []Blank
	for _, f := range schema.MetaFields {
		if f.Default != "" || strings.TrimSpace(f.Get(&r.Meta).Value) != "" {
			continue
		}
		b := Blank{Field: f, Choices: f.Choices}
		switch {
		case schema.RosterFieldOf(f.Key) != nil && strings.TrimSpace(roster[f.Key]) != "":
			b.Offer, b.From = roster[f.Key], FromRoster
		case f.Kind == schema.FieldYear:
			b.Offer, b.From = strconv.Itoa(year), FromYear
		case f.Key == schema.MetaScope:
			if role := schema.Role(roster[schema.RosterRole]); role == schema.RoleDepartment {
				b.Offer, b.From = string(schema.ScopeOfRole(role)), FromRole
			}
		}
		if b.Offer != "" && b.Choices != nil && !slices.Contains(b.Choices, b.Offer) {
			b.Offer, b.From = "", ""
		}
		if f.Required {
			req = append(req, b)
		} else {
			opt = append(opt, b)
		}
	}
	return append(req, opt...)
}

// FillMeta is the next version of a report whose unit fills, on the
// server, metadata fields its file leaves blank (a report imported from
// its published PDF or web page, which prints no 报告主体类型): values by
// the keys of schema.MetaFields, each checked against its field (one of
// a choice field's Choices, a date, a four-digit year); a blank value is
// skipped and a field already filled is never changed. Written as
// Explain writes; name is the new version's file name.
func FillMeta(r *schema.Report, name string, values map[string]string) (newName string, data []byte, err error) {
	next := *r
	filled := map[*schema.Field]string{}
	for _, f := range schema.MetaFields {
		v := strings.TrimSpace(values[f.Key])
		t := f.Get(&next.Meta)
		if v == "" || strings.TrimSpace(t.Value) != "" {
			continue
		}
		switch f.Kind {
		case schema.FieldChoice:
			if !slices.Contains(f.Choices, v) {
				return "", nil, &MetaError{f, v, "应为" + strings.Join(f.Choices, "、") + "之一"}
			}
		case schema.FieldDate:
			y, m, d, ok := schema.ParseDate(v)
			if !ok {
				return "", nil, &MetaError{f, v, "请写成 2025-01-20"}
			}
			v = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		case schema.FieldYear:
			if n, err := strconv.Atoi(v); err != nil || n < 2000 || n > 2100 || len(v) != 4 {
				return "", nil, &MetaError{f, v, "应为四位数字的年份，如 2024"}
			}
		}
		if len([]rune(v)) > 200 {
			return "", nil, &MetaError{f, string([]rune(v)[:20]) + "…", "过长（不超过 200 字）"}
		}
		t.Value = v
		filled[f] = v
	}
	if len(filled) == 0 {
		return "", nil, ErrNoMeta
	}
	return nextFile(&next, name, func(back *schema.Report) bool {
		for f, v := range filled {
			if f.Get(&back.Meta).Value != v {
				return false
			}
		}
		return true
	})
}
