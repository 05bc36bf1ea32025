package published

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/nianbao/nianbao/schema"
)

// report wraps the text of a table section in a minimal report.
func report(section, body string) string {
	var b strings.Builder
	b.WriteString("某某局2022年政府信息公开工作年度报告\n一、总体情况\n2022年，本局认真贯彻《条例》。\n")
	for _, h := range []string{"二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"} {
		b.WriteString(h + "\n")
		if strings.HasPrefix(h, section) {
			b.WriteString(body)
		}
	}
	b.WriteString("五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n")
	return b.String()
}

func TestReadCells(t *testing.T) {
	type cell struct {
		table, row, col string
		text            string // "" = blank
		line            int
	}
	tests := []struct {
		name   string
		file   string
		input  string
		cells  []cell
		issues []string // "RULE:line"
	}{
		{"unique split", "a.txt", report("三", "（一）予以公开 600000060\n"),
			[]cell{{"t3", "disclosed", "natural", "60", 6}, {"t3", "disclosed", "other", "0", 6}, {"t3", "disclosed", "total", "60", 6}},
			[]string{"IMPORT-SPLIT:6"}},
		{"ambiguous split", "a.txt", report("三", "（一）予以公开 110000011\n"),
			[]cell{{"t3", "disclosed", "natural", "", 6}, {"t3", "disclosed", "total", "", 6}},
			[]string{"IMPORT:6"}},
		{"no arithmetic, no split", "a.txt", report("二", "规章 5416\n"),
			[]cell{{"t2", "rules", "issued", "", 5}},
			[]string{"IMPORT:5"}},
		{"no arithmetic, one split", "a.txt", report("二", "规章 000\n"),
			[]cell{{"t2", "rules", "issued", "0", 5}, {"t2", "rules", "valid", "0", 5}},
			[]string{"IMPORT-SPLIT:5"}},
		{"separated figure not split without arithmetic", "a.txt", report("二", "规章 12 0\n"),
			[]cell{{"t2", "rules", "issued", "", 5}},
			[]string{"IMPORT:5"}},
		{"leading zero is never one figure", "a.txt", report("二", "规章 00 0 5\n"),
			[]cell{{"t2", "rules", "issued", "", 5}},
			[]string{"IMPORT:5"}},
		{"missing figure", "a.txt", report("三", "（一）予以公开 | 1 | 0 | 0 | 0 | 0 | 1\n"),
			[]cell{{"t3", "disclosed", "natural", "", 6}},
			[]string{"IMPORT:6"}},
		{"extra figure", "a.txt", report("三", "（一）予以公开\n1\n0\n0\n0\n0\n0\n1\n9\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n0 0 0 0 0 0 0\n"),
			[]cell{{"t3", "disclosed", "natural", "", 6}, {"t3", "partial", "total", "0", 16}},
			[]string{"IMPORT:6"}},
		{"blank cell between separators", "a.txt", report("三", "（一）予以公开 | 1 |  | 0 | 0 | 0 | 0 | 1 |\n"),
			[]cell{{"t3", "disclosed", "natural", "1", 6}, {"t3", "disclosed", "business", "", 6}, {"t3", "disclosed", "total", "1", 6}},
			nil},
		{"blank cell in html", "a.html", "<h1>某某局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p><p>三、收到和处理政府信息公开申请情况</p>\n<table><tr><td>（一）予以公开</td><td>2</td><td></td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr></table><p>四、政府信息公开行政复议、行政诉讼情况</p>",
			[]cell{{"t3", "disclosed", "natural", "2", 2}, {"t3", "disclosed", "business", "", 2}},
			nil},
		// a blank cell at a row's end keeps its place where the row's
		// cells are delimited: a web page's or Word table, a Markdown row
		// enclosed in bars, a tab-separated row; not a row of " | " that
		// converters end with the bars of merged cells
		{"blank last cell in html", "a.html", "<h1>某某局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p><p>三、收到和处理政府信息公开申请情况</p>\n<table><tr><td>（一）予以公开</td><td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td></td></tr></table><p>四、政府信息公开行政复议、行政诉讼情况</p>",
			[]cell{{"t3", "disclosed", "natural", "2", 2}, {"t3", "disclosed", "total", "", 2}},
			nil},
		{"blank last cells in markdown", "a.md", report("四", "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 1 | 0 | 1 |  |  |  |  |  |\n"),
			[]cell{{"t4", "review", "maintained", "1", 7}, {"t4", "direct", "total", "1", 7}, {"t4", "after_review", "total", "", 7}},
			nil},
		{"blank last cell tab-separated", "a.txt", report("三", "（一）予以公开\t2\t\t0\t0\t0\t0\t\n"),
			[]cell{{"t3", "disclosed", "natural", "2", 6}, {"t3", "disclosed", "business", "", 6}, {"t3", "disclosed", "total", "", 6}},
			nil},
		{"trailing bars are no cells", "a.txt", report("三", "（一）予以公开 | 2 | 0 | 0 | 0 | 0 | 0 | ||\n"),
			[]cell{{"t3", "disclosed", "natural", "", 6}},
			[]string{"IMPORT:6"}},
		// a table without merged cells: the positions a merged cell covers
		// are empty cells, a blank figure among them keeps its place
		{"flat grid with a blank cell", "a.html", "<h1>某某局2022年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p><p>三、收到和处理政府信息公开申请情况</p>\n<table><tr><td>一、本年新收政府信息公开申请数量</td><td></td><td></td><td></td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr></table><p>四、政府信息公开行政复议、行政诉讼情况</p>",
			[]cell{{"t3", "received", "natural", "", 2}, {"t3", "received", "business", "1", 2}, {"t3", "received", "total", "1", 2}},
			nil},
		// the same, filled: a covered position repeats its cell's figure
		{"filled grid", "a.md", report("二", "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 | 本年处理决定数量 |\n|---|---|---|---|\n| 行政许可 | 12 | 12 | 12 |\n"),
			[]cell{{"t2", "licensing", "decisions", "12", 7}},
			nil},
		// too many figures on a label's own line are not passed on to the
		// rows below, printed blank on lines of their own (they were:
		// 行政处罚 0, 行政强制 12, without a word)
		{"too many figures on the label's line", "a.txt", report("二", "规章 | 0 | 0 | 0 |\n行政规范性文件 | 1 | 0 | 5 |\n行政许可 | 12 | 0 | 12 |\n行政处罚 |\n行政强制 |\n行政事业性收费 | 0 |\n"),
			[]cell{{"t2", "licensing", "decisions", "", 7}, {"t2", "penalty", "decisions", "", 8}, {"t2", "coercion", "decisions", "", 8}, {"t2", "fees", "amount", "0", 10}},
			[]string{"IMPORT:7", "IMPORT:8", "IMPORT:8"}},
		{"placeholder", "a.txt", report("三", "（一）予以公开 1 — 0 0 0 0 1\n"),
			[]cell{{"t3", "disclosed", "natural", "1", 6}, {"t3", "disclosed", "business", "", 6}},
			nil},
		{"unit mismatch", "a.txt", report("二", "行政事业性收费 | 89902.19元 |\n"),
			[]cell{{"t2", "fees", "amount", "89902.19元", 5}},
			[]string{"IMPORT:5"}},
		{"unit kept", "a.txt", report("二", "行政事业性收费 | 12.5万元 |\n"),
			[]cell{{"t2", "fees", "amount", "12.5", 5}},
			nil},
		{"stray figure", "a.txt", report("三", "单位 件 2022\n（一）予以公开 1 0 0 0 0 0 1\n"),
			[]cell{{"t3", "disclosed", "natural", "1", 7}},
			[]string{"IMPORT:6"}},
		{"lost label line", "a.txt", report("三", "一、本年新收政府信息公开申请数量\n1 0 0 0 0 0 1\n2 0 0 0 0 0 2\n三、本年度办理结果 （一）予以公开 3 0 0 0 0 0 3\n"),
			[]cell{{"t3", "received", "natural", "1", 7}, {"t3", "carried_over", "natural", "2", 8}, {"t3", "disclosed", "total", "3", 9}},
			nil},
		{"label after its figures", "a.txt", report("三", "一、本年新收政府信息公开申请数量\n1 0 0 0 0 0 1\n2 0 0 0 0 0 2\n二、上年结转政府信息公开申请数量\n三、本年度办理结果 （一）予以公开 3 0 0 0 0 0 3\n"),
			[]cell{{"t3", "received", "natural", "1", 7}, {"t3", "carried_over", "natural", "2", 8}, {"t3", "disclosed", "total", "3", 10}},
			nil},
		{"figures before 表四's header", "a.txt", report("四", "全年 1\n行政复议 | 行政诉讼\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"),
			[]cell{{"t4", "review", "corrected", "1", 11}, {"t4", "after_review", "total", "0", 11}},
			[]string{"IMPORT:7", "IMPORT:7"}}, // the stray figure, and the text 全年 before it
		{"digits stuck to labels", "a.txt", report("三", "（一）予以公开1 0 0 0 0 0 1（二）部分公开（区分处理的，只计这一情形，不计其他情形）0 0 0 0 0 0 0\n"),
			[]cell{{"t3", "disclosed", "total", "1", 6}, {"t3", "partial", "natural", "0", 6}},
			nil},
		{"label wrapped, tail after figures", "a.txt", report("三", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n（二）部分公开（区分处  5 0 0 0 0 0 5\n理的，只计这一情形，不计其他情形）\n"),
			[]cell{{"t3", "partial", "natural", "5", 7}},
			nil},
		{"full-width digits and parentheses", "a.txt", report("三", "(一)予以公开 | １ | 0 | 0 | 0 | 0 | 0 | １ |\n"),
			[]cell{{"t3", "disclosed", "natural", "1", 6}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Read(tt.file, []byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tt.cells {
				v := rep.Cell(c.table, c.row, c.col)
				if v == nil {
					t.Errorf("%s.%s.%s: table missing", c.table, c.row, c.col)
					continue
				}
				got := v.Text()
				if v.State == schema.Invalid {
					got = v.Raw
				}
				if got != c.text || v.Loc.Line != c.line {
					t.Errorf("%s.%s.%s = %q at line %d, want %q at line %d", c.table, c.row, c.col, got, v.Loc.Line, c.text, c.line)
				}
			}
			var got []string
			for _, f := range rep.Issues {
				if f.Rule == RuleTableMissing || strings.Contains(f.Message, "没有找到") {
					continue // the rows and tables a fragment leaves out
				}
				got = append(got, f.Rule+":"+strconv.Itoa(f.Location.Line))
			}
			if strings.Join(got, " ") != strings.Join(tt.issues, " ") {
				t.Errorf("issues %v, want %v", got, tt.issues)
				for _, f := range rep.Issues {
					t.Logf("  %s %s %s", f.Rule, f.Location, f.Message)
				}
			}
		})
	}
}

func TestReadUnusable(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"binary", "a.txt", []byte{0xff, 0xfe, 0x00, 0xd8, 0x81}, "编码"},
		{"not a report", "a.txt", []byte("hello\nworld\n"), "章节标题"},
		{"not a docx", "a.docx", []byte("PK\x03\x04garbage"), ".docx"},
		{"empty", "a.html", nil, "章节标题"},
		{"big5 page", "a.html", []byte("<meta charset=big5><p>\xa4\xa4\xa4\xe5</p>"), "big5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(tt.file, tt.data)
			if err == nil || !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrUnusable mentioning %q", err, tt.want)
			}
		})
	}
}

