package web

import "github.com/nianbao/nianbao/schema"

// metaField is one of the report's descriptive fields as the form shows it.
//
// The labels and notes are those of the workbook's 基本信息 sheet. Issue 9
// moves the metadata fields into one declaration in schema; when it lands,
// this list is replaced by a walk of that declaration (one call), and the
// form, whose fields come from /api/v1/format, does not change.
type metaField struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Note    string   `json:"note,omitempty"`
	Kind    string   `json:"kind"` // text, year, date, choice
	Choices []string `json:"choices,omitempty"`
	get     func(*schema.Meta) *schema.Text
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

var metaFields = []metaField{
	{Key: "agency", Label: "机关名称", Note: "全称，用于报告标题", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Agency }},
	{Key: "year", Label: "报告年度", Note: "四位数字，如 2025", Kind: "year", get: func(m *schema.Meta) *schema.Text { return &m.Year }},
	{Key: "scope", Label: "报告主体类型", Kind: "choice", Choices: strs(schema.Scopes), get: func(m *schema.Meta) *schema.Text { return &m.Scope }},
	{Key: "level", Label: "机关层级", Kind: "choice", Choices: strs(schema.Levels), get: func(m *schema.Meta) *schema.Text { return &m.Level }},
	{Key: "role", Label: "机关类别", Kind: "choice", Choices: strs(schema.Roles), get: func(m *schema.Meta) *schema.Text { return &m.Role }},
	{Key: "published", Label: "发布日期", Note: "YYYY-MM-DD", Kind: "date", get: func(m *schema.Meta) *schema.Text { return &m.Published }},
	{Key: "website", Label: "报告电子版网址", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Website }},
	{Key: "contact.office", Label: "联系机构", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Office }},
	{Key: "contact.address", Label: "地址", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Address }},
	{Key: "contact.postcode", Label: "邮编", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Postcode }},
	{Key: "contact.phone", Label: "电话", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Phone }},
	{Key: "contact.fax", Label: "传真", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Fax }},
	{Key: "contact.email", Label: "电子邮箱", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Contact.Email }},
	{Key: "signer", Label: "落款机关", Note: "留空则为机关名称", Kind: "text", get: func(m *schema.Meta) *schema.Text { return &m.Signer }},
	{Key: "sign_date", Label: "落款日期", Note: "YYYY-MM-DD，留空则为发布日期", Kind: "date", get: func(m *schema.Meta) *schema.Text { return &m.SignDate }},
}
