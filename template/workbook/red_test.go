package workbook

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// cellRefRe finds the places a finding's message names: （表三!D5）, （D6）,
// （表三!D5，应为 39）.
var cellRefRe = regexp.MustCompile(`（(?:(表[二三四])!)?([A-Z]{1,3}[0-9]+)[），]`)

// namedCells are the workbook cells the findings of r name: their
// locations and the cells their messages quote.
func namedCells(r *schema.Report) []string {
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, f := range check.Run(r, check.Options{}) {
		if f.Location.Sheet == "" || f.Location.Cell == "" || r.Format.Section(f.Section) == nil || r.Format.Section(f.Section).Kind != schema.TableSection {
			continue // the text sheets have no red cells
		}
		add(f.Location.String())
		for _, l := range f.Related {
			add(l.String())
		}
		sheet := f.Location.Sheet
		for _, m := range cellRefRe.FindAllStringSubmatch(f.Message, -1) {
			if m[1] != "" {
				sheet = m[1]
			}
			add(sheet + "!" + m[2])
		}
	}
	slices.Sort(out)
	return out
}

// TestLibreOfficeRed: filled in LibreOffice the way a person types, the
// workbook shows red exactly the cells the findings name: a number typed as
// text is red itself (and no total that leaves it out turns red), and a
// wrong 四、结转下年度继续办理 turns red the cells of the relations that its
// finding lists.
func TestLibreOfficeRed(t *testing.T) {
	need(t, "soffice")
	if err := exec.Command(python, "-c", "import uno").Run(); err != nil {
		t.Fatalf("%s cannot import uno (python3-uno is needed; make deps installs it): %v", python, err)
	}
	f := schema.Current
	t3 := f.Table("t3")
	var p3 *tablePlan
	for _, p := range plans(f) {
		if p.t == t3 {
			p3 = p
		}
	}
	wrongCell := p3.sheet + "!" + p3.at[[2]int{t3.RowIndex("carried_forward"), 0}].ref()
	tests := []struct {
		name  string
		plan  func([]fillCell) []fillCell
		texts bool // numbers typed as text (typedAsText)
	}{
		{"numbers typed as text", nil, true},
		{"a wrong 四 typed as a number", func(cs []fillCell) []fillCell {
			for i := range cs {
				if cs[i][0]+"!"+cs[i][1] == wrongCell {
					cs[i][2] = "3" // 2 in the fixture
				}
			}
			return cs
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := readYAML(t, "testdata/filled.yaml")
			saved := typedAsText
			if !tt.texts {
				typedAsText = map[string]string{}
			}
			plan := fillPlan(want)
			typedAsText = saved
			if tt.plan != nil {
				plan = tt.plan(plan)
			}
			blank := writeTemp(t, "template.xlsx", write(t, schema.NewReport(nil)))
			b, _ := json.Marshal(plan)
			planPath := writeTemp(t, "plan.json", b)
			dir := t.TempDir()
			out, redPath := filepath.Join(dir, "filled.xlsx"), filepath.Join(dir, "red.json")
			runProg(t, python, "testdata/fill_uno.py", blank, planPath, out, redPath)
			var red []string
			rb, err := os.ReadFile(redPath)
			if err != nil || json.Unmarshal(rb, &red) != nil {
				t.Fatalf("red cells: %v %s", err, rb)
			}
			slices.Sort(red)
			named := namedCells(readFile(t, out))
			if len(red) == 0 || strings.Join(red, " ") != strings.Join(named, " ") {
				t.Errorf("LibreOffice shows red:\n%s\nthe findings name:\n%s", strings.Join(red, " "), strings.Join(named, " "))
			}
		})
	}
}
