//go:build !unix

package template

// nonBlocking is 0 where opening never waits (Windows has no FIFO in the
// file system).
const nonBlocking = 0
