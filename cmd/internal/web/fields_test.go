package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/workbook"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestEveryMetaField holds every consumer of the metadata fields to the
// declaration schema.MetaFields: whatever fields it declares, each one
// goes through the page's /api/v1/format and form model, the YAML file and
// the workbook (written and read back), next year's template, the META
// check, the renderers (a field changes the outputs exactly when it is
// Printed) — and a file written before the field existed still reads. It
// names no field, so it holds for a field added tomorrow (TestFieldTrial in
// package schema adds one and runs it).
func TestEveryMetaField(t *testing.T) {
	r := filled()

	t.Run("format", func(t *testing.T) {
		a, _ := testApp(t)
		req := httptest.NewRequest("GET", "/api/v1/format", nil)
		req.Host = "example.test"
		req.Header.Set(TokenHeader, "t")
		var d struct {
			Fields []fieldDecl `json:"fields"`
		}
		if err := json.Unmarshal(serveOnce(t, a, req).Body.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Fields) != len(schema.MetaFields) {
			t.Fatalf("%d fields in /api/v1/format, %d declared", len(d.Fields), len(schema.MetaFields))
		}
		for i, mf := range schema.MetaFields {
			f := d.Fields[i]
			if f.Key != fieldKey(mf) || f.Label != mf.Label || f.Note != mf.Note || f.Required != mf.Required ||
				!slices.Equal(f.Choices, mf.Choices) || f.Kind == "" {
				t.Errorf("field %d: %+v for %s", i, f, mf.Key)
			}
		}
	})

	t.Run("form", func(t *testing.T) {
		data, err := json.Marshal(modelOf(r))
		if err != nil {
			t.Fatal(err)
		}
		var m Model
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		sameFields(t, "form", r, m.report("填写"))
	})

	t.Run("yaml", func(t *testing.T) {
		back, err := yamlfile.Read("r.yaml", yamlfile.Write(r))
		if err != nil {
			t.Fatal(err)
		}
		noFindings(t, back)
		sameFields(t, "yaml", r, back)
		for _, mf := range schema.MetaFields {
			if mf.Get(&back.Meta).Loc.Line == 0 {
				t.Errorf("yaml: %s has no line", mf.Key)
			}
		}
	})

	t.Run("workbook", func(t *testing.T) {
		back := readBook(t, writeBook(t, r))
		noFindings(t, back)
		sameFields(t, "workbook", r, back)
		for _, mf := range schema.MetaFields {
			if l := mf.Get(&back.Meta).Loc; l.Sheet == "" || l.Cell == "" {
				t.Errorf("workbook: %s read from %v", mf.Key, l)
			}
		}
	})

	t.Run("next year", func(t *testing.T) {
		next := template.FromPrevious(r, r.YearInt()+1)
		for _, mf := range schema.MetaFields {
			got, was := mf.Get(&next.Meta).Value, mf.Get(&r.Meta).Value
			switch {
			case mf.Kind == schema.FieldYear:
			case mf.PerYear && got != "":
				t.Errorf("%s carried into next year: %q", mf.Key, got)
			case !mf.PerYear && got != was:
				t.Errorf("%s not carried: %q, was %q", mf.Key, got, was)
			}
		}
	})

	t.Run("check", func(t *testing.T) {
		if fs := metaFindings(r); len(fs) > 0 {
			t.Fatalf("filled report: %v", fs)
		}
		for _, mf := range schema.MetaFields {
			b := filled()
			*mf.Get(&b.Meta) = schema.Text{}
			fs := metaFindings(b)
			named := slices.ContainsFunc(fs, func(f schema.Finding) bool { return strings.Contains(f.Message, mf.Label) })
			if mf.Required != named || !mf.Required && len(fs) > 0 {
				t.Errorf("%s left blank (required %v): %v", mf.Key, mf.Required, fs)
			}
		}
	})

	t.Run("old yaml", func(t *testing.T) {
		// the file as it was before the field was declared: no line for it
		text := string(yamlfile.Write(r))
		for _, mf := range schema.MetaFields {
			indent := ""
			if mf.Kind == schema.FieldContact {
				indent = "  "
			}
			line := regexp.MustCompile(`(?m)^` + indent + regexp.QuoteMeta(mf.Key) + `: .*\n`)
			old := line.ReplaceAllLiteralString(text, "")
			if old == text {
				t.Fatalf("no line for %s in\n%s", mf.Key, text)
			}
			back, err := yamlfile.Read("old.yaml", []byte(old))
			if err != nil {
				t.Fatal(err)
			}
			noFindings(t, back)
			if v := mf.Get(&back.Meta).Value; v != "" {
				t.Errorf("%s read as %q from a file without it", mf.Key, v)
			}
			oldFile(t, mf, back)
		}
	})

	t.Run("old workbook", func(t *testing.T) {
		book := writeBook(t, r)
		for _, mf := range schema.MetaFields {
			back := readBook(t, withoutRow(t, book, mf.Label))
			if v := mf.Get(&back.Meta).Value; v != "" {
				t.Errorf("%s read as %q from a workbook without it", mf.Key, v)
			}
			layout := slices.ContainsFunc(back.Issues, func(f schema.Finding) bool {
				return f.Rule == check.Layout && strings.Contains(f.Message, mf.Label)
			})
			if layout != mf.Required || len(back.Issues) > 1 || !mf.Required && len(back.Issues) > 0 {
				t.Errorf("workbook without %s (required %v): %v", mf.Key, mf.Required, back.Issues)
			}
			if !mf.Required {
				oldFile(t, mf, back)
			}
		}
	})

	t.Run("outputs", func(t *testing.T) {
		// the field of a blank report that has a default (the 落款 falls
		// back to the agency and the publication date) is left blank so
		// that what it falls back to is printed
		base := filled()
		for _, mf := range schema.MetaFields {
			if mf.Default != "" {
				*mf.Get(&base.Meta) = schema.Text{}
			}
		}
		was := renderAll(t, base)
		for _, mf := range schema.MetaFields {
			b := filled()
			for _, f := range schema.MetaFields {
				if f.Default != "" {
					*f.Get(&b.Meta) = schema.Text{}
				}
			}
			mf.Get(&b.Meta).Value = other(mf, mf.Get(&b.Meta).Value)
			now := renderAll(t, b)
			for _, o := range render.Outputs {
				changed := !bytes.Equal(was[o.Name], now[o.Name])
				switch {
				case !mf.Printed && changed:
					t.Errorf("%s is not printed but changes the %s output", mf.Key, o.Name)
				case mf.Printed && !o.Extra && !changed:
					t.Errorf("%s is printed but the %s output is the same", mf.Key, o.Name)
				}
			}
		}
	})
}

