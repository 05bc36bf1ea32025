package batch

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
)

// benchSize is the corpus of the scale benchmarks: 10,000 reports, or
// NIANBAO_BENCH_N.
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("NIANBAO_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

// benchJobs is the number of workers: NIANBAO_BENCH_JOBS, or the default.
func benchJobs() int {
	n, _ := strconv.Atoi(os.Getenv("NIANBAO_BENCH_JOBS"))
	return n
}

// BenchmarkBatch checks a generated corpus (varied agencies, one in ten
// with errors, one in a hundred unreadable) and prints reports/s and the
// peak memory. Targets on the 2-core machine: ≥ 500 reports/s, peak RSS
// ≤ 300 MB.
func BenchmarkBatch(b *testing.B) { benchBatch(b, false) }

// BenchmarkBatchRender also renders every report without errors in all four
// formats (HTML, text, DOCX, PDF). Target: ≥ 100 reports/s.
func BenchmarkBatchRender(b *testing.B) { benchBatch(b, true) }

func benchBatch(b *testing.B, render bool) {
	n := benchSize()
	in := b.TempDir()
	if _, err := fixture.Corpus(in, n, 2024); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	resetPeakRSS()
	b.ResetTimer()
	var elapsed time.Duration
	for range b.N {
		out := b.TempDir()
		start := time.Now()
		s, err := Run(Options{Dir: in, Out: out, Render: render, Jobs: benchJobs()})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Rows) != n {
			b.Fatalf("%d rows", len(s.Rows))
		}
		if render && len(s.Failed) > 0 {
			b.Logf("%d reports could not be rendered (first: %s)", len(s.Failed), s.Failed[0])
		}
	}
	b.StopTimer()
	rate := float64(n*b.N) / elapsed.Seconds()
	hwm := peakRSS()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(rate, "reports/s")
	b.ReportMetric(float64(hwm>>10), "peak-RSS-MB")
	b.ReportMetric(float64(m.Sys>>20), "go-sys-MB")
	jobs := benchJobs()
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	b.Logf("%d reports, %d workers: %.0f reports/s, peak RSS %d MB (VmHWM), Go runtime Sys %d MB",
		n, jobs, rate, hwm>>10, m.Sys>>20)
}

// resetPeakRSS resets the kernel's peak-RSS counter of this process (Linux:
// writing 5 to /proc/self/clear_refs), so VmHWM measures the batch only.
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns VmHWM from /proc/self/status in kB (0 when unknown).
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			v, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return v
		}
	}
	return 0
}
