package pdf

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/render/internal/sample"
	"github.com/nianbao/nianbao/schema"
)

// Test reports built from the declaration and the seeds' real published
// text (/work/shared/seeds): narrative sections as published, tables filled
// with numbers from the declaration's rows and columns.

const seedDir = "/work/shared/seeds/"

type seed struct {
	file, agency, year, date string
}

var seeds = []seed{
	{"000_a778e050aa92ec58.txt", "白山市人民政府", "2022", "2023-01-20"},
	{"001_d54a5201509b67ef.txt", "厦门市翔安区人民政府办公室", "2020", "2021-01-05"},
	{"003_333e33f0e39a8a89.txt", "乳山市乳山寨镇人民政府", "2022", "2023-01-30"},
}

var (
	sectionRe = regexp.MustCompile(`^([一二三四五六])、`)
	dateRe    = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日$`)
	junkRe    = regexp.MustCompile(`^[\d.%\s]*$|^(上一篇|下一篇|信息内容|•)`)
	// published text often has ASCII punctuation where the report had full-width
	fullWidth = strings.NewReplacer(",", "，", "(", "（", ")", "）", ";", "；", "?", "？", "!", "！")
)

// seedReport reads a seed's narrative into a report.
func seedReport(t testing.TB, s seed) *schema.Report {
	t.Helper()
	data, err := os.ReadFile(seedDir + s.file)
	if err != nil {
		t.Fatalf("seed %s: %v", s.file, err)
	}
	r := testReport(s.agency, s.year, s.date)
	f := r.Format
	var cur *schema.Section
	lineNo := 0
	for _, ln := range strings.Split(string(data), "\n") {
		lineNo++
		ln = strings.TrimSpace(ln)
		if ln == "" || strings.Contains(ln, "|") || junkRe.MatchString(ln) {
			continue
		}
		if m := sectionRe.FindStringSubmatch(ln); m != nil {
			for _, sec := range f.Sections {
				if sec.Number == m[1] {
					cur = sec
				}
			}
			continue
		}
		if dateRe.MatchString(ln) || ln == s.agency || strings.HasPrefix(ln, "扫一扫") {
			cur = nil
			continue
		}
		if cur == nil || cur.Kind != schema.Narrative {
			continue
		}
		ln = fullWidth.Replace(ln)
		b := schema.Block{Kind: schema.Paragraph, Text: ln, Loc: schema.Location{File: s.file, Line: lineNo, Col: 1}}
		if strings.HasPrefix(ln, "（") && len([]rune(ln)) < 24 {
			b.Kind = schema.Heading
		}
		r.Narrative[cur.Key] = append(r.Narrative[cur.Key], b)
	}
	return r
}

// testReport returns a report with its fields and tables filled.
func testReport(agency, year, date string) *schema.Report {
	r := schema.NewReport(nil)
	r.Source = "report.yaml"
	loc := func(line int) schema.Location { return schema.Location{File: "report.yaml", Line: line, Col: 9} }
	m := &r.Meta
	m.Agency = schema.Text{Value: agency, Loc: loc(2)}
	m.Year = schema.Text{Value: year, Loc: loc(3)}
	m.Published = schema.Text{Value: date, Loc: loc(7)}
	m.Website = schema.Text{Value: "http://www.example.gov.cn/zwgk/xxgkml/xxgknb/index.html", Loc: loc(8)}
	m.Contact.Office = schema.Text{Value: agency + "办公室", Loc: loc(10)}
	m.Contact.Address = schema.Text{Value: "人民路1号", Loc: loc(11)}
	m.Contact.Postcode = schema.Text{Value: "100000", Loc: loc(12)}
	m.Contact.Phone = schema.Text{Value: "010-12345678", Loc: loc(13)}
	for i, t := range r.Format.Tables {
		d := schema.NewTableData(t)
		d.Loc = loc(40 + 30*i)
		for ri, row := range t.Rows {
			for ci, col := range row.Cols {
				n := int64((ri*7+ci*3+i)%23) * int64(1+ri%3)
				if col.Kind == schema.Amount {
					d.Values[ri][ci].SetNumber(schema.Decimal{Units: n*10 + 5, Scale: 1})
				} else {
					d.Values[ri][ci].SetNumber(schema.Int(n))
				}
				d.Values[ri][ci].Loc = schema.Location{File: "report.yaml", Line: 41 + 30*i + ri, Col: 12 + 3*ci}
			}
		}
		r.Tables[t.ID] = d
	}
	return r
}

// narrativeText is the non-space character sequence of the report's
// narrative paragraphs and sub-headings, in order.
func narrativeText(r *schema.Report) string {
	var b strings.Builder
	for _, p := range r.IntroText() {
		b.WriteString(p)
	}
	for _, s := range r.Format.Sections {
		for _, bl := range r.Narrative[s.Key] {
			b.WriteString(bl.Text)
		}
	}
	return noSpace(b.String())
}

func noSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\n' || r == '\t' || r == '\f' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// BenchmarkPDF renders the full sample report (render/internal/sample, the
// report every renderer's benchmark uses) in-process; target ≤ 10 ms
// median. The bundled fonts are parsed once per process, before timing.
// cpu-ns/op is CPU time per report (user + system, GC included); on a
// shared machine ns/op also counts the time spent waiting for a CPU.
func BenchmarkPDF(b *testing.B) {
	benchRender(b, sample.Report())
}

// BenchmarkPDFExamples renders each example report.
func BenchmarkPDFExamples(b *testing.B) {
	for name, r := range sample.Examples(b) {
		b.Run(name, func(b *testing.B) { benchRender(b, r) })
	}
}

func benchRender(b *testing.B, r *schema.Report) {
	var buf bytes.Buffer
	if err := Render(&buf, r, Options{}); err != nil { // fonts parsed once per process
		b.Fatal(err)
	}
	cpu := cpuTime()
	n := 0
	for b.Loop() {
		buf.Reset()
		if err := Render(&buf, r, Options{}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(n), "cpu-ns/op")
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}
