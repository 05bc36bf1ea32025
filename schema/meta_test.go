package schema_test

import (
	"os"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// TestMetaFields: the declaration of the metadata fields is well formed:
// keys and labels unique, the contact fields together (YAML groups them),
// choices for a choice field only, defaults naming a declared field, and
// every field a distinct Text of Meta.
func TestMetaFields(t *testing.T) {
	keys, labels := map[string]bool{}, map[string]bool{}
	var m schema.Meta
	texts := map[*schema.Text]bool{}
	contact, contactDone := false, false
	for _, f := range schema.MetaFields {
		if f.Key == "" || keys[f.Key] || f.Key == schema.ContactKey || f.Label == "" || labels[f.Label] {
			t.Errorf("%q: key or label missing or repeated", f.Key)
		}
		keys[f.Key], labels[f.Label] = true, true
		if (f.Kind == schema.FieldChoice) != (len(f.Choices) > 0) {
			t.Errorf("%s: choices %q for kind %d", f.Key, f.Choices, f.Kind)
		}
		if f.Default != "" && (schema.MetaField(f.Default) == nil || f.Default == f.Key) {
			t.Errorf("%s: default %q is not another field", f.Key, f.Default)
		}
		if f.Get == nil || texts[f.Get(&m)] {
			t.Errorf("%s: Get missing or shared", f.Key)
		} else {
			texts[f.Get(&m)] = true
		}
		switch {
		case f.Kind == schema.FieldContact && contactDone:
			t.Errorf("%s: the contact fields must stand together", f.Key)
		case f.Kind == schema.FieldContact:
			contact = true
		case contact:
			contactDone = true
		}
		if schema.MetaField(f.Key) != f {
			t.Errorf("%s: MetaField does not find it", f.Key)
		}
	}
	if len(schema.ContactFields()) == 0 || schema.MetaField("nope") != nil {
		t.Error("lookups")
	}
	// run by TestFieldTrial: the field it adds is declared
	if key := os.Getenv(trialEnv); key != "" && schema.MetaField(key) == nil {
		t.Errorf("the field trial's %s is not declared: the overlay was not applied", key)
	}
}
