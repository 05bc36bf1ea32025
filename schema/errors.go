package schema

import "errors"

// ErrUnusable is the sentinel every reader wraps when an input cannot be
// used at all (not a report, corrupt, too large). The command maps it to
// exit code 2.
var ErrUnusable = errors.New("input cannot be used")

// InputError is a reader's failure: where, and a message in Chinese for the
// member of staff who has to fix the file.
type InputError struct {
	Loc Location
	Msg string // Chinese, complete sentence without the location
	Err error  // the underlying cause, if any
}

func (e *InputError) Error() string {
	if e.Loc.IsZero() {
		return e.Msg
	}
	return e.Loc.String() + "：" + e.Msg
}

// Chinese returns the message for people (package errtext shows it).
func (e *InputError) Chinese() string { return e.Error() }

// Unwrap returns ErrUnusable and the cause, so errors.Is works for both.
func (e *InputError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrUnusable, e.Err}
	}
	return []error{ErrUnusable}
}

// Unusable returns an InputError for file at loc with a Chinese message.
func Unusable(loc Location, msg string, cause error) error {
	return &InputError{Loc: loc, Msg: msg, Err: cause}
}
