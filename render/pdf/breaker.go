package pdf

import "strings"

// Line breaking for Chinese text with 避头尾 (kinsoku) rules.
//
// fpdf's MultiCell and SplitText drop a character at every automatic break
// inside CJK text (fpdf #80) and let a line start with “，”, so this package
// breaks lines itself: every CJK character is its own token, runs of ASCII
// letters, digits and symbols (words, numbers such as 5.6%, URLs) are one
// unbreakable token, spaces are break opportunities that vanish at a break.
// Lines are filled greedily; a break that would start a line with a closing
// mark or end one with an opening mark moves back (推出). A word wider than a
// whole line is split, after a / . - _ ? & = where possible.

// noLineStart holds the characters a line must not start with (避头).
const noLineStart = "，。、；：？！）》】」』〕〉｝”’…—·%％,.;:?!)]}．～ー々"

// noLineEnd holds the characters a line must not end with (避尾).
const noLineEnd = "（《【「『“‘〔〈｛([{"

// An over-long word or a URL or e-mail address breaks after one of
// wordBreakAfter or before one of wordBreakBefore, the usual places to
// break an address (after a slash, before a dot or @), never inside "//".
const (
	wordBreakAfter  = "/-_?&=#,;"
	wordBreakBefore = ".@"
)

// wordBreakAt reports whether a word may break before rs[k] (0 < k < len).
func wordBreakAt(rs []rune, k int) bool {
	if strings.ContainsRune(wordBreakBefore, rs[k]) {
		return rs[k-1] != '.' && rs[k-1] != '@' // not inside "..", "@."
	}
	return strings.ContainsRune(wordBreakAfter, rs[k-1]) && rs[k] != '/' && !strings.ContainsRune(noLineStart, rs[k])
}

// line is one output line of a paragraph.
type line struct {
	text  []rune
	width float64 // sum of the runes' advances
	last  bool    // the paragraph's last line (not justified)
}

// token is a unit the breaker never splits (save over-long words).
type token struct {
	runes []rune
	w     float64
	space bool
}

// isWordRune reports whether r belongs to an unbreakable word: ASCII
// letters, digits and symbols, Latin letters, full-width digits and letters.
func isWordRune(r rune) bool {
	switch {
	case r > ' ' && r < 0x7f:
		return true
	case r >= 0xc0 && r <= 0x24f && r != 0xd7 && r != 0xf7:
		return true
	case r >= 0xff10 && r <= 0xff19, r >= 0xff21 && r <= 0xff3a, r >= 0xff41 && r <= 0xff5a:
		return true
	}
	return false
}

func tokenize(text []rune, adv func(rune) float64) []token {
	var toks []token
	for i := 0; i < len(text); {
		r := text[i]
		switch {
		case r == ' ':
			j := i
			for j < len(text) && text[j] == ' ' {
				j++
			}
			toks = append(toks, token{runes: text[i:j], w: adv(' ') * float64(j-i), space: true})
			i = j
		case isWordRune(r):
			j, w := i, 0.0
			for j < len(text) && isWordRune(text[j]) {
				w += adv(text[j])
				j++
			}
			toks = append(toks, token{runes: text[i:j], w: w})
			i = j
		default:
			toks = append(toks, token{runes: text[i : i+1], w: adv(r)})
			i++
		}
	}
	return toks
}

