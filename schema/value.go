package schema

import (
	"errors"
	"strconv"
	"strings"

	"golang.org/x/text/width"
)

// State says what a table cell holds.
type State int

const (
	// Blank is an empty cell: never read as zero.
	Blank State = iota
	// Number is a cell that holds a valid number.
	Number
	// Invalid is a cell whose text could not be read as the cell's kind.
	Invalid
)

// Decimal is an exact decimal number: Units / 10^Scale.
type Decimal struct {
	Units int64
	Scale uint8
}

// Int returns a Decimal holding the integer n.
func Int(n int64) Decimal { return Decimal{Units: n} }

// IsInt reports whether d has no fractional part.
func (d Decimal) IsInt() bool {
	return d.normal().Scale == 0
}

// normal strips trailing fractional zeros.
func (d Decimal) normal() Decimal {
	for d.Scale > 0 && d.Units%10 == 0 {
		d.Units /= 10
		d.Scale--
	}
	return d
}

// Add returns d + e. It reports false on overflow.
func (d Decimal) Add(e Decimal) (Decimal, bool) {
	for d.Scale < e.Scale {
		if d.Units > maxSafe || d.Units < -maxSafe {
			return Decimal{}, false
		}
		d.Units *= 10
		d.Scale++
	}
	for e.Scale < d.Scale {
		if e.Units > maxSafe || e.Units < -maxSafe {
			return Decimal{}, false
		}
		e.Units *= 10
		e.Scale++
	}
	s := d.Units + e.Units
	if (e.Units > 0 && s < d.Units) || (e.Units < 0 && s > d.Units) {
		return Decimal{}, false
	}
	return Decimal{Units: s, Scale: d.Scale}.normal(), true
}

// Neg returns −d.
func (d Decimal) Neg() Decimal { return Decimal{Units: -d.Units, Scale: d.Scale} }

// Cmp compares d and e: −1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	diff, ok := d.Add(e.Neg())
	if !ok {
		// Overflow only happens far apart; fall back on floats.
		df, ef := d.Float(), e.Float()
		switch {
		case df < ef:
			return -1
		case df > ef:
			return 1
		}
		return 0
	}
	switch {
	case diff.Units < 0:
		return -1
	case diff.Units > 0:
		return 1
	}
	return 0
}

// Float returns d as a float64 (for heuristics only, never for arithmetic).
func (d Decimal) Float() float64 {
	f := float64(d.Units)
	for i := uint8(0); i < d.Scale; i++ {
		f /= 10
	}
	return f
}

const maxSafe = (1<<63 - 1) / 10

// String formats d canonically: no exponent, no trailing fractional zeros.
func (d Decimal) String() string {
	d = d.normal()
	neg := d.Units < 0
	u := d.Units
	if neg {
		u = -u
	}
	s := strconv.FormatInt(u, 10)
	if d.Scale > 0 {
		for len(s) <= int(d.Scale) {
			s = "0" + s
		}
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Value is one table cell as read from an input.
type Value struct {
	State State
	Num   Decimal  // valid when State == Number
	Raw   string   // the text as it was in the input (for messages)
	Loc   Location // where it was read
	// Normalised is set when the text was read through folding (full-width
	// digits, thousands separators, surrounding spaces, a number stored as
	// text), so a reader can warn that it changed the form.
	Normalised bool
}

// IsBlank reports whether the cell was left empty.
func (v *Value) IsBlank() bool { return v == nil || v.State == Blank }

// OK reports whether the cell holds a valid number.
func (v *Value) OK() bool { return v != nil && v.State == Number }

// Text formats the value for output: the number, or the raw text.
func (v *Value) Text() string {
	switch {
	case v == nil || v.State == Blank:
		return ""
	case v.State == Number:
		return v.Num.String()
	}
	return v.Raw
}

// SetNumber stores a valid number.
func (v *Value) SetNumber(d Decimal) {
	v.State, v.Num = Number, d
	if v.Raw == "" {
		v.Raw = d.String()
	}
}

// Errors returned by ParseNumber.
var (
	ErrNotNumber   = errors.New("not a number")
	ErrNegative    = errors.New("negative number")
	ErrNotInteger  = errors.New("not a whole number")
	ErrTooLarge    = errors.New("number too large")
	ErrTooPrecise  = errors.New("too many decimal places")
	errEmptyNumber = errors.New("empty")
)

// ParseNumber reads the text of a cell of the given kind. It accepts what
// people type: full-width digits, thousands separators (, ， and thin
// spaces) and surrounding white space; normalised reports whether any of
// that was needed. An empty text gives State Blank with a nil error.
func ParseNumber(s string, kind ValueKind) (v Value, err error) {
	v.Raw = s
	t := strings.TrimSpace(width.Fold.String(s))
	// Non-breaking and ideographic spaces survive TrimSpace in some forms.
	t = strings.Trim(t, "\u00a0\u3000\u2002\u2003\u2009\u202f ")
	if t == "" {
		if strings.TrimSpace(s) == "" && s != "" {
			v.Normalised = true
		}
		return v, nil
	}
	folded := t != s
	// thousands separators
	if strings.ContainsAny(t, ",，") || strings.ContainsAny(t, "\u2009\u202f") {
		groups := strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '，' || r == '\u2009' || r == '\u202f' })
		if len(groups) > 1 && validGroups(groups) {
			t = strings.Join(groups, "")
			folded = true
		} else {
			v.State = Invalid
			return v, ErrNotNumber
		}
	}
	d, err := parseDecimal(t)
	if err != nil {
		v.State = Invalid
		return v, err
	}
	if d.Units < 0 && kind != Signed {
		v.State = Invalid
		return v, ErrNegative
	}
	if (kind == Count || kind == Signed) && !d.IsInt() {
		v.State = Invalid
		return v, ErrNotInteger
	}
	v.State, v.Num, v.Normalised = Number, d.normal(), folded
	return v, nil
}

// validGroups reports whether groups look like 1,234,567.89.
func validGroups(g []string) bool {
	if len(g[0]) == 0 || len(g[0]) > 3 {
		return false
	}
	for i, s := range g[1:] {
		head := s
		if i == len(g)-2 {
			head, _, _ = strings.Cut(s, ".")
		}
		if len(head) != 3 {
			return false
		}
	}
	return true
}

func parseDecimal(t string) (Decimal, error) {
	if t == "" {
		return Decimal{}, errEmptyNumber
	}
	neg := false
	if t[0] == '-' || t[0] == '+' {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return Decimal{}, ErrNotNumber
	}
	if hasDot && frac == "" {
		hasDot = false
	}
	for _, s := range []string{intPart, frac} {
		for _, r := range s {
			if r < '0' || r > '9' {
				return Decimal{}, ErrNotNumber
			}
		}
	}
	if len(frac) > 6 {
		return Decimal{}, ErrTooPrecise
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	if len(digits) > 17 {
		return Decimal{}, ErrTooLarge
	}
	var u int64
	if digits != "" {
		var err error
		u, err = strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return Decimal{}, ErrTooLarge
		}
	}
	if neg {
		u = -u
	}
	return Decimal{Units: u, Scale: uint8(len(frac))}, nil
}