func TestTitles(t *testing.T) {
	tests := []struct{ title, agency, year string }{
		{"2022年上海市政府信息公开工作年度报告", "上海市", "2022"},
		{"上海市2022年政府信息公开工作年度报告", "上海市", "2022"},
		{"某某局2022年度政府信息公开工作年度报告", "某某局", "2022"},
		{"某某局２０２２年政府信息公开工作的年度报告", "某某局", "2022"},
	}
	for _, tt := range tests {
		rep, err := Read("a.txt", []byte(tt.title+"\n"+strings.SplitN(report("三", ""), "\n", 2)[1]))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Meta.Agency.Value != tt.agency || rep.Meta.Year.Value != tt.year {
			t.Errorf("%s: agency %q year %q", tt.title, rep.Meta.Agency.Value, rep.Meta.Year.Value)
		}
	}
}

func TestHeadingVariants(t *testing.T) {
	f := schema.Format2021
	tests := []struct {
		line string
		want int // section index, −1: not a heading
	}{
		{"一、总体情况", 0},
		{"一、政府信息公开工作总体情况", 0},
		{"二、行政机关主动公开政府信息情况", 1},
		{"二、主动公开政府信息的情况", 1},
		{"三、收到和处理政府信息公开申请情况", 2},
		{"四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", 3},
		{"四、政府信息公开行政复议和行政诉讼情况", 3},
		{"五、存在的主要问题及改进措施", 4},
		{"五、政府信息公开工作存在的主要问题及改进情况", 4},
		{"六、其他需报告的事项", 5},
		{"六、其他需要报告的事项：", 5},
		{"第六部分 其他需要报告的事项", 5},
		{"四、结转下年度继续办理", -1},
		{"一、本年新收政府信息公开申请数量", -1},
		{"二是完善机制建设。", -1},
		{"三、强化监督，不断深化政务公开", -1},
	}
	for _, tt := range tests {
		got := -1
		if i, _, ok := heading(f, -1, tt.line, false); ok {
			got = i
		}
		if got != tt.want {
			t.Errorf("heading(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestEncodings(t *testing.T) {
	text := report("三", "（一）予以公开 1 0 0 0 0 0 1\n")
	u := utf16.Encode([]rune(text))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	rep, err := Read("a.txt", le)
	if err != nil {
		t.Fatal(err)
	}
	if v := rep.Cell("t3", "disclosed", "total"); !v.OK() || v.Num.String() != "1" || rep.Meta.Agency.Value != "某某局" {
		t.Errorf("UTF-16: total %v, agency %q", v, rep.Meta.Agency.Value)
	}
}

func TestWord(t *testing.T) {
	tests := []struct {
		in   string
		want string // kinds and raws
	}{
		{"60", "N60"},
		{"总计60", "T总计 N60"},
		{"03.其他", "N0 T3.其他"},
		{"0（二）部分公开", "N0 T(二)部分公开"},
		{"0四、结转下年度继续办理", "N0 T四、结转下年度继续办理"},
		{"1.属于国家秘密", "T1.属于国家秘密"},
		// a label broken after its item number (a <br>, a narrow PDF
		// column): the number is the label's, not a figure
		{"3.", "T3."},
		{"3、", "T3、"},
		{"03.", "N0 T3."},
		{"3.5", "N3.5"},
		{"2022年", "T2022年"},
		{"第3", "T第3"},
		{"7984.47万元", "N7984.47"},
		{"—", "P—"},
		{"１２", "N12"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range word(tt.in, 1, nil) {
			k := map[tokKind]string{tText: "T", tNum: "N", tPlace: "P", tEmpty: "E"}[tk.kind]
			if tk.kind == tNum {
				got = append(got, k+tk.num)
				continue
			}
			got = append(got, k+tk.raw)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("word(%q) = %q, want %q", tt.in, strings.Join(got, " "), tt.want)
		}
	}
}

// TestMissingFive: a report that leaves out the heading of 五, or prints
// it without its number, still has 五: its paragraphs after 表四's figures
// are found by what they say (Section.Marks) or by the bare title, and
// neither 四 nor the tables change.
func TestMissingFive(t *testing.T) {
	for _, id := range []string{"000", "001", "002", "003"} {
		src, err := os.ReadFile(filepath.Join("testdata", "seeds", id+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := Read(id+".txt", src)
		if err != nil {
			t.Fatal(err)
		}
		texts := func(bs []schema.Block) string {
			var ss []string
			for _, b := range bs {
				ss = append(ss, b.Text)
			}
			return strings.Join(ss, "\n")
		}
		for _, mode := range []string{"no heading", "no number"} {
			t.Run(id+" "+mode, func(t *testing.T) {
				var out []string
				for _, l := range strings.Split(string(src), "\n") {
					if strings.HasPrefix(l, "五、") {
						if mode == "no heading" {
							continue
						}
						l = strings.TrimPrefix(l, "五、")
					}
					out = append(out, l)
				}
				got, err := Read(id+".txt", []byte(strings.Join(out, "\n")))
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := got.SectionLoc["problems"]; !ok {
					t.Fatal("五 not found")
				}
				for _, k := range []string{"appeals", "problems", "other"} {
					if g, w := texts(got.Narrative[k]), texts(want.Narrative[k]); g != w {
						t.Errorf("%s:\n%s\nwant\n%s", k, g, w)
					}
				}
				for _, tb := range schema.Format2021.Tables {
					for _, row := range tb.Rows {
						for _, c := range row.Cols {
							if g, w := got.Cell(tb.ID, row.Key, c.Key).Text(), want.Cell(tb.ID, row.Key, c.Key).Text(); g != w {
								t.Errorf("%s.%s.%s = %q, want %q", tb.ID, row.Key, c.Key, g, w)
							}
						}
					}
				}
			})
		}
	}
	// a note printed after 表四 is 四's, even without a 五
	src, err := os.ReadFile(filepath.Join("testdata", "seeds", "002.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	i, j := strings.Index(s, "五、"), strings.Index(s, "六、")
	s = s[:i] + "注：本表数据来源于政府信息公开工作台账，下一步将加强统计。\n" + s[j:]
	got, err := Read("002.txt", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Narrative["problems"]) != 0 || len(got.Narrative["appeals"]) != 1 {
		t.Errorf("the note moved: 四 %d blocks, 五 %d blocks", len(got.Narrative["appeals"]), len(got.Narrative["problems"]))
	}
}

// TestInlineHeader: header fields on one line, as a page's info bar or a
// crawler gives them ("发布日期：… 来源：… 点击次数：…"), each read for
// itself; when the body follows on the same line it starts after the last
// field's value and keeps its columns.
func TestInlineHeader(t *testing.T) {
	tests := []struct {
		in                  string
		title, date, source string
		body                string // the first body line
	}{
		{"发布日期：2023-01-30 14:26:56 来源：乳山市乳山寨镇人民政府 点击次数：\n一、总体情况",
			"", "2023-01-30 14:26:56", "乳山市乳山寨镇人民政府", "一、总体情况"},
		{"来源：白山市 索引号：11220600/2023-001 发布时间：2023-01-29 标题：白山市2022年政府信息公开工作年度报告 浏览次数：128 " + strings.Repeat("本报告根据条例编制。", 10),
			"白山市2022年政府信息公开工作年度报告", "2023-01-29", "白山市", strings.Repeat("本报告根据条例编制。", 10)},
		{"标题：白山市2022年政府信息公开工作年度报告\n发布时间：2023-01-29\n一、总体情况",
			"白山市2022年政府信息公开工作年度报告", "2023-01-29", "", "一、总体情况"},
		{"说明：本报告由白山市政府办编制 来源：白山市\n一、总体情况", "", "", "", "说明：本报告由白山市政府办编制 来源：白山市"},
		// an empty field before the first heading: the heading is the body's
		{"发布日期：2023-01-30 来源：乳山市乳山寨镇人民政府 点击次数： 一、总体情况 " + strings.Repeat("本镇认真贯彻条例。", 10),
			"", "2023-01-30", "乳山市乳山寨镇人民政府", "一、总体情况 " + strings.Repeat("本镇认真贯彻条例。", 10)},
	}
	for _, tt := range tests {
		var ls []line
		for i, s := range strings.Split(tt.in, "\n") {
			ls = append(ls, line{text: s, n: i + 1})
		}
		h, body := cmsHeader(ls)
		if h.title != tt.title || h.published != tt.date || h.source != tt.source {
			t.Errorf("%q: title %q, date %q, source %q", tt.in, h.title, h.published, h.source)
		}
		if len(body) == 0 || body[0].text != tt.body {
			t.Errorf("%q: body %v", tt.in, body)
			continue
		}
		if src := []rune(strings.Split(tt.in, "\n")[lineOf(body[0].n)-1]); colOf(body[0].n) > 0 && string(src[colOf(body[0].n)-1:]) != tt.body {
			t.Errorf("%q: body at column %d", tt.in, colOf(body[0].n))
		}
	}
}

// TestSignatureWithoutDate: a report signed with the body's name but no
// date (as nianbao prints one whose 发布日期 is not filled in) has its
// signer read, and the name is not left as a paragraph of 六.
func TestSignatureWithoutDate(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "seeds", "000.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Read("000.txt", src)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSuffix(strings.TrimRight(string(src), "\n"), "2023年1月29日")
	got, err := Read("000.txt", []byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if got.Meta.Signer.Value != "白山市人民政府" || got.Meta.SignDate.Value != "" {
		t.Errorf("signer, date = %q, %q, want 白山市人民政府 and no date", got.Meta.Signer.Value, got.Meta.SignDate.Value)
	}
	g, w := got.Narrative["other"], want.Narrative["other"]
	if len(g) != len(w) || len(g) == 0 || g[len(g)-1].Text != w[len(w)-1].Text {
		t.Errorf("六 = %v, want %v", g, w)
	}
}

// TestBareOverview: 总体情况 printed without its number opens 一 (a title
// that short opens only the next section, where it is expected).
func TestBareOverview(t *testing.T) {
	in := strings.Replace(report("三", "（一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"), "一、总体情况", "总体情况", 1)
	rep, err := Read("a.txt", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rep.SectionLoc["overview"]; !ok || len(rep.Narrative["overview"]) == 0 || len(rep.Intro) != 0 {
		t.Errorf("overview at %v, %d blocks; intro %d blocks", rep.SectionLoc["overview"], len(rep.Narrative["overview"]), len(rep.Intro))
	}
	// later, the same words are text of the section they stand in
	in = strings.Replace(report("三", "（一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"), "五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n总体情况\n", 1)
	if rep, err = Read("a.txt", []byte(in)); err != nil {
		t.Fatal(err)
	}
	if len(rep.Narrative["problems"]) != 2 {
		t.Errorf("五 has %d blocks, want 2 (总体情况 and 无。)", len(rep.Narrative["problems"]))
	}
}
