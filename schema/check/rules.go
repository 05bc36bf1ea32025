package check

import (
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// The IDs of the rules that readers report while reading the input, or
// that other code names. Readers take them and their severities from here
// (SeverityOf), never spelling a rule ID of their own.
const (
	TableMissing   = "TABLE-MISSING"
	Structure      = "STRUCTURE"
	Layout         = "LAYOUT"
	CellFormat     = "CELL-FORMAT"
	OldFormat      = "OLD-FORMAT"
	Import         = "IMPORT"
	ImportSplit    = "IMPORT-SPLIT"
	ImportUnmapped = "IMPORT-UNMAPPED"
	CellEmpty      = "CELL-EMPTY"
	CellType       = "CELL-TYPE"
)

// All is the rule catalogue, in the order rules run and are documented.
// It is immutable: no registration at init time.
var All = []*Rule{
	// Errors: the report is not fit to publish.
	{ID: "META", Severity: schema.Error, Check: checkMeta,
		Title: "机关名称、报告年度、主体类型、层级、类别和发布日期必须填写且有效",
		Doc: `机关名称、报告年度（四位数字，2021 年度起适用 2021 年格式）、报告主体类型（本机关 / 本级政府 / 本行政区域汇总）、
机关层级（国家 / 省 / 市 / 县 / 乡镇）、机关类别（政府 / 部门）和发布日期（YYYY-MM-DD，应在报告年度之后）必须填写。
层级和类别决定规章制定权（RULE-POWER）和发布期限（DATE-LATE）的判断。
错误示例：year: 22、published: 2023年2月30日。改正：year: 2022、published: 2023-01-29。`},
	{ID: "SECTION-MISSING", Severity: schema.Error, Check: checkSectionMissing,
		Title: "一、五、六部分不能缺失或为空",
		Doc: `《条例》第五十条规定了年度报告的内容，格式通知要求“不能遗漏”。一、总体情况，五、存在的主要问题及改进情况，
六、其他需要报告的事项必须有正文；没有其他事项的，也应写明信息处理费收取情况。`},
	{ID: "SECTION-ORDER", Severity: schema.Error, Check: checkSectionOrder,
		Title: "六个部分的标题各出现一次，按顺序排列，编号正确",
		Doc: `年度报告的六个部分（一、总体情况 …… 六、其他需要报告的事项）按格式规定的顺序和编号排列，每个标题只出现一次。
导入已发布的报告时逐个核对标题：编号写错（如把五写成“四、存在的主要问题及改进情况”）、顺序颠倒（二在一之前）、
标题重复（两个“四、”）都会指出。错误示例：一、二、三、四、四、六。改正：一、二、三、四、五、六。
YAML 和工作簿的部分由键和工作表固定，不会出现此问题。`},
	{ID: "REVISE-MARK", Severity: schema.Error, Check: checkReviseMark,
		Title: "从上年报告沿用的文字已改写，“【待修改…】”标记已删除",
		Doc: `nianbao init --from 生成下一年度模板时，上年报告中含年份的段落末尾加上“【待修改：……】”标记，提醒逐段改写。
改写后删去标记；标记还在，说明该段仍是上年的文字，不能发布。`},
	{ID: TableMissing, Severity: schema.Error, Check: checkTableMissing,
		Title: "表二、表三、表四必须以表格形式完整填报",
		Doc: `二、三、四部分是固定格式的统计表，必须完整填报，不能省略，也不能只贴图片。
已发布报告导入时找不到表格（如只有标题没有表格文字），同样报告此项。`},
	{ID: CellEmpty, Severity: schema.Error, Check: checkCellEmpty,
		Title: "表格单元格不能空白（空白不等于 0）",
		Doc: `统计表的每个单元格都必须填写。空白不会被当作 0：没有发生的事项请填 0。
整张表或整行空白时合并为一条提示。错误示例：表三“2.重复申请”·自然人 留空。改正：填 0。`},
	{ID: CellType, Severity: schema.Error, Check: checkCellType,
		Title: "件数为非负整数，收费金额为非负数（万元）",
		Doc: `件数类单元格只能填非负整数；“本年收费金额（单位：万元）”只能填非负数，单位为万元。
“无”“-”“/”、负数、带单位的文字都无法读取。错误示例：“无”、“3.5”（件数）、“-1”。改正：0、3、1。`},
	{ID: "T3-ROW", Severity: schema.Error, Check: checkRelations,
		Title: "表三每行的总计等于自然人与法人或其他组织五列之和",
		Doc: `表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。
错误示例：“（一）予以公开”自然人 10、商业企业 2，总计 11。改正：总计 12，或改正有误的分项。`},
	{ID: "T3-RESULT", Severity: schema.Error, Check: checkRelations,
		Title: "表三“（七）总计”等于（一）至（六）各项办理结果之和",
		Doc: `每一列：（七）总计 = （一）予以公开 + （二）部分公开 + （三）不予公开 1—8 + （四）无法提供 1—3 +
（五）不予处理 1—5 + （六）其他处理 1—3。（三）至（六）没有小计行，各分项直接相加。`},
	{ID: "T3-BALANCE", Severity: schema.Error, Check: checkRelations,
		Title: "表三勾稽关系：第一项加第二项之和，等于第三项加第四项之和",
		Doc: `表三自带的勾稽关系，逐列成立：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理。
错误示例：新收 60、上年结转 0、（七）总计 59、结转下年度 0。改正：补上漏计的办理结果，或把未办结的 1 件计入结转下年度。

表三、表四的合计关系一起核对：不成立的关系逐项写出每个数及其位置（“一、本年新收… 13（表三!D5） + 二、上年结转… 0（D6） ≠
（七）总计 12（D28） + 四、结转下年度继续办理 2（D29）”）。其余关系（行合计、（七）总计）以及正文所写的数字、上年报告的结转数
能确定是哪一格有误时，只报一条，指出这一格和应填的数；有几种可能时列出这几格，不猜测。`},
	{ID: "T4-TOTAL", Severity: schema.Error, Check: checkRelations,
		Title: "表四各组总计等于结果维持、结果纠正、其他结果、尚未审结之和",
		Doc:   `行政复议、未经复议直接起诉、复议后起诉三组各自：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。`},

	{ID: "SUM-CHILDREN", Severity: schema.Error, Check: checkSumChildren, NeedsChildren: true,
		Title: "汇总报告的每个数字等于下级各单位报告之和",
		Doc: `（需要 --children 下级报告文件夹）本行政区域汇总报告（或手工汇总的报告）的表二、表三、表四逐格与文件夹中各单位报告之和比较，
不相等的逐格列出；汇总报告第六部分列出的参与汇总机关在文件夹中没有报告的，也逐一列出。用 nianbao sum 汇总可避免手工相加出错。`},

	// Problems found while reading the input.
	{ID: Structure, Severity: schema.Error, Reader: true,
		Title: "YAML 文件的字段和结构符合模板",
		Doc: `YAML 报告的键名、行名和每行的数值个数须与模板一致（nianbao init 生成的模板中每个键都有中文注释）。
错误示例：requests 下的 received 只写了 6 个数。改正：按“自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计”写 7 个。
未知字段（如拼写错误）和重复的字段同样列出：其内容没有被读取。`},
	{ID: Layout, Severity: schema.Error, Minor: schema.Warning, Reader: true,
		Title: "工作簿的工作表、行列和标签与官方格式一致",
		Doc: `工作簿中的表格必须保持 nianbao 模板的样子：不能改动标签、插入或删除行列、改名或删除工作表，
否则数值会对不上位置。请在原模板中填写，或用 nianbao init 重新生成模板。`},
	{ID: CellFormat, Severity: schema.Warning, Check: checkCellFormat,
		Title: "数值以普通数字填写（全角数字、千分位、文本格式的数字已自动转换）",
		Doc: `全角数字（６０）、千分位（1,234）、前后空格、以文本格式保存的数字可以读取，但已被转换；请改为普通数字，
避免其他软件读错。`},
	{ID: OldFormat, Severity: schema.Error, Reader: true,
		Title: "使用 2021 年格式，而不是 2019 年试行格式",
		Doc: `2021 年度起的报告应使用国办公开办函〔2021〕30号格式。出现“本年新制作数量”“第二十条第（九）项”
“政府集中采购”或单行“（六）其他处理”即是 2019 年旧格式。导入旧格式报告时，能对应的数据（表三除（六）外、表四）会保留，
不能对应的列出，不会编造。`},
	{ID: Import, Severity: schema.Error, Minor: schema.Warning, Reader: true,
		Title: "已发布报告中的每个数字都能读取",
		Doc: `导入已发布报告时，无法可靠读取的数字（缺失、粘连无法唯一拆分、不是数字）会连同原文行号列出，不会猜测。
表格中既不是行名、栏名也不是整句说明的零星文字（如“详见附件”）以提示列出原文和位置，请核对，需要时写入正文。`},

	{ID: ImportSplit, Severity: schema.Warning, Reader: true,
		Title: "已发布报告中粘连的数字已按表格的合计关系拆分，请核对",
		Doc: `网页文字中相邻单元格的数字有时连在一起（如“6000006”）。若按该行“总计 = 六列之和”只有一种拆法，
导入时按此拆分并提示核对；有多种拆法时不猜测，改报 IMPORT。`},
	{ID: ImportUnmapped, Severity: schema.Warning, Reader: true,
		Title: "旧格式中在 2021 年格式里没有对应位置的数据未结转",
		Doc: `2019 年格式的表二（本年新制作数量、上一年项目数量、政府集中采购等）和表三单行“（六）其他处理”在 2021 年格式中
没有对应单元格。导入时逐项列出原值，不结转、不编造，请按新格式重新填写。`},

	// Warnings: worth a look before publishing.
	{ID: "CARRY-OVER", Severity: schema.Warning, Blocks: unexplained, Check: checkCarryOver, NeedsPrev: true,
		Title: "表三“上年结转”等于上年报告的“结转下年度继续办理”",
		Doc: `（需要 --prev 上年报告）二、上年结转政府信息公开申请数量 应逐列等于上年报告的 四、结转下年度继续办理。
机构改革、汇总范围变化可能导致合理差异，请在正文说明。`},
	{ID: "STOCK-FLOW", Severity: schema.Warning, Blocks: unexplained, Check: checkStockFlow, NeedsPrev: true,
		Title: "现行有效件数等于上年现行有效件数加本年制发减本年废止",
		Doc: `（需要 --prev 上年报告）规章、行政规范性文件分别：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数。
文件到期自动失效、清理等会造成差异，请核实并在正文说明。`},
	{ID: "STOCK-MIN", Severity: schema.Warning, Check: checkStockMin,
		Title: "现行有效件数不少于本年制发件数减本年废止件数",
		Doc: `本年制发且未废止的文件通常仍然有效，所以现行有效件数 ≥ 本年制发件数 − 本年废止件数。
错误示例：本年制发 5、本年废止 0、现行有效 2。`},
	{ID: "RULE-POWER", Severity: schema.Warning, Check: checkRulePower,
		Title: "没有规章制定权的机关，规章一行应为 0",
		Doc: `只有国务院部门和省、自治区、直辖市、设区的市、自治州人民政府可以制定规章（《立法法》）。
政府部门、县级政府、乡镇填报非零的规章件数，多半是把行政规范性文件填错了行。`},
	{ID: "FEE-UNIT", Severity: schema.Warning, Check: checkFeeUnit,
		Title: "行政事业性收费金额以万元为单位",
		Doc: `“本年收费金额（单位：万元）”以万元为单位。写成“89902.19元”或对本级机关明显过大的数额，多半是按元填写了。
改正：89902.19 元 = 8.990219 万元。`},
	{ID: "TEXT-NUMBER", Severity: schema.Warning, Blocks: unexplained, Check: checkTextNumber,
		Title: "正文引用的数字与表格一致",
		Doc: `正文中“收到申请60件”“予以公开15件”“行政复议1件”“未收到政府信息公开申请”等说法须与表三、表四一致。
错误示例：正文“予以公开15件”，表三“（一）予以公开”总计 16。`},
	{ID: "TEXT-AREAS", Severity: schema.Warning, Check: checkTextAreas,
		Title: "总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障",
		Doc: `格式通知要求“总体情况”综述主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面。
常见做法是用（一）至（五）五个小标题分别叙述。`},
	{ID: "TEXT-FEE", Severity: schema.Warning, Check: checkTextFee, Since: 2021,
		Title: "六、其他需要报告的事项说明信息处理费收取情况",
		Doc: `按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），应报告发出收费通知的件数和总金额以及实际收取的总金额；
未收取的也应写明。错误示例：“六、其他需要报告的事项 无。”改正：“本年度未收取信息处理费。”
该办法自 2021 年 1 月 1 日起施行：2019、2020 年度的报告（如导入的旧报告）不检查此项。`},
	{ID: "TEXT-STALE", Severity: schema.Warning, Check: checkTextStale,
		Title: "正文中没有沿用往年的年份、链接和已被替代的文件",
		Doc: `统计期限应为报告年度的1月1日至12月31日；电子版网址不应指向往年栏目（如 /2020j/）；依据应为国办公开办函〔2021〕30号，
而不是已被替代的国办公开办函〔2019〕60号；以往年年份开头的段落多半是照抄上年。`},
	{ID: "TEXT-THIN", Severity: schema.Warning, Check: checkTextThin,
		Title: "总体情况和存在的主要问题及改进情况言之有物",
		Doc: `一、总体情况和五、存在的主要问题及改进情况须据实叙述。只写“无”“无。”、只有小标题，或正文不足 30 个字
（标点和空格不计），评估中都会被认定为内容缺失或敷衍。错误示例：五、存在的主要问题及改进情况 “无。”
改正：写明本年度工作中存在的不足和下一步的改进措施。`},
	{ID: "TEXT-YEAR", Severity: schema.Warning, Check: checkTextYear,
		Title: "正文中的年份与报告年度相符",
		Doc: `正文中的年份须与所在的句子相符：上一年的年份不能用作本报告年度的工作年份（2024 年度报告中的
“2023年，我局……”“本年度（2023年）”“本单位2023年度主动公开……”），下一年的年份只能用于五、存在的主要问题及改进情况
中的工作计划（“2025年将……”），其他部分用它叙述已经做过的工作多半是写错了年份。日期（“2025年1月20日”）、
与上年比较（“较2023年”）、上年报告（“针对2023年……存在的问题”）不受影响。`},
	{ID: "TEXT-SPACE", Severity: schema.Warning, Check: checkTextSpace,
		Title: "正文中没有多余的空格和制表符",
		Doc: `中文正文中不应有连续的空格、制表符、全角空格，也不应在汉字之间或中文标点前后加空格（多由复制粘贴带入）。
提示写明是第几个字及其前后文字。错误示例：“《条例》，  按照”。改正：“《条例》，按照”。
汉字与数字、英文之间的单个空格属于排版习惯，不提示。发布稿中连续的空格只印一个。`},
	{ID: "TEXT-SIMILAR", Severity: schema.Warning, Check: checkTextSimilar, NeedsPrev: true,
		Title: "正文不与上年报告雷同",
		Doc:   `（需要 --prev 上年报告）某部分八成以上文字与上年相同时提示。格式通知把“内容雷同、敷衍塞责”列为问责情形。`},
	{ID: "YOY-JUMP", Severity: schema.Warning, Blocks: unexplained, Check: checkYOYJump, NeedsPrev: true,
		Title: "主要数字与上年相比没有异常的大幅变化，或已说明原因",
		Doc: `（需要 --prev 上年报告）本年新收申请、予以公开、不予公开、行政复议和行政诉讼总计、行政许可、行政处罚、行政强制、
收费金额与上年相比增加或减少超过格式中声明的倍数（3 倍），且变化不少于声明的最小数量（件数 10 件，处理决定 100 件，
收费 10 万元）时提示，相当于统计系统的“异常值”核查。数字属实的，在报告的说明（explanations）中写明原因。`},
	{ID: "TEXT-CONTROL", Severity: schema.Warning, Check: checkTextControl,
		Title: "正文和基本信息中没有控制字符或不可见字符",
		Doc: `从网页、Word 或其他系统复制粘贴时，常带进控制字符、零宽空格、软连字符等看不见的字符：
发布后可能显示为方框、乱码，或让网址、数字无法检索。提示指出字符的编码（U+XXXX）和位置，删除即可。`},
	{ID: "DATE-LATE", Severity: schema.Warning, Check: checkDateLate,
		Title: "在法定期限前发布（部门1月31日，本级政府3月31日）",
		Doc: `《条例》第四十九条：县级以上人民政府部门在每年1月31日前公布上一年度报告；本级政府年度报告在3月31日前公布。
本行政区域汇总报告按本级政府的期限判断。`},
	{ID: "HEADING", Severity: schema.Warning, Check: checkHeading,
		Title: "小标题编号连续：（一）（二）（三）……",
		Doc:   `每一部分内的（一）（二）……小标题应从（一）开始依次编号。错误示例：（一）（二）（二）。改正：（一）（二）（三）。`},
}

// Run checks r and returns its findings (including those raised while
// reading), without duplicates and sorted deterministically.
//
// A report built by hand that does not fit its declaration is checked as far
// as it fits (see conform); Run never panics on it.
func Run(r *schema.Report, opt Options) []schema.Finding {
	r = conform(r)
	if opt.Prev != nil {
		opt.Prev = conform(opt.Prev)
	}
	fs := append([]schema.Finding(nil), r.Issues...)
	for _, rule := range All {
		if rule.Check == nil || (rule.NeedsPrev && opt.Prev == nil) || (rule.NeedsChildren && opt.Children == nil) || !rule.appliesTo(r) {
			continue
		}
		rule.Check(&Pass{Rule: rule, Report: r, Prev: opt.Prev, Children: opt.Children, out: &fs, catalogue: All})
	}
	fs = dedupe(fs)
	place(r, fs)
	explain(r, fs)
	schema.SortFindings(r.Format, fs)
	return fs
}

// place gives each finding its stable place: the key of the cell it is
// at (t3.received.total), else its section's key ("" for the report's
// fields).
func place(r *schema.Report, fs []schema.Finding) {
	cells := map[schema.Location]string{}
	for _, t := range r.Format.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			continue
		}
		for i, row := range t.Rows {
			for j, col := range row.Cols {
				if l := d.Values[i][j].Loc; !l.IsZero() && l != d.Loc {
					if _, ok := cells[l]; !ok {
						cells[l] = schema.CellKey(t.ID, row.Key, col.Key)
					}
				}
			}
		}
	}
	for i := range fs {
		if fs[i].Place != "" {
			continue
		}
		if k, ok := cells[fs[i].Location]; ok {
			fs[i].Place = k
		} else {
			fs[i].Place = fs[i].Section
		}
	}
}

