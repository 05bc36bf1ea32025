package batch

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestRollup: 乡镇 → 县 → 市 level by level. A city's folder holds a city
// department's report and a county's folder, which holds the county's own
// 本级政府 report, a county department's and a township's folder with the
// township's 汇总 and the reports it sums. Summing the county, then the
// city, adds each report once (a 汇总 stands for its folder, a 本级 beside
// its body's 汇总 is in it), and batch --children compares each 汇总 with
// the units below it: silent while they agree, SUM-CHILDREN on the 汇总
// whose figure was typed by hand and on the 汇总 above it.
func TestRollup(t *testing.T) {
	root := t.TempDir()
	city := filepath.Join(root, "城南市")
	county := filepath.Join(city, "城南县")
	town := filepath.Join(county, "城关镇")
	units := map[string]*schema.Report{}
	add := func(dir, name, agency string, scope schema.Scope, level schema.Level, seed uint64) {
		r := fixture.ReportOf(agency, 2024, seed)
		r.Meta.Scope.Value, r.Meta.Level.Value = string(scope), string(level)
		if scope != schema.ScopeAgency {
			r.Meta.Role.Value = string(schema.RoleGovernment)
		}
		writeReport(t, dir, name, r)
		units[agency] = r
	}
	add(town, "镇本级.yaml", "城关镇人民政府", schema.ScopeGovernment, schema.LevelTownship, 1)
	add(town, "镇站所.yaml", "城关镇财政所", schema.ScopeAgency, schema.LevelTownship, 2)
	add(county, "县本级.yaml", "城南县人民政府", schema.ScopeGovernment, schema.LevelCounty, 3)
	add(county, "县甲局.yaml", "城南县甲局", schema.ScopeAgency, schema.LevelCounty, 4)
	add(city, "市乙局.yaml", "城南市乙局", schema.ScopeAgency, schema.LevelCity, 5)
	licensing := func(r *schema.Report) int64 {
		v := r.Cell("t2", "licensing", "decisions")
		if !v.OK() {
			t.Fatalf("licensing of %s: %+v", r.Meta.Agency.Value, v)
		}
		return v.Num.Units // a count: scale 0
	}
	want := func(names ...string) int64 {
		var n int64
		for _, a := range names {
			n += licensing(units[a])
		}
		return n
	}
	sumInto := func(dir, agency string, level schema.Level, wantAdded int, wantFig int64) {
		t.Helper()
		r, sources, err := Sum(SumOptions{Dir: dir, Agency: agency, Year: 2024, Level: string(level)})
		if err != nil {
			t.Fatalf("sum %s: %v", dir, err)
		}
		added := 0
		for _, s := range sources {
			if s.Covered == "" {
				added++
			}
		}
		if added != wantAdded || licensing(r) != wantFig {
			t.Fatalf("sum %s: %d added, licensing %d; want %d, %d: %+v", dir, added, licensing(r), wantAdded, wantFig, sources)
		}
		writeReport(t, dir, "汇总.yaml", r)
	}
	all := []string{"城关镇人民政府", "城关镇财政所", "城南县人民政府", "城南县甲局", "城南市乙局"}
	sumInto(town, "城关镇人民政府", schema.LevelTownship, 2, want(all[:2]...))
	// the county: its 本级, its department and the township's 汇总 (not the
	// township's own reports again)
	sumInto(county, "城南县人民政府", schema.LevelCounty, 3, want(all[:4]...))
	// the city: its department and the county's 汇总 alone
	sumInto(city, "城南市人民政府", schema.LevelCity, 2, want(all...))

	run := func() *Summary {
		t.Helper()
		sum, err := Run(Options{Dir: city, Out: filepath.Join(root, "out"), Children: true, Jobs: 2, Progress: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	notes := func(sum *Summary, file string) string {
		for _, r := range sum.Rows {
			if r.File == file {
				return strings.Join(r.Notes, "；") + " " + string(r.Status)
			}
		}
		t.Fatalf("no row %s", file)
		return ""
	}
	page := func(sum *Summary, file string) string {
		for _, r := range sum.Rows {
			if r.File == file {
				b, err := os.ReadFile(filepath.Join(root, "out", filepath.FromSlash(r.Page)))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
		}
		return ""
	}
	sum := run()
	for file, want := range map[string]string{
		"汇总.yaml":          "已与下级 2 份报告逐格核对（SUM-CHILDREN），另有 5 份已由其中的汇总报告汇总，未重复计入",
		"城南县/汇总.yaml":      "已与下级 3 份报告逐格核对（SUM-CHILDREN），另有 2 份已由其中的汇总报告汇总，未重复计入",
		"城南县/城关镇/汇总.yaml":  "已与下级 2 份报告逐格核对（SUM-CHILDREN）",
		"城南县/县本级.yaml":     "可发布",
		"城南县/城关镇/镇本级.yaml": "可发布", // not a duplicate of the township's 汇总
	} {
		if got := notes(sum, file); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", file, got, want)
		}
	}
	for _, r := range sum.Rows {
		if strings.Contains(page(sum, r.File), "下级") && strings.Contains(page(sum, r.File), "份报告之和为") {
			t.Errorf("%s: a SUM-CHILDREN finding on a roll-up made by nianbao sum", r.File)
		}
	}

	// the county's 汇总 edited by hand: it disagrees with its units, and the
	// city's 汇总 with it
	p := filepath.Join(county, "汇总.yaml")
	b, _ := os.ReadFile(p)
	r, err := yamlfile.Read(p, b)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Cell("t2", "licensing", "decisions")
	c.SetNumber(schema.Int(licensing(r) + 1))
	c.Raw = c.Num.String()
	writeReport(t, county, "汇总.yaml", r)
	sum = run()
	for _, file := range []string{"城南县/汇总.yaml", "汇总.yaml"} {
		if !strings.Contains(page(sum, file), "SUM-CHILDREN") || !strings.Contains(page(sum, file), "份报告之和为") {
			t.Errorf("%s: no SUM-CHILDREN finding for the figure typed by hand", file)
		}
	}
	if strings.Contains(page(sum, "城南县/城关镇/汇总.yaml"), "份报告之和为") {
		t.Errorf("the township's 汇总 is flagged for the county's mistake")
	}
}
