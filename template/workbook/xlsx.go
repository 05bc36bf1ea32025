package workbook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/internal/bound"
)

// Bounds on what is read from a workbook. A filled report has a few
// thousand cells; these leave a wide margin and keep memory bounded
// whatever the file claims.
const (
	maxPart      = 16 << 20 // uncompressed bytes of one XML part that is read
	maxSheets    = 256
	maxCells     = 200000 // cells kept, over all sheets
	maxStrings   = 500000 // shared strings
	maxRowNumber = 1048576
	maxColNumber = 16384
)

// xcell is one cell as stored in the sheet XML.
type xcell struct {
	kind    byte   // 'n' number, 's' string, 'b' boolean, 'e' error, 'd' date
	v       string // the value: a number's text, the string, …
	formula string
	hasF    bool
}

// text is the cell's value as text: what a person sees in the cell.
func (c xcell) text() string { return c.v }

type xsheet struct {
	name  string
	cells map[pos]xcell
	// maxRow is the last row holding a cell.
	maxRow int
}

func (s *xsheet) cell(col, row int) (xcell, bool) {
	c, ok := s.cells[pos{col, row}]
	return c, ok
}

type xbook struct {
	sheets   []*xsheet
	date1904 bool
}

func (b *xbook) sheet(name string) *xsheet {
	for _, s := range b.sheets {
		if s.name == name {
			return s
		}
	}
	return nil
}

// openBook reads the workbook's sheets with their cells. Every failure is
// an InputError with a Chinese message.
func openBook(name string, r io.ReaderAt, size int64) (*xbook, error) {
	loc := schema.Location{File: name}
	bad := func(msg string, cause error) error { return schema.Unusable(loc, msg, cause) }
	if size <= 0 {
		return nil, bad("文件是空的，不是 Excel 工作簿", nil)
	}
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")):
		return nil, bad("这是 PDF 文件，不是 Excel 工作簿（.xlsx）；请使用 nianbao init 生成的 .xlsx 模板填写", nil)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, bad("这是旧版 Office 文件（.xls 或 .doc），或设置了打开密码的工作簿；请在 Excel 或 WPS 中取消密码并“另存为” .xlsx 格式后重试", nil)
	case !bytes.HasPrefix(head, []byte("PK")):
		return nil, bad("文件不是 Excel 工作簿（.xlsx）：内容不是 xlsx 格式（扩展名可能被改过）", nil)
	}
	z, err := bound.OpenZip(r, size)
	if err != nil {
		msg, _ := bound.Explain("工作簿", "", err)
		return nil, bad(msg, err)
	}
	rd := &bookReader{name: name, zip: z, bad: bad}
	return rd.read()
}

type bookReader struct {
	name  string
	zip   *bound.Zip
	bad   func(string, error) error
	cells int
	sst   []string
	// text counts the text of every kept cell, a shared string once per
	// cell that uses it: what the workbook expands into, not its size.
	text schema.TextBudget
}

// part returns the uncompressed bytes of a part, bounded by maxPart.
func (br *bookReader) part(p string) ([]byte, error) {
	data, err := br.zip.Read(p, maxPart)
	if err != nil {
		return nil, br.damaged("", err)
	}
	return data, nil
}

// damaged words an error of package bound; where names the part for a
// person ("" = its name in the package).
func (br *bookReader) damaged(where string, err error) error {
	if msg, ok := bound.Explain("工作簿", where, err); ok {
		return br.bad(msg, err)
	}
	if where == "" {
		where = "部件"
	}
	return br.bad("工作簿已损坏："+where+"无法解析", err)
}

type rel struct{ id, typ, target string }

func (br *bookReader) rels(p string) ([]rel, error) {
	if !br.zip.Has(p) {
		return nil, nil
	}
	data, err := br.part(p)
	if err != nil {
		return nil, err
	}
	var out []rel
	err = walkXML(p, data, func(d *xml.Decoder, se xml.StartElement) error {
		if se.Name.Local == "Relationship" {
			out = append(out, rel{id: attr(se, "Id"), typ: attr(se, "Type"), target: attr(se, "Target")})
		}
		return nil
	})
	if err != nil {
		return nil, br.damaged(p+" ", err)
	}
	return out, nil
}

