package check_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/schematest"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/published"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// textRules are the rules that read the narrative, tried on real prose.
var textRules = []string{"TEXT-NUMBER", "TEXT-THIN", "TEXT-YEAR", "TEXT-SPACE", "TEXT-STALE", "SECTION-ORDER", "TEXT-AREAS", "TEXT-FEE", "HEADING"}

// realFindings runs the checker on the real reports (their narrative cut
// out of the crawler text, their tables as read by hand) and on the seeds
// as the importer reads them, and returns the findings of the text rules as
// "file RULE message" lines.
func realFindings(t *testing.T) []string {
	var out []string
	keep := func(name string, fs []schema.Finding) {
		for _, f := range fs {
			for _, id := range textRules {
				if f.Rule == id {
					out = append(out, name+" "+f.Rule+" "+f.Message)
				}
			}
		}
	}
	for _, rr := range schematest.RealReports(t) {
		keep(rr.Name, check.Run(rr.Report, check.Options{}))
	}
	seeds, _ := filepath.Glob("../../template/published/testdata/seeds/*.txt")
	reals, _ := filepath.Glob(filepath.Join(schematest.RealDir(), "*.txt"))
	if len(seeds) != 5 || len(reals) != 8 {
		t.Fatalf("seeds: %v, real reports: %v", seeds, reals)
	}
	for _, f := range append(seeds, reals...) {
		r, err := template.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if !strings.HasPrefix(name, "0") {
			name = "imported " + name
		}
		keep(name, check.Run(r, check.Options{}))
	}
	return out
}

// TestRealText: the text rules on real prose flag what is wrong in it and
// nothing else, and so does the importer's reading of the same reports:
// importing each of the 8 real reports and the 5 seeds gives no finding
// (HEADING included) that the report as published does not deserve. Every line below is a real defect of the published text,
// or (marked) a limit of the test data; a new line is a false alarm unless
// shown otherwise.
func TestRealText(t *testing.T) {
	want := []string{
		"h2-001_pingtan_zone_2025.txt TEXT-SPACE 正文第 215 个字处多余的空格（“咨询等渠道， 完善智能问答”）", // a stray space after ，
		"h2-013_nppa_2022_partial.txt TEXT-AREAS",    // an excerpt cut after 2,000 bytes
		"h2-014_xuwen_sfj_partial.txt TEXT-AREAS",    // an excerpt cut after 2,000 bytes
		"000.txt TEXT-STALE 引用了已被替代的国办公开办函〔2019〕60号", // as published
		"000.txt TEXT-STALE 网址 http://xxgk.cbs.gov.cn/szf/ndbg/2020j/",
		"000.txt TEXT-AREAS",
		"000.txt TEXT-FEE", // 六 says only 无。
		"001.txt TEXT-NUMBER 正文写“予以公开15件”，但表三“（一）予以公开”总计为 16", // the report contradicts itself
		"003.txt HEADING", // （一）（二）（二）
		// the same real reports as the importer reads them today
		"imported h2-001_pingtan_zone_2025.txt TEXT-SPACE 正文第 215 个字处多余的空格",
		"imported h2-013_nppa_2022_partial.txt TEXT-AREAS",
		"imported h2-014_xuwen_sfj_partial.txt TEXT-AREAS",
	}
	got := realFindings(t)
	if len(got) != len(want) {
		t.Fatalf("%d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range got {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d:\n%s\nwant\n%s…", i, got[i], want[i])
		}
	}
}

