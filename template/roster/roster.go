// Package roster reads and writes the roster (应报单位名单) a 政务公开办 keeps
// of the units expected to report, and matches it with the reports that
// came in: who is missing, late, duplicated or not on the list.
//
// A roster is a workbook (.xlsx) or a CSV file (UTF-8, GBK/GB18030 or
// UTF-16 as Excel saves "Unicode text") whose header row names its columns
// with the labels of schema.RosterFields, in any order. The package spells
// no label: it walks that declaration.
package roster

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template/workbook"
)

// Bounds on what is read: a province has a few thousand units.
const (
	MaxSize     = 16 << 20 // bytes of a roster file
	MaxUnits    = 100000   // units of one roster
	MaxField    = 200      // runes of one field
	MaxProblems = 50       // problems listed; the rest are counted
	headerRows  = 20       // rows searched for the header row
)

// Unit is one unit expected to report: the values of its roster fields by
// key (schema.RosterAgency, …), and the row it was read from.
type Unit struct {
	Fields map[string]string
	Loc    schema.Location
	// Due, when set, is the unit's deadline (a collection server's, which
	// the office may change); zero = the statutory one (Deadline).
	Due time.Time
}

// DueDate is the deadline of the unit's report of year: Due, or the
// statutory deadline's day in the following year.
func (u *Unit) DueDate(year int) time.Time {
	if !u.Due.IsZero() {
		return u.Due
	}
	return DueDate(year, u.Deadline())
}

// Get returns the value of the field with the given key ("" when blank).
func (u *Unit) Get(key string) string { return u.Fields[key] }

// Agency is the unit's 机关名称.
func (u *Unit) Agency() string { return u.Fields[schema.RosterAgency] }

// Role is the unit's 机关类别.
func (u *Unit) Role() schema.Role { return schema.Role(u.Fields[schema.RosterRole]) }

// Deadline is the publication deadline of the report the unit owes (by
// its 机关类别 and 机关层级: a 乡镇 government's is a department's).
func (u *Unit) Deadline() schema.Deadline {
	_, d := schema.DeadlineOf(schema.ScopeOfRole(u.Role()), schema.Level(u.Fields[schema.RosterLevel]))
	return d
}

// Roster is the list of units expected to report.
type Roster struct {
	Source string
	Units  []*Unit
	// Ignored are the header labels of columns that are not roster fields
	// (序号, 备注, …): read past, not kept.
	Ignored []string
}

// Find returns the unit whose 机关名称 matches name (Key), or nil.
func (r *Roster) Find(name string) *Unit {
	k := Key(name)
	for _, u := range r.Units {
		if Key(u.Agency()) == k {
			return u
		}
	}
	return nil
}

// Problem is one thing wrong in a roster file, where it is.
type Problem struct {
	Loc schema.Location
	Msg string // Chinese
}

func (p Problem) String() string {
	if p.Loc.IsZero() {
		return p.Msg
	}
	return p.Loc.String() + "：" + p.Msg
}

// Error is a roster that cannot be used: every problem found, at most
// MaxProblems of them, and how many more there were. It wraps
// schema.ErrUnusable.
type Error struct {
	File     string
	Problems []Problem
	More     int
}

func (e *Error) Error() string {
	var lines []string
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf("另有 %d 处问题", e.More))
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, schema.ErrUnusable) hold.
func (e *Error) Unwrap() error { return schema.ErrUnusable }

