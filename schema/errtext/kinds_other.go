//go:build !windows

package errtext

// osKinds are the errors of this system beyond the common ones.
var osKinds []struct {
	err error
	why string
}
