package batch

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress reports how far a batch has got: a redrawn bar on a terminal,
// one plain line per report otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	total int

	mu    sync.Mutex
	n     int
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total, start: time.Now()}
}

func (p *progress) done(r Row) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if !p.tty {
		line := fmt.Sprintf("[%d/%d] %s：%s", p.n, p.total, r.File, r.Status)
		if r.Status == Unreadable {
			line += "（" + oneLine(r.Reason) + "）"
		} else if r.Errors+r.Warnings > 0 {
			line += fmt.Sprintf("（错误 %d，警告 %d）", r.Errors, r.Warnings)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	now := time.Now()
	if p.n < p.total && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	const width = 30
	fill := width * p.n / max(p.total, 1)
	rate := float64(p.n) / max(now.Sub(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.w, "\r校验中 [%s%s] %d/%d  %.0f 份/秒 ", strings.Repeat("█", fill),
		strings.Repeat("░", width-fill), p.n, p.total, rate)
}

func (p *progress) finish() {
	if p.w != nil && p.tty {
		fmt.Fprintln(p.w)
	}
}

// oneLine keeps the first line of s.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
