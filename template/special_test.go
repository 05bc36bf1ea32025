//go:build unix

package template

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nianbao/nianbao/schema"
)

// TestOpenSpecialFiles: a FIFO (issue 15, defect 6: check/render/convert
// blocked on it forever), a device or a socket given as a report gets a
// clear Chinese error at once, under any extension, also through a
// symbolic link.
func TestOpenSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	fifoX := filepath.Join(dir, "report.xlsx")
	if err := syscall.Mkfifo(fifoX, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.docx")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	dev := filepath.Join(dir, "null.txt")
	if err := os.Symlink("/dev/null", dev); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.html")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, tt := range []struct{ path, want string }{
		{fifo, "管道"}, {fifoX, "管道"}, {link, "管道"}, {dev, "设备"}, {sock, "套接字"},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Open(tt.path)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !errors.Is(err, schema.ErrUnusable) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %v, want ErrUnusable containing %q", err, tt.want)
				}
			case <-time.After(3 * time.Second):
				// unblock the reader so the test ends
				if f, err := os.OpenFile(tt.path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
				t.Fatalf("Open(%s) blocked", tt.path)
			}
		})
	}
}
