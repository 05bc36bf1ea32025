package batch

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/yamlfile"
)

func TestSum(t *testing.T) {
	in := t.TempDir()
	var reps []*schema.Report
	for i := range 5 {
		r := fixture.Report(i, 2024)
		reps = append(reps, r)
		writeReport(t, in, fmt.Sprintf("r%d.yaml", i), r)
	}
	sum, sources, err := Sum(SumOptions{Dir: in, Agency: "某某市人民政府", Year: 2024, Level: "市"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) != 5 {
		t.Fatalf("%d sources", len(sources))
	}
	for _, tb := range schema.Current.Tables {
		for i, row := range tb.Rows {
			for j, c := range row.Cols {
				var want schema.Decimal
				for _, r := range reps {
					want, _ = want.Add(r.Tables[tb.ID].Values[i][j].Num)
				}
				got := sum.Tables[tb.ID].Values[i][j]
				if !got.OK() || got.Num.Cmp(want) != 0 {
					t.Errorf("%s %s %s = %v, want %v", tb.ID, row.Key, c.Key, got.Text(), want)
				}
			}
		}
	}
	if fee := sum.Cell("t2", "fees", "amount"); fee.Num.IsInt() && !allInt(reps) {
		t.Errorf("the 万元 amount lost its decimals: %s", fee.Text())
	}
	m := sum.Meta
	if m.Agency.Value != "某某市人民政府" || m.Year.Value != "2024" || m.Level.Value != "市" ||
		m.Scope.Value != string(schema.ScopeRegion) || m.Role.Value != string(schema.RoleGovernment) {
		t.Errorf("meta %+v", m)
	}
	// the sum passes the table checks
	for _, f := range check.Run(sum, check.Options{}) {
		if f.Severity == schema.Error && (strings.HasPrefix(f.Rule, "T3-") || strings.HasPrefix(f.Rule, "T4-") ||
			strings.HasPrefix(f.Rule, "CELL-") || f.Rule == "TABLE-MISSING") {
			t.Errorf("sum has a table error: %s %s", f.Rule, f.Message)
		}
	}
	tables, _ := TableFindings(sum.Format, check.Run(sum, check.Options{}))
	if n, _ := check.Count(tables); n > 0 {
		t.Errorf("TableFindings: %d errors: %v", n, tables)
	}
	// the sources survive a round trip through YAML
	back, err := yamlfile.Read("region.yaml", yamlfile.Write(sum))
	if err != nil {
		t.Fatal(err)
	}
	text := back.Narrative[sourcesSection(sum.Format)]
	if len(text) != 1 {
		t.Fatalf("sources paragraph lost: %v", text)
	}
	for _, r := range reps {
		if !strings.Contains(text[0].Text, r.Meta.Agency.Value) {
			t.Errorf("sources paragraph does not name %s: %s", r.Meta.Agency.Value, text[0].Text)
		}
	}
	if back.Meta.Scope.Value != string(schema.ScopeRegion) {
		t.Errorf("scope lost: %q", back.Meta.Scope.Value)
	}
	for id, d := range sum.Tables {
		for i := range d.Values {
			for j := range d.Values[i] {
				if a, b := d.Values[i][j].Text(), back.Tables[id].Values[i][j].Text(); a != b {
					t.Errorf("round trip %s[%d][%d]: %s → %s", id, i, j, a, b)
				}
			}
		}
	}
}

func allInt(rs []*schema.Report) bool {
	for _, r := range rs {
		if !r.Cell("t2", "fees", "amount").Num.IsInt() {
			return false
		}
	}
	return true
}

func TestSumRefuses(t *testing.T) {
	good := func(i int) *schema.Report { return fixture.Report(i, 2024) }
	tests := []struct {
		name  string
		files map[string]*schema.Report
		raw   map[string][]byte
		out   string // "" = outside
		want  []string
		not   []string // said once, not twice
	}{
		{name: "other year", files: map[string]*schema.Report{"a.yaml": good(0), "b.yaml": fixture.Report(1, 2023)},
			want: []string{"b.yaml", "2023"}},
		{name: "duplicate agency", files: map[string]*schema.Report{"a.yaml": good(0),
			"b.yaml": fixture.ReportOf(" "+strings.ReplaceAll(fixture.Agency(0), "1", "１"), 2024, 9)},
			want: []string{"b.yaml", "a.yaml", "同一机关"}},
		{name: "blank cell", files: map[string]*schema.Report{"a.yaml": good(0), "b.yaml": func() *schema.Report {
			r := good(1)
			*r.Cell("t3", "denied_secret", "research") = schema.Value{}
			return r
		}()}, want: []string{"b.yaml", "表三“（三）不予公开 1.属于国家秘密”·法人或其他组织·科研机构", "空白"},
			not: []string{"CELL-EMPTY", "有 1 个错误"}},
		{name: "missing table", files: map[string]*schema.Report{"a.yaml": good(0), "b.yaml": func() *schema.Report {
			r := good(1)
			delete(r.Tables, "t4")
			return r
		}()}, want: []string{"b.yaml", "表四"}},
		{name: "errors", files: map[string]*schema.Report{"a.yaml": good(0)},
			raw: map[string][]byte{"b.yaml": fixture.YAML(3, 2024)}, want: []string{"b.yaml", "错误", "nianbao check {dir}/b.yaml", "\n  b.yaml:"}},
		{name: "unreadable", files: map[string]*schema.Report{"a.yaml": good(0)},
			raw: map[string][]byte{"b.yaml": []byte("a: &a [*a]\n")}, want: []string{"b.yaml", "无法读取"}},
		{name: "output inside", files: map[string]*schema.Report{"a.yaml": good(0)}, out: "a.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := t.TempDir()
			for name, r := range tt.files {
				writeReport(t, in, name, r)
			}
			for name, b := range tt.raw {
				os.WriteFile(filepath.Join(in, name), b, 0o644)
			}
			opt := SumOptions{Dir: in, Agency: "某某市人民政府", Year: 2024}
			if tt.out != "" {
				opt.Out = filepath.Join(in, tt.out)
			}
			_, _, err := Sum(opt)
			if tt.out != "" {
				if !errors.Is(err, ErrOutInDir) {
					t.Fatalf("err %v, want ErrOutInDir", err)
				}
				return
			}
			var se *SumError
			if !errors.As(err, &se) {
				t.Fatalf("err %v, want a SumError", err)
			}
			for _, w := range tt.want {
				w = strings.ReplaceAll(w, "{dir}", in)
				if !strings.Contains(se.Error(), w) {
					t.Errorf("error does not say %q:\n%s", w, se.Error())
				}
			}
			for _, w := range tt.not {
				if strings.Contains(se.Error(), w) {
					t.Errorf("error says %q:\n%s", w, se.Error())
				}
			}
			if se.Files != 1 {
				t.Errorf("%d files with problems, want 1:\n%s", se.Files, se.Error())
			}
		})
	}
}

