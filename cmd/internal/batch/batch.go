// Package batch checks a folder of reports at once for the 政务公开办 and
// sums them into a 本行政区域汇总 report. It orchestrates the template
// readers, the checker and the renderers; it spells no official label.
//
// Run is streaming: a bounded pool of workers reads, checks and (with
// Options.Render) renders one report at a time, writes that report's
// findings page at once, and keeps only a small Row per report, so memory
// does not grow with the report's size and only slowly with their number.
package batch

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// Status is a report's verdict in the overview.
type Status string

// The statuses, from best to worst.
const (
	Publishable  Status = "可发布"
	HasWarnings  Status = "有警告"
	NeedsExplain Status = "需说明" // no errors, but a 需说明 warning not explained: not publishable
	HasErrors    Status = "有错误"
	Unreadable   Status = "无法读取"
)

// The names of the outputs inside the output folder.
const (
	OverviewWorkbook = "总览.xlsx"
	OverviewPage     = "总览.html"
	FindingsDir      = "问题清单"
)

// Options configures Run. Dir is required; the zero value of the rest means
// the defaults.
type Options struct {
	Dir    string // the folder of reports
	Prev   string // last year's folder, for the cross-year checks; "" = none
	Out    string // the output folder; must not be Dir
	Render bool   // render every report without errors in all formats
	Jobs   int    // workers; 0 = runtime.NumCPU()
	// Roster, when set, is matched with the reports: the summary says who
	// is missing, late, duplicated or not on the list.
	Roster *roster.Roster
	// Year is the report year matched with the roster; 0 = the year of
	// most of the batch's reports.
	Year int
	// Children compares every 本行政区域汇总 report with the reports of the
	// units below it, in its folder and the subfolders (SUM-CHILDREN; see
	// Children for which reports are added).
	Children bool
	// Today is the day a unit that sent nothing counts as 逾期未报 after
	// its deadline; zero = now.
	Today time.Time
	// Timeout bounds the work on one report; 0 = 2 minutes. A report that
	// takes longer is given up as unreadable (its worker is abandoned).
	Timeout time.Duration
	// Collected is what a collection server knows of the report files,
	// by their paths relative to Dir (nianbao serve --org): the overview
	// and the roster's lines then follow the server — each file named as
	// the server names it, its review state in a column, a unit late by
	// its first submission, a unit with a draft only not yet reported —
	// and name no findings page (the server sends the workbook alone).
	Collected map[string]Collected
	// Progress receives progress output; nil = none. TTY selects a
	// redrawn progress bar instead of one line per report.
	Progress io.Writer
	TTY      bool

	// open reads one report; nil = template.Open (tests replace it).
	open func(path string) (*schema.Report, error)
}

// Collected is what a collection server knows of one report file.
type Collected struct {
	Name      string    // how the overview names the file ("" = its path)
	Review    string    // its review state on the server (草稿, 待审核 …)
	Submitted time.Time // first submitted; zero = saved, never submitted
}

// Figure is one key figure of a report: OK is false when the cell is blank,
// invalid or its table absent.
type Figure struct {
	Num schema.Decimal
	OK  bool
}

func (f Figure) String() string {
	if !f.OK {
		return ""
	}
	return f.Num.String()
}

// The key figures, in overview column order.
const (
	FigReceived = iota // 表三 received × total (本年新收)
	FigHandled         // 表三 total × total (（七）总计)
	FigCarried         // 表三 carried_forward × total (结转下年度)
	FigReview          // 表四 review × total (行政复议)
	FigSuit            // 表四 direct + after_review × total (行政诉讼)
	numFigures
)

// Row is the summary of one report kept by Run.
type Row struct {
	File      string // path relative to Options.Dir, slash-separated
	Agency    string
	Year      string
	Status    Status
	Errors    int
	Warnings  int // warnings not explained
	Explained int // warnings the report explains (已说明), counted apart
	Figures   [numFigures]Figure
	Reason    string   // why the file could not be read (Status Unreadable)
	Notes     []string // anything else worth knowing: last year's match, rendering
	Prev      string   // last year's file used, relative to Options.Prev
	Page      string   // the findings page, relative to Options.Out
	Rendered  string   // the rendered outputs without extension, relative to Options.Out
	Review    string   // the review state on a collection server (Options.Collected)
	key       string   // normalised agency + year, for duplicates
	year      int      // the report year, 0 when not a number
	published string   // 发布日期 as written
	render    string   // rendering claim (rendered path prefix)
	stale     string   // the claim of a report with errors, whose earlier outputs must go
	failed    bool     // an output of this report could not be written
	received  time.Time
	draft     bool
}

