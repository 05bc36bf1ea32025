package workbook_test

import (
	"bytes"
	"fmt"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/workbook"
)

// A blank template reads back with every cell blank: a blank is not zero.
func ExampleWrite() {
	r := schema.NewReport(nil)
	r.Meta.Agency.Value, r.Meta.Year.Value = "某某局", "2025"
	var b bytes.Buffer
	if err := workbook.Write(&b, r); err != nil {
		fmt.Println(err)
		return
	}
	back, err := workbook.Read("report.xlsx", bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		fmt.Println(err)
		return
	}
	v := back.Cell("t3", "received", "natural")
	fmt.Println(back.Title())
	fmt.Println(v.Loc, v.IsBlank())
	// Output:
	// 某某局2025年政府信息公开工作年度报告
	// 表三!D5 true
}

// A file that is not a workbook is a clear error, never a panic.
func ExampleRead() {
	pdf := []byte("%PDF-1.7 …")
	_, err := workbook.Read("report.xlsx", bytes.NewReader(pdf), int64(len(pdf)))
	fmt.Println(err)
	// Output:
	// report.xlsx：这是 PDF 文件，不是 Excel 工作簿（.xlsx）；请使用 nianbao init 生成的 .xlsx 模板填写
}
