//go:build unix

package pdf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/schema"
)

// TestFontFIFO: a FIFO given as a font file is refused at once (reading it
// would block until something writes to it).
func TestFontFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "font.ttf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	r := seedReport(t, seeds[2])
	done := make(chan error, 1)
	go func() { done <- Render(&bytes.Buffer{}, r, Options{BodyFont: fifo}) }()
	select {
	case err := <-done:
		if err == nil || !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), "不是普通文件") {
			t.Errorf("error %v, want ErrUnusable saying it is not a regular file", err)
		}
	case <-time.After(3 * time.Second):
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		t.Fatal("Render blocked on a FIFO font")
	}
}
