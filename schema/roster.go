package schema

// RosterField is one column of the roster (应报单位名单) that a 政务公开办
// keeps of the units expected to report: a column's header label, whether
// a unit must fill it and the values it may take. Readers match a roster's
// header row against these labels, in any order; the roster template and
// the collection server's forms are built from them.
type RosterField struct {
	Key      string   // stable key: "agency"
	Label    string   // the header label: 机关名称
	Required bool     // every unit must fill it, and the header must name it
	Choices  []string // the allowed values; nil means free text
	Note     string   // help for the person filling the roster
}

// The keys of the roster fields.
const (
	RosterAgency  = "agency"
	RosterLevel   = "level"
	RosterRole    = "role"
	RosterParent  = "parent"
	RosterContact = "contact"
)

// RosterFields are the roster's columns, in the template's order. The first
// three are the report's own metadata fields (a unit is matched with its
// report by 机关名称); 上级单位 and 联系人 belong to the roster alone.
var RosterFields = []*RosterField{
	{Key: RosterAgency, Label: "机关名称", Required: true,
		Note: "与该单位年度报告中的机关名称一致（按名称匹配报告）"},
	{Key: RosterLevel, Label: "机关层级", Required: true, Choices: choices(Levels),
		Note: "从下拉列表选择"},
	{Key: RosterRole, Label: "机关类别", Required: true, Choices: choices(Roles),
		Note: "从下拉列表选择；政府的年度报告在3月31日前公布，部门在1月31日前"},
	{Key: RosterParent, Label: "上级单位", Note: "选填：主管或上级机关的名称"},
	{Key: RosterContact, Label: "联系人", Note: "选填：姓名和电话，用于催报"},
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

func choices[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Deadline is the statutory day by which a year's report must be published
// (《条例》第四十九条): a month and day of the year after the report year.
type Deadline struct {
	Month, Day int
	Law        string // the rule, in Chinese, for messages
}

// Deadlines are the publication deadlines by 报告主体类型: a department's
// report by 1月31日, the 本级政府 report (and the 本行政区域汇总 published
// with it) by 3月31日.
var Deadlines = map[Scope]Deadline{
	ScopeAgency:     {1, 31, "政府部门的年度报告应在每年1月31日前公布（《条例》第四十九条）"},
	ScopeGovernment: {3, 31, "本级政府年度报告应在每年3月31日前公布（《条例》第四十九条）"},
	ScopeRegion:     {3, 31, "本级政府年度报告应在每年3月31日前公布（《条例》第四十九条）"},
}

// ScopeOfRole is the scope of the report a unit of the given 机关类别 owes:
// a government its 本级政府 report, a department its own.
func ScopeOfRole(r Role) Scope {
	if r == RoleGovernment {
		return ScopeGovernment
	}
	return ScopeAgency
}
