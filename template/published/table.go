package published

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// slotRow is one body row of a table's printed grid: the label that
// anchors it in published text (its last, most specific label cell; empty
// for a row printed without a label, as 表四's) and its value cells in
// printed order.
type slotRow struct {
	anchor string // normalised label
	label  string // official label, for messages
	cells  []cellPos
	checks []check // row arithmetic over slot positions
	// flat is the row as a table without merged cells prints it, after
	// its label: true a value cell, false a grid position a merged cell
	// covers (the label's or a value's colspan), left empty there
	flat []bool
}

type cellPos struct{ row, col int }

// check is Σ left = Σ right over slot positions.
type check struct{ left, right []int }

// spec is a table of one format, prepared for reading published text.
type spec struct {
	f         *schema.Format
	t         *schema.Table
	rows      []slotRow
	labelless int           // index of the first row without a label, or -1
	header    map[rune]bool // characters of the header labels
	labels    []string      // every normalised label of the table
	widths    map[int]bool  // the numbers of value cells of its rows
	// known is every character of the table's labels, name and section
	// title in every format: text in the table made of others is no part
	// of the table (see unplaced)
	known map[rune]bool
}

func newSpec(f *schema.Format, t *schema.Table) *spec {
	s := &spec{f: f, t: t, labelless: -1, header: map[rune]bool{}, widths: map[int]bool{}}
	for li, lrow := range t.Layout {
		var sr slotRow
		for _, c := range lrow {
			cs, _ := c.Span()
			if c.IsValue() {
				ri := t.RowIndex(c.Row)
				sr.cells = append(sr.cells, cellPos{ri, t.Rows[ri].ColIndex(c.Col)})
				sr.flat = append(sr.flat, true)
				sr.flat = append(sr.flat, make([]bool, cs-1)...)
				continue
			}
			sr.flat = make([]bool, cs-1) // only what follows the last label
			n := norm(c.Text)
			if runeLen(n) >= 2 {
				s.labels = append(s.labels, n)
			}
			if c.Header || li < t.HeaderRows() {
				for _, r := range n {
					s.header[r] = true
				}
				continue
			}
			sr.anchor, sr.label = n, c.Text
		}
		if len(sr.cells) == 0 {
			continue
		}
		if sr.anchor == "" && s.labelless < 0 {
			s.labelless = len(s.rows)
		}
		if sr.label == "" {
			sr.label = t.Rows[sr.cells[0].row].Label
		}
		sr.checks = rowChecks(f, t, sr.cells)
		s.rows = append(s.rows, sr)
		s.widths[len(sr.cells)] = true
	}
	return s
}

// rowChecks turns the format's per-row relations into checks over the
// slot positions of one printed row.
func rowChecks(f *schema.Format, t *schema.Table, cells []cellPos) []check {
	var out []check
	for _, rel := range f.Relations {
		if rel.Table != t.ID || rel.Per != schema.PerRow {
			continue
		}
		rows := map[int]bool{}
		for _, c := range cells {
			rows[c.row] = true
		}
		for _, ri := range slices.Sorted(maps.Keys(rows)) {
			r := t.Rows[ri]
			if rel.Rows != nil && !contains(rel.Rows, r.Key) {
				continue
			}
			pos := func(keys []string) []int {
				var ps []int
				for _, k := range keys {
					ci := r.ColIndex(k)
					for p, c := range cells {
						if c.row == ri && c.col == ci {
							ps = append(ps, p)
						}
					}
				}
				return ps
			}
			l, rt := pos(rel.Left), pos(rel.Right)
			if len(l) == len(rel.Left) && len(rt) == len(rel.Right) {
				out = append(out, check{l, rt})
			}
		}
	}
	// deterministic order
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].left[0] < out[j-1].left[0]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// isHeader reports whether a run of text is made of header labels only.
func (s *spec) isHeader(run string) bool {
	if runeLen(run) < 2 {
		return false
	}
	for _, r := range run {
		if !s.header[r] {
			return false
		}
	}
	return true
}

// hasLabel reports whether the normalised text contains one of the table's
// labels.
func (s *spec) hasLabel(n string) bool {
	for _, l := range s.labels {
		if strings.Contains(n, l) {
			return true
		}
	}
	return false
}

// minPrefix is the shortest start of a label (in bytes: 4 characters)
// recognised as the label wrapped over two lines.
const minPrefix = 12

// prefixAnchor returns the row whose label starts at the end of run (the
// label wrapped before its end) and where it ends in run, or −1 when no
// label or more than one could start there.
func (s *spec) prefixAnchor(run string) (int, int) {
	found, at := -1, -1
	for i, r := range s.rows {
		a := r.anchor
		for l := len(a) - 1; l >= minPrefix; l-- {
			if !utf8.RuneStart(a[l]) || !strings.HasSuffix(run, a[:l]) {
				continue
			}
			for j, o := range s.rows {
				if j != i && strings.HasPrefix(o.anchor, a[:l]) {
					return -1, -1 // ambiguous
				}
			}
			if found >= 0 && found != i {
				return -1, -1
			}
			found, at = i, len(run)
			break
		}
	}
	return found, at
}

