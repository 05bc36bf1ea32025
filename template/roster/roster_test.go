package roster_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// label is the header label of a roster field, from the declaration.
func label(key string) string { return schema.RosterFieldOf(key).Label }

// header joins the labels of the given keys with sep.
func header(sep string, keys ...string) string {
	var ls []string
	for _, k := range keys {
		ls = append(ls, label(k))
	}
	return strings.Join(ls, sep)
}

var (
	ag, lv, rl, pa, co = schema.RosterAgency, schema.RosterLevel, schema.RosterRole, schema.RosterParent, schema.RosterContact
	all                = []string{ag, lv, rl, pa, co}
)

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func utf16le(s string) []byte {
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// units returns each unit's fields as "agency|level|role|parent|contact".
func units(r *roster.Roster) []string {
	var out []string
	for _, u := range r.Units {
		var fs []string
		for _, k := range all {
			fs = append(fs, u.Get(k))
		}
		out = append(out, strings.Join(fs, "|"))
	}
	return out
}

func TestReadCSV(t *testing.T) {
	body := "城南县市场监督管理局,县,部门,城南县人民政府,张三 0000-1234567\r\n城南县人民政府,县,政府,,\r\n"
	want := []string{"城南县市场监督管理局|县|部门|城南县人民政府|张三 0000-1234567", "城南县人民政府|县|政府||"}
	for _, tt := range []struct {
		name string
		data []byte
		want []string
	}{
		{"utf-8", []byte(header(",", all...) + "\r\n" + body), want},
		{"utf-8 with BOM", []byte("\uFEFF" + header(",", all...) + "\n" + body), want},
		{"GBK", gbk(header(",", all...) + "\r\n" + body), want},
		{"UTF-16 tab separated (Excel Unicode text)", utf16le(header("\t", all...) + "\r\n" + strings.ReplaceAll(body, ",", "\t")), want},
		{"columns in another order", []byte(header(",", rl, co, ag, lv) + "\n部门,李四,城南县教育局,县\n"), []string{"城南县教育局|县|部门||李四"}},
		{"optional columns left out", []byte(header(",", ag, lv, rl) + "\n城南县教育局,县,部门\n"), []string{"城南县教育局|县|部门||"}},
		{"a title row above the header, blank rows, an extra column", []byte("2024年度应报单位名单,,,\n\n序号," + header(",", ag, lv, rl) + "\n1,城南县教育局,县,部门\n,,,\n2, 城南县财政局 ,县,部门\n"),
			[]string{"城南县教育局|县|部门||", "城南县财政局|县|部门||"}},
		{"marked header labels", []byte("*" + label(ag) + "," + label(lv) + "（必填）," + label(rl) + "*\n城南县教育局,县,部门\n"), []string{"城南县教育局|县|部门||"}},
		{"quoted field with a line break", []byte(header(",", ag, lv, rl, co) + "\n城南县教育局,县,部门,\"王五\n电话 123\"\n"), []string{"城南县教育局|县|部门||王五 电话 123"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := roster.Read("名单.csv", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := units(r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("units\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadCSVProblems(t *testing.T) {
	h := header(",", ag, lv, rl) + "\n"
	for _, tt := range []struct {
		name string
		data []byte
		want []string // substrings of the error, in order
	}{
		{"no header", []byte("名称,级别\n城南县教育局,县\n"), []string{"没有找到表头行", label(ag), label(lv), label(rl)}},
		{"required field blank", []byte(h + "城南县教育局,,部门\n"), []string{"名单.csv:2：没有填写“" + label(lv) + "”"}},
		{"bad choice", []byte(h + "城南县教育局,县级,部门\n"), []string{"名单.csv:2：“" + label(lv) + "”填的是“县级”，应为", "乡镇"}},
		{"agency blank", []byte(h + ",县,部门\n"), []string{"名单.csv:2：没有填写“" + label(ag) + "”"}},
		{"duplicate unit, spelt differently", []byte(h + "城南县（教育局）,县,部门\n城南县 (教育局),县,部门\n"), []string{"名单.csv:3：“城南县 (教育局)”在名单中出现了两次（另一次在 名单.csv:2）"}},
		{"duplicate header column", []byte(h[:len(h)-1] + "," + label(ag) + "\n城南县教育局,县,部门,x\n"), []string{"出现了两次"}},
		{"no units", []byte(h), []string{"表头下面没有任何单位"}},
		{"field too long", []byte(h + strings.Repeat("局", 300) + ",县,部门\n"), []string{"过长"}},
		{"not UTF-8 nor GBK", []byte(h + "\xff\xfe\xfd,县,部门\n"), []string{"既不是 UTF-8 也不是 GBK"}},
		{"binary", []byte("\x00\x01\x02PDF"), []string{"不是文字文件"}},
		{"old Excel", nil, []string{"旧版 Excel"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			name := "名单.csv"
			if tt.data == nil {
				name = "名单.xls"
			}
			_, err := roster.Read(name, tt.data)
			if err == nil {
				t.Fatal("read without error")
			}
			if !errors.Is(err, schema.ErrUnusable) {
				t.Errorf("error %v does not wrap ErrUnusable", err)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error %q lacks %q", msg, w)
				}
				at += i
			}
		})
	}
}

func TestProblemsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(header(",", ag, lv, rl) + "\n")
	for range 500 {
		b.WriteString("某局,县级,部门\n")
	}
	_, err := roster.Read("名单.csv", []byte(b.String()))
	var re *roster.Error
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *roster.Error", err)
	}
	if len(re.Problems) != roster.MaxProblems || re.More == 0 {
		t.Errorf("%d problems listed, %d more; want %d listed and the rest counted", len(re.Problems), re.More, roster.MaxProblems)
	}
}

func TestWorkbookTemplate(t *testing.T) {
	var a, b bytes.Buffer
	if err := roster.WriteTemplate(&a, "名单.xlsx"); err != nil {
		t.Fatal(err)
	}
	if err := roster.WriteTemplate(&b, "名单.xlsx"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two templates differ")
	}
	// an empty template is refused with the reason
	if _, err := roster.Read("名单.xlsx", a.Bytes()); err == nil || !strings.Contains(err.Error(), "没有任何单位") {
		t.Errorf("empty template: %v", err)
	}
	// filled in Excel: the header row as written, values typed below it
	x, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	for c, k := range all {
		v, _ := x.GetCellValue(roster.SheetName, string(rune('A'+c))+"1")
		if v != label(k) {
			t.Errorf("header %c1 = %q, want %q", 'A'+c, v, label(k))
		}
	}
	dvs, err := x.GetDataValidations(roster.SheetName)
	if err != nil || len(dvs) != len(schema.RosterFields) {
		t.Errorf("%d data validations (%v), want one per column", len(dvs), err)
	}
	rows := [][]string{{"城南县人民政府", "县", "政府", "", ""}, {"城南县教育局", "县", "部门", "城南县人民政府", "赵六"}}
	for i, row := range rows {
		for j, v := range row {
			if v != "" {
				x.SetCellStr(roster.SheetName, string(rune('A'+j))+string(rune('2'+i)), v)
			}
		}
	}
	x.SetCellInt(roster.SheetName, "E2", 13800000000) // a phone typed as a number
	var filled bytes.Buffer
	if err := x.Write(&filled); err != nil {
		t.Fatal(err)
	}
	r, err := roster.Read("名单.xlsx", filled.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"城南县人民政府|县|政府||13800000000", "城南县教育局|县|部门|城南县人民政府|赵六"}
	if got := units(r); !reflect.DeepEqual(got, want) {
		t.Errorf("units\n got %q\nwant %q", got, want)
	}
	if got := r.Units[1].Loc.String(); got != roster.SheetName+"!A3" {
		t.Errorf("second unit at %s, want %s!A3", got, roster.SheetName)
	}
	// a problem points at the cell
	x.SetCellStr(roster.SheetName, "C3", "局")
	filled.Reset()
	x.Write(&filled)
	if _, err := roster.Read("名单.xlsx", filled.Bytes()); err == nil || !strings.Contains(err.Error(), roster.SheetName+"!C3") {
		t.Errorf("bad choice: %v", err)
	}
}

func TestRoundTrip(t *testing.T) {
	in := header(",", all...) + "\n城南县教育局,县,部门,城南县人民政府,\"赵六, 123\"\n城南县人民政府,县,政府,,\n"
	r, err := roster.Read("名单.csv", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"名单.csv", "名单.xlsx"} {
		var buf bytes.Buffer
		if err := roster.Write(&buf, name, r); err != nil {
			t.Fatal(err)
		}
		again, err := roster.Read(name, buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(units(again), units(r)) {
			t.Errorf("%s: %q, want %q", name, units(again), units(r))
		}
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	if _, err := roster.Open(dir); err == nil || !strings.Contains(err.Error(), "不是一个普通文件") {
		t.Errorf("folder: %v", err)
	}
	p := filepath.Join(dir, "名单.csv")
	os.WriteFile(p, gbk(header(",", ag, lv, rl)+"\n城南县教育局,县,部门\n"), 0o644)
	r, err := roster.Open(p)
	if err != nil || len(r.Units) != 1 {
		t.Fatalf("open: %v %v", r, err)
	}
}

func TestMatch(t *testing.T) {
	r, err := roster.Read("名单.csv", []byte(header(",", ag, lv, rl)+"\n"+
		"城南县人民政府,县,政府\n城南县教育局,县,部门\n城南县财政局,县,部门\n城南县水利局,县,部门\n城南县林业局,县,部门\n"))
	if err != nil {
		t.Fatal(err)
	}
	subs := []roster.Submission{
		{File: "a.xlsx", Agency: "城南县人民政府", Year: 2024, Published: "2025-03-20"}, // government: on time by 3月31日
		{File: "b.xlsx", Agency: "城南县教育局", Year: 2024, Published: "2025-02-10"},  // department: late
		{File: "c.xlsx", Agency: "城南县 财政局", Year: 2024, Published: "2025-01-20"},
		{File: "d.xlsx", Agency: "城南县财政局", Year: 2024, Published: "2025-01-21"},
		{File: "e.xlsx", Agency: "城南县水利局", Year: 2023, Published: "2024-01-21"}, // last year's
		{File: "f.xlsx", Agency: "城南县卫生局", Year: 2024},
	}
	res := r.Match(subs, 2024, time.Date(2025, 2, 1, 9, 0, 0, 0, time.Local))
	var got []string
	for _, l := range res.Lines {
		got = append(got, l.Unit.Agency()+":"+string(l.State))
	}
	want := []string{"城南县人民政府:已报", "城南县教育局:逾期报送", "城南县财政局:重复报送", "城南县水利局:逾期未报", "城南县林业局:逾期未报"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("states\n got %v\nwant %v", got, want)
	}
	if len(res.NotListed) != 1 || res.NotListed[0].File != "f.xlsx" {
		t.Errorf("not listed: %v", res.NotListed)
	}
	if n := res.Lines[3].Notes; len(n) != 1 || !strings.Contains(n[0], "2023 年度") {
		t.Errorf("last year's report note: %q", n)
	}
	if res.Lines[1].Due != "2025年1月31日" || res.Lines[0].Due != "2025年3月31日" {
		t.Errorf("due dates %q %q", res.Lines[1].Due, res.Lines[0].Due)
	}
	// before the deadline nothing is overdue
	early := r.Match(nil, 2024, time.Date(2025, 1, 31, 23, 0, 0, 0, time.UTC))
	if early.Count(roster.Missing) != 5 || early.Count(roster.Overdue) != 0 {
		t.Errorf("on 31 January: %s", early.Summary())
	}
	if s := res.Summary(); !strings.Contains(s, "名单共 5 个单位") || !strings.Contains(s, "逾期未报 2") || !strings.Contains(s, "不在名单中") {
		t.Errorf("summary %q", s)
	}
}

// TestMatchTownship: the 3月31日 of 《条例》第四十九条 is the 本级政府 report's
// of a 县级以上地方人民政府 only; a 乡镇 government (and a 街道) publishes by
// 1月31日, like a department.
func TestMatchTownship(t *testing.T) {
	r, err := roster.Read("名单.csv", []byte(header(",", ag, lv, rl)+"\n"+
		"城南县人民政府,县,政府\n城关镇人民政府,乡镇,政府\n城东街道办事处,乡镇,政府\n城南市人民政府,市,政府\n"))
	if err != nil {
		t.Fatal(err)
	}
	subs := []roster.Submission{
		{File: "a.xlsx", Agency: "城南县人民政府", Year: 2024, Published: "2025-03-20"},
		{File: "b.xlsx", Agency: "城关镇人民政府", Year: 2024, Published: "2025-03-20"},
		{File: "c.xlsx", Agency: "城东街道办事处", Year: 2024, Published: "2025-01-20"},
	}
	res := r.Match(subs, 2024, time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC))
	var got []string
	for _, l := range res.Lines {
		got = append(got, l.Unit.Agency()+":"+string(l.State)+":"+l.Due)
	}
	want := []string{"城南县人民政府:已报:2025年3月31日", "城关镇人民政府:逾期报送:2025年1月31日",
		"城东街道办事处:已报:2025年1月31日", "城南市人民政府:未报:2025年3月31日"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines\n got %v\nwant %v", got, want)
	}
}

// TestMatchReceived: a collection server's reports are late by when they
// were received (not by the 发布日期 they claim), a draft is no report yet,
// and a unit's own deadline (Due) replaces the statutory one.
func TestMatchReceived(t *testing.T) {
	r, err := roster.Read("名单.csv", []byte(header(",", ag, lv, rl)+"\n"+"城南县教育局,县,部门\n城南县财政局,县,部门\n城南县水利局,县,部门\n"))
	if err != nil {
		t.Fatal(err)
	}
	r.Units[2].Due = time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	subs := []roster.Submission{
		{File: "a", Agency: "城南县教育局", Year: 2024, Published: "2025-01-20", Received: time.Date(2025, 2, 1, 2, 0, 0, 0, time.UTC)},
		{File: "b", Agency: "城南县财政局", Year: 2024, Published: "2025-01-20", Draft: true},
		{File: "c", Agency: "城南县水利局", Year: 2024, Published: "2025-01-20", Received: time.Date(2025, 2, 5, 0, 0, 0, 0, time.UTC)},
	}
	res := r.Match(subs, 2024, time.Date(2025, 2, 6, 9, 0, 0, 0, time.UTC))
	var got []string
	for _, l := range res.Lines {
		got = append(got, string(l.State)+":"+l.Due)
	}
	want := []string{"逾期报送:2025年1月31日", "逾期未报:2025年1月31日", "已报:2025年2月10日"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lines\n got %v\nwant %v", got, want)
	}
	if n := strings.Join(res.Lines[0].Notes, ""); !strings.Contains(n, "提交时间 2025年2月1日") {
		t.Errorf("notes %q", n)
	}
	if n := strings.Join(res.Lines[1].Notes, ""); !strings.Contains(n, "尚未提交") {
		t.Errorf("notes %q", n)
	}
}

// TestCheckUnit: a unit entered by hand is cleaned and checked by the
// rules of a roster file.
func TestCheckUnit(t *testing.T) {
	u, err := roster.CheckUnit(map[string]string{schema.RosterAgency: " 城南县\n财政局 ", schema.RosterLevel: "县", schema.RosterRole: "部门"})
	if err != nil || u.Agency() != "城南县 财政局" || u.Get(schema.RosterContact) != "" {
		t.Fatalf("%+v %v", u, err)
	}
	_, err = roster.CheckUnit(map[string]string{schema.RosterAgency: strings.Repeat("局", roster.MaxField+1), schema.RosterLevel: "区", "x": "1"})
	var re *roster.Error
	if !errors.As(err, &re) || len(re.Problems) != 4 {
		t.Fatalf("%v", err)
	}
	for _, want := range []string{"过长", label(schema.RosterLevel), "没有填写“" + label(schema.RosterRole), "没有“x”"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}
