package schema

// Format2021 is the format of 国办公开办函〔2021〕30号, in force for reports on
// the year 2021 and later. Labels are verbatim (../shared/format-2021.md):
// full-width brackets, colons and commas, ASCII digits and full stops in item
// numbers.
var Format2021 = build2021()

// Current is the format new reports are written in.
var Current = Format2021

// t3Results are the 21 result rows of 表三 (（一） to （六）3), in order.
var t3Results = []string{
	"disclosed", "partial",
	"denied_secret", "denied_law", "denied_safety", "denied_third_party",
	"denied_internal", "denied_process", "denied_enforcement", "denied_query",
	"unable_no_info", "unable_create", "unable_unclear",
	"rejected_petition", "rejected_repeat", "rejected_publication", "rejected_massive", "rejected_confirm",
	"other_no_correction", "other_no_fee", "other_other",
}

func build2021() *Format {
	f := &Format{
		Year:   2021,
		Notice: "国办公开办函〔2021〕30号",
		Title:  "《中华人民共和国政府信息公开工作年度报告格式》",
	}
	f.Sections = []*Section{
		{Key: "overview", Number: "一", Title: "总体情况", Kind: Narrative, MinText: 30,
			Areas: []Area{
				{Name: "主动公开", Words: []string{"主动公开"}},
				{Name: "依申请公开", Words: []string{"依申请"}},
				{Name: "政府信息管理", Words: []string{"信息管理", "信息资源管理", "公文公开属性", "保密审查", "目录"}},
				{Name: "平台建设", Words: []string{"平台", "网站", "政务新媒体"}},
				{Name: "监督保障", Words: []string{"监督", "保障", "考核", "责任追究", "社会评议"}},
			}},
		{Key: "active", Number: "二", Title: "主动公开政府信息情况", Kind: TableSection, Table: "t2",
			Aliases: []string{"行政机关主动公开政府信息情况"}},
		{Key: "requests", Number: "三", Title: "收到和处理政府信息公开申请情况", Kind: TableSection, Table: "t3",
			Aliases: []string{"行政机关收到和处理政府信息公开申请情况"}},
		{Key: "appeals", Number: "四", Title: "政府信息公开行政复议、行政诉讼情况", Kind: TableSection, Table: "t4",
			Aliases: []string{
				"因政府信息公开工作被申请行政复议、提起行政诉讼情况",
				"因政府信息公开工作被申请行政复议和提起行政诉讼情况", // 上海市 2022
				"政府信息公开行政复议和行政诉讼情况",
				"政府信息公开行政复议、行政诉讼情况统计",
			}},
		{Key: "problems", Number: "五", Title: "存在的主要问题及改进情况", Kind: Narrative, MinText: 30,
			Aliases: []string{
				"存在的主要问题及改进措施",
				"政府信息公开工作存在的主要问题及改进情况",
				"政府信息公开工作存在的主要问题及改进措施",
			},
			Marks: []string{"存在的问题", "主要问题", "问题和不足", "不足", "短板", "改进", "下一步", "下步", "明年", "工作计划", "进一步", "将继续", "加强"}},
		{Key: "other", Number: "六", Title: "其他需要报告的事项", Kind: Narrative},
	}
	f.Tables = []*Table{table2(), table3(), table4()}
	f.Relations = tableRelations(t3Results)
	f.Carries = []*Carry{
		{Rule: "CARRY-OVER", Table: "t3", Row: "carried_over", PrevRow: "carried_forward"},
	}
	f.Stocks = []*Stock{
		{Rule: "STOCK-FLOW", MinRule: "STOCK-MIN", Table: "t2",
			Rows: []string{"rules", "normative"}, Stock: "valid", In: "issued", Out: "repealed"},
	}
	// Headline figures whose change from last year asks for a word of
	// explanation: more than three times or less than a third of last
	// year's, by at least 10 (requests, appeals, 万元 of fees) or 100
	// (licensing, penalty and coercion decisions).
	deniedRows := t3Results[2:10]
	f.Jumps = []*Jump{
		{Rule: "YOY-JUMP", Table: "t3", Rows: []string{"received"}, Col: "total", Factor: 3, Min: 10},
		{Rule: "YOY-JUMP", Table: "t3", Rows: []string{"disclosed"}, Col: "total", Factor: 3, Min: 10},
		{Rule: "YOY-JUMP", Table: "t3", Rows: deniedRows, Col: "total", Factor: 3, Min: 10},
		{Rule: "YOY-JUMP", Table: "t4", Rows: []string{"review"}, Col: "total", Factor: 3, Min: 10},
		{Rule: "YOY-JUMP", Table: "t4", Rows: []string{"direct", "after_review"}, Col: "total", Factor: 3, Min: 10},
		{Rule: "YOY-JUMP", Table: "t2", Rows: []string{"licensing"}, Col: "decisions", Factor: 3, Min: 100},
		{Rule: "YOY-JUMP", Table: "t2", Rows: []string{"penalty"}, Col: "decisions", Factor: 3, Min: 100},
		{Rule: "YOY-JUMP", Table: "t2", Rows: []string{"coercion"}, Col: "decisions", Factor: 3, Min: 100},
		{Rule: "YOY-JUMP", Table: "t2", Rows: []string{"fees"}, Col: "amount", Factor: 3, Min: 10},
	}
	return f
}

