package published

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/nianbao/nianbao/template/internal/bound"
)

// line is one line of the source as text, with its 1-based line number in
// the input (for .docx: the number of the paragraph or table row).
type line struct {
	text string
	n    int
	at   []int // for a table row of a page: the line of each cell's text
	// cells is the number of cells of a row of a web page's, Word file's
	// or ruled PDF table (0 for other lines): each cell keeps its
	// position, an empty one at the row's end included
	cells int
	geo   []pword // for a PDF's line: its words with their places on the page
}

var errEncoding = errors.New("unknown text encoding")

// decodeText returns data as UTF-8: UTF-8 with or without a BOM, UTF-16
// with a BOM, or else GB18030 (a superset of GBK and GB2312). Input that is
// none of these is an error, never mangled text.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", errEncoding
	}
	return string(out), nil
}

func decodeUTF16(data []byte) (string, error) {
	big := data[0] == 0xFE
	data = data[2:]
	if len(data)%2 != 0 {
		return "", errEncoding
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if big {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	s := string(utf16.Decode(u))
	if strings.ContainsRune(s, utf8.RuneError) {
		return "", errEncoding
	}
	return s, nil
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]*charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// decodeHTML decodes a saved page: UTF-8 when the bytes are UTF-8,
// otherwise the Chinese encoding its <meta charset> declares (GBK, GB2312
// and GB18030 are all read as GB18030); any other declared encoding is
// refused rather than mangled.
func decodeHTML(data []byte) (string, error) {
	if !utf8.Valid(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})) && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		head := data[:min(len(data), 4096)]
		if m := metaCharset.FindSubmatch(head); m != nil {
			cs := strings.ToLower(string(m[1]))
			switch cs {
			case "gbk", "gb2312", "gb18030", "x-gbk", "cp936", "utf-8", "utf8":
			default:
				return "", fmt.Errorf("%w: %s", errEncoding, cs)
			}
		}
	}
	return decodeText(data)
}

// textLines splits text into lines, numbered from 1; \r\n, \r and \n end
// lines, and NUL and other control characters are dropped.
func textLines(s string) []line {
	var out []line
	n := 1
	for len(s) > 0 {
		i := strings.IndexAny(s, "\r\n")
		var l string
		if i < 0 {
			l, s = s, ""
		} else {
			l = s[:i]
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			s = s[i+1:]
		}
		out = append(out, line{text: cleanControl(l), n: n})
		n++
	}
	return out
}

// cleanControl drops control characters other than tab, and zero-width and
// byte-order-mark characters.
func cleanControl(s string) string {
	clean := true
	for _, r := range s {
		if (r < 0x20 && r != '\t') || r == 0x7f || r == '\u200b' || r == '\ufeff' || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if (r < 0x20 && r != '\t') || r == 0x7f || r == '\u200b' || r == '\ufeff' || r == utf8.RuneError {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxCellText is the longest text (in bytes) a cell of a data table holds;
// a table with a longer cell, or with a table inside, lays out the page.
const maxCellText = 600

// layoutTables returns, for every <table> in document order, whether it
// lays out the page (a cell holds a nested table or paragraphs of text)
// rather than holding data. Tables nested deeper than bound.MaxDepth are an
// error (ErrTooDeep): each level is kept on a stack.
func layoutTables(s string) ([]bool, error) {
	z := html.NewTokenizer(strings.NewReader(s))
	var (
		out   []bool
		stack []int
		cell  []int // text length of the current cell, per open table
		skip  int
	)
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out, nil
		case html.TextToken:
			if skip == 0 && len(stack) > 0 {
				k := len(stack) - 1
				cell[k] += len(bytes.TrimSpace(z.Text()))
				if cell[k] > maxCellText {
					out[stack[k]] = true
				}
			}
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template, atom.Select, atom.Button, atom.Svg:
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			case atom.Table:
				if skip > 0 {
					continue
				}
				if tt == html.StartTagToken {
					if len(stack) >= bound.MaxDepth {
						return nil, &bound.PartError{Err: bound.ErrTooDeep}
					}
					if len(stack) > 0 {
						out[stack[len(stack)-1]] = true
					}
					stack = append(stack, len(out))
					cell = append(cell, 0)
					out = append(out, false)
				} else if len(stack) > 0 {
					stack, cell = stack[:len(stack)-1], cell[:len(cell)-1]
				}
			case atom.Td, atom.Th:
				if len(cell) > 0 {
					cell[len(cell)-1] = 0
				}
			}
		}
	}
}