// breakLines breaks text into lines no wider than first (the first line)
// and rest (the others). adv gives a rune's advance, including any fixed
// character spacing; the caller adds that spacing once to the widths, since
// the last rune of a line needs none after it.
func breakLines(text []rune, adv func(rune) float64, first, rest float64) []line {
	const eps = 1e-6
	toks := tokenize(text, adv)
	var out []line
	avail := first
	emit := func(ts []token, last bool) {
		for len(ts) > 0 && ts[len(ts)-1].space {
			ts = ts[:len(ts)-1]
		}
		var l line
		for _, t := range ts {
			l.text = append(l.text, t.runes...)
			l.width += t.w
		}
		l.last = last
		out = append(out, l)
		avail = rest
	}
	for i := 0; i < len(toks); {
		for i < len(toks) && toks[i].space { // no line starts with a space
			i++
		}
		if i == len(toks) {
			break
		}
		j, w := i, 0.0
		for j < len(toks) && w+toks[j].w <= avail+eps {
			w += toks[j].w
			j++
		}
		if j == len(toks) {
			emit(toks[i:j], true)
			break
		}
		t := toks[j]
		// A word wider than a whole line is split where the line ends, so it
		// neither overflows nor leaves a gap; one that fits a line moves on.
		if !t.space && len(t.runes) > 1 && (t.w > rest+eps || j == i) {
			k := fitRunes(t.runes, adv, avail-w)
			if k > 0 || j == i {
				if k == 0 {
					k = 1 // at least one rune per line, whatever the width
				}
				head := token{runes: t.runes[:k], w: sumAdv(t.runes[:k], adv)}
				tail := token{runes: t.runes[k:], w: sumAdv(t.runes[k:], adv)}
				emit(append(append([]token{}, toks[i:j]...), head), false)
				toks[j] = tail
				i = j
				continue
			}
		}
		// A URL or e-mail address that would leave a wide gap breaks after
		// one of its / . @ - rather than move whole to the next line.
		if gap := avail - w; !t.space && j > i && gap > 0.08*rest && splittable(t.runes) {
			if k := softBreak(t.runes, adv, gap); k >= 3 {
				head := token{runes: t.runes[:k], w: sumAdv(t.runes[:k], adv)}
				tail := token{runes: t.runes[k:], w: sumAdv(t.runes[k:], adv)}
				emit(append(append([]token{}, toks[i:j]...), head), false)
				toks[j] = tail
				i = j
				continue
			}
		}
		if j == i { // a single character wider than the line: draw it anyway
			emit(toks[i:i+1], i+1 == len(toks))
			i++
			continue
		}
		b := j
		for b > i+1 && !breakOK(toks, b) {
			b--
		}
		if !breakOK(toks, b) {
			// Nothing legal: hang up to two closing marks past the line
			// end (标点悬挂) rather than start a line with them.
			b = j
			for h := 0; h < 2 && b < len(toks) && !breakOK(toks, b) && isNoStart(toks[b]); h++ {
				b++
			}
		}
		// Backing up to a legal break moved a URL or e-mail address whole to
		// the next line (its closing marks could not start one): break it
		// after one of its / . @ - instead of leaving a wide gap.
		if b < j && b > i && !toks[b].space && splittable(toks[b].runes) {
			lw := 0.0
			for _, t := range toks[i:b] {
				lw += t.w
			}
			if gap := avail - lw; gap > 0.08*rest {
				if k := softBreak(toks[b].runes, adv, gap); k >= 3 {
					t := toks[b]
					head := token{runes: t.runes[:k], w: sumAdv(t.runes[:k], adv)}
					tail := token{runes: t.runes[k:], w: sumAdv(t.runes[k:], adv)}
					emit(append(append([]token{}, toks[i:b]...), head), false)
					toks[b] = tail
					i = b
					continue
				}
			}
		}
		emit(toks[i:b], b == len(toks))
		i = b
	}
	return out
}

func isNoStart(t token) bool {
	return !t.space && strings.ContainsRune(noLineStart, t.runes[0])
}

// breakOK reports whether a line may end before toks[b].
func breakOK(toks []token, b int) bool {
	next, prev := toks[b], toks[b-1]
	if next.space || prev.space {
		return true
	}
	if strings.ContainsRune(noLineStart, next.runes[0]) {
		return false
	}
	if strings.ContainsRune(noLineEnd, prev.runes[len(prev.runes)-1]) {
		return false
	}
	return true
}

// fitRunes returns how many leading runes of an over-long word fit in
// width, moved back to just after a / . - etc. when one is in the second
// half of the fitted part.
func fitRunes(rs []rune, adv func(rune) float64, width float64) int {
	k, w := 0, 0.0
	for k < len(rs)-1 && w+adv(rs[k]) <= width+1e-6 {
		w += adv(rs[k])
		k++
	}
	for p := k; p > k/2 && p > 0; p-- {
		if wordBreakAt(rs, p) {
			return p
		}
	}
	for p := k; p > 1; p-- { // never start the next line with : . , and the like
		if !strings.ContainsRune(noLineStart, rs[p]) {
			return p
		}
	}
	return k
}

// splittable reports whether a word is a URL, an e-mail address or a long
// run, which may break after its punctuation; numbers and ordinary words
// never do.
func splittable(rs []rune) bool {
	w := string(rs)
	return strings.Contains(w, "://") || strings.Contains(w, "@") || strings.HasPrefix(w, "www.") || len(rs) >= 24
}

// softBreak returns the longest head of a splittable word that fits in width
// and ends at a wordBreakAt point, or 0.
func softBreak(rs []rune, adv func(rune) float64, width float64) int {
	best, w := 0, 0.0
	for k := 0; k < len(rs)-1; k++ {
		w += adv(rs[k])
		if w > width+1e-6 {
			break
		}
		if wordBreakAt(rs, k+1) {
			best = k + 1
		}
	}
	return best
}

func sumAdv(rs []rune, adv func(rune) float64) float64 {
	w := 0.0
	for _, r := range rs {
		w += adv(r)
	}
	return w
}