// tableRelations are the equations of 表三 and 表四, which are the same in
// the 2019 and 2021 formats but for 表三's list of result rows.
func tableRelations(t3Results []string) []*Relation {
	return []*Relation{
		{Rule: "T3-ROW", Table: "t3", Per: PerRow,
			Left:  []string{"total"},
			Right: []string{"natural", "business", "research", "nonprofit", "legal", "other"},
			Name:  "自然人与法人或其他组织五列之和"},
		{Rule: "T3-RESULT", Table: "t3", Per: PerColumn,
			Left: []string{"total"}, Right: t3Results,
			Name: "（一）至（六）各项办理结果之和"},
		{Rule: "T3-BALANCE", Table: "t3", Per: PerColumn,
			Left:  []string{"received", "carried_over"},
			Right: []string{"total", "carried_forward"},
			Name:  "第三项加第四项之和"},
		{Rule: "T4-TOTAL", Table: "t4", Per: PerRow,
			Left:  []string{"total"},
			Right: []string{"maintained", "corrected", "other", "pending"},
			Name:  "结果维持、结果纠正、其他结果、尚未审结之和"},
	}
}

func table2() *Table {
	const (
		item1 = "第二十条第（一）项"
		item5 = "第二十条第（五）项"
		item6 = "第二十条第（六）项"
		item8 = "第二十条第（八）项"
		what  = "信息内容"
	)
	docCols := func(p string) []*Column {
		return []*Column{
			{Key: "issued", Label: "本年制发件数", Path: []string{p}},
			{Key: "repealed", Label: "本年废止件数", Path: []string{p}},
			{Key: "valid", Label: "现行有效件数", Path: []string{p}},
		}
	}
	decisions := func(p string) []*Column {
		return []*Column{{Key: "decisions", Label: "本年处理决定数量", Path: []string{p}}}
	}
	t := &Table{
		ID: "t2", Name: "表二", Section: "active", Caption: "主动公开政府信息情况",
		Rows: []*Row{
			{Key: "rules", Label: "规章", Path: []string{item1}, Cols: docCols(item1)},
			{Key: "normative", Label: "行政规范性文件", Path: []string{item1}, Cols: docCols(item1)},
			{Key: "licensing", Label: "行政许可", Path: []string{item5}, Cols: decisions(item5)},
			{Key: "penalty", Label: "行政处罚", Path: []string{item6}, Cols: decisions(item6)},
			{Key: "coercion", Label: "行政强制", Path: []string{item6}, Cols: decisions(item6)},
			{Key: "fees", Label: "行政事业性收费", Path: []string{item8},
				Cols: []*Column{{Key: "amount", Label: "本年收费金额（单位：万元）", Path: []string{item8}, Kind: Amount}}},
		},
	}
	block := func(item string) []Cell { return []Cell{{Text: item, ColSpan: 4, Header: true}} }
	wide := func(label string) []Cell {
		return []Cell{{Text: what, Header: true}, {Text: label, ColSpan: 3, Header: true}}
	}
	one := func(row, label, col string) []Cell {
		return []Cell{{Text: label}, {Row: row, Col: col, ColSpan: 3}}
	}
	three := func(row, label string) []Cell {
		return []Cell{{Text: label}, {Row: row, Col: "issued"}, {Row: row, Col: "repealed"}, {Row: row, Col: "valid"}}
	}
	t.Layout = [][]Cell{
		block(item1),
		{{Text: what, Header: true}, {Text: "本年制发件数", Header: true}, {Text: "本年废止件数", Header: true}, {Text: "现行有效件数", Header: true}},
		three("rules", "规章"),
		three("normative", "行政规范性文件"),
		block(item5),
		wide("本年处理决定数量"),
		one("licensing", "行政许可", "decisions"),
		block(item6),
		wide("本年处理决定数量"),
		one("penalty", "行政处罚", "decisions"),
		one("coercion", "行政强制", "decisions"),
		block(item8),
		wide("本年收费金额（单位：万元）"),
		one("fees", "行政事业性收费", "amount"),
	}
	return t
}

