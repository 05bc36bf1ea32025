//go:build unix

package template

import "syscall"

// nonBlocking opens a file without waiting for a writer, should a FIFO be
// swapped in after the check; a regular file reads as usual.
const nonBlocking = syscall.O_NONBLOCK