// Summary is the result of Run: one row per file, in file order.
type Summary struct {
	Dir  string
	Out  string
	Rows []Row
	// Failed is set when some output could not be written (exit code 2).
	Failed []string
	// Others are the files under Dir that are not reports nianbao reads
	// (a scanned PDF, an old .xls), relative to Dir: not checked.
	Others []string
	// Roster is the roster matched with the reports (Options.Roster), or nil.
	Roster *roster.Result
	// Collected is set when the reports are a collection server's
	// (Options.Collected).
	Collected bool
}

// OthersNote says which files were not checked, naming at most a few; ""
// when there are none.
func (s *Summary) OthersNote() string {
	if len(s.Others) == 0 {
		return ""
	}
	names := s.Others
	more := ""
	if len(names) > 5 {
		names, more = names[:5], " 等"
	}
	return fmt.Sprintf("另有 %d 个文件不是 nianbao 能读取的格式，没有校验（%s%s）；如是年度报告，请报送机关改交 %s 填报文件",
		len(s.Others), strings.Join(names, "、"), more, template.Either(template.Workbook, template.YAML))
}

// Count returns the number of rows with status s.
func (s *Summary) Count(st Status) int {
	n := 0
	for _, r := range s.Rows {
		if r.Status == st {
			n++
		}
	}
	return n
}

// ExitCode is 2 when some file could not be read or some output not
// written, else 1 when some report has errors, else 0.
func (s *Summary) ExitCode() int {
	switch {
	case s.Count(Unreadable) > 0 || len(s.Failed) > 0:
		return 2
	case s.Count(HasErrors) > 0:
		return 1
	}
	return 0
}

// Errors of Run that the command explains.
var (
	ErrNoReports = errors.New("no report files") // the folder holds no report file
	ErrNotFolder = errors.New("not a folder")    // Dir or Prev is a file (in an *os.PathError, Op "batch" or "prev")
	ErrOutIsDir  = errors.New("output folder is the report folder")
	ErrNoOut     = errors.New("no output folder")
)

// Run checks every report under opt.Dir and writes the overview workbook,
// the overview page and one findings page per report into opt.Out. An
// error means the batch could not run at all (no folder, no reports, an
// output that could not be written); a report that cannot be read is a row,
// never an error.
func Run(opt Options) (*Summary, error) {
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.NumCPU()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Minute
	}
	if opt.open == nil {
		opt.open = template.Open
	}
	if err := checkDirs(opt); err != nil {
		return nil, err
	}
	files, others, err := ListAll(opt.Dir, opt.Out)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", opt.Dir, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: %w", opt.Dir, ErrNoReports)
	}
	out, err := outdir.OpenManaged(opt.Out, files...)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	var prev *prevIndex
	if opt.Prev != "" {
		if prev, err = indexPrev(opt); err != nil {
			return nil, err
		}
	}
	b := &runner{opt: opt, out: out, files: files, prev: prev, claims: map[string]int{}}
	sum := &Summary{Dir: opt.Dir, Out: opt.Out, Rows: make([]Row, len(files)), Others: others}
	prog := newProgress(opt.Progress, opt.TTY, len(files))
	pool(len(files), opt.Jobs, func(i int) {
		row := b.guarded(i)
		sum.Rows[i] = row
		prog.done(i, row)
	})
	prog.finish()
	if opt.Collected != nil {
		sum.Collected = true
		for i := range sum.Rows {
			r := &sum.Rows[i]
			c, ok := opt.Collected[r.File]
			if !ok {
				continue
			}
			if c.Name != "" {
				r.File = c.Name
			}
			r.Review, r.received, r.draft = c.Review, c.Submitted, c.Submitted.IsZero()
		}
	}
	shown := make([]Status, len(sum.Rows))
	for i, r := range sum.Rows {
		shown[i] = r.Status
	}
	changed := markDuplicates(sum.Rows)
	for i, c := range markYears(sum.Rows) {
		changed[i] = changed[i] || c
	}
	if opt.Roster != nil {
		for i, c := range matchRoster(sum, opt) {
			changed[i] = changed[i] || c
		}
	}
	for i, c := range removeStale(out, sum.Rows) {
		changed[i] = changed[i] || c
	}
	for i, c := range changed {
		if c {
			b.repage(i, &sum.Rows[i])
		}
	}
	removeOldPages(out)
	// the terminal says what the overview says: a status changed by the
	// checks across the batch is told again
	if opt.Progress != nil {
		for i, r := range sum.Rows {
			if r.Status != shown[i] {
				why := ""
				if len(r.Notes) > 0 {
					why = "：" + oneLine(r.Notes[len(r.Notes)-1])
				}
				fmt.Fprintf(opt.Progress, "%s：%s（原为%s%s）\n", r.File, r.Status, shown[i], why)
			}
		}
	}
	for _, r := range sum.Rows {
		if r.failed {
			sum.Failed = append(sum.Failed, r.File)
		}
	}
	if err := writeOverview(out, sum); err != nil {
		return sum, err
	}
	if err := out.Close(); err != nil {
		return sum, err
	}
	return sum, nil
}

