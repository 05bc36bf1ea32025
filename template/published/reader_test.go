package published

import (
	"errors"
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
		{"no arithmetic, no split", "a.txt", report("二", "规章 000\n"),
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
				got = append(got, f.Rule+":"+itoa(f.Location.Line))
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