// TestSumMany sums 200 reports.
func TestSumMany(t *testing.T) {
	in := t.TempDir()
	for i := range 200 {
		writeReport(t, in, fmt.Sprintf("r%03d.yaml", i), fixture.Report(i, 2024))
	}
	sum, sources, err := Sum(SumOptions{Dir: in, Agency: "某某省人民政府", Year: 2024, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) != 200 {
		t.Fatalf("%d sources", len(sources))
	}
	tables, _ := TableFindings(sum.Format, check.Run(sum, check.Options{}))
	if n, _ := check.Count(tables); n > 0 {
		t.Errorf("%d table errors: %v", n, tables)
	}
}

// TestSumWorkbook: the sum written as a workbook reads back with the same
// cells and the sources paragraph.
func TestSumWorkbook(t *testing.T) {
	in := t.TempDir()
	for i := range 3 {
		writeReport(t, in, fmt.Sprintf("r%d.yaml", i), fixture.Report(i, 2024))
	}
	sum, _, err := Sum(SumOptions{Dir: in, Agency: "某某县人民政府", Year: 2024, Level: "县"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := template.Encode(&b, "region.xlsx", sum); err != nil {
		if strings.Contains(err.Error(), "not implemented") {
			t.Fatalf("template/workbook: %v", err)
		}
		t.Fatalf("template/workbook: %v", err)
	}
	back, err := template.Read("region.xlsx", b.Bytes())
	if err != nil {
		t.Fatalf("template/workbook cannot read its own sum: %v", err)
	}
	for id, d := range sum.Tables {
		for i := range d.Values {
			for j := range d.Values[i] {
				if a, b := d.Values[i][j].Text(), back.Cell(id, d.Table.Rows[i].Key, d.Table.Rows[i].Cols[j].Key).Text(); a != b {
					t.Errorf("%s[%d][%d]: %s → %s", id, i, j, a, b)
				}
			}
		}
	}
	key := sourcesSection(sum.Format)
	if got, want := back.Narrative[key], sum.Narrative[key]; len(got) != 1 || got[0].Text != want[0].Text {
		t.Errorf("sources paragraph: %v, want %v", got, want)
	}
	if back.Meta.Scope.Value != string(schema.ScopeRegion) || back.Meta.Role.Value != string(schema.RoleGovernment) {
		t.Errorf("meta lost: %+v", back.Meta)
	}
}

// TestSumOverflowInFileOrder: a sum too large to hold names the same file,
// the first one whose figures no longer fit, whatever order the workers
// finish in.
func TestSumOverflowInFileOrder(t *testing.T) {
	in := t.TempDir()
	for i := range 6 {
		r := fixture.Report(i, 2024)
		switch i {
		case 1: // one millionth of 万元 ...
			r.Cell("t2", "fees", "amount").SetNumber(schema.Decimal{Units: 1, Scale: 6})
		case 2, 4: // ... and 17 digits of 万元 cannot be added exactly
			r.Cell("t2", "fees", "amount").SetNumber(schema.Int(12345678901234567))
		}
		writeReport(t, in, fmt.Sprintf("r%d.yaml", i), r)
	}
	for _, jobs := range []int{1, 2, 6} {
		_, _, err := Sum(SumOptions{Dir: in, Agency: "某某市人民政府", Year: 2024, Level: "市", Jobs: jobs})
		var se *SumError
		if !errors.As(err, &se) {
			t.Fatalf("jobs %d: %v, want a SumError", jobs, err)
		}
		if got := strings.Join(se.Problems, "\n"); !strings.HasPrefix(got, "r2.yaml：") || !strings.Contains(got, "超出可表示的范围") || len(se.Problems) != 1 {
			t.Errorf("jobs %d: %q, want one problem naming r2.yaml", jobs, got)
		}
	}
}