// TestRealTextPlanted: a mistake planted in real prose is caught.
func TestRealTextPlanted(t *testing.T) {
	tests := []struct{ file, old, new, rule string }{
		{"h2-001_pingtan_zone_2025.txt", "共办结148件", "共办结147件", "TEXT-NUMBER"},
		{"h2-001_pingtan_zone_2025.txt", "结转至2026年6件", "结转至2026年5件", "TEXT-NUMBER"},
		{"h2-001_pingtan_zone_2025.txt", "行政诉讼9起", "行政诉讼8起", "TEXT-NUMBER"},
		{"h2-001_pingtan_zone_2025.txt", "全区共收到政府信息公开申请154件", "全区共收到政府信息公开申请155件", "TEXT-NUMBER"},
		{"h2-007_pingtan_xzspj_2023.txt", "及时规范答复7件", "及时规范答复6件", "TEXT-NUMBER"},
		{"h2-012_pingtan_gwhbgs_2024.txt", "全年收到政府信息公开申请19件", "全年收到政府信息公开申请18件", "TEXT-NUMBER"},
		{"h2-006_pingtan_gaj_2024.txt", "（一）主动公开方面。2024年，我局", "（一）主动公开方面。我局。2023年，我局", "TEXT-YEAR"},
		{"h2-006_pingtan_gaj_2024.txt", "全年累计主动公开", "本年度（2023年）累计主动公开", "TEXT-YEAR"},
		{"h2-001_pingtan_zone_2025.txt", "咨询等渠道，", "咨询等渠道，  ", "TEXT-SPACE"},
	}
	for _, tt := range tests {
		var r *schema.Report
		for _, rr := range schematest.RealReports(t) { // afresh: no plant leaks into the next case
			if rr.Name == tt.file {
				r = rr.Report
			}
		}
		planted := false
		narrative := func(bs []schema.Block) {
			for i := range bs {
				if !planted && strings.Contains(bs[i].Text, tt.old) {
					bs[i].Text = strings.Replace(bs[i].Text, tt.old, tt.new, 1)
					planted = true
				}
			}
		}
		narrative(r.Intro)
		for _, bs := range r.Narrative {
			narrative(bs)
		}
		if !planted {
			t.Fatalf("%s has no %q", tt.file, tt.old)
		}
		n := 0
		for _, f := range check.Run(r, check.Options{}) {
			if f.Rule == tt.rule {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s: %q → %q: no %s finding", tt.file, tt.old, tt.new, tt.rule)
		}
	}
}

// TestSectionOrder: a published report whose main headings are
// misnumbered, repeated or out of order gets one SECTION-ORDER finding at
// the heading; the seed as published gets none.
func TestSectionOrder(t *testing.T) {
	seed := string(load(t, "../../template/published/testdata/seeds/002.txt"))
	const four = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n"
	const five = "五、政府信息公开工作存在的主要问题及改进情况\n"
	i, j := strings.Index(seed, four), strings.Index(seed, five)
	k := j + len(five)
	k += strings.Index(seed[k:], "六、")
	tests := []struct {
		name string
		text string
		want string // in the SECTION-ORDER message; "" = no finding
	}{
		{"as published", seed, ""},
		{"misnumbered", strings.Replace(seed, five, "四、政府信息公开工作存在的主要问题及改进情况\n", 1), "编号应为“五、”"},
		{"repeated", strings.Replace(seed, five, four+five, 1), "重复出现"},
		{"out of order", seed[:i] + seed[j:k] + seed[i:j] + seed[k:], "排在“五、存在的主要问题及改进情况”之后"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := published.ReadText("002.txt", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			var got []schema.Finding
			var rules []string
			for _, f := range check.Run(r, check.Options{}) {
				rules = append(rules, f.Rule)
				if f.Rule == "SECTION-ORDER" {
					got = append(got, f)
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Fatalf("unexpected: %+v", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0].Message, tt.want)):
				t.Fatalf("want one finding saying %q, got %+v (rules %v)", tt.want, got, rules)
			}
			if tt.name == "misnumbered" && slices.Contains(rules, "SECTION-MISSING") {
				t.Errorf("a misnumbered 五 still opens its section: %v", rules)
			}
			// imported into YAML, the file keeps what SECTION-ORDER needs:
			// the same finding, at the import record's entry
			b := bytes.NewBuffer(yamlfile.Write(r))
			if has := strings.Contains(b.String(), "  headings:"); has != (tt.want != "") {
				t.Errorf("headings kept in the YAML: %v, want %v", has, tt.want != "")
			}
			y := read(t, "002.yaml", b.Bytes())
			var again []schema.Finding
			for _, f := range check.Run(y, check.Options{}) {
				if f.Rule == "SECTION-ORDER" {
					again = append(again, f)
				}
			}
			if len(again) != len(got) || (len(got) > 0 && (again[0].Message != got[0].Message || again[0].Location.File != "002.yaml" || again[0].Location.Line == 0)) {
				t.Errorf("through YAML: %+v, want %+v at 002.yaml", again, got)
			}
			// and the YAML written again from it keeps them
			if b2 := yamlfile.Write(y); string(b2) != b.String() {
				t.Errorf("YAML → YAML changed the import record:\n%s", b2)
			}
			// and so does the workbook, on its 导入记录 sheet
			var x bytes.Buffer
			if err := template.Encode(&x, "002.xlsx", r); err != nil {
				t.Fatal(err)
			}
			wb, err := template.Read("002.xlsx", x.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			var inBook []schema.Finding
			for _, f := range check.Run(wb, check.Options{}) {
				if f.Rule == "SECTION-ORDER" {
					inBook = append(inBook, f)
				}
			}
			if len(inBook) != len(got) || (len(got) > 0 && (inBook[0].Message != got[0].Message || inBook[0].Location.Sheet == "")) {
				t.Errorf("through the workbook: %+v, want %+v on a sheet", inBook, got)
			}
		})
	}
}

// TestRealTextThin: 五 of each real report cut to "无。" is TEXT-THIN (as
// published, TestRealText pins that none of them is).
func TestRealTextThin(t *testing.T) {
	tried := 0
	for _, rr := range schematest.RealReports(t) {
		if len(rr.Report.Narrative["problems"]) == 0 {
			continue // an excerpt cut before 五
		}
		tried++
		rr.Report.Narrative["problems"] = []schema.Block{{Kind: schema.Paragraph, Text: "无。"}}
		n := 0
		for _, f := range check.Run(rr.Report, check.Options{}) {
			if f.Rule == "TEXT-THIN" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: 五 “无。” gives %d TEXT-THIN findings, want 1", rr.Name, n)
		}
	}
	t.Logf("%d real reports with a 五", tried)
	if tried < 5 {
		t.Fatalf("only %d real reports have a 五", tried)
	}
}