func resolve(base, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Clean(path.Join(path.Dir(base), target))
}

func (br *bookReader) read() (*xbook, error) {
	if br.zip.Has("word/document.xml") {
		return nil, br.bad("这是 Word 文档（.docx），不是 Excel 工作簿；已发布的报告请用 nianbao import 导入", nil)
	}
	wbPath := "xl/workbook.xml"
	rootRels, err := br.rels("_rels/.rels")
	if err != nil {
		return nil, err
	}
	for _, r := range rootRels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPath = resolve("", r.target)
		}
	}
	if !br.zip.Has(wbPath) {
		return nil, br.bad("不是 Excel 工作簿：缺少工作簿主体（xl/workbook.xml）", nil)
	}
	wbRels, err := br.rels(path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels"))
	if err != nil {
		return nil, err
	}
	targets := map[string]string{}
	sstPath := ""
	for _, r := range wbRels {
		targets[r.id] = resolve(wbPath, r.target)
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			sstPath = resolve(wbPath, r.target)
		}
	}
	data, err := br.part(wbPath)
	if err != nil {
		return nil, err
	}
	book := &xbook{}
	type sheetRef struct{ name, path string }
	var refs []sheetRef
	err = walkXML(wbPath, data, func(d *xml.Decoder, se xml.StartElement) error {
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			book.date1904 = v == "1" || v == "true"
		case "sheet":
			id := ""
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			if len(refs) >= maxSheets {
				return errTooMany
			}
			refs = append(refs, sheetRef{name: attr(se, "name"), path: targets[id]})
		}
		return nil
	})
	if errors.Is(err, errTooMany) {
		return nil, br.bad(fmt.Sprintf("工作簿中的工作表过多（超过 %d 个）", maxSheets), nil)
	}
	if err != nil {
		return nil, br.damaged("工作簿主体（"+wbPath+"）", err)
	}
	if len(refs) == 0 {
		return nil, br.bad("工作簿中没有任何工作表", nil)
	}
	if sstPath != "" && br.zip.Has(sstPath) {
		if err := br.readStrings(sstPath); err != nil {
			return nil, err
		}
	}
	for _, ref := range refs {
		s := &xsheet{name: ref.name, cells: map[pos]xcell{}}
		if ref.path == "" || !br.zip.Has(ref.path) {
			// a sheet whose part is missing reads as empty: the layout
			// check reports what is missing from it.
			book.sheets = append(book.sheets, s)
			continue
		}
		if err := br.readSheet(ref.path, s); err != nil {
			return nil, err
		}
		book.sheets = append(book.sheets, s)
	}
	return book, nil
}

var errTooMany = errors.New("too many")

func (br *bookReader) readStrings(p string) error {
	data, err := br.part(p)
	if err != nil {
		return err
	}
	d := bound.NewXML(p, data)
	var (
		cur   strings.Builder
		inSI  bool
		inRPh int
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return br.damaged("共享字符串表", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "rPh":
				inRPh++
			case "t":
				if inSI && inRPh == 0 {
					s, err := elementText(d)
					if err != nil {
						return br.damaged("共享字符串表", err)
					}
					cur.WriteString(s)
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if len(br.sst) >= maxStrings {
					return br.bad("工作簿中的文字过多，不是正常的填报表", nil)
				}
				br.sst = append(br.sst, unescapeX(cur.String()))
				inSI = false
			case "rPh":
				inRPh--
			}
		}
	}
	return nil
}

