package template

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestSeedThroughWorkbook: the imported seed 004, whose 四 carries a
// paragraph printed before 表四, converts YAML → xlsx → YAML byte for byte,
// the import record (the workbook's 导入记录 sheet) included.
func TestSeedThroughWorkbook(t *testing.T) {
	r, err := Open("/work/shared/seeds/004_b1df9876efc5485e.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Narrative["appeals"]) == 0 {
		t.Fatal("seed 004: no text before 表四 imported")
	}
	y, err := Read("r.yaml", yamlfile.Write(r))
	if err != nil {
		t.Fatal(err)
	}
	if y.Imported == nil {
		t.Fatal("seed 004: no import record")
	}
	want := yamlfile.Write(y)
	var x bytes.Buffer
	if err := Encode(&x, "r.xlsx", y); err != nil {
		t.Fatal(err)
	}
	back, err := Read("r.xlsx", x.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range back.Issues {
		if !strings.Contains(f.Message, "导入时发现") { // the import's own, again
			t.Errorf("finding: %s %s %s", f.Location, f.Rule, f.Message)
		}
	}
	if got := yamlfile.Write(back); !bytes.Equal(got, want) {
		t.Errorf("YAML → xlsx → YAML changed the report:\n%s\n---\n%s", want, got)
	}
}
