package template

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestImportRecordSurvives: what the import learnt is written into the
// YAML and read back, so check on the written file reports the old format,
// the unread cells and the splits again, at the YAML's import entries,
// naming the place in the original; where each row was printed stays too.
// The workbook keeps the same record on its 导入记录 sheet.
func TestImportRecordSurvives(t *testing.T) {
	tests := []struct {
		file  string
		rules []string
	}{
		{"published/testdata/seeds/001.txt", []string{"OLD-FORMAT", "IMPORT-UNMAPPED"}},
		{"published/testdata/real/h2-001_pingtan_zone_2025.txt", []string{"IMPORT", "IMPORT-SPLIT"}},
		{"published/testdata/pdf/chengnan-2024-libreoffice.pdf", nil},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Read(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Imported == nil {
				t.Fatal("no import record")
			}
			y := yamlfile.Write(rep)
			back, err := yamlfile.Read("r.yaml", y)
			if err != nil {
				t.Fatal(err)
			}
			if back.Imported == nil || len(back.Imported.Findings) != len(rep.Imported.Findings) || len(back.Imported.Rows) != len(rep.Imported.Rows) {
				t.Fatalf("record not read back: %+v", back.Imported)
			}
			section := func(b []byte) string { return string(b[strings.Index(string(b), "\nimport:"):]) }
			if again := yamlfile.Write(back); section(again) != section(y) {
				t.Error("the record does not round-trip byte for byte")
			}
			// and through the workbook: the 导入记录 sheet
			var x bytes.Buffer
			if err := Encode(&x, "r.xlsx", rep); err != nil {
				t.Fatal(err)
			}
			wb, err := Read("r.xlsx", x.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if wb.Imported == nil || section(yamlfile.Write(wb)) != section(y) {
				t.Errorf("the workbook does not keep the record: %+v", wb.Imported)
			}
			for _, c := range []struct {
				rep  *schema.Report
				file string
			}{{back, "r.yaml"}, {wb, "r.xlsx"}} {
				got := map[string]int{}
				for _, f := range check.Run(c.rep, check.Options{}) {
					if f.Location.File == c.file && strings.Contains(f.Message, "导入时发现") {
						got[f.Rule]++
					}
				}
				for _, r := range tt.rules {
					if got[r] == 0 {
						t.Errorf("check on the written %s does not report %s again (got %v)", c.file, r, got)
					}
				}
				if len(tt.rules) == 0 && len(got) != 0 {
					t.Errorf("findings %v from a clean import", got)
				}
			}
			if at := back.Imported.Rows[schema.RowKey("t3", "received")]; at == "" {
				t.Error("where 表三 一 was printed is lost")
			} else if strings.HasSuffix(tt.file, ".pdf") && !strings.Contains(at, "页") {
				t.Errorf("PDF row place %q has no page", at)
			}
		})
	}
}

// TestInferredTownship: a township's imported report gets 乡镇 and 政府
// from its name, marked as inferred, so RULE-POWER speaks when it lists 规章.
func TestInferredTownship(t *testing.T) {
	rep, err := Open("published/testdata/seeds/003.txt")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Meta.Level.Value != string(schema.LevelTownship) || rep.Meta.Role.Value != string(schema.RoleGovernment) {
		t.Fatalf("level, role = %q, %q", rep.Meta.Level.Value, rep.Meta.Role.Value)
	}
	if rep.Imported.Inferred["level"] == "" || !strings.Contains(string(yamlfile.Write(rep)), "推断") {
		t.Error("not marked as inferred")
	}
	rep.Cell("t2", "rules", "issued").SetNumber(schema.Int(1))
	power := false
	for _, f := range check.Run(rep, check.Options{}) {
		power = power || f.Rule == "RULE-POWER"
	}
	if !power {
		t.Error("RULE-POWER silent on a township listing 规章")
	}
}