// explain marks the warnings the report explains (Report.Explanations):
// same rule, and the explanation's place is the finding's stable place, its
// workbook cell (表三!H5) or its section's heading.
func explain(r *schema.Report, fs []schema.Finding) {
	for _, e := range r.Explanations {
		for i := range fs {
			f := &fs[i]
			if f.Severity != schema.Warning || f.Rule != e.Rule || f.Explained != "" {
				continue
			}
			if placeMatches(r, *f, e.Place) {
				f.Explained = e.Reason
			}
		}
	}
}

func placeMatches(r *schema.Report, f schema.Finding, place string) bool {
	place = strings.TrimSpace(place)
	switch {
	case place == "":
		return false
	case place == f.Place, f.Location.Sheet != "" && place == f.Location.String():
		return true
	}
	if s := r.Format.Section(f.Section); s != nil && (place == s.Key || place == s.Heading()) {
		return true
	}
	return false
}

// unexplained is the Blocks of the rules whose warnings say the report
// contradicts itself or last year's (需说明): they block publication until
// the figure is fixed or the report explains it.
func unexplained(f schema.Finding) bool { return f.Explained == "" }

// dedupe drops a finding that repeats another's rule, place and message
// (a reader and a rule may both see a missing table).
func dedupe(fs []schema.Finding) []schema.Finding {
	type key struct{ rule, section, loc, msg string }
	seen := map[key]bool{}
	bySection := map[[2]string]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := key{f.Rule, f.Section, f.Location.String(), f.Message}
		if seen[k] {
			continue
		}
		if f.Rule == TableMissing {
			if bySection[[2]string{f.Rule, f.Section}] {
				continue
			}
			bySection[[2]string{f.Rule, f.Section}] = true
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// conform returns r, or a shallow copy of it that fits its declaration, so
// that no rule indexes past a table built by hand: a missing format is the
// current one, a nil table is absent, and a table with too few or too many
// rows or columns is read as far as the declaration goes (cells it lacks
// are blank). Readers always give a report that fits; CheckShape makes the
// writers and renderers refuse one that does not.
func conform(r *schema.Report) *schema.Report {
	if r == nil {
		return schema.NewReport(nil)
	}
	if r.Format != nil && r.CheckShape() == nil {
		return r
	}
	c := *r
	if c.Format == nil {
		c.Format = schema.Current
	}
	c.Tables = make(map[string]*schema.TableData, len(r.Tables))
	for id, d := range r.Tables {
		t := c.Format.Table(id)
		if d == nil || t == nil {
			continue
		}
		nd := schema.NewTableData(t)
		nd.Loc = d.Loc
		for i := range nd.Values {
			for j := range nd.Values[i] {
				if v := d.At(i, j); v != nil {
					nd.Values[i][j] = *v
				}
			}
		}
		c.Tables[id] = nd
	}
	return &c
}
