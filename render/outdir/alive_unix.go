//go:build unix

package outdir

import (
	"errors"
	"syscall"
)

// alive reports whether a process of that id runs on this computer.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