// firstNote is the 说明 of a report that cannot be published: its first
// error (or, without errors, its first 需说明 warning) in one line and how
// many more there are; with explained warnings, how many.
func firstNote(res *check.Result) string {
	var first *schema.Finding
	var class string
	n := 0
	for i, f := range res.Findings {
		c := check.Class(f)
		if c == check.ClassError || (c == check.ClassExplain && res.Errors() == 0) {
			if first == nil {
				first, class = &res.Findings[i], c
			}
			n++
		}
	}
	var parts []string
	if first != nil {
		msg := []rune(oneLine(first.Message))
		if len(msg) > 80 {
			msg = append(msg[:79], '…')
		}
		note := fmt.Sprintf("%s：%s %s", class, first.Rule, string(msg))
		if n > 1 {
			note += fmt.Sprintf("（另有 %d 个%s）", n-1, class)
		}
		parts = append(parts, note)
	}
	if e := res.Explained(); e > 0 {
		parts = append(parts, fmt.Sprintf("%d 个问题已说明", e))
	}
	return strings.Join(parts, "；")
}

func checkDirs(opt Options) error {
	st, err := os.Stat(opt.Dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return &os.PathError{Op: "batch", Path: opt.Dir, Err: ErrNotFolder}
	}
	if opt.Out == "" {
		return ErrNoOut
	}
	if same(opt.Dir, opt.Out) {
		return fmt.Errorf("%s: %w", opt.Out, ErrOutIsDir)
	}
	if opt.Prev != "" {
		st, err := os.Stat(opt.Prev)
		if err != nil {
			return err
		}
		if !st.IsDir() {
			return &os.PathError{Op: "prev", Path: opt.Prev, Err: ErrNotFolder}
		}
	}
	return nil
}

func same(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ba, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && aa == ba {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// pool calls work(i) for i in [0, n) on at most jobs goroutines.
func pool(n, jobs int, work func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(jobs, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(i)
			}
		}()
	}
	wg.Wait()
}

type runner struct {
	opt   Options
	out   *outdir.Dir
	files []string
	prev  *prevIndex

	mu     sync.Mutex
	claims map[string]int // rendered folder → lowest file index rendered there
	locks  sync.Map       // rendered folder → *sync.Mutex
}

// guarded runs one report with a deadline, turning a panic or a timeout
// into an unreadable row.
func (b *runner) guarded(i int) Row {
	file := rel(b.opt.Dir, b.files[i])
	done := make(chan Row, 1)
	var abandoned atomic.Bool
	go func() {
		defer func() {
			if p := recover(); p != nil {
				debug.FreeOSMemory()
				row := Row{File: file, Status: Unreadable, Page: FindingsDir + "/" + pageName(i, file),
					Reason: fmt.Sprintf("处理时程序出错（%v），请把此文件发给维护人员", p)}
				b.writePage(&row, nil)
				done <- row
			}
		}()
		done <- b.one(i, &abandoned)
	}()
	t := time.NewTimer(b.opt.Timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r
	case <-t.C:
		abandoned.Store(true)
		row := Row{File: file, Status: Unreadable, Page: FindingsDir + "/" + pageName(i, file),
			Reason: fmt.Sprintf("处理超过 %v 仍未完成，已放弃（文件可能过大或已损坏）", b.opt.Timeout)}
		b.writePage(&row, nil)
		return row
	}
}

