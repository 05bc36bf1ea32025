package schema

// FieldKind is what a metadata field holds, which decides how it is
// entered, shown and checked.
type FieldKind int

// The kinds of metadata field.
const (
	// FieldText is free text.
	FieldText FieldKind = iota
	// FieldYear is a four-digit year.
	FieldYear
	// FieldDate is a date written YYYY-MM-DD.
	FieldDate
	// FieldChoice is one of Field.Choices.
	FieldChoice
	// FieldContact is a part of the contact details written into the
	// 导语: grouped under ContactKey in YAML.
	FieldContact
)

// Field declares one of the report's metadata fields: the single list
// every reader, writer, renderer, check and form walks.
type Field struct {
	// Key is the field's key in the YAML file (inside ContactKey for a
	// FieldContact field) and its stable name for programs.
	Key string
	// Label is the field's Chinese label.
	Label string
	Kind  FieldKind
	// Choices are the valid values of a FieldChoice field, in order.
	Choices []string
	// Required fields must be filled (the META rule).
	Required bool
	// Note is the template's note on what the field is for; "" = none.
	Note string
	// Default is the key of the field a blank one falls back to (the
	// signer falls back to the agency); "" = none.
	Default string
	// PerYear marks a field that belongs to one year's report and is not
	// carried into next year's template.
	PerYear bool
	// Printed marks a field whose value the published report prints (in
	// its title, the 导语 made from the fields, or the 落款); the others
	// are kept in the YAML file and the workbook, checked and shown in
	// the forms, but change no output (TestEveryMetaField holds the
	// renderers to it).
	Printed bool
	// Get returns the field's value in m.
	Get func(m *Meta) *Text
}

// The contact details' group: its YAML key, label and what it is for.
const (
	ContactKey   = "contact"
	ContactLabel = "联系方式"
	ContactNote  = "写入导语"
)

func choiceStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// MetaFields declares the metadata fields, in the order of the YAML file
// and the workbook's 基本信息 sheet. Adding a field is one entry here and a
// Text in Meta: the YAML file, the workbook, the checks, next year's
// template, the importer's summary and the forms walk this list
// (TestEveryMetaField in cmd/internal/web holds them to it, and
// TestFieldTrial adds a field to prove it).
var MetaFields = []*Field{
	{Key: "agency", Label: "机关名称", Required: true, Printed: true, Note: "全称，用于报告标题",
		Get: func(m *Meta) *Text { return &m.Agency }},
	{Key: "year", Label: "报告年度", Kind: FieldYear, Required: true, PerYear: true, Printed: true,
		Get: func(m *Meta) *Text { return &m.Year }},
	{Key: MetaScope, Label: "报告主体类型", Kind: FieldChoice, Choices: choiceStrings(Scopes), Required: true,
		Get: func(m *Meta) *Text { return &m.Scope }},
	{Key: "level", Label: "机关层级", Kind: FieldChoice, Choices: choiceStrings(Levels), Required: true,
		Get: func(m *Meta) *Text { return &m.Level }},
	{Key: "role", Label: "机关类别", Kind: FieldChoice, Choices: choiceStrings(Roles), Required: true,
		Get: func(m *Meta) *Text { return &m.Role }},
	{Key: "published", Label: "发布日期", Kind: FieldDate, Required: true, PerYear: true, Printed: true,
		Get: func(m *Meta) *Text { return &m.Published }},
	{Key: "website", Label: "报告电子版网址", Note: ContactNote, Printed: true,
		Get: func(m *Meta) *Text { return &m.Website }},
	{Key: "office", Label: "联系机构", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Office }},
	{Key: "address", Label: "地址", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Address }},
	{Key: "postcode", Label: "邮编", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Postcode }},
	{Key: "phone", Label: "电话", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Phone }},
	{Key: "fax", Label: "传真", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Fax }},
	{Key: "email", Label: "电子邮箱", Kind: FieldContact, Printed: true, Get: func(m *Meta) *Text { return &m.Contact.Email }},
	{Key: "signer", Label: "落款机关", Default: "agency", Printed: true,
		Get: func(m *Meta) *Text { return &m.Signer }},
	{Key: "sign_date", Label: "落款日期", Kind: FieldDate, Default: "published", PerYear: true, Printed: true,
		Get: func(m *Meta) *Text { return &m.SignDate }},
}

// MetaScope is the key of the 报告主体类型 field.
const MetaScope = "scope"

// MetaField returns the declared field with the given key, or nil.
func MetaField(key string) *Field {
	for _, f := range MetaFields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// ContactFields returns the FieldContact fields, in order.
func ContactFields() []*Field {
	var out []*Field
	for _, f := range MetaFields {
		if f.Kind == FieldContact {
			out = append(out, f)
		}
	}
	return out
}
