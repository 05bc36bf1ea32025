package published

import (
	"strconv"
	"strings"
)

// narrativeChoice picks, among the splits of one row's run-together
// digits, the one the report's own text confirms: the split with the most
// of its non-zero figures quoted in sentences that name the row ("制定规范性
// 文件5件", "现行有效的规范性文件16件"), if it is the only one with that
// many and at least one. −1 means the text does not tell them apart.
func (rd *reader) narrativeChoice(sr slotRow, sols [][]token) int {
	quoted := rd.quoted(sr.label)
	if len(quoted) == 0 {
		return -1
	}
	best, bestN, tie := -1, 0, false
	for i, s := range sols {
		n := 0
		for _, t := range s {
			if v, err := strconv.ParseInt(t.num, 10, 64); err == nil && v != 0 && quoted[v] {
				n++
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = i, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if tie || bestN == 0 {
		return -1
	}
	return best
}

// quoted returns the figures the narrative gives in sentences that name a
// row label (or its last part: "规范性文件" for "行政规范性文件"); years,
// dates and percentages are not figures.
func (rd *reader) quoted(label string) map[int64]bool {
	keys := []string{norm(label)}
	if r := []rune(keys[0]); len(r) >= 5 {
		keys = append(keys, string(r[2:]))
	}
	out := map[int64]bool{}
	for _, p := range rd.narrative {
		for _, sent := range strings.FieldsFunc(p, func(r rune) bool { return strings.ContainsRune("。；;！？", r) }) {
			n := norm(sent)
			has := false
			for _, k := range keys {
				if strings.Contains(n, k) {
					has = true
				}
			}
			if !has {
				continue
			}
			for _, sg := range splitMixed(fold(n)) {
				if !sg.num {
					continue
				}
				num := strings.TrimRight(sg.text, "万元人次件个条")
				if v, err := strconv.ParseInt(num, 10, 64); err == nil {
					out[v] = true
				}
			}
		}
	}
	return out
}