// htmlLines flattens an HTML page into lines: every block element starts a
// line, every row of a data table is one line whose cells are separated by
// " | " (an empty cell stays an empty cell), the rows and cells of a table
// that lays out the page are blocks, and script, style and the head are
// dropped. Each line keeps the source line where its text starts.
func htmlLines(s string) ([]line, error) {
	layout, err := layoutTables(s)
	if err != nil {
		return nil, err
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var (
		out     []line
		cur     strings.Builder
		curLine int
		srcLine = 1
		skip    int    // depth inside script/style/head/etc.
		tables  int    // tables started so far
		cells   []int  // per open data table: cells started in the current row
		inCell  []bool // per open table: inside a cell of a data table
		isData  []bool // per open table: a data table
	)
	var at []int // line of each cell of the current row
	flush := func() {
		t := strings.TrimSpace(cur.String())
		if t != "" {
			l := line{text: t, n: curLine, cells: len(at)}
			if len(at) > 0 {
				l.at = make([]int, len(at))
				for i, a := range at {
					if a < 0 { // a cell without text: the line of its tag
						a = -a - 1
					}
					l.at[i] = a
				}
			}
			out = append(out, l)
		}
		cur.Reset()
		curLine = 0
		at = at[:0]
	}
	write := func(t string, n int) {
		if curLine == 0 {
			curLine = n
		}
		cur.WriteString(t)
	}
	inData := func() bool { return len(isData) > 0 && isData[len(isData)-1] }
	inDataCell := func() bool { return inData() && inCell[len(inCell)-1] }
	for {
		tt := z.Next()
		raw := z.Raw()
		pos := srcLine
		srcLine += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case html.ErrorToken:
			flush()
			return out, nil
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := collapseSpace(string(z.Text()))
			if strings.TrimSpace(t) == "" {
				if cur.Len() > 0 {
					cur.WriteByte(' ')
				}
				continue
			}
			// a text token may start with newlines: find its first text line
			lead := raw[:len(raw)-len(bytes.TrimLeft(raw, " \t\r\n"))]
			first := pos + bytes.Count(lead, []byte{'\n'})
			if inDataCell() && len(at) > 0 && at[len(at)-1] < 0 {
				at[len(at)-1] = first
			}
			write(t, first)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Head, atom.Noscript, atom.Template, atom.Select, atom.Button, atom.Svg:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			}
			if skip > 0 {
				continue
			}
			switch a {
			case atom.Table:
				if tt == html.StartTagToken {
					flush()
					data := tables < len(layout) && !layout[tables]
					tables++
					cells = append(cells, 0)
					inCell = append(inCell, false)
					isData = append(isData, data)
				} else if tt == html.EndTagToken && len(cells) > 0 {
					flush()
					cells, inCell, isData = cells[:len(cells)-1], inCell[:len(inCell)-1], isData[:len(isData)-1]
				}
			case atom.Tr:
				flush()
				if len(cells) > 0 {
					cells[len(cells)-1] = 0
				}
			case atom.Td, atom.Th:
				if !inData() {
					flush()
					continue
				}
				k := len(cells) - 1
				if tt == html.StartTagToken {
					if cells[k] > 0 {
						write(" | ", pos)
					} else if curLine == 0 {
						curLine = pos
					}
					// the cell's line: its first text, else its tag
					for i := range at {
						if at[i] < 0 {
							at[i] = -at[i] - 1
						}
					}
					at = append(at, -pos-1)
					cells[k]++
					inCell[k] = true
				} else {
					inCell[k] = false
				}
			case atom.Br:
				if inDataCell() {
					write(" ", pos)
				} else {
					flush()
				}
			case atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Ul, atom.Ol, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Nav,
				atom.Blockquote, atom.Pre, atom.Dd, atom.Dt, atom.Dl, atom.Hr, atom.Center, atom.Form,
				atom.Caption, atom.Title, atom.Body, atom.Main, atom.Aside, atom.Figure:
				// inside a data cell, paragraphs of one cell stay on the row's line
				if inDataCell() {
					write(" ", pos)
				} else {
					flush()
				}
			}
		}
	}
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxDocumentXML bounds the decompressed size of word/document.xml.
const maxDocumentXML = 32 << 20