// one reads, checks, pages and renders report i. Once abandoned (timed
// out), it writes nothing more.
func (b *runner) one(i int, abandoned *atomic.Bool) Row {
	path := b.files[i]
	row := Row{File: rel(b.opt.Dir, path)}
	row.Page = FindingsDir + "/" + pageName(i, row.File)
	r, err := b.opt.open(path)
	if abandoned.Load() {
		return row
	}
	if err != nil {
		row.Status, row.Reason = Unreadable, bound(Reason(err), 1000)
		b.writePage(&row, nil)
		return row
	}
	// a row stays small whatever the report holds
	row.Agency, row.Year = bound(r.Meta.Agency.Value, 200), bound(r.Meta.Year.Value, 20)
	row.year, row.published = r.YearInt(), bound(r.Meta.Published.Value, 40)
	row.key = NormaliseAgency(r.Meta.Agency.Value) + "\x00" + r.Meta.Year.Value
	if schema.Scope(strings.TrimSpace(r.Meta.Scope.Value)) == schema.ScopeRegion {
		row.key += "\x00" + string(schema.ScopeRegion) // a government's 本级 report and its 汇总 are two reports
	}
	if len(row.key) > 256 {
		row.key = fmt.Sprintf("%x", sha256.Sum256([]byte(row.key)))
	}
	var copt check.Options
	if b.prev != nil {
		copt.Prev = b.prev.load(r, &row)
	}
	if b.opt.Children {
		copt.Children = b.children(path, r, &row)
	}
	res := &check.Result{File: path, Format: r.Format, Findings: check.Run(r, copt)}
	fs := res.Findings
	row.Errors, row.Warnings = check.Count(fs)
	row.Explained = res.Explained()
	row.Warnings -= row.Explained
	switch {
	case row.Errors > 0:
		row.Status = HasErrors
	case !res.Publishable():
		row.Status = NeedsExplain
	case row.Warnings > 0:
		row.Status = HasWarnings
	default:
		row.Status = Publishable
	}
	if n := firstNote(res); n != "" {
		row.Notes = append(row.Notes, n)
	}
	row.Figures = Figures(r)
	if abandoned.Load() {
		return row
	}
	if b.opt.Render && res.Publishable() {
		b.render(i, r, res, &row)
	}
	if row.Status == HasErrors {
		row.stale = claimOf(r, &row)
	}
	b.writePage(&row, fs)
	return row
}

