package batch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
	"github.com/nianbao/nianbao/template"
)

// TestRenderThroughLink (issue 15, defect 2): with out/<机关名称> a
// symbolic link to another folder, batch --render wrote the 发布稿 there,
// and the next run, after the report gained an error, deleted them there.
// Now nothing is written or deleted through the link, and the row says why.
func TestRenderThroughLink(t *testing.T) {
	renderReady(t)
	in, out, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	r := fixture.Report(0, 2024)
	writeReport(t, in, "a.yaml", r)
	claim := claimOf(r, &Row{})
	agencyDir := filepath.Dir(filepath.FromSlash(claim))
	if err := os.Symlink(elsewhere, filepath.Join(out, agencyDir)); err != nil {
		t.Fatal(err)
	}
	s, err := Run(Options{Dir: in, Out: out, Render: true})
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
		t.Errorf("wrote %d files through the link, e.g. %s", len(entries), entries[0].Name())
	}
	if s.ExitCode() != 2 || !strings.Contains(strings.Join(s.Rows[0].Notes, ""), "链接") {
		t.Errorf("exit %d, notes %v: want exit 2 and a note naming the link", s.ExitCode(), s.Rows[0].Notes)
	}
	// files of the same names in the linked folder survive a run that
	// would remove the report's stale outputs
	for _, f := range render.Formats() {
		os.WriteFile(filepath.Join(elsewhere, filepath.Base(filepath.FromSlash(claim))+render.Ext(f)), []byte("别人的文件"), 0o644)
	}
	*r.Cell("t2", "penalty", "decisions") = schema.Value{}
	writeReport(t, in, "a.yaml", r)
	if _, err := Run(Options{Dir: in, Out: out, Render: true}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != len(render.Formats()) {
		t.Errorf("%d of %d files left in the linked folder", len(entries), len(render.Formats()))
	}
}

// TestPagesAreNotRemovedIfNotOurs (defect 3): every NNNNN-*.html in
// <out>/问题清单 was removed before a run, inputs included: `nianbao batch
// out/问题清单 -o out` deleted the report it was asked to read. Only the
// pages an earlier run of nianbao wrote (its manifest) are removed.
func TestPagesAreNotRemovedIfNotOurs(t *testing.T) {
	out := t.TempDir()
	pages := filepath.Join(out, FindingsDir)
	os.MkdirAll(pages, 0o755)
	input := filepath.Join(pages, "00001-报告.html")
	html := "<html><body><p>某某局2024年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p></body></html>"
	os.WriteFile(input, []byte(html), 0o644)
	mine := filepath.Join(pages, "00002-mine.html")
	os.WriteFile(mine, []byte("mine"), 0o644)
	if _, err := Run(Options{Dir: pages, Out: out}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{input, mine} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	// pages of an earlier run that the new run does not write are removed
	in := t.TempDir()
	for i := range 3 {
		writeReport(t, in, []string{"a.yaml", "b.yaml", "c.yaml"}[i], fixture.Report(i, 2024))
	}
	out2 := t.TempDir()
	s1, err := Run(Options{Dir: in, Out: out2})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(in, "c.yaml"))
	if _, err := Run(Options{Dir: in, Out: out2}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out2, filepath.FromSlash(s1.Rows[2].Page))); err == nil {
		t.Errorf("the page of a report no longer in the folder is left: %s", s1.Rows[2].Page)
	}
}

// TestTempFilesCleaned (defect 8): kill -9 left hidden temporary files
// that no later run removed. The next run into the folder removes them.
func TestTempFilesCleaned(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	if _, err := Run(Options{Dir: in, Out: out}); err != nil {
		t.Fatal(err)
	}
	left := []string{
		filepath.Join(out, ".总览.html.1234567890.tmp"),                  // the old name
		filepath.Join(out, FindingsDir, ".00001-a.yaml.html.8765.tmp"), // the old name
		filepath.Join(out, ".总览.xlsx.nianbao-42.tmp"),                  // the new name
	}
	for _, p := range left {
		os.WriteFile(p, []byte("半截"), 0o644)
	}
	keep := filepath.Join(out, ".mine.tmp")
	os.WriteFile(keep, nil, 0o644)
	if _, err := Run(Options{Dir: in, Out: out}); err != nil {
		t.Fatal(err)
	}
	for _, p := range left {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("temporary file %s left", filepath.Base(p))
		}
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file not named like nianbao's temporary files was removed")
	}
}

// TestLongAgencyNames (defect 4): the whole title was cut at 180 bytes, so
// a long agency name lost the year and the 2023 render replaced the 2024
// files. The year and the fixed title stay whole; the agency is shortened
// at a character boundary with a short hash, so agencies never collide.
func TestLongAgencyNames(t *testing.T) {
	renderReady(t)
	in, out := t.TempDir(), t.TempDir()
	long := strings.Repeat("某某市某某区某某街道办事处", 10)
	for i, tc := range []struct {
		agency string
		year   int
	}{{long, 2024}, {long, 2023}, {long + "甲", 2024}, {long + "乙", 2024}} {
		r := fixture.Report(i*10, tc.year)
		r.Meta.Agency.Value = tc.agency
		writeReport(t, in, []string{"a.yaml", "b.yaml", "c.yaml", "d.yaml"}[i], r)
	}
	s, err := Run(Options{Dir: in, Out: out, Render: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, r := range s.Rows {
		if r.Rendered == "" {
			t.Errorf("%s not rendered: %v", r.File, r.Notes)
			continue
		}
		base := r.Rendered[strings.LastIndex(r.Rendered, "/")+1:]
		if !strings.HasSuffix(base, r.Year+"年政府信息公开工作年度报告") {
			t.Errorf("%s: output name %q lost the year or the title", r.File, base)
		}
		for _, part := range strings.Split(r.Rendered, "/") {
			if len(part)+len(".docx") > 255 {
				t.Errorf("%s: name %q is %d bytes", r.File, part, len(part))
			}
		}
		if other, dup := seen[r.Rendered]; dup {
			t.Errorf("%s and %s share the outputs %s", r.File, other, r.Rendered)
		}
		seen[r.Rendered] = r.File
	}
}

// TestOneBatchPerFolder (defect 8): two batches into one output folder
// both succeeded and one overview was silently lost; the second now
// refuses with a Chinese message.
func TestOneBatchPerFolder(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	writeReport(t, in, "a.yaml", fixture.Report(0, 2024))
	var second error
	open := func(p string) (*schema.Report, error) {
		_, second = Run(Options{Dir: in, Out: out})
		return template.Open(p)
	}
	if _, err := Run(Options{Dir: in, Out: out, open: open}); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(second, outdir.ErrLocked) || !strings.Contains(errtext.Explain(second), "请等它完成") {
		t.Errorf("second batch: %v, want ErrLocked", second)
	}
	if _, err := Run(Options{Dir: in, Out: out}); err != nil {
		t.Errorf("a batch after the first finished: %v", err)
	}
}
