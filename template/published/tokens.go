package published

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tText  tokKind = iota // label or other text
	tNum                  // a number, maybe with a unit
	tPlace                // a placeholder written in a cell: —, -, /
	tEmpty                // an empty cell between separators on one line
)

// token is one word or cell of a table region.
type token struct {
	kind tokKind
	raw  string // as in the source
	num  string // tNum: the number, folded to ASCII, without its unit
	unit string // tNum: 万元, 元, 件, … or ""
	line int
	src  int // the table region's line the token was read from (1-based)
	// vl is the PDF line the token was printed on, g its word's place on
	// the page (nil for a piece of a word, or text without places); of is
	// the number of columns of the header a figure or blank was placed by
	vl int
	g  *pword
	of int
}

// mdRule is the row under a Markdown table's header.
var mdRule = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$`)

// placeholderHeader is a column header that Markdown converters make up
// for a table without a header row: 数据1 … 数据6, 列1, Column 2.
var placeholderHeader = regexp.MustCompile(`^(?:数据|列|字段|栏目?|Column|column|Col|col|COL)[_ ]?[0-9]{1,2}$`)

var numWord = regexp.MustCompile(`^([+-]?[0-9][0-9,]*(?:\.[0-9]+)?)(万元|元|件|个|条|项|次|人次)?$`)

func isPlaceholder(w string) bool {
	switch w {
	case "-", "—", "－", "――", "——", "―", "/", "／", "\\", "－－", "--", "~", "～", "无":
		return true
	}
	return false
}

// tokenize appends the tokens of a line of a table region to out. Cells
// are separated by | or tabs; within a cell, words by white space. An empty
// cell between two non-empty cells of a separated line is kept as tEmpty
// (its position may be a blank table cell); leading and trailing empty
// cells are layout noise, but for the trailing cells of a row of a table's
// cells (line.cells: a web page's, Word file's or ruled PDF table; a
// Markdown row enclosed in bars; a tab-separated row), which keep their
// positions. A row of " | " without enclosing bars is not one: converters
// print the positions merged cells cover as trailing bars ("0 | ||").
func tokenize(l line, out []token) []token {
	text := l.text
	// in a piece of a long line, each word is placed at its own column
	col := colOf(l.n)
	seen, runes := 0, 0 // runes in text[:seen]; offsets only grow
	at := func(off int) int {
		if col == 0 {
			return l.n
		}
		off = min(off, len(text)) // the pieces of trailing tabs trimmed off
		if off > seen {
			runes += utf8.RuneCountInString(text[seen:off])
			seen = off
		}
		return withCol(lineOf(l.n), col+runes)
	}
	sep := func(r rune) bool { return r == '|' || r == '｜' || r == '\t' }
	if len(l.geo) > 0 {
		// a PDF's line: each word where it was printed
		for i := range l.geo {
			w := &l.geo[i]
			k := len(out)
			out = word(w.text, w.vl, out)
			for j := k; j < len(out); j++ {
				out[j].vl = w.vl
				if len(out) == k+1 {
					out[j].g = w
				}
			}
		}
		return out
	}
	if mdRule.MatchString(text) {
		return out // a Markdown table's |---|:---:| row
	}
	if strings.IndexFunc(text, sep) < 0 {
		for _, f := range fieldsAt(text, 0) {
			out = word(f.w, at(f.off), out)
		}
		return out
	}
	pieces := splitKeep(text, sep)
	first, last := -1, -1
	for i, p := range pieces {
		if strings.TrimSpace(p) != "" {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	keepTrail := false
	n := l.cells
	if t := strings.TrimSpace(text); n == 0 && len(pieces) >= 3 && strings.HasPrefix(t, "|") && strings.HasSuffix(t, "|") {
		// a Markdown table's row, | a | b |: the bars enclose its cells
		n = len(pieces) - 1
	}
	if !strings.ContainsAny(text, "|｜") {
		// tab-separated (a table copied from Word, Excel or a page):
		// every tab ends a cell, a blank one at the row's end too (the
		// line was trimmed: line.cells counts its trailing tabs)
		for len(pieces) < n {
			pieces = append(pieces, "")
		}
		n = len(pieces)
	}
	if n > 0 && last >= 0 && (len(pieces) == n || len(pieces) == n+1 && strings.TrimSpace(pieces[n]) == "") {
		// every cell is a piece (a Word row ends in " |"): an empty
		// cell at the row's end is a blank cell at its position, in a
		// row that holds figures
		last, keepTrail = n, true
	}
	start := len(out)
	off := 0
	for i, p := range pieces {
		n := at(off)
		if len(l.at) == len(pieces) {
			n = l.at[i] // a page's table row: the cell's own line
		}
		if strings.TrimSpace(p) == "" {
			if i > first && i < last {
				out = append(out, token{kind: tEmpty, line: n})
			}
		} else {
			for _, f := range fieldsAt(p, off) {
				if len(l.at) != len(pieces) {
					n = at(f.off)
				}
				out = word(f.w, n, out)
			}
		}
		off += len(p)
		if off < len(text) {
			_, sz := utf8.DecodeRuneInString(text[off:])
			off += sz
		}
	}
	if keepTrail && !slices.ContainsFunc(out[start:], func(t token) bool { return t.kind == tNum || t.kind == tPlace }) {
		// a row of labels only (a header row): its empty cells are the
		// positions its merged cells cover, not blank figures
		kept := out[:start]
		for _, t := range out[start:] {
			if t.kind != tEmpty {
				kept = append(kept, t)
			}
		}
		out = kept
	}
	return out
}

type field struct {
	w   string
	off int // byte offset in the line
}

// fieldsAt is strings.Fields with each word's byte offset (plus base).
func fieldsAt(s string, base int) []field {
	var out []field
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, field{s[start:i], base + start})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, field{s[start:], base + start})
	}
	return out
}

// splitKeep splits s at every separator, keeping empty pieces.
func splitKeep(s string, sep func(rune) bool) []string {
	var out []string
	start := 0
	for i, r := range s {
		if sep(r) {
			out = append(out, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, s[start:])
}

// word classifies one white-space-free word. Figures stuck to labels
// ("总计60", "0（二）部分公开", "规章000行政规范性文件5416第二十条") are
// split off wherever digits meet text, because a label never holds ASCII
// digits but for its one-digit item number ("1.属于国家秘密", which
// stays with its label, so "4910000502.没有现成信息" is the figures
// "491000050" and the label "2.没有现成信息"); digits after 第 or 共 or
// before 年, 月, 日, 号, % are text.
func word(w string, n int, out []token) []token {
	f := fold(w)
	if placeholderHeader.MatchString(f) {
		// a header a converter made up for a table without one
		return append(out, token{kind: tText, raw: w, line: n})
	}
	if isPlaceholder(f) {
		return append(out, token{kind: tPlace, raw: w, line: n})
	}
	if m := numWord.FindStringSubmatch(f); m != nil {
		return append(out, token{kind: tNum, raw: w, num: m[1], unit: m[2], line: n})
	}
	segs := splitMixed(f)
	if len(segs) == 1 && !segs[0].num {
		return append(out, token{kind: tText, raw: w, line: n})
	}
	col, runes := colOf(n), 0
	for _, sg := range segs {
		at := n
		if col > 0 { // in a long line: each segment at its own column
			at = withCol(lineOf(n), col+runes)
		}
		runes += utf8.RuneCountInString(sg.text)
		n := at
		if !sg.num {
			out = append(out, token{kind: tText, raw: sg.text, line: n})
			continue
		}
		m := numWord.FindStringSubmatch(sg.text)
		if m == nil { // cannot happen: splitMixed cuts numWord-shaped runs
			out = append(out, token{kind: tText, raw: sg.text, line: n})
			continue
		}
		out = append(out, token{kind: tNum, raw: sg.text, num: m[1], unit: m[2], line: n})
	}
	return out
}

// segment is a run of a word: a figure (with its unit) or text.
type segment struct {
	text string
	num  bool
}

// figureUnits may follow a figure inside a word.
var figureUnits = []string{"万元", "人次", "元", "件", "个", "条", "次"}

// splitMixed cuts a folded word into figures and text (see word).
func splitMixed(f string) []segment {
	var out []segment
	text := func(s string) {
		if s == "" {
			return
		}
		if k := len(out) - 1; k >= 0 && !out[k].num {
			out[k].text += s
			return
		}
		out = append(out, segment{text: s})
	}
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	i := 0
	for i < len(f) {
		if !isDigit(f[i]) {
			_, sz := utf8.DecodeRuneInString(f[i:])
			text(f[i : i+sz])
			i += sz
			continue
		}
		// a run of digits, with a decimal part
		j := i
		for j < len(f) && isDigit(f[j]) {
			j++
		}
		if j+1 < len(f) && f[j] == '.' && isDigit(f[j+1]) {
			j++
			for j < len(f) && isDigit(f[j]) {
				j++
			}
		}
		run := f[i:j]
		prev, _ := utf8.DecodeLastRuneInString(f[:i])
		next, _ := utf8.DecodeRuneInString(f[j:])
		switch {
		case i > 0 && (prev == '第' || prev == '共' || prev == '.' || unicode.IsLetter(prev) && prev < 0x80):
			text(run)
		case next == '年' || next == '月' || next == '日' || next == '号' || next == '%' || next == '％' || next == '时' ||
			unicode.IsLetter(next) && next < 0x80:
			text(run)
		case (next == '.' || next == '、') && !strings.Contains(run, ".") && (j+1 == len(f) || !isDigit(f[j+1])):
			// an item number: its one digit starts the label, or ends the
			// word where the label was broken after it ("3." ‖ "其他")
			if len(run) > 1 {
				out = append(out, segment{text: run[:len(run)-1], num: true})
			}
			text(run[len(run)-1:])
		default:
			for _, u := range figureUnits {
				if strings.HasPrefix(f[j:], u) {
					run += u
					j += len(u)
					break
				}
			}
			out = append(out, segment{text: run, num: true})
		}
		i = j
	}
	return out
}
