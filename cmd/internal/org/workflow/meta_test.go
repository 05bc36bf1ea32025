package workflow

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// TestFillMeta: the blanks are walked from schema.MetaFields and offered
// from the roster; a fill checks each value against its field, normalises
// a date, never changes a filled field, and keeps a workbook a workbook.
func TestFillMeta(t *testing.T) {
	data, err := os.ReadFile("../../../../examples/chengnan-scjg-2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := template.Read("a.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	blank := *r
	for _, k := range []string{schema.MetaScope, schema.RosterLevel, schema.RosterRole, "published"} {
		schema.MetaField(k).Get(&blank.Meta).Value = ""
	}
	roster := map[string]string{schema.RosterAgency: r.Meta.Agency.Value, schema.RosterLevel: string(schema.LevelCounty),
		schema.RosterRole: string(schema.RoleDepartment)}
	bs := Blanks(&blank, roster, 2024)
	got := map[string]Blank{}
	for i, b := range bs {
		got[b.Field.Key] = b
		if i > 0 && b.Field.Required && !bs[i-1].Field.Required {
			t.Errorf("a required field after an optional one: %s", b.Field.Label)
		}
	}
	if b := got[schema.RosterLevel]; b.Offer != string(schema.LevelCounty) || b.From != FromRoster {
		t.Errorf("level offered %+v", b)
	}
	if b := got[schema.MetaScope]; b.Offer != string(schema.ScopeAgency) || b.From != FromRole {
		t.Errorf("scope offered %+v", b)
	}
	if b := got["published"]; b.Offer != "" || !b.Date() {
		t.Errorf("published offered %+v", b)
	}
	if _, ok := got[schema.RosterAgency]; ok {
		t.Errorf("a filled field is offered")
	}
	// a government chooses its scope: nothing offered
	roster[schema.RosterRole] = string(schema.RoleGovernment)
	for _, b := range Blanks(&blank, roster, 2024) {
		if b.Field.Key == schema.MetaScope && b.Offer != "" {
			t.Errorf("a government's scope offered: %+v", b)
		}
	}

	var me *MetaError
	if _, _, err := FillMeta(&blank, "a.yaml", map[string]string{schema.MetaScope: "某某"}); !errors.As(err, &me) {
		t.Errorf("a bad choice: %v", err)
	}
	if _, _, err := FillMeta(&blank, "a.yaml", map[string]string{"published": "明天"}); !errors.As(err, &me) {
		t.Errorf("a bad date: %v", err)
	}
	if _, _, err := FillMeta(&blank, "a.yaml", map[string]string{schema.RosterAgency: "别的单位"}); !errors.Is(err, ErrNoMeta) {
		t.Errorf("only a filled field: %v", err)
	}
	var wb bytes.Buffer
	if err := template.Encode(&wb, "a.xlsx", &blank); err != nil {
		t.Fatal(err)
	}
	fromWB, err := template.Read("a.xlsx", wb.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	name, out, err := FillMeta(fromWB, "a.xlsx", map[string]string{schema.MetaScope: string(schema.ScopeAgency),
		schema.RosterLevel: string(schema.LevelCounty), schema.RosterRole: string(schema.RoleDepartment), "published": "2025年1月22日",
		schema.RosterAgency: "别的单位"})
	if err != nil || name != "a.xlsx" {
		t.Fatalf("fill: %q %v", name, err)
	}
	back, err := template.Read(name, out)
	if err != nil {
		t.Fatal(err)
	}
	if back.Meta.Published.Value != "2025-01-22" || back.Meta.Scope.Value != string(schema.ScopeAgency) || back.Meta.Agency.Value != r.Meta.Agency.Value {
		t.Errorf("filled: %+v", back.Meta)
	}
	if r.Meta.Scope.Value == "" {
		t.Errorf("the report filled from was changed")
	}
}