func table3() *Table {
	const (
		applicants = "申请人情况"
		legal      = "法人或其他组织"
		results    = "三、本年度办理结果"
	)
	cols := func() []*Column {
		return []*Column{
			{Key: "natural", Label: "自然人", Path: []string{applicants}},
			{Key: "business", Label: "商业企业", Path: []string{applicants, legal}},
			{Key: "research", Label: "科研机构", Path: []string{applicants, legal}},
			{Key: "nonprofit", Label: "社会公益组织", Path: []string{applicants, legal}},
			{Key: "legal", Label: "法律服务机构", Path: []string{applicants, legal}},
			{Key: "other", Label: "其他", Path: []string{applicants, legal}},
			{Key: "total", Label: "总计", Path: []string{applicants}, Total: true},
		}
	}
	type group struct {
		label string
		rows  [][2]string // key, label
	}
	groups := []group{
		{"（一）予以公开", [][2]string{{"disclosed", ""}}},
		{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [][2]string{{"partial", ""}}},
		{"（三）不予公开", [][2]string{
			{"denied_secret", "1.属于国家秘密"},
			{"denied_law", "2.其他法律行政法规禁止公开"},
			{"denied_safety", "3.危及“三安全一稳定”"},
			{"denied_third_party", "4.保护第三方合法权益"},
			{"denied_internal", "5.属于三类内部事务信息"},
			{"denied_process", "6.属于四类过程性信息"},
			{"denied_enforcement", "7.属于行政执法案卷"},
			{"denied_query", "8.属于行政查询事项"},
		}},
		{"（四）无法提供", [][2]string{
			{"unable_no_info", "1.本机关不掌握相关政府信息"},
			{"unable_create", "2.没有现成信息需要另行制作"},
			{"unable_unclear", "3.补正后申请内容仍不明确"},
		}},
		{"（五）不予处理", [][2]string{
			{"rejected_petition", "1.信访举报投诉类申请"},
			{"rejected_repeat", "2.重复申请"},
			{"rejected_publication", "3.要求提供公开出版物"},
			{"rejected_massive", "4.无正当理由大量反复申请"},
			{"rejected_confirm", "5.要求行政机关确认或重新出具已获取信息"},
		}},
		{"（六）其他处理", [][2]string{
			{"other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
			{"other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
			{"other_other", "3.其他"},
		}},
		{"（七）总计", [][2]string{{"total", ""}}},
	}
	t := &Table{
		ID: "t3", Name: "表三", Section: "requests", Caption: "收到和处理政府信息公开申请情况",
		Note: "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
	}
	values := func(row string) []Cell {
		var cs []Cell
		for _, c := range cols() {
			cs = append(cs, Cell{Row: row, Col: c.Key})
		}
		return cs
	}
	t.Layout = [][]Cell{
		{{Text: t.Note, ColSpan: 3, RowSpan: 3, Header: true, Note: true}, {Text: applicants, ColSpan: 7, Header: true}},
		{{Text: "自然人", RowSpan: 2, Header: true}, {Text: legal, ColSpan: 5, Header: true}, {Text: "总计", RowSpan: 2, Header: true}},
		{{Text: "商业企业", Header: true}, {Text: "科研机构", Header: true}, {Text: "社会公益组织", Header: true}, {Text: "法律服务机构", Header: true}, {Text: "其他", Header: true}},
	}
	top := func(key, label string) {
		t.Rows = append(t.Rows, &Row{Key: key, Label: label, Cols: cols()})
		t.Layout = append(t.Layout, append([]Cell{{Text: label, ColSpan: 3}}, values(key)...))
	}
	top("received", "一、本年新收政府信息公开申请数量")
	top("carried_over", "二、上年结转政府信息公开申请数量")
	resultRows := 0
	for _, g := range groups {
		resultRows += len(g.rows)
	}
	first := true
	for _, g := range groups {
		for i, kr := range g.rows {
			var lead []Cell
			if first {
				lead = append(lead, Cell{Text: results, RowSpan: resultRows})
				first = false
			}
			row := &Row{Key: kr[0], Cols: cols()}
			if kr[1] == "" { // a single-row group: the group label is the row label
				row.Label, row.Path = g.label, []string{results}
				lead = append(lead, Cell{Text: g.label, ColSpan: 2})
			} else {
				row.Label, row.Path = kr[1], []string{results, g.label}
				if i == 0 {
					lead = append(lead, Cell{Text: g.label, RowSpan: len(g.rows)})
				}
				lead = append(lead, Cell{Text: kr[1]})
			}
			t.Rows = append(t.Rows, row)
			t.Layout = append(t.Layout, append(lead, values(kr[0])...))
		}
	}
	top("carried_forward", "四、结转下年度继续办理")
	return t
}

func table4() *Table {
	const (
		review = "行政复议"
		suit   = "行政诉讼"
		direct = "未经复议直接起诉"
		after  = "复议后起诉"
	)
	outcome := [][2]string{
		{"maintained", "结果维持"}, {"corrected", "结果纠正"}, {"other", "其他结果"},
		{"pending", "尚未审结"}, {"total", "总计"},
	}
	cols := func(path ...string) []*Column {
		var cs []*Column
		for _, o := range outcome {
			cs = append(cs, &Column{Key: o[0], Label: o[1], Path: path, Total: o[0] == "total"})
		}
		return cs
	}
	t := &Table{
		ID: "t4", Name: "表四", Section: "appeals", Caption: "政府信息公开行政复议、行政诉讼情况",
		Rows: []*Row{
			{Key: "review", Label: review, Cols: cols(review)},
			{Key: "direct", Label: direct, Path: []string{suit}, Cols: cols(suit, direct)},
			{Key: "after_review", Label: after, Path: []string{suit}, Cols: cols(suit, after)},
		},
	}
	var h2, h3, vals []Cell
	for _, o := range outcome {
		h2 = append(h2, Cell{Text: o[1], RowSpan: 2, Header: true})
	}
	h2 = append(h2, Cell{Text: direct, ColSpan: 5, Header: true}, Cell{Text: after, ColSpan: 5, Header: true})
	for range 2 {
		for _, o := range outcome {
			h3 = append(h3, Cell{Text: o[1], Header: true})
		}
	}
	for _, r := range t.Rows {
		for _, o := range outcome {
			vals = append(vals, Cell{Row: r.Key, Col: o[0]})
		}
	}
	t.Layout = [][]Cell{
		{{Text: review, ColSpan: 5, Header: true}, {Text: suit, ColSpan: 10, Header: true}},
		h2, h3, vals,
	}
	return t
}