// runs cuts a table's tokens into runs: text (words), or figures (numbers,
// placeholders, empty cells), in order.
func runs(toks []token) [][]token {
	var out [][]token
	for i, tk := range toks {
		if i > 0 && (tk.kind == tText) == (toks[i-1].kind == tText) {
			out[len(out)-1] = append(out[len(out)-1], tk)
			continue
		}
		out = append(out, []token{tk})
	}
	return out
}

// names reports whether a run of text holds the label of a row (or the
// start of one, wrapped).
func (s *spec) names(run []token) bool {
	if run[0].kind != tText {
		return false
	}
	var b strings.Builder
	for _, tk := range run {
		b.WriteString(norm(tk.raw))
	}
	text := b.String()
	for _, r := range s.rows {
		if r.anchor != "" && strings.Contains(text, r.anchor) {
			return true
		}
	}
	i, _ := s.prefixAnchor(text)
	return i >= 0
}

// labelsLast reports whether the table prints each row's labels after its
// figures (PDF text in drawing order): figures come before the first row
// label and none after the last. Read as printed, every row would take the
// figures of the row below.
func (s *spec) labelsLast(toks []token) bool {
	rs := runs(toks)
	first, last := -1, -1
	for i, r := range rs {
		if s.names(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return false
	}
	before, after := 0, 0
	for i, r := range rs {
		if r[0].kind == tText {
			continue
		}
		switch {
		case i < first:
			before += filled(r)
		case i > last:
			after += filled(r)
		}
	}
	return before > 0 && after == 0
}

// labelsFirst moves each row label before the figures printed ahead of it.
func labelsFirst(s *spec, toks []token) []token {
	rs := runs(toks)
	out := make([]token, 0, len(toks))
	for i := 0; i < len(rs); i++ {
		if rs[i][0].kind != tText && i+1 < len(rs) && s.names(rs[i+1]) {
			out = append(out, rs[i+1]...)
			out = append(out, rs[i]...)
			i++
			continue
		}
		out = append(out, rs[i]...)
	}
	return out
}

// result is a table read against one format's declaration.
type result struct {
	spec    *spec
	data    *schema.TableData
	issues  []schema.Finding
	exact   int // rows whose figures were read exactly
	bad     int // rows with a problem
	found   int // rows whose label was found
	missing int // rows neither labelled nor with figures
	score   int // rows found by their label and read exactly, less those found and not read
	nums    int // figures seen
	// pending are the rows whose run-together digits split several ways
	// within the row, left for the table's column arithmetic to decide
	pending *[]pendingRow
	// digitRows counts the rows printed as one run of digits, a digit a
	// cell (the only reading); digitLine is the first
	digitRows, digitLine int
}

// pendingRow is a row whose digits split several ways.
type pendingRow struct {
	slot int
	sols [][]token
	figs []token
	line int
	name string
}

// reader carries the file name for locations.
type reader struct {
	name string
	pdf  bool   // line numbers are page × pdfPage + line
	sec  string // section key, for findings
	// narrative holds the report's running text (intro and narrative
	// sections), whose figures may choose between readings of a row
	narrative []string
}

func (rd *reader) loc(n int) schema.Location {
	col := colOf(n)
	n = lineOf(n)
	if rd.pdf && n > 0 {
		return schema.Location{File: rd.name, Page: n / pdfPage, Line: n % pdfPage}
	}
	return schema.Location{File: rd.name, Line: n, Col: col}
}

// readTable reads the tokens of a table region against s.
func (rd *reader) readTable(s *spec, toks []token, start int) *result {
	toks, placed := rd.columnize(s, toks)
	if s.labelless < 0 && s.labelsLast(toks) {
		toks = labelsFirst(s, toks)
	}
	res := &result{spec: s, data: schema.NewTableData(s.t), pending: &[]pendingRow{}, issues: placed}
	res.data.Loc = rd.loc(start)
	n := len(s.rows)
	colls := make([][]token, n)
	anchored := make([]int, n)  // line of the label; 0 = not found
	labelled := make([]bool, n) // the row's own label was found
	labelSrc := make([]int, n)  // the region's line holding the label; 0 = not found
	cur := s.labelless
	var run strings.Builder
	runLine := 0
	var runSrc, srcs [][2]int    // byte offset in run where a token's text starts, its src
	srcAt := func(off int) int { // the src of the token holding run[off]
		src := 0
		for _, rs := range srcs {
			if rs[0] <= off {
				src = rs[1]
			}
		}
		return src
	}
	var strays []token
	headerSeen := false
	endRun := func() {
		if run.Len() == 0 {
			return
		}
		text := run.String()
		run.Reset()
		srcs, runSrc = runSrc, srcs[:0]
		best, bestEnd, bestLen, bestAt := -1, -1, 0, 0
		for i, r := range s.rows {
			if r.anchor == "" {
				continue
			}
			if j := strings.LastIndex(text, r.anchor); j >= 0 {
				end := j + len(r.anchor)
				if end > bestEnd || (end == bestEnd && len(r.anchor) > bestLen) {
					best, bestEnd, bestLen, bestAt = i, end, len(r.anchor), j
				}
			}
		}
		// a label wrapped over two lines: the run ends with the start of
		// exactly one label, its tail follows the figures
		if pi, pend := s.prefixAnchor(text); pi >= 0 && pend > bestEnd {
			best, bestEnd, bestAt = pi, pend, pend-1
		}
		// every label in the run was found, even one whose figures are missing
		for i, r := range s.rows {
			if j := strings.Index(text, r.anchor); r.anchor != "" && anchored[i] == 0 && j >= 0 {
				anchored[i], labelSrc[i] = runLine, srcAt(j)
			}
		}
		if best >= 0 {
			if len(colls[best]) > 0 && best != cur {
				// the label again (a repeated header, a footnote): keep the first figures
				cur = -1
				return
			}
			cur = best
			anchored[best], labelSrc[best] = runLine, srcAt(bestAt)
			labelled[best] = true
			return
		}
		if s.labelless >= 0 && s.isHeader(text) {
			if !headerSeen && len(colls[s.labelless]) > 0 {
				// figures before the table's header are not the table's
				for _, tk := range colls[s.labelless] {
					if tk.kind != tEmpty {
						strays = append(strays, tk)
					}
				}
				colls[s.labelless] = nil
			}
			headerSeen = true
			if len(colls[s.labelless]) == 0 {
				cur = s.labelless
				labelled[cur] = true
				if anchored[cur] == 0 {
					anchored[cur] = runLine
				}
			}
		}
	}
	for _, tk := range toks {
		if tk.kind == tText {
			if run.Len() == 0 {
				runLine = tk.line
			}
			runSrc = append(runSrc, [2]int{run.Len(), tk.src})
			run.WriteString(norm(tk.raw))
			continue
		}
		endRun()
		if tk.kind == tNum {
			res.nums++
		}
		if cur < 0 {
			if tk.kind != tEmpty {
				strays = append(strays, tk)
			}
			continue
		}
		colls[cur] = append(colls[cur], tk)
	}
	endRun()
	for i := range s.rows {
		if anchored[i] > 0 || len(colls[i]) > 0 {
			res.found++
		}
	}
	// figures of rows whose labels were lost, or printed after their
	// figures, follow the previous row's: in row-major order, so a row
	// with exactly the figures of itself and the next rows without any
	// passes them on — but figures printed on their label's own line are
	// that row's: too many there is a row that cannot be read, not figures
	// of the rows below (whose labels may stand blank on lines of their own)
	for i := 0; i < n; i++ {
		want := len(s.rows[i].cells)
		got := cells(colls[i])
		if got <= want {
			continue
		}
		ownLine := labelSrc[i] > 0
		for _, tk := range colls[i] {
			if tk.kind != tEmpty && tk.src != labelSrc[i] {
				ownLine = false
			}
		}
		j, total := i+1, want
		for j < n && len(colls[j]) == 0 && total < got && !ownLine {
			total += len(s.rows[j].cells)
			j++
		}
		if total != got || j == i+1 {
			continue
		}
		all := colls[i]
		k := 0
		for r := i; r < j; r++ {
			need := len(s.rows[r].cells)
			var part []token
			for k < len(all) && cells(part) < need {
				if all[k].kind != tEmpty || all[k].of > 0 {
					part = append(part, all[k])
				}
				k++
			}
			colls[r] = part
			if anchored[r] == 0 {
				anchored[r] = part[0].line
			}
		}
	}
	var lost []string
	lostCells := 0
	for i, r := range s.rows {
		if anchored[i] == 0 && len(colls[i]) == 0 {
			lost = append(lost, "“"+r.label+"”")
			lostCells += len(r.cells)
			for _, c := range r.cells {
				res.data.Values[c.row][c.col].Loc = res.data.Loc
			}
			res.missing++
			continue
		}
		if rd.assign(res, i, colls[i], anchored[i]) && labelled[i] {
			res.score++
		} else if labelled[i] {
			res.score--
		}
	}
	rd.resolvePending(res)
	res.issues = append(res.issues, rd.unplaced(s, toks)...)
	if res.digitRows > 0 {
		res.issues = append(res.issues, rd.finding(RuleImportSplit, res.digitLine,
			fmt.Sprintf("%s有 %d 行的数字之间没有分隔（如“0000000”），位数与格数相同，已按每位数字一格读取，请核对原文", s.t.Name, res.digitRows)))
	}
	if len(lost) > 0 {
		res.issues = append(res.issues, rd.finding(RuleImport, start,
			fmt.Sprintf("%s中没有找到%d行：%s，共 %d 个数字未能导入", s.t.Name, len(lost), strings.Join(lost, "、"), lostCells)))
	}
	for _, tk := range strays {
		if tk.kind == tNum || tk.kind == tPlace {
			res.issues = append(res.issues, rd.finding(RuleImport, tk.line,
				fmt.Sprintf("%s中的数字“%s”不在任何一行之下，未能导入", s.t.Name, tk.raw)))
		}
	}
	return res
}

// cells counts the cells of ts: its figures, and the blank cells of a
// table's columns (see columnize).
func cells(ts []token) int {
	n := 0
	for _, t := range ts {
		if t.kind == tNum || t.kind == tPlace || t.kind == tEmpty && t.of > 0 {
			n++
		}
	}
	return n
}

func filled(ts []token) int {
	n := 0
	for _, t := range ts {
		if t.kind == tNum || t.kind == tPlace {
			n++
		}
	}
	return n
}

func (rd *reader) finding(rule string, line int, msg string) schema.Finding {
	return schema.Finding{Rule: rule, Severity: severity(rule), Section: rd.sec, Location: rd.loc(line), Message: msg}
}

func rawList(ts []token) string {
	var ss []string
	for _, t := range ts {
		switch t.kind {
		case tNum, tPlace:
			ss = append(ss, t.raw)
		case tEmpty:
			ss = append(ss, "（空）")
		}
	}
	return strings.Join(ss, "、")
}

// flatRow returns the items of a row printed without merged cells — every
// grid position a cell, the positions a merged cell covers left empty or
// holding the merged cell's text again (Excel's “unmerge and fill”, pandas)
// — as the row's own cells: when there are exactly as many items as grid
// positions and each covered position is empty or repeats the value cell
// covering it, the covered ones are dropped, so that a blank cell among
// them keeps its place. Other rows are returned as they are.
func flatRow(sr slotRow, items []token) []token {
	if len(items) != len(sr.flat) || len(sr.flat) == len(sr.cells) {
		return items
	}
	filled := false
	for k, v := range sr.flat {
		if v || items[k].kind == tEmpty {
			continue
		}
		// a copy of the value whose span covers this position
		j := k
		for j >= 0 && !sr.flat[j] {
			j--
		}
		if j < 0 || items[j].kind != items[k].kind || items[j].raw != items[k].raw {
			return items
		}
		filled = true
	}
	if filled {
		// a filled grid fills every covered position
		for k, v := range sr.flat {
			if !v && items[k].kind == tEmpty {
				return items
			}
		}
	}
	out := make([]token, 0, len(sr.cells))
	for k, v := range sr.flat {
		if v {
			out = append(out, items[k])
		}
	}
	return out
}

// assign places the figures read under one printed row into its cells.
func (rd *reader) assign(res *result, i int, items []token, at int) bool {
	s := res.spec
	sr := s.rows[i]
	want := len(sr.cells)
	d := res.data
	line := at
	if line == 0 && len(items) > 0 {
		line = items[0].line
	}
	for _, c := range sr.cells {
		d.Values[c.row][c.col].Loc = rd.loc(line)
	}
	// figures placed by the columns of a header with another number of
	// columns than this row has cells: their blanks say nothing here
	for _, tk := range items {
		if tk.of > 0 && tk.of != want {
			items = slices.DeleteFunc(slices.Clone(items), func(t token) bool { return t.kind == tEmpty })
			break
		}
	}
	items = flatRow(sr, items)
	got := filled(items)
	empties := len(items) - got
	// trailing empty cells after the row's figures are layout
	for empties > 0 && got+empties > want && items[len(items)-1].kind == tEmpty {
		items = items[:len(items)-1]
		empties--
	}
	name := s.t.Name + "“" + sr.label + "”"
	switch {
	case got == 0 && empties == 0:
		res.issues = append(res.issues, rd.finding(RuleImport, at,
			fmt.Sprintf("%s：这一行没有数字，%d 个数字未能导入", name, want)))
		res.bad++
		return false
	case got == want && !leadingZero(items):
		k := 0
		for _, tk := range items {
			if tk.kind == tEmpty {
				continue
			}
			rd.setValue(res, sr.cells[k], tk)
			k++
		}
		res.exact++
		return true
	case got+empties == want && !leadingZero(items):
		for k, tk := range items {
			rd.setValue(res, sr.cells[k], tk)
		}
		res.exact++
		return true
	case got < want || got == want && leadingZero(items):
		var figs []token
		for _, tk := range items {
			if tk.kind != tEmpty {
				figs = append(figs, tk)
			}
		}
		sols, capped := splitDigits(figs, want, sr.checks)
		how := "已按本行的合计关系唯一拆分为"
		if len(sr.checks) == 0 {
			how = "只有一种拆分，拆分为"
		}
		if len(sols) > 1 && !capped {
			if k := rd.narrativeChoice(sr, sols); k >= 0 {
				sols = [][]token{sols[k]}
				how = "有多种拆分，按正文引用的数字选定为"
			}
		}
		switch {
		case len(sols) == 1 && digitPerCell(figs, want):
			// one digit a cell: the only way to read it, said once per table
			for k, p := range sols[0] {
				rd.setValue(res, sr.cells[k], p)
			}
			res.digitRows++
			if res.digitLine == 0 {
				res.digitLine = line
			}
			res.exact++
			return true
		case len(sols) == 1:
			for k, p := range sols[0] {
				rd.setValue(res, sr.cells[k], p)
			}
			res.issues = append(res.issues, rd.finding(RuleImportSplit, line,
				fmt.Sprintf("%s：数字之间的分隔丢失（原文“%s”），%s %s，请核对原文",
					name, rawList(figs), how, rawList(sols[0]))))
			res.exact++
			return true
		case len(sols) > 1 && !capped && res.pending != nil:
			// the table's column arithmetic may still tell them apart
			*res.pending = append(*res.pending, pendingRow{slot: i, sols: sols, figs: figs, line: line, name: name})
			return false
		case len(sols) > 1 || capped:
			res.issues = append(res.issues, rd.finding(RuleImport, line,
				fmt.Sprintf("%s：数字之间的分隔丢失（原文“%s”），有多种拆分都说得通（如 %s），无法确定，未导入；请按原表填写",
					name, rawList(figs), splitExamples(sols))))
			res.bad++
			return false
		}
		if got == want {
			res.issues = append(res.issues, rd.finding(RuleImport, line,
				fmt.Sprintf("%s：原文“%s”中有以 0 开头的多位数，不是一个数字，也无法拆分，未导入；请按原表填写", name, rawList(figs))))
			res.bad++
			return false
		}
		res.issues = append(res.issues, rd.finding(RuleImport, line,
			fmt.Sprintf("%s：应有 %d 个数字，只读到 %d 个（%s），无法确定缺少的是哪一格，未导入；请按原表填写",
				name, want, got, rawList(items))))
		res.bad++
	default:
		res.issues = append(res.issues, rd.finding(RuleImport, line,
			fmt.Sprintf("%s：应有 %d 个数字，读到 %d 个（%s），无法确定多出的是哪一个，未导入；请按原表填写",
				name, want, got, rawList(items))))
		res.bad++
	}
	return false
}

// setValue reads one figure into a cell.
func (rd *reader) setValue(res *result, c cellPos, tk token) {
	col := res.spec.t.Rows[c.row].Cols[c.col]
	v := &res.data.Values[c.row][c.col]
	loc := rd.loc(tk.line)
	switch tk.kind {
	case tEmpty:
		*v = schema.Value{Loc: loc}
		return
	case tPlace:
		*v = schema.Value{Raw: tk.raw, Loc: loc}
		return
	}
	pv, _ := schema.ParseNumber(tk.num, col.Kind)
	pv.Raw, pv.Loc = tk.raw, loc
	if tk.num != tk.raw {
		pv.Normalised = true
	}
	wantUnit := "件"
	if col.Kind == schema.Amount {
		wantUnit = "元"
		if strings.Contains(col.Label, "万元") {
			wantUnit = "万元"
		}
	}
	if tk.unit != "" && pv.State == schema.Number && unitClass(tk.unit) != unitClass(wantUnit) {
		pv.State = schema.Invalid
		res.issues = append(res.issues, rd.finding(RuleImport, tk.line,
			fmt.Sprintf("%s“%s”%s：原文“%s”的单位与表格要求不符（应为%s），未导入",
				res.spec.t.Name, res.spec.t.Rows[c.row].Label, col.Label, tk.raw, wantUnit)))
	}
	*v = pv
}

func unitClass(u string) string {
	switch u {
	case "万元", "元":
		return u
	}
	return "count"
}

// maxSplitNodes bounds the search for a split of run-together digits.
const maxSplitNodes = 200000

// maxSplits is the number of different splits collected before giving up.
const maxSplits = 24

// leadingZero reports whether a figure is digits starting with 0 ("000",
// "01"): digits that ran together, never one printed number.
func leadingZero(ts []token) bool {
	for _, t := range ts {
		if t.kind == tNum && t.unit == "" && len(t.num) > 1 && t.num[0] == '0' && allDigits(t.num) {
			return true
		}
	}
	return false
}

// splitDigits splits figures whose digits ran together into want figures,
// every piece a number as printed (no leading zero) and every arithmetic
// check of the row holding. It returns the different splits found (at most
// maxSplits) and whether the search was cut short. A figure is split only
// where a split cannot be a guess: when the row's arithmetic covers every
// cell, when the row's digits are one run, or when the figure starts with
// 0; a figure with a decimal point, a unit or a sign stays whole.
func splitDigits(figs []token, want int, checks []check) ([][]token, bool) {
	if len(figs) == 0 || len(figs) > want {
		return nil, false
	}
	covered := make([]bool, want)
	for _, c := range checks {
		for _, p := range c.left {
			covered[p] = true
		}
		for _, p := range c.right {
			covered[p] = true
		}
	}
	all := len(checks) > 0
	for _, ok := range covered {
		all = all && ok
	}
	digits := 0
	for _, f := range figs {
		digits += len(f.raw)
	}
	if digits > 60 {
		return nil, true
	}
	canSplit := make([]bool, len(figs))
	for i, f := range figs {
		canSplit[i] = f.kind == tNum && f.unit == "" && allDigits(f.num) && f.num == fold(f.raw) &&
			(all || len(figs) == 1 || f.num[0] == '0')
	}
	// the checks complete once position p is filled, to prune early
	at := make([][]check, want)
	for _, c := range checks {
		last := 0
		for _, p := range append(append([]int(nil), c.left...), c.right...) {
			last = max(last, p)
		}
		if last < want {
			at[last] = append(at[last], c)
		}
	}
	var (
		cur   []token
		sols  [][]token
		nodes int
	)
	ok := func() bool { p := len(cur) - 1; return p >= want || holds(cur, at[p]) }
	var walk func(fi, off int)
	walk = func(fi, off int) {
		nodes++
		if len(sols) >= maxSplits || nodes > maxSplitNodes {
			return
		}
		if fi == len(figs) {
			if len(cur) == want && holds(cur, checks) {
				sols = append(sols, append([]token(nil), cur...))
			}
			return
		}
		// the pieces still to come need at least one digit each
		if len(cur)+(len(figs)-fi) > want {
			return
		}
		f := figs[fi]
		if !canSplit[fi] {
			if off > 0 {
				return
			}
			if f.kind == tNum && len(f.num) > 1 && f.num[0] == '0' && allDigits(f.num) {
				return // "00" is not one figure
			}
			cur = append(cur, f)
			if ok() {
				walk(fi+1, 0)
			}
			cur = cur[:len(cur)-1]
			return
		}
		rest := f.num[off:]
		for l := 1; l <= len(rest) && l <= 15; l++ {
			p := rest[:l]
			if len(p) > 1 && p[0] == '0' {
				break
			}
			if len(cur)+1 > want {
				break
			}
			cur = append(cur, token{kind: tNum, raw: p, num: p, line: f.line})
			switch {
			case !ok():
			case l == len(rest):
				walk(fi+1, 0)
			default:
				walk(fi, off+l)
			}
			cur = cur[:len(cur)-1]
		}
	}
	walk(0, 0)
	return sols, nodes > maxSplitNodes || len(sols) >= maxSplits
}

// digitPerCell reports whether the figures are one run of digits, one
// digit per cell.
func digitPerCell(figs []token, want int) bool {
	if len(figs) != 1 {
		return false
	}
	n := 0
	for _, f := range figs {
		if f.kind != tNum || !allDigits(f.num) {
			return false
		}
		n += len(f.num)
	}
	return n == want
}

// splitExamples names up to three splits for a message.
func splitExamples(sols [][]token) string {
	var ss []string
	for i, s := range sols {
		if i == 3 {
			break
		}
		var ps []string
		for _, t := range s {
			ps = append(ps, t.raw)
		}
		ss = append(ss, strings.Join(ps, "|"))
	}
	if len(ss) == 0 {
		return "多种"
	}
	return strings.Join(ss, "；")
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// holds reports whether every check whose cells are all figures holds; a
// check over a placeholder cannot be verified and fails.
func holds(ts []token, checks []check) bool {
	sum := func(ps []int) (int64, bool) {
		var s int64
		for _, p := range ps {
			if ts[p].kind != tNum {
				return 0, false
			}
			v, err := strconv.ParseInt(ts[p].num, 10, 64)
			if err != nil {
				return 0, false
			}
			s += v
		}
		return s, true
	}
	for _, c := range checks {
		l, ok1 := sum(c.left)
		r, ok2 := sum(c.right)
		if !ok1 || !ok2 || l != r {
			return false
		}
	}
	return true
}

// maxTableTokens bounds the words and figures read as one table; a real
// table has a few hundred.
const maxTableTokens = 10000

// specs holds, by table ID, the table as declared in each format nianbao
// reads, the current format first.
var specs = buildSpecs()

func buildSpecs() map[string][]*spec {
	m := map[string][]*spec{}
	known := map[string]map[rune]bool{}
	for _, f := range []*schema.Format{schema.Format2021, schema.Format2019} {
		for _, t := range f.Tables {
			k := known[t.ID]
			if k == nil {
				k = map[rune]bool{}
				known[t.ID] = k
			}
			texts := []string{t.Name, t.Note}
			if sec := f.Section(t.Section); sec != nil {
				texts = append(texts, sec.Title)
			}
			for _, lrow := range t.Layout {
				for _, c := range lrow {
					texts = append(texts, c.Text)
				}
			}
			for _, r := range t.Rows {
				texts = append(texts, r.Label)
				for _, c := range r.Cols {
					texts = append(texts, c.Label)
				}
			}
			for _, x := range texts {
				for _, r := range norm(x) {
					k[r] = true
				}
			}
			sp := newSpec(f, t)
			sp.known = k
			m[t.ID] = append(m[t.ID], sp)
		}
	}
	return m
}

// unitNote is a table's unit printed above or below it: 单位：件, or a unit
// alone.
var unitNote = regexp.MustCompile(`^(?:（?(?:计量)?单位：?[^，。；]{0,4}）?|万元|元|件|个|条|项|次|人次)$`)

// runningHead is a page's running head or foot in a table that goes on
// over a page break: the report's title, a page number.
var runningHead = regexp.MustCompile(`年度?报告|第\d{1,4}页|共\d{1,4}页`)

// unplaced returns a finding for each piece of text in a table region that
// is no part of the table: a word with characters none of the table's
// labels has, once the labels it holds are taken out (a note “含部分公开”,
// a stray word). Consecutive words of one line are named together. It is
// kept, as the finding, in the import record, so check repeats it.
func (rd *reader) unplaced(s *spec, toks []token) []schema.Finding {
	var out []schema.Finding
	var words []string
	line := 0
	flush := func() {
		if len(words) > 0 {
			out = append(out, schema.Finding{Rule: RuleImport, Severity: minor(RuleImport), Section: rd.sec,
				Location: rd.loc(line),
				Message: fmt.Sprintf("%s中的文字“%s”不是表中任何一行、一栏的名称，也不是整句的说明，未导入；请核对原文，需要时写入正文",
					s.t.Name, strings.Join(words, " "))})
		}
		words = nil
	}
	for _, tk := range toks {
		if tk.kind != tText {
			continue
		}
		if !s.foreign(tk.raw) {
			if lineOf(tk.line) != lineOf(line) {
				flush()
			}
			continue
		}
		if len(words) > 0 && lineOf(tk.line) != lineOf(line) {
			flush()
		}
		if len(words) == 0 {
			line = tk.line
		}
		words = append(words, tk.raw)
	}
	flush()
	return out
}

// foreign reports whether a word of a table region is no part of the table.
func (s *spec) foreign(w string) bool {
	n := norm(w)
	if placeholderHeader.MatchString(n) || unitNote.MatchString(n) || runningHead.MatchString(n) || pageNumber.MatchString(n) {
		return false
	}
	for _, l := range s.labels {
		if len(l) >= 6 && strings.Contains(n, l) {
			n = strings.ReplaceAll(n, l, "")
		}
	}
	for _, r := range n {
		if unicode.Is(unicode.Han, r) && !s.known[r] {
			return true
		}
	}
	return false
}

// tableSection reads the lines under a table section's heading: running
// text (explanations before the table, misplaced paragraphs) becomes the
// section's narrative, the rest is read as the table against every format
// and the best reading kept. A nil result means there is no table.
func (rd *reader) tableSection(s *schema.Section, ls []line, at schema.Location) (*result, []schema.Block) {
	ss := specs[s.Table]
	var toks []token
	var narrative []schema.Block
	for i, l := range ls {
		if tableProse(ss, l.text) {
			narrative = append(narrative, schema.Block{Kind: schema.Paragraph, Text: l.text, Loc: rd.loc(l.n)})
			continue
		}
		k := len(toks)
		toks = tokenize(l, toks)
		for j := k; j < len(toks); j++ {
			toks[j].src = i + 1
		}
	}
	if len(toks) == 0 {
		return nil, narrative
	}
	var cut *schema.Finding
	if len(toks) > maxTableTokens {
		f := rd.finding(RuleImport, toks[maxTableTokens].line,
			fmt.Sprintf("“%s”下的文字过长（%d 个词），不像是一张统计表；从这一行起的内容未读取", s.Heading(), len(toks)))
		cut = &f
		toks = toks[:maxTableTokens]
	}
	var best *result
	for _, sp := range ss {
		r := rd.readTable(sp, toks, toks[0].line)
		if best == nil || r.score > best.score {
			best = r
		}
	}
	if best.found == 0 && best.nums == 0 {
		return nil, narrative
	}
	if cut != nil {
		best.issues = append(best.issues, *cut)
	}
	return best, narrative
}

// tableProse reports whether a line under a table section's heading is
// running text (an explanation, a misplaced paragraph), not the table's.
func tableProse(ss []*spec, text string) bool {
	if strings.ContainsAny(text, "|｜\t") {
		return false // cells: a table's row, maybe with a piece of a cut label
	}
	n := norm(text)
	if hanCount(n) < 8 || !(isSentence(n) || runeLen(n) >= 25) {
		return false
	}
	for _, sp := range ss {
		for _, l := range sp.labels {
			if strings.Contains(l, n) {
				return false // a piece of a label wrapped over lines
			}
		}
	}
	if !ss[0].hasLabel(n) && !ss[len(ss)-1].hasLabel(n) {
		return true
	}
	// a whole sentence that only mentions a label (“本表中‘其他’一栏…”) is
	// still prose: no label of the tables ends a sentence, and none is
	// this long
	return runeLen(n) >= 30 && strings.ContainsAny(lastRune(n), "。！？!?")
}

func lastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[len(s)-size:]
}

// carry puts the tables read into the report. A table read in the 2019
// format is carried over to 2021 through schema.Map2019: the figures that
// map are copied, the others are listed (IMPORT-UNMAPPED) and kept as hints
// for the person filling next year's report; no 2021 cell is invented.
func (rd *reader) carry(rep *schema.Report, results []*result) {
	var old *schema.Mapping
	var oldLoc schema.Location
	for _, r := range results {
		rep.Issues = append(rep.Issues, r.issues...)
		if r.spec.f == rep.Format {
			rep.Tables[r.spec.t.ID] = r.data
			continue
		}
		var m *schema.Mapping
		for _, x := range schema.Mappings {
			if x.From == r.spec.f && x.To == rep.Format {
				m = x
			}
		}
		if m == nil {
			continue
		}
		if old == nil {
			old, oldLoc = m, r.data.Loc
		}
		t := r.spec.t
		to := rep.Format.Table(t.ID)
		d := schema.NewTableData(to)
		d.Loc = r.data.Loc
		for i := range d.Values {
			for j := range d.Values[i] {
				d.Values[i][j].Loc = d.Loc
			}
		}
		rep.Tables[to.ID] = d
		for i, row := range t.Rows {
			var lost []string
			for j, col := range row.Cols {
				v := r.data.Values[i][j]
				tt, tr, tc, ok := m.Target(t.ID, row.Key, col.Key)
				if ok {
					if dst := rep.Tables[tt].Cell(tr, tc); dst != nil {
						*dst = v
					}
					continue
				}
				text := "空白"
				if !v.IsBlank() {
					text = v.Raw
				}
				lost = append(lost, col.Label+" "+text)
			}
			if len(lost) == 0 {
				continue
			}
			note := fmt.Sprintf("%d年格式%s“%s”：%s", m.From.Year, t.Name, row.Label, strings.Join(lost, "，"))
			rep.Issues = append(rep.Issues, schema.Finding{Rule: RuleUnmapped, Severity: severity(RuleUnmapped),
				Section: t.Section, Location: r.data.Values[i][0].Loc,
				Message: note + "——在" + fmt.Sprint(m.To.Year) + "年格式中没有对应的单元格，未结转，请按新格式重新填写"})
			if tr := to.Row(row.Key); tr != nil {
				rep.Hints[schema.CellKey(to.ID, tr.Key, tr.Cols[0].Key)] = "原报告为" + note + "（不能直接对应）"
			} else if to.ID == "t3" && row.Key == "other" {
				for _, tr := range to.Rows {
					if strings.HasPrefix(tr.Key, "other_") {
						rep.Hints[schema.CellKey(to.ID, tr.Key, "total")] = "原报告为" + note + "（2021年格式分为三行，不能直接对应）"
						break
					}
				}
			}
		}
	}
	if old != nil {
		rep.Issues = append(rep.Issues, schema.Finding{Rule: RuleOldFormat, Severity: severity(RuleOldFormat),
			Location: oldLoc,
			Message: fmt.Sprintf("报告使用的是%d年的旧格式%s（%s），应使用%s（%s）。已按新格式结转能对应的数字，其余未结转（逐项列出）",
				old.From.Year, old.From.Title, old.From.Notice, old.To.Title, old.To.Notice),
			Expected: old.To.Notice, Actual: old.From.Notice})
	}
}

// hanCount counts the Chinese characters of s.
func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}