// bound cuts s to at most n runes, marking the cut with …
func bound(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

func (r *Row) fail(note string) {
	r.Notes = append(r.Notes, note)
	r.failed = true
}

// Figures returns the key figures of r, looked up by declaration keys.
func Figures(r *schema.Report) [numFigures]Figure {
	var out [numFigures]Figure
	cells := [numFigures][][3]string{
		FigReceived: {{"t3", "received", "total"}},
		FigHandled:  {{"t3", "total", "total"}},
		FigCarried:  {{"t3", "carried_forward", "total"}},
		FigReview:   {{"t4", "review", "total"}},
		FigSuit:     {{"t4", "direct", "total"}, {"t4", "after_review", "total"}},
	}
	for i, cs := range cells {
		f := Figure{OK: true}
		for _, c := range cs {
			v := r.Cell(c[0], c[1], c[2])
			if !v.OK() {
				f = Figure{}
				break
			}
			var ok bool
			if f.Num, ok = f.Num.Add(v.Num); !ok {
				f = Figure{}
				break
			}
		}
		out[i] = f
	}
	return out
}

// Reason turns a reader's error into the Chinese reason shown to staff.
func Reason(err error) string {
	var ie *schema.InputError
	if errors.As(err, &ie) {
		return ie.Msg
	}
	return "无法读取：" + errtext.Explain(err)
}

// removeOldPages removes the findings pages an earlier run wrote (its
// manifest lists them) that this run did not write again, so none is left
// that the new overview does not list. A page nianbao did not write, or
// one that is an input, stays.
func removeOldPages(out *outdir.Dir) {
	for _, name := range out.ListedUnder(FindingsDir) {
		if !out.Written(name) {
			out.Remove(name)
		}
	}
}

// pageName is the findings page of file i: numbered, so names are unique
// and sort like the overview.
func pageName(i int, file string) string {
	return fmt.Sprintf("%05d-%s.html", i+1, outdir.SafeName(file))
}

func (b *runner) writePage(row *Row, fs []schema.Finding) {
	var buf bytes.Buffer
	if err := findingsPage(&buf, row, fs); err == nil {
		err = b.write(row.Page, buf.Bytes())
		if err != nil {
			row.fail("问题清单无法写入：" + errtext.Explain(err))
		}
	}
}

// write writes name (relative to the output folder) atomically, refusing
// every input.
func (b *runner) write(name string, data []byte) error {
	return b.out.Write(name, data)
}

// render publishes r in every format into Out/<agency>/. Two reports that
// would share the folder and file names: the one first in file order wins,
// whatever the order the workers finish in.
func (b *runner) render(i int, r *schema.Report, res *check.Result, row *Row) {
	claim := claimOf(r, row)
	lk, _ := b.locks.LoadOrStore(claim, &sync.Mutex{})
	mu := lk.(*sync.Mutex)
	mu.Lock()
	defer mu.Unlock()
	b.mu.Lock()
	owner, taken := b.claims[claim]
	b.mu.Unlock()
	row.render = claim
	if taken && owner < i {
		return // markDuplicates notes it
	}
	pub, err := publish.Write(r, publish.Options{Checked: res, Out: b.out, Name: claim, StopOnFailure: true})
	if err != nil {
		row.fail("发布稿生成失败：" + errtext.Explain(err))
		return
	}
	for _, o := range pub.Outputs {
		switch {
		case o.RenderErr != nil:
			row.fail(fmt.Sprintf("%s 发布稿生成失败：%s", o.Format.Name, errtext.Explain(o.RenderErr)))
			return
		case o.WriteErr != nil:
			row.fail(fmt.Sprintf("%s 发布稿无法写入：%s", o.Format.Name, errtext.Explain(o.WriteErr)))
			return
		}
	}
	b.mu.Lock()
	b.claims[claim] = i
	b.mu.Unlock()
	row.Rendered = claim
}

// claimOf is where r's outputs go, without extension, relative to the
// output folder: <agency>/<title>.
func claimOf(r *schema.Report, row *Row) string {
	name := r.Meta.Agency.Value
	if name == "" {
		name = row.File
	}
	return outdir.SafeName(name) + "/" + outdir.ReportName(r)
}

// removeStale removes the outputs an earlier run rendered for a report
// that now has errors, unless another report of this run rendered them:
// no publish-ready file is left for a report that cannot be published. It
// returns the rows it noted. Only files the earlier run's manifest lists
// are removed, never through a link, never an input.
func removeStale(out *outdir.Dir, rows []Row) []bool {
	changed := make([]bool, len(rows))
	rendered := map[string]bool{}
	for _, r := range rows {
		if r.Rendered != "" {
			rendered[r.Rendered] = true
		}
	}
	for i := range rows {
		r := &rows[i]
		if r.stale == "" || rendered[r.stale] {
			continue
		}
		removed := false
		for _, format := range render.Formats() {
			if ok, _ := out.Remove(r.stale + render.Ext(format)); ok {
				removed = true
			}
		}
		if removed {
			r.Notes = append(r.Notes, "报告有错误，已删除以前生成的发布稿（"+r.stale+"），改正后再生成")
			changed[i] = true
		}
	}
	return changed
}

// markDuplicates notes, on each of them, the reports of the same agency
// and year, and which of them was rendered. It returns the rows it noted.
func markDuplicates(rows []Row) []bool {
	changed := make([]bool, len(rows))
	same := map[string][]int{}
	var keys []string
	for i := range rows {
		if k := rows[i].key; k != "" {
			if same[k] == nil {
				keys = append(keys, k)
			}
			same[k] = append(same[k], i)
		}
	}
	for _, k := range keys {
		group := same[k]
		if len(group) < 2 {
			continue
		}
		first := group[0]
		for _, i := range group {
			var others []string
			for _, j := range group {
				if j != i {
					others = append(others, rows[j].File)
				}
			}
			r := &rows[i]
			r.Notes = append(r.Notes, "与 "+strings.Join(others, "、")+" 是同一机关同一年度的报告，请确认以哪一份为准")
			changed[i] = true
			if i != first && r.render != "" && r.render == rows[first].render && rows[first].Rendered != "" {
				r.Rendered = ""
				r.Notes = append(r.Notes, "发布稿与 "+rows[first].File+" 同名，只生成了 "+rows[first].File+" 的发布稿")
			}
		}
	}
	return changed
}

// markYears notes the reports whose year is not the year of most of the
// batch (more than half of the readable reports): a report of last year
// handed in by mistake is then not shown as 可发布. It returns the rows it
// noted.
func markYears(rows []Row) []bool {
	changed := make([]bool, len(rows))
	year := batchYear(rows)
	if year == "" {
		return changed
	}
	for i := range rows {
		r := &rows[i]
		if r.Status == Unreadable || r.Year == "" || r.Year == year {
			continue
		}
		r.Notes = append(r.Notes, fmt.Sprintf("报告年度是 %s，本批其他报告是 %s 年度的：请核实是否交错了年度的报告", r.Year, year))
		if r.Status == Publishable {
			r.Status = HasWarnings
		}
		changed[i] = true
	}
	return changed
}

// batchYear is the year of more than half of the readable reports, or "".
func batchYear(rows []Row) string {
	count := map[string]int{}
	n := 0
	for _, r := range rows {
		if r.Status != Unreadable {
			n++
			count[r.Year]++
		}
	}
	for y, c := range count {
		if 2*c > n && y != "" {
			return y
		}
	}
	return ""
}

// repage rewrites the findings page of row i, after markDuplicates or
// markYears added notes that need the whole batch. The report is read and
// checked again; these rows are few.
func (b *runner) repage(i int, row *Row) {
	defer func() { recover() }() // the page written by one stays
	r, err := b.opt.open(b.files[i])
	if err != nil {
		return
	}
	var copt check.Options
	if b.prev != nil {
		copt.Prev = b.prev.load(r, &Row{})
	}
	b.writePage(row, check.Run(r, copt))
}

// prevIndex finds last year's report of an agency.
type prevIndex struct {
	dir    string
	byName map[string][]prevEntry // normalised agency → its reports
}

// prevEntry is one report of last year's folder.
type prevEntry struct {
	file string
	year int
}

// indexPrev reads every report of last year's folder once, keeping only
// its agency name and year.
func indexPrev(opt Options) (*prevIndex, error) {
	files, err := List(opt.Prev, opt.Out)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", opt.Prev, err)
	}
	if opt.Progress != nil {
		fmt.Fprintf(opt.Progress, "读取上年报告 %d 份，按机关名称匹配……\n", len(files))
	}
	names := make([]string, len(files))
	years := make([]int, len(files))
	pool(len(files), opt.Jobs, func(i int) {
		defer func() { recover() }()
		if r, err := template.Open(files[i]); err == nil {
			names[i], years[i] = NormaliseAgency(r.Meta.Agency.Value), r.YearInt()
		}
	})
	idx := &prevIndex{dir: opt.Prev, byName: map[string][]prevEntry{}}
	for i, n := range names {
		if n != "" {
			idx.byName[n] = append(idx.byName[n], prevEntry{files[i], years[i]})
		}
	}
	return idx, nil
}