// filled is a report of the fixture with every metadata field filled with
// a value of its own.
func filled() *schema.Report {
	r := fixture.Report(0, 2024)
	for i, mf := range schema.MetaFields {
		t := mf.Get(&r.Meta)
		switch mf.Kind {
		case schema.FieldYear:
			t.Value = "2024"
		case schema.FieldDate:
			t.Value = fmt.Sprintf("2025-01-%02d", 10+i)
		case schema.FieldChoice:
			if t.Value == "" {
				t.Value = mf.Choices[0]
			}
		default:
			t.Value = fmt.Sprintf("值%d之%s", i, mf.Key)
		}
	}
	return r
}

// other is another valid value for the field than v.
func other(mf *schema.Field, v string) string {
	switch mf.Kind {
	case schema.FieldYear:
		return "2023"
	case schema.FieldDate:
		return "2025-02-28"
	case schema.FieldChoice:
		for _, c := range mf.Choices {
			if c != v {
				return c
			}
		}
	}
	return v + "又改"
}

func sameFields(t *testing.T, what string, want, got *schema.Report) {
	t.Helper()
	for _, mf := range schema.MetaFields {
		if g, w := mf.Get(&got.Meta).Value, mf.Get(&want.Meta).Value; g != w {
			t.Errorf("%s: %s = %q, want %q", what, mf.Key, g, w)
		}
	}
}

func noFindings(t *testing.T, r *schema.Report) {
	t.Helper()
	for _, f := range r.Issues {
		t.Errorf("reading: %s %s %s", f.Rule, f.Location, f.Message)
	}
}

// metaFindings are the findings of r about its fields.
func metaFindings(r *schema.Report) []schema.Finding {
	var out []schema.Finding
	for _, f := range check.Run(r, check.Options{}) {
		if f.Rule == "META" {
			out = append(out, f)
		}
	}
	return out
}

// oldFile: a report read from a file without the field mf checks as the
// declaration says (META for a required field, nothing for another).
func oldFile(t *testing.T, mf *schema.Field, r *schema.Report) {
	t.Helper()
	fs := metaFindings(r)
	if named := len(fs) == 1 && strings.Contains(fs[0].Message, mf.Label); mf.Required != named || !mf.Required && len(fs) > 0 {
		t.Errorf("file without %s (required %v): %v", mf.Key, mf.Required, fs)
	}
}

func writeBook(t *testing.T, r *schema.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := workbook.Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readBook(t *testing.T, data []byte) *schema.Report {
	t.Helper()
	r, err := workbook.Read("r.xlsx", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// withoutRow is the workbook without the row of the field labelled label,
// as a workbook made before the field was declared: on the sheet whose
// column A holds the labels of every field.
func withoutRow(t *testing.T, data []byte, label string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows := map[string]int{}
		for _, mf := range schema.MetaFields {
			cells, _ := f.SearchSheet(sh, "^"+regexp.QuoteMeta(mf.Label)+"$", true)
			for _, c := range cells {
				if col, row, err := excelize.CellNameToCoordinates(c); err == nil && col == 1 {
					rows[mf.Label] = row
				}
			}
		}
		if len(rows) < len(schema.MetaFields) {
			continue
		}
		if err := f.RemoveRow(sh, rows[label]); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := f.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	t.Fatal("no sheet holds the labels of the fields")
	return nil
}

// renderAll renders r in every declared output format.
func renderAll(t *testing.T, r *schema.Report) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, o := range render.Outputs {
		var b bytes.Buffer
		if err := render.Render(&b, o.Name, r, render.Options{}); err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		out[o.Name] = b.Bytes()
	}
	return out
}
