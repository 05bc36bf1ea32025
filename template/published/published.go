// Package published imports a published annual report — text copied from a
// web page, a saved HTML page, or a .docx attachment — into the report
// model, so that it can be checked, re-rendered and carried forward into
// next year's template.
//
// The reader walks the format declaration (package schema): it finds the
// six sections by their headings (and the variants in Section.Aliases),
// reads every table cell by cell against each declared format (2021, and
// the 2019 trial format, which it carries over through schema.Map2019), and
// records the source line of every value. Whatever it cannot read becomes a
// finding in Report.Issues; it never guesses a figure.
//
// Findings raised while importing: TABLE-MISSING (a table is not in the
// text), IMPORT (a figure that could not be read or placed), IMPORT-SPLIT
// (digits that ran together, split uniquely by the row's arithmetic: a
// warning to verify), OLD-FORMAT (the 2019 trial format) and
// IMPORT-UNMAPPED (a 2019 figure with no 2021 cell, kept as a hint).
//
// Layouts read: rows separated by |, tabs or runs of spaces (PDF text), one
// cell per line with blank and stray cells, labels and headers wrapped over
// lines, group labels printed in a later row, page numbers and running
// heads inside a table, explanatory lines around a table, figures run
// together; HTML tables with rowspan and colspan, nested layout tables and
// cells of <p><span>; Word tables with gridSpan and vMerge.
package published

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/internal/bound"
	"github.com/nianbao/nianbao/template/published/pdftext"
)

// MaxSize is the largest input read, in bytes. A report is a few tens of
// kilobytes of text; a saved page or .docx with images rarely exceeds a few
// megabytes.
const MaxSize = 32 << 20

// maxLines bounds the number of lines of text a report may have.
const maxLines = 200000

// The readers of the published kinds, one per kind of file: template.Inputs
// names the reader of each extension. name is used in locations and
// messages; a panic is turned into an error.

// ReadText imports text copied from a web page (.txt); a saved page given
// a .txt name (it starts like an HTML page) is read as HTML.
func ReadText(name string, data []byte) (*schema.Report, error) { return read(name, data, textSource) }

// ReadHTML imports a saved web page (.html, .htm).
func ReadHTML(name string, data []byte) (*schema.Report, error) { return read(name, data, htmlSource) }

// ReadDOCX imports a Word attachment (.docx).
func ReadDOCX(name string, data []byte) (*schema.Report, error) { return read(name, data, docxSource) }

// ReadPDF imports a PDF attachment (.pdf) that has a text layer.
func ReadPDF(name string, data []byte) (*schema.Report, error) { return read(name, data, pdfSource) }

// A lineSource turns a file's bytes into lines; pdf says they are a PDF's.
type lineSource func(loc schema.Location, data []byte) (lines []line, pdf bool, err error)

func docxSource(loc schema.Location, data []byte) ([]line, bool, error) {
	lines, err := docxLines(data)
	if err != nil {
		msg := "不是有效的 Word 文档（.docx）；旧版 .doc 请先在 Word 或 WPS 中另存为 .docx"
		if m, ok := bound.Explain("Word 文档", "正文（"+docxBodyPart+"）", err); ok && !errors.Is(err, bound.ErrNotZip) && !errors.Is(err, bound.ErrNoSuchPart) {
			msg = m
		}
		return nil, false, schema.Unusable(loc, msg, err)
	}
	return lines, false, nil
}

func pdfSource(loc schema.Location, data []byte) ([]line, bool, error) {
	pages, err := pdftext.Read(data)
	if err != nil {
		return nil, false, schema.Unusable(loc, pdfError(err), err)
	}
	lines, scanned := pdfLines(pages)
	if scanned {
		return nil, false, schema.Unusable(loc, fmt.Sprintf("这份 PDF 共 %d 页，是扫描的图像，没有文字层，nianbao 无法读出其中的文字和数字；请对照原件把数字填入模板（nianbao init 生成），或找到报告的网页、Word 版本再导入", len(pages)), nil)
	}
	return lines, true, nil
}

func htmlSource(loc schema.Location, data []byte) ([]line, bool, error) {
	s, err := decodeHTML(data)
	if err != nil {
		msg := "无法识别网页的文字编码（支持 UTF-8、GBK、GB2312、GB18030）"
		if cs, ok := strings.CutPrefix(err.Error(), errEncoding.Error()+": "); ok {
			msg = "网页使用 " + cs + " 编码，nianbao 只支持 UTF-8 和 GBK/GB2312/GB18030；请在浏览器中将网页另存为 UTF-8 后重试"
		}
		return nil, false, schema.Unusable(loc, msg, err)
	}
	lines, err := htmlLines(s)
	if err != nil {
		return nil, false, deepPage(loc, err)
	}
	return lines, false, nil
}

