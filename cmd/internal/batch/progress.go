package batch

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress reports how far a batch has got: a redrawn bar on a terminal,
// one plain line per report otherwise. The plain lines come in the order
// of the files, whatever order the workers finish in, so a log of the same
// batch is the same bytes with any --jobs.
type progress struct {
	w     io.Writer
	tty   bool
	total int

	mu      sync.Mutex
	n       int
	start   time.Time
	last    time.Time
	pending map[int]Row // finished rows waiting for an earlier one (plain)
}

func newProgress(w io.Writer, tty bool, total int) *progress {
	return &progress{w: w, tty: tty, total: total, start: time.Now(), pending: map[int]Row{}}
}

// done records that row i (the index of its file) is finished.
func (p *progress) done(i int, r Row) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tty {
		p.pending[i] = r
		for {
			r, ok := p.pending[p.n]
			if !ok {
				return
			}
			delete(p.pending, p.n)
			p.n++
			line := fmt.Sprintf("[%d/%d] %s：%s", p.n, p.total, r.File, r.Status)
			if r.Status == Unreadable {
				line += "（" + oneLine(r.Reason) + "）"
			} else if r.Errors+r.Warnings > 0 {
				line += fmt.Sprintf("（错误 %d，警告 %d）", r.Errors, r.Warnings)
			}
			fmt.Fprintln(p.w, line)
		}
	}
	p.n++
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