// load returns last year's report for r: the one report of the same agency
// for the year before r's, or nil with a note in row.
func (p *prevIndex) load(r *schema.Report, row *Row) *schema.Report {
	all := p.byName[NormaliseAgency(r.Meta.Agency.Value)]
	if len(all) == 0 {
		row.Notes = append(row.Notes, "上年文件夹中没有该机关的报告，未做跨年度核对")
		return nil
	}
	var files, others []string
	for _, e := range all {
		if y := r.YearInt(); y != 0 && e.year == y-1 {
			files = append(files, e.file)
		} else {
			others = append(others, rel(p.dir, e.file))
		}
	}
	switch {
	case len(files) == 0:
		row.Notes = append(row.Notes, fmt.Sprintf("上年文件夹中该机关的报告（%s）都不是上一年度的，未做跨年度核对", strings.Join(others, "、")))
		return nil
	case len(files) > 1:
		var fs []string
		for _, f := range files {
			fs = append(fs, rel(p.dir, f))
		}
		row.Notes = append(row.Notes, fmt.Sprintf("上年文件夹中该机关有 %d 份上一年度的报告（%s），未做跨年度核对", len(files), strings.Join(fs, "、")))
		return nil
	}
	prev, err := template.Open(files[0])
	if err != nil {
		row.Notes = append(row.Notes, "上年报告 "+rel(p.dir, files[0])+" 无法读取，未做跨年度核对")
		return nil
	}
	row.Prev = rel(p.dir, files[0])
	return prev
}
