//go:build !unix

package outdir

import "os"

// alive reports whether a process of that id runs on this computer. On
// Windows, FindProcess opens the process and fails when there is none.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