// Key folds an agency name for matching a unit with its report: full-width
// letters and digits to half-width, white space, control and format
// characters dropped, ASCII brackets to full-width. Two names with the same
// key are the same agency.
func Key(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case r == '(':
			b.WriteRune('（')
		case r == ')':
			b.WriteRune('）')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Open reads a roster file: .xlsx, or .csv/.txt.
func Open(path string) (*Roster, error) {
	loc := schema.Location{File: path}
	f, err := os.Open(path)
	if err != nil {
		return nil, schema.Unusable(loc, "无法打开名单文件："+errtext.Explain(err), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, schema.Unusable(loc, "无法读取名单文件："+errtext.Explain(err), err)
	}
	if !st.Mode().IsRegular() {
		return nil, schema.Unusable(loc, "这不是一个普通文件（可能是文件夹）；请给出名单文件（.xlsx 或 .csv）", nil)
	}
	if st.Size() > MaxSize {
		return nil, schema.Unusable(loc, fmt.Sprintf("名单文件过大（%d MB），超过 %d MB 的上限", st.Size()>>20, MaxSize>>20), nil)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, schema.Unusable(loc, "无法读取名单文件："+errtext.Explain(err), err)
	}
	return Read(path, data)
}

// Read reads a roster from bytes; name's extension picks the reader:
// .xlsx a workbook (the first sheet with a header row), anything else a
// CSV file.
func Read(name string, data []byte) (*Roster, error) {
	loc := schema.Location{File: name}
	if len(data) > MaxSize {
		return nil, schema.Unusable(loc, fmt.Sprintf("名单文件过大，超过 %d MB 的上限", MaxSize>>20), nil)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return readWorkbook(name, data)
	case ".xls", ".et":
		return nil, schema.Unusable(loc, "旧版 Excel 或 WPS 表格文件不能直接读取：请“另存为” .xlsx 或 .csv 格式后重试", nil)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readWorkbook(name, data) // a workbook saved under another name
	}
	return readCSV(name, data)
}

// grid is a table of text cells read from either kind of file.
type grid interface {
	rows() int
	text(col, row int) string // 1-based
	loc(col, row int) schema.Location
}

func readWorkbook(name string, data []byte) (*Roster, error) {
	sheets, err := workbook.Sheets(name, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	for _, s := range sheets {
		g := sheetGrid{s, name}
		if _, _, ok := findHeader(g); ok {
			return parse(name, g)
		}
	}
	return nil, &Error{File: name, Problems: []Problem{{schema.Location{File: name}, noHeader()}}}
}

type sheetGrid struct {
	s    *workbook.Sheet
	file string
}

func (g sheetGrid) rows() int                { return g.s.Rows }
func (g sheetGrid) text(col, row int) string { return g.s.Text(col, row) }
func (g sheetGrid) loc(col, row int) schema.Location {
	return schema.Location{File: g.file, Sheet: g.s.Name, Cell: cellRef(col, row)}
}

// cellRef is the A1 reference of a cell.
func cellRef(col, row int) string {
	var b []byte
	for c := col; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return fmt.Sprintf("%s%d", b, row)
}

// noHeader says what a header row must hold.
func noHeader() string {
	var req []string
	for _, f := range schema.RosterFields {
		if f.Required {
			req = append(req, f.Label)
		}
	}
	return fmt.Sprintf("没有找到表头行：名单的第一行应写明列名（%s 必须有，顺序不限）；可用 nianbao roster --template 名单.xlsx 生成模板",
		strings.Join(req, "、"))
}

// label normalises a header cell: width folded, spaces and a required
// mark (*, ＊, （必填）, （选填）) removed.
func label(s string) string {
	s = Key(s)
	for _, suf := range []string{"（必填）", "（选填）", "*"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.TrimPrefix(s, "*")
}

// findHeader finds the header row among the first rows: the first row
// naming every required field. It returns the row and the field of each
// column (nil for a column that is not a roster field).
func findHeader(g grid) (int, map[int]*schema.RosterField, bool) {
	for row := 1; row <= min(g.rows(), headerRows); row++ {
		cols := map[int]*schema.RosterField{}
		for col := 1; col <= 256; col++ {
			l := label(g.text(col, row))
			if l == "" {
				continue
			}
			for _, f := range schema.RosterFields {
				if Key(f.Label) == l {
					cols[col] = f
				}
			}
		}
		ok := true
		for _, f := range schema.RosterFields {
			if f.Required && !slices.ContainsFunc(mapValues(cols), func(x *schema.RosterField) bool { return x == f }) {
				ok = false
			}
		}
		if ok {
			return row, cols, true
		}
	}
	return 0, nil, false
}

func mapValues(m map[int]*schema.RosterField) []*schema.RosterField {
	out := make([]*schema.RosterField, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// parse reads the units below the header row.
func parse(name string, g grid) (*Roster, error) {
	e := &Error{File: name}
	add := func(loc schema.Location, format string, args ...any) {
		if len(e.Problems) == MaxProblems {
			e.More++
			return
		}
		e.Problems = append(e.Problems, Problem{loc, fmt.Sprintf(format, args...)})
	}
	hrow, cols, ok := findHeader(g)
	if !ok {
		e.Problems = append(e.Problems, Problem{schema.Location{File: name}, noHeader()})
		return nil, e
	}
	r := &Roster{Source: name}
	// a field named by two columns is ambiguous
	byField := map[*schema.RosterField]int{}
	var order []int
	for col := range cols {
		order = append(order, col)
	}
	slices.Sort(order)
	for _, col := range order {
		f := cols[col]
		if prev, dup := byField[f]; dup {
			add(g.loc(col, hrow), "表头中“%s”出现了两次（另一列在 %s），请删去一列", f.Label, g.loc(prev, hrow).String())
			continue
		}
		byField[f] = col
	}
	for col := 1; col <= 256; col++ {
		if t := g.text(col, hrow); t != "" && cols[col] == nil {
			r.Ignored = append(r.Ignored, bound(t))
		}
	}
	seen := map[string]*Unit{}
	for row := hrow + 1; row <= g.rows(); row++ {
		u := &Unit{Fields: map[string]string{}}
		blank := true
		for _, f := range schema.RosterFields {
			col, ok := byField[f]
			if !ok {
				continue
			}
			v := clean(g.text(col, row))
			if v == "" {
				continue
			}
			blank = false
			if utf8.RuneCountInString(v) > MaxField {
				add(g.loc(col, row), "“%s”过长（超过 %d 个字）", f.Label, MaxField)
				v = bound(v)
			}
			u.Fields[f.Key] = v
		}
		if blank {
			continue
		}
		u.Loc = rowLoc(g, row, byField)
		for _, f := range schema.RosterFields {
			if p := fieldProblem(f, u.Fields[f.Key]); p != "" {
				add(g.loc(byField[f], row), "%s", p)
			}
		}
		if a := u.Agency(); a != "" {
			if first, dup := seen[Key(a)]; dup {
				add(g.loc(byField[schema.RosterFieldOf(schema.RosterAgency)], row),
					"“%s”在名单中出现了两次（另一次在 %s），同一单位只能列一次", a, first.Loc.String())
			} else {
				seen[Key(a)] = u
			}
		}
		if len(r.Units) == MaxUnits {
			add(rowLoc(g, row, byField), "名单超过 %d 个单位，不是正常的名单", MaxUnits)
			break
		}
		r.Units = append(r.Units, u)
	}
	if len(r.Units) == 0 && len(e.Problems) == 0 {
		add(rowLoc(g, hrow, byField), "表头下面没有任何单位：请在表头下每行填写一个应报单位")
	}
	if len(e.Problems) > 0 {
		return nil, e
	}
	return r, nil
}

// fieldProblem says what is wrong with a roster field's value: a required
// field left blank, or a value not among the field's choices; "" if none.
func fieldProblem(f *schema.RosterField, v string) string {
	switch {
	case v == "" && f.Required:
		return fmt.Sprintf("没有填写“%s”", f.Label)
	case v != "" && f.Choices != nil && !slices.Contains(f.Choices, v):
		return fmt.Sprintf("“%s”填的是“%s”，应为 %s 之一", f.Label, v, strings.Join(f.Choices, "、"))
	}
	return ""
}

// CheckUnit is one unit entered by hand (the collection server's roster
// form), by schema.RosterFields key: its values cleaned as a roster file's
// are, and checked by the same rules. The error lists every problem.
func CheckUnit(fields map[string]string) (*Unit, error) {
	u := &Unit{Fields: map[string]string{}}
	e := &Error{}
	for _, f := range schema.RosterFields {
		v := clean(fields[f.Key])
		if utf8.RuneCountInString(v) > MaxField {
			e.Problems = append(e.Problems, Problem{Msg: fmt.Sprintf("“%s”过长（超过 %d 个字）", f.Label, MaxField)})
			v = bound(v)
		}
		if v != "" {
			u.Fields[f.Key] = v
		}
		if p := fieldProblem(f, v); p != "" {
			e.Problems = append(e.Problems, Problem{Msg: p})
		}
	}
	var unknown []string
	for k := range fields {
		if schema.RosterFieldOf(k) == nil {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		e.Problems = append(e.Problems, Problem{Msg: fmt.Sprintf("名单没有“%s”这一项", bound(clean(k)))})
	}
	if len(e.Problems) > 0 {
		return nil, e
	}
	return u, nil
}

// rowLoc is where a unit is: its 机关名称 cell in a workbook, its line in
// a CSV file.
func rowLoc(g grid, row int, byField map[*schema.RosterField]int) schema.Location {
	return g.loc(byField[schema.RosterFieldOf(schema.RosterAgency)], row)
}

// clean trims a value and drops control and format characters (a line
// break inside a cell becomes a space).
func clean(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteRune(' ')
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// bound cuts s to MaxField runes.
func bound(s string) string {
	n := 0
	for i := range s {
		if n == MaxField {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