func textSource(loc schema.Location, data []byte) ([]line, bool, error) {
	s, err := decodeText(data)
	if err != nil {
		return nil, false, schema.Unusable(loc, "无法识别文件的文字编码（支持 UTF-8、GBK、GB18030）；请用记事本另存为 UTF-8 后重试", err)
	}
	if n := strings.Count(s, "\n"); n > maxLines {
		return nil, false, schema.Unusable(loc, fmt.Sprintf("文件行数过多（%d 行），不像是一份年度报告", n), nil)
	}
	if looksHTML(s) {
		lines, err := htmlLines(s)
		if err != nil {
			return nil, false, deepPage(loc, err)
		}
		return lines, false, nil
	}
	return textLines(s), false, nil
}

// read imports a published report whose lines src reads.
func read(name string, data []byte, src lineSource) (rep *schema.Report, err error) {
	loc := schema.Location{File: name}
	defer func() {
		if p := recover(); p != nil {
			rep, err = nil, schema.Unusable(loc, fmt.Sprintf("无法读取已发布的报告（内部错误：%v）", p), nil)
		}
	}()
	if len(data) > MaxSize {
		return nil, schema.Unusable(loc, fmt.Sprintf("文件过大（%d MB），已发布的报告不应超过 %d MB", len(data)>>20, MaxSize>>20), nil)
	}
	lines, pdf, err := src(loc, data)
	if err != nil {
		return nil, err
	}
	if len(lines) > maxLines {
		return nil, schema.Unusable(loc, fmt.Sprintf("文件行数过多（%d 行），不像是一份年度报告", len(lines)), nil)
	}
	if err := boundText(name, lines); err != nil {
		return nil, err
	}
	rd := &reader{name: name, pdf: pdf}
	rep = rd.parse(lines)
	rep.Imported = record(name, rep)
	rep.Imported.Inferred = inferred(rep)
	if err := rep.CheckText(); err != nil {
		return nil, err
	}
	if len(rep.SectionLoc) == 0 && len(rep.Tables) == 0 {
		secs := schema.Current.Sections
		return nil, schema.Unusable(loc, fmt.Sprintf("没有找到年度报告的任何章节标题（%s …… %s），不像是政府信息公开工作年度报告",
			secs[0].Heading(), secs[len(secs)-1].Heading()), nil)
	}
	return rep, nil
}

// looksHTML reports whether text saved as .txt is in fact an HTML page.
func looksHTML(s string) bool {
	head := strings.ToLower(strings.TrimSpace(s[:min(len(s), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html")
}

// boundText refuses, before parsing, a file whose text adds up to more
// than schema.MaxText characters or holds a line (a paragraph) longer than
// schema.MaxParagraph.
func boundText(name string, lines []line) error {
	var b schema.TextBudget
	for _, l := range lines {
		loc := schema.Location{File: name, Line: l.n}
		if !b.Add(l.text) {
			return schema.TooMuchText(loc, "")
		}
		if err := schema.CheckParagraph(loc, "这一段文字", l.text); err != nil {
			return err
		}
	}
	return nil
}

// pdfError explains why a PDF cannot be read.
func pdfError(err error) string {
	switch {
	case errors.Is(err, pdftext.ErrNotPDF):
		return "不是有效的 PDF 文件（文件开头没有 PDF 标记，可能已损坏或扩展名被改过）"
	case errors.Is(err, pdftext.ErrEncrypted):
		return "PDF 文件已加密，无法读取其中的文字；请用 PDF 阅读器去除密码（另存为不加密的 PDF）后重试，或导入报告的网页、Word 版本"
	case errors.Is(err, pdftext.ErrNoPages):
		return "PDF 文件中没有找到任何页面，文件可能已损坏"
	case errors.Is(err, pdftext.ErrTooLarge):
		return "PDF 文件过于复杂（对象、数据流或绘制指令超过上限），不像是一份年度报告，未读取"
	}
	return "无法读取 PDF 文件（文件可能已损坏）"
}

// deepPage is the error of a page whose tables nest too deep.
func deepPage(loc schema.Location, err error) error {
	msg, _ := bound.Explain("网页", "表格", err)
	return schema.Unusable(loc, msg, err)
}

// record is what the import learnt, kept with the report: its findings and
// where each row's figures were printed.
func record(name string, rep *schema.Report) *schema.ImportRecord {
	ir := &schema.ImportRecord{Source: name, Findings: append([]schema.Finding(nil), rep.Issues...), Rows: map[string]string{}}
	if !rep.Format.InOrder(rep.Headings) {
		ir.Headings = rep.Headings
	}
	for _, t := range rep.Format.Tables {
		d := rep.Tables[t.ID]
		if d == nil {
			continue
		}
		for i, row := range t.Rows {
			for j := range row.Cols {
				if v := d.At(i, j); v != nil && !v.IsBlank() && v.Loc.Line > 0 {
					ir.Rows[schema.RowKey(t.ID, row.Key)] = v.Loc.String()
					break
				}
			}
		}
	}
	return ir
}
