package workbook

import (
	"io"
	"strings"
)

// Sheet is one worksheet of any workbook, its cells as the text a person
// sees in them, read with the same bounds as a report workbook (entries,
// part sizes, cells). Other tables that staff keep in Excel (the roster of
// units) are read through it.
type Sheet struct {
	Name string
	// Rows is the last row holding a cell (1-based); 0 for an empty sheet.
	Rows int
	// Cols is the last column holding a cell (1-based).
	Cols  int
	cells map[pos]xcell
}

// Text is the text of the cell at col, row (both from 1), trimmed; "" for
// an empty cell. A number is written in plain decimal (no exponent).
func (s *Sheet) Text(col, row int) string {
	c, ok := s.cells[pos{col, row}]
	if !ok {
		return ""
	}
	return strings.TrimSpace(cellText(c))
}

// Sheets reads every worksheet of the workbook, in the workbook's order.
// Every failure is an *schema.InputError with a Chinese message.
func Sheets(name string, r io.ReaderAt, size int64) ([]*Sheet, error) {
	b, err := openBook(name, r, size)
	if err != nil {
		return nil, err
	}
	out := make([]*Sheet, len(b.sheets))
	for i, s := range b.sheets {
		sh := &Sheet{Name: s.name, Rows: s.maxRow, cells: s.cells}
		for p := range s.cells {
			sh.Cols = max(sh.Cols, p.col)
		}
		out[i] = sh
	}
	return out, nil
}