// docxLines reads the body of a .docx: every paragraph is a line, every
// table row one line with cells separated by " | ". A horizontally merged
// cell (gridSpan) is one cell; the continuation of a vertically merged cell
// (vMerge without restart) is left out, as in published text. Line numbers
// count the paragraphs and rows.
func docxLines(data []byte) ([]line, error) {
	z, err := bound.OpenZip(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	body, err := z.Read(docxBodyPart, maxDocumentXML)
	if err != nil {
		return nil, err
	}
	return docxBody(body)
}

// docxBodyPart is the part of a .docx holding the document's body.
const docxBodyPart = "word/document.xml"

// docxTable is a Word table being read: its rows of cells, each cell its
// paragraphs.
type docxTable struct {
	rows   [][]docxCell
	row    []docxCell
	cell   docxCell
	inCell bool
	layout bool // holds a nested table or long text: it lays out the page
}

type docxCell struct {
	paras []string
	skip  bool // the continuation of a vertically merged cell
	size  int
}

// lines renders a table read from a .docx: a data table one line per row
// with its cells separated by " | ", a layout table its paragraphs.
func (t *docxTable) lines() (out []string, counts []int) {
	for _, row := range t.rows {
		if t.layout {
			for _, c := range row {
				if !c.skip {
					out = append(out, c.paras...)
					counts = append(counts, make([]int, len(c.paras))...)
				}
			}
			continue
		}
		var cells []string
		for _, c := range row {
			if !c.skip {
				cells = append(cells, strings.ReplaceAll(strings.TrimSpace(strings.Join(c.paras, " ")), "|", " "))
			}
		}
		out = append(out, strings.Join(cells, " | ")+" |")
		counts = append(counts, len(cells))
	}
	return out, counts
}

func docxBody(body []byte) ([]line, error) {
	d := bound.NewXML(docxBodyPart, body)
	var (
		out    []line
		n      int
		para   strings.Builder
		tables []*docxTable
		inText bool
	)
	emit := func(t string, cells int) {
		n++
		out = append(out, line{text: t, n: n, cells: cells})
	}
	top := func() *docxTable {
		if len(tables) == 0 {
			return nil
		}
		return tables[len(tables)-1]
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			t := top()
			switch el.Name.Local {
			case "tbl":
				if t != nil {
					t.layout = true
				}
				tables = append(tables, &docxTable{})
			case "tr":
				if t != nil {
					t.row = nil
				}
			case "tc":
				if t != nil {
					t.cell, t.inCell = docxCell{}, true
				}
			case "vMerge":
				if t != nil && t.inCell {
					restart := false
					for _, a := range el.Attr {
						if a.Name.Local == "val" && a.Value == "restart" {
							restart = true
						}
					}
					t.cell.skip = !restart
				}
			case "t":
				inText = true
			case "tab":
				para.WriteString("\t")
			case "br", "cr":
				para.WriteString(" ")
			}
		case xml.EndElement:
			t := top()
			switch el.Name.Local {
			case "t":
				inText = false
			case "p":
				txt := para.String()
				para.Reset()
				if t != nil && t.inCell {
					t.cell.paras = append(t.cell.paras, txt)
					t.cell.size += len(txt)
					if t.cell.size > maxCellText {
						t.layout = true
					}
					continue
				}
				emit(txt, 0)
			case "tc":
				if t != nil && t.inCell {
					t.row = append(t.row, t.cell)
					t.inCell = false
				}
			case "tr":
				if t != nil {
					t.rows = append(t.rows, t.row)
					t.row = nil
				}
			case "tbl":
				if t == nil {
					continue
				}
				tables = tables[:len(tables)-1]
				ls, counts := t.lines()
				if p := top(); p != nil && p.inCell {
					p.cell.paras = append(p.cell.paras, ls...)
					continue
				}
				for i, l := range ls {
					emit(l, counts[i])
				}
			}
		case xml.CharData:
			if inText {
				para.Write(el)
			}
		}
	}
	return out, nil
}
