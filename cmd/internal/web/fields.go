package web

import "github.com/nianbao/nianbao/schema"

// fieldDecl is one metadata field as the form shows it, from the
// declaration schema.MetaFields.
type fieldDecl struct {
	Key      string   `json:"key"` // contact fields: contact.office
	Label    string   `json:"label"`
	Group    string   `json:"group,omitempty"` // the contact details' label
	Note     string   `json:"note,omitempty"`
	Kind     string   `json:"kind"` // text, year, date, choice
	Choices  []string `json:"choices,omitempty"`
	Required bool     `json:"required,omitempty"`
	Default  string   `json:"default,omitempty"` // the label of the field a blank one falls back to
}

var kindNames = map[schema.FieldKind]string{
	schema.FieldText: "text", schema.FieldYear: "year", schema.FieldDate: "date",
	schema.FieldChoice: "choice", schema.FieldContact: "text",
}

// fieldKey is the form's key of a metadata field.
func fieldKey(f *schema.Field) string {
	if f.Kind == schema.FieldContact {
		return schema.ContactKey + "." + f.Key
	}
	return f.Key
}

func fieldDecls() []fieldDecl {
	var out []fieldDecl
	for _, f := range schema.MetaFields {
		d := fieldDecl{Key: fieldKey(f), Label: f.Label, Note: f.Note, Kind: kindNames[f.Kind],
			Choices: f.Choices, Required: f.Required}
		if f.Kind == schema.FieldContact {
			d.Group = schema.ContactLabel
		}
		if def := schema.MetaField(f.Default); def != nil {
			d.Default = def.Label
		}
		out = append(out, d)
	}
	return out
}
