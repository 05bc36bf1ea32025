package roster

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/schema"
)

// SheetName is the roster template's sheet.
const SheetName = "名单"

// templateRows is how many rows of the template carry the drop-down lists.
const templateRows = 2000

// WriteTemplate writes an empty roster to w: a workbook when name ends in
// .xlsx (header row, drop-down lists for the fields with choices, an input
// prompt on every column), else a CSV file in UTF-8 with a byte order mark
// (so Excel and WPS open it with the right encoding). The same call always
// writes the same bytes.
func WriteTemplate(w io.Writer, name string) error {
	return Write(w, name, &Roster{})
}

// Write writes r to w in the same shape as the template: the header row of
// schema.RosterFields and one row per unit.
func Write(w io.Writer, name string, r *Roster) error {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return writeWorkbook(w, r)
	}
	return WriteCSV(w, r)
}

// WriteCSV writes r as UTF-8 CSV with a byte order mark.
func WriteCSV(w io.Writer, r *Roster) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	var head []string
	for _, f := range schema.RosterFields {
		head = append(head, f.Label)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, u := range r.Units {
		var rec []string
		for _, f := range schema.RosterFields {
			rec = append(rec, u.Fields[f.Key])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeWorkbook(w io.Writer, r *Roster) (err error) {
	x := excelize.NewFile()
	defer x.Close()
	must := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	must(x.SetSheetName("Sheet1", SheetName))
	must(x.SetDocProps(&excelize.DocProperties{Title: "应报单位名单", Creator: "nianbao",
		Created: "2021-09-26T00:00:00Z", Modified: "2021-09-26T00:00:00Z"}))
	head, e := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	must(e)
	req, e := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Vertical: "center"}})
	must(e)
	text, e := x.NewStyle(&excelize.Style{NumFmt: 49})
	must(e)
	for i, f := range schema.RosterFields {
		col := i + 1
		ref := cellRef(col, 1)
		must(x.SetCellStr(SheetName, ref, f.Label))
		st := head
		if f.Required {
			st = req
		}
		must(x.SetCellStyle(SheetName, ref, ref, st))
		name, _ := excelize.ColumnNumberToName(col)
		wd := 14.0
		if f.Key == schema.RosterAgency || f.Key == schema.RosterParent || f.Key == schema.RosterContact {
			wd = 36
		}
		must(x.SetColWidth(SheetName, name, name, wd))
		must(x.SetCellStyle(SheetName, cellRef(col, 2), cellRef(col, templateRows+1), text))
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("%s2:%s%d", name, name, templateRows+1)
		note := f.Note
		if f.Required {
			note = "必填。" + note
		}
		if f.Choices != nil {
			must(dv.SetDropList(f.Choices))
			dv.SetError(excelize.DataValidationErrorStyleStop, "请从列表中选择", f.Label+"只能是："+strings.Join(f.Choices, "、"))
		}
		dv.SetInput(f.Label, note)
		must(x.AddDataValidation(SheetName, dv))
	}
	must(x.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	for i, u := range r.Units {
		for j, f := range schema.RosterFields {
			if v := u.Fields[f.Key]; v != "" {
				must(x.SetCellStr(SheetName, cellRef(j+1, i+2), v))
			}
		}
	}
	if err != nil {
		return fmt.Errorf("roster: write: %w", err)
	}
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("roster: write: %w", err)
	}
	return nil
}