// readSheet streams the sheet XML and keeps every cell that holds
// something.
func (br *bookReader) readSheet(p string, s *xsheet) error {
	data, err := br.part(p)
	if err != nil {
		return err
	}
	d := bound.NewXML(p, data)
	bad := func(err error) error {
		return br.damaged("工作表“"+s.name+"”", err)
	}
	row, col := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bad(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			if r := attr(se, "r"); r != "" {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 || n > maxRowNumber {
					return bad(fmt.Errorf("bad row number %q", r))
				}
				row = n
			} else {
				row++
			}
			col = 0
		case "c":
			if row == 0 {
				row = 1
			}
			if ref := attr(se, "r"); ref != "" {
				c, r, ok := parseRef(ref)
				if !ok {
					return bad(fmt.Errorf("bad cell reference %q", ref))
				}
				col, row = c, r
			} else {
				col++
			}
			if col > maxColNumber {
				return bad(fmt.Errorf("column out of range"))
			}
			c, err := br.readCell(d, se)
			if err != nil {
				return bad(err)
			}
			if c.v == "" && !c.hasF {
				continue
			}
			br.cells++
			if br.cells > maxCells {
				return br.bad(fmt.Sprintf("工作簿中填写的单元格过多（超过 %d 个），不是正常的填报表；请删除多余的内容后重试", maxCells), nil)
			}
			if !br.text.Add(c.v) {
				return schema.TooMuchText(schema.Location{File: br.name}, "工作表“"+s.name+"”")
			}
			s.cells[pos{col, row}] = c
			s.maxRow = max(s.maxRow, row)
		}
	}
}

func (br *bookReader) readCell(d *xml.Decoder, se xml.StartElement) (xcell, error) {
	t := attr(se, "t")
	var c xcell
	var v string
	var inline strings.Builder
	hasInline := false
	for {
		tok, err := d.Token()
		if err != nil {
			return c, err
		}
		switch tt := tok.(type) {
		case xml.StartElement:
			switch tt.Name.Local {
			case "v":
				if v, err = elementText(d); err != nil {
					return c, err
				}
			case "f":
				c.hasF = true
				if c.formula, err = elementText(d); err != nil {
					return c, err
				}
			case "is":
				hasInline = true
				if err := inlineText(d, &inline); err != nil {
					return c, err
				}
			default:
				if err := d.Skip(); err != nil {
					return c, err
				}
			}
		case xml.EndElement:
			switch t {
			case "s":
				c.kind = 's'
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if v != "" && (err != nil || i < 0 || i >= len(br.sst)) {
					return c, fmt.Errorf("shared string %q out of range", v)
				}
				if v != "" {
					c.v = br.sst[i]
				}
			case "inlineStr":
				c.kind = 's'
				c.v = unescapeX(inline.String())
				if !hasInline {
					c.v = unescapeX(v)
				}
			case "str":
				c.kind = 's'
				c.v = unescapeX(v)
			case "b":
				c.kind = 'b'
				c.v = v
			case "e":
				c.kind = 'e'
				c.v = v
			case "d":
				c.kind = 'd'
				c.v = v
			default:
				c.kind = 'n'
				c.v = strings.TrimSpace(v)
			}
			return c, nil
		}
	}
}

// inlineText reads the text of an <is> element, skipping phonetic runs.
func inlineText(d *xml.Decoder, b *strings.Builder) error {
	depth, rph := 1, 0
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "rPh" {
				rph++
			}
			if t.Name.Local == "t" && rph == 0 {
				s, err := elementText(d)
				if err != nil {
					return err
				}
				b.WriteString(s)
				continue
			}
			depth++
		case xml.EndElement:
			if t.Name.Local == "rPh" {
				rph--
			}
			depth--
		}
	}
	return nil
}

// elementText reads the character data of the current element up to its
// end, skipping nested elements.
func elementText(d *xml.Decoder) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 1 {
				if b.Len()+len(t) > maxPart {
					return "", errTooMany
				}
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// walkXML calls fn for every start element of a small part.
func walkXML(part string, data []byte, fn func(*xml.Decoder, xml.StartElement) error) error {
	d := bound.NewXML(part, data)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			if err := fn(d, se); err != nil {
				return err
			}
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// parseRef reads an A1 reference (with optional $) into 1-based column and row.
func parseRef(s string) (col, row int, ok bool) {
	s = strings.ReplaceAll(s, "$", "")
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		col = col*26 + int(s[i]-'A'+1)
		i++
		if col > maxColNumber {
			return 0, 0, false
		}
	}
	if i == 0 || i == len(s) {
		return 0, 0, false
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || n < 1 || n > maxRowNumber || s[i] == '+' || s[i] == '-' {
		return 0, 0, false
	}
	return col, n, true
}

// unescapeX decodes the _xHHHH_ escapes OOXML uses for control characters.
func unescapeX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if n, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(n))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}
