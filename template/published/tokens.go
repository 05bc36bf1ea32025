package published

import (
	"regexp"
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
}

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
// cells are layout noise.
func tokenize(l line, out []token) []token {
	text := l.text
	sep := func(r rune) bool { return r == '|' || r == '｜' || r == '\t' }
	if strings.IndexFunc(text, sep) < 0 {
		for _, w := range strings.Fields(text) {
			out = word(w, l.n, out)
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
	for i, p := range pieces {
		n := l.n
		if len(l.at) == len(pieces) {
			n = l.at[i] // a page's table row: the cell's own line
		}
		if strings.TrimSpace(p) == "" {
			if i > first && i < last {
				out = append(out, token{kind: tEmpty, line: n})
			}
			continue
		}
		for _, w := range strings.Fields(p) {
			out = word(w, n, out)
		}
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

// word classifies one white-space-free word. Digits stuck to a label
// ("总计60", "0（二）部分公开", "03.其他") are split off: a label never ends
// in a digit, and an item number is one digit.
func word(w string, n int, out []token) []token {
	f := fold(w)
	if isPlaceholder(f) {
		return append(out, token{kind: tPlace, raw: w, line: n})
	}
	if m := numWord.FindStringSubmatch(f); m != nil {
		return append(out, token{kind: tNum, raw: w, num: m[1], unit: m[2], line: n})
	}
	// leading digits before a label
	d := 0
	for d < len(f) && f[d] >= '0' && f[d] <= '9' {
		d++
	}
	if d > 0 && d < len(f) {
		rest := f[d:]
		r, _ := utf8.DecodeRuneInString(rest)
		switch {
		case r == '（' || r == '(' || r == '〔':
			out = append(out, token{kind: tNum, raw: f[:d], num: f[:d], line: n})
			return word(rest, n, out)
		case strings.ContainsRune("一二三四五六七八九十", r) && strings.HasPrefix(rest[utf8.RuneLen(r):], "、"):
			out = append(out, token{kind: tNum, raw: f[:d], num: f[:d], line: n})
			return word(rest, n, out)
		case r == '.' && d >= 2 && len(rest) > 1 && !(rest[1] >= '0' && rest[1] <= '9'):
			out = append(out, token{kind: tNum, raw: f[:d-1], num: f[:d-1], line: n})
			return append(out, token{kind: tText, raw: f[d-1:], line: n})
		}
	}
	// trailing digits after a label
	e := len(f)
	for e > 0 && (f[e-1] >= '0' && f[e-1] <= '9' || f[e-1] == '.') {
		e--
	}
	for e < len(f) && f[e] == '.' {
		e++
	}
	if e > 0 && e < len(f) {
		r, _ := utf8.DecodeLastRuneInString(f[:e])
		if (unicode.Is(unicode.Han, r) && r != '第' && r != '共') || r == '）' || r == ')' {
			if numWord.MatchString(f[e:]) {
				out = append(out, token{kind: tText, raw: f[:e], line: n})
				return append(out, token{kind: tNum, raw: f[e:], num: f[e:], line: n})
			}
		}
	}
	return append(out, token{kind: tText, raw: w, line: n})
}
