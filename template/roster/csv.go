package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/nianbao/nianbao/schema"
)

// maxCols bounds the columns of one CSV record.
const maxCols = 256

// decode returns the text of a CSV file: UTF-8 (with or without a byte
// order mark), UTF-16 with a byte order mark (Excel's "Unicode text"), or
// else GB18030, which GBK files are.
func decode(name string, data []byte) (string, error) {
	loc := schema.Location{File: name}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return "", schema.Unusable(loc, "名单文件的 UTF-16 编码有误，无法读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”", err)
		}
		return string(out), nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", schema.Unusable(loc, "这不是文字文件（CSV），可能是改了扩展名的其他文件；名单请用 .xlsx 或 .csv", nil)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", schema.Unusable(loc, "名单文件既不是 UTF-8 也不是 GBK 编码，无法读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”", err)
	}
	return string(out), nil
}

// csvGrid is a CSV file's records, with the line each starts on.
type csvGrid struct {
	file    string
	records [][]string
	lines   []int
}

func (g *csvGrid) rows() int { return len(g.records) }
func (g *csvGrid) text(col, row int) string {
	if row < 1 || row > len(g.records) || col < 1 || col > len(g.records[row-1]) {
		return ""
	}
	return strings.TrimSpace(g.records[row-1][col-1])
}
func (g *csvGrid) loc(col, row int) schema.Location {
	l := schema.Location{File: g.file}
	if row >= 1 && row <= len(g.lines) {
		l.Line = g.lines[row-1]
	}
	return l
}

// delimiter guesses the field separator from the first line: a tab when it
// has tabs and no commas (Excel's "Unicode text"), a semicolon likewise,
// else a comma.
func delimiter(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.Contains(first, "\t") && !strings.Contains(first, ","):
		return '\t'
	case strings.Contains(first, ";") && !strings.Contains(first, ","):
		return ';'
	}
	return ','
}

func readCSV(name string, data []byte) (*Roster, error) {
	text, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = delimiter(text)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	g := &csvGrid{file: name}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, schema.Unusable(schema.Location{File: name, Line: line}, "CSV 格式有误（引号不成对等），无法读取；请在 Excel 中打开后重新另存为 CSV", err)
		}
		if len(rec) > maxCols {
			line, _ := cr.FieldPos(0)
			return nil, schema.Unusable(schema.Location{File: name, Line: line}, fmt.Sprintf("一行有 %d 列，超过 %d 列的上限，不是正常的名单", len(rec), maxCols), nil)
		}
		if len(g.records) > MaxUnits+headerRows {
			return nil, schema.Unusable(schema.Location{File: name}, fmt.Sprintf("名单超过 %d 行，不是正常的名单", MaxUnits), nil)
		}
		line, _ := cr.FieldPos(0)
		g.records = append(g.records, rec)
		g.lines = append(g.lines, line)
	}
	return parse(name, g)
}
