package schema

import (
	"slices"
	"time"
)

// Beijing is 北京时间 (UTC+8; China keeps no daylight saving time), in
// which the deadlines' days and a collection server's times are told: a
// fixed zone, so that no time zone database is needed (a Windows PC, or a
// server without tzdata, tells the same times).
var Beijing = time.FixedZone("北京时间", 8*60*60)

// RosterField is one column of the roster (应报单位名单) that a 政务公开办
// keeps of the units expected to report. Its Field is the declared field:
// one of the report's metadata fields (MetaFields) for the columns a unit
// is matched with its report by, or one of the roster's own (上级单位,
// 联系人), declared the same way. Readers match a roster's header row
// against the labels, in any order; a Required field's column must be there
// and filled. The roster template and the collection server's forms are
// built from this list.
type RosterField struct {
	*Field
	Note string // the roster template's help for the column
}

// The keys of the roster fields: the metadata fields' keys, and the
// roster's own.
const (
	RosterAgency  = "agency"
	RosterLevel   = "level"
	RosterRole    = "role"
	RosterParent  = "parent"
	RosterContact = "contact"
)

// RosterFields are the roster's columns, in the template's order.
var RosterFields = []*RosterField{
	{Field: MetaField(RosterAgency), Note: "与该单位年度报告中的机关名称一致（按名称匹配报告）"},
	{Field: MetaField(RosterLevel), Note: "从下拉列表选择"},
	{Field: MetaField(RosterRole), Note: "从下拉列表选择；县级以上地方人民政府的本级政府年度报告在3月31日前公布，部门和乡镇人民政府、街道办事处在1月31日前"},
	{Field: &Field{Key: RosterParent, Label: "上级单位"}, Note: "选填：主管或上级机关的名称"},
	{Field: &Field{Key: RosterContact, Label: "联系人"}, Note: "选填：姓名和电话，用于催报"},
}

// RosterFieldOf returns the roster field with the given key, or nil.
func RosterFieldOf(key string) *RosterField {
	for _, f := range RosterFields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// Deadline is the statutory day by which a year's report must be published
// (《条例》第四十九条): a month and day of the year after the report year.
type Deadline struct {
	Month, Day int
	Law        string // the rule, in Chinese, for messages
	// Levels are the 机关层级 the deadline is for; a body at another level
	// keeps the deadline of the scope Else. nil = every level.
	Levels []Level
	Else   Scope
}

// countyAndAbove are the levels of the 县级以上地方人民政府.
var countyAndAbove = []Level{LevelProvince, LevelCity, LevelCounty}

// Deadlines are the publication deadlines by 报告主体类型 (《条例》第四十九条):
// a department's report by 1月31日; the 本级政府 report of a 县级以上地方人民政府
// (and the 本行政区域汇总 published with it) by 3月31日 — a 乡镇 government's
// or a 街道's report, like a department's, by 1月31日.
var Deadlines = map[Scope]Deadline{
	ScopeAgency:     {Month: 1, Day: 31, Law: "政府部门和乡镇人民政府、街道办事处的年度报告应在每年1月31日前公布（《条例》第四十九条）"},
	ScopeGovernment: {Month: 3, Day: 31, Law: "县级以上地方人民政府的本级政府年度报告应在每年3月31日前公布（《条例》第四十九条）", Levels: countyAndAbove, Else: ScopeAgency},
	ScopeRegion:     {Month: 3, Day: 31, Law: "县级以上地方人民政府的本级政府年度报告应在每年3月31日前公布（《条例》第四十九条）", Levels: countyAndAbove, Else: ScopeAgency},
}

// DeadlineOf is the deadline of a report of the scope by a body at the
// level, and the scope whose deadline it is (the key of Deadlines, and of
// an office's own deadlines): a 乡镇 government's 本级政府 report keeps
// the 本机关 deadline. An unknown level ("") keeps the scope's own.
func DeadlineOf(scope Scope, level Level) (Scope, Deadline) {
	d := Deadlines[scope]
	if d.Levels != nil && level != "" && !slices.Contains(d.Levels, level) {
		return d.Else, Deadlines[d.Else]
	}
	return scope, d
}

// ScopeOfRole is the scope of the report a unit of the given 机关类别 owes:
// a government its 本级政府 report, a department its own.
func ScopeOfRole(r Role) Scope {
	if r == RoleGovernment {
		return ScopeGovernment
	}
	return ScopeAgency
}
