package outdir

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

// TestDirRefusesLinks: a link where a folder or a file of nianbao's is
// expected is refused with a Chinese message, and nothing is written
// outside the folder.
func TestDirRefusesLinks(t *testing.T) {
	out, elsewhere := t.TempDir(), t.TempDir()
	os.Symlink(elsewhere, filepath.Join(out, "机关"))
	os.Symlink(filepath.Join(elsewhere, "x.pdf"), filepath.Join(out, "a.pdf"))
	os.Mkdir(filepath.Join(out, "inner"), 0o755)
	os.Symlink("inner", filepath.Join(out, "rel")) // a relative link inside the folder
	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, name := range []string{"机关/报告.pdf", "a.pdf", "rel/报告.pdf", "rel/sub/报告.pdf"} {
		err := d.Write(name, []byte("x"))
		if !errors.Is(err, ErrLink) || !strings.Contains(errtext.Explain(err), "链接") {
			t.Errorf("Write(%s): %v (%s), want ErrLink explained in Chinese", name, err, errtext.Explain(err))
		}
	}
	for _, name := range []string{"../x", "/etc/x", "a/../../x", `a\b`, "", "."} {
		if err := d.Write(name, []byte("x")); !errors.Is(err, ErrBadName) {
			t.Errorf("Write(%q): %v, want ErrBadName", name, err)
		}
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
		t.Errorf("wrote %s through a link", entries[0].Name())
	}
	if err := d.Write("机关二/报告.pdf", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "机关二", "报告.pdf")); string(b) != "x" {
		t.Error("a plain write failed")
	}
	os.WriteFile(filepath.Join(out, "file"), nil, 0o644)
	if err := d.Write("file/x.pdf", nil); !errors.Is(err, ErrNotFolder) {
		t.Errorf("a file where a folder goes: %v", err)
	}
}

// TestDirRemovesOnlyListed: Remove deletes what the earlier run's manifest
// lists, never another file, an input or a file behind a link.
func TestDirRemovesOnlyListed(t *testing.T) {
	out, elsewhere := t.TempDir(), t.TempDir()
	input := filepath.Join(out, "p", "input.html")
	d, err := OpenManaged(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"p/ours.html", "p/input.html", "机关/a.pdf"} {
		if err := d.Write(n, []byte("ours")); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	os.WriteFile(filepath.Join(out, "p", "theirs.html"), nil, 0o644)
	// the folder of 机关 is replaced by a link, and the manifest edited by hand
	os.RemoveAll(filepath.Join(out, "机关"))
	os.WriteFile(filepath.Join(elsewhere, "a.pdf"), []byte("theirs"), 0o644)
	os.Symlink(elsewhere, filepath.Join(out, "机关"))
	var m struct{ Files []string }
	data, _ := os.ReadFile(filepath.Join(out, ManifestName))
	json.Unmarshal(data, &m)
	m.Files = append(m.Files, "../escape", "p/theirs2.html")
	data, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(out, ManifestName), data, 0o644)
	d, err = OpenManaged(out, input)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		want bool
	}{{"p/ours.html", true}, {"p/theirs.html", false}, {"p/input.html", false}, {"机关/a.pdf", false}, {"../escape", false}} {
		got, _ := d.Remove(tt.name)
		if got != tt.want {
			t.Errorf("Remove(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
	d.Close()
	for _, p := range []string{input, filepath.Join(out, "p", "theirs.html"), filepath.Join(elsewhere, "a.pdf")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed", p)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "p", "ours.html")); err == nil {
		t.Error("a listed file was not removed")
	}
}

// TestLock (defect 8): two batches into one folder both succeeded and one
// overview was lost. The second refuses; a lock left by a killed run is
// taken over.
func TestLock(t *testing.T) {
	out := t.TempDir()
	a, err := OpenManaged(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = OpenManaged(out)
	if !errors.Is(err, ErrLocked) || !strings.Contains(errtext.Explain(err), "正由另一个 nianbao batch") {
		t.Fatalf("second OpenManaged: %v (%s), want ErrLocked", err, errtext.Explain(err))
	}
	a.Close()
	b, err := OpenManaged(out)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	b.Close()
	if _, err := os.Stat(filepath.Join(out, LockName)); err == nil {
		t.Error("lock left after Close")
	}
	host, _ := os.Hostname()
	write := func(info lockInfo, age time.Duration) {
		data, _ := json.Marshal(info)
		p := filepath.Join(out, LockName)
		os.WriteFile(p, data, 0o644)
		old := time.Now().Add(-age)
		os.Chtimes(p, old, old)
	}
	for _, tt := range []struct {
		name  string
		info  lockInfo
		age   time.Duration
		taken bool
	}{
		{"killed run on this computer", lockInfo{PID: 1 << 30, Host: host}, 0, true},
		{"run on another computer, recent", lockInfo{PID: 1, Host: "其他电脑"}, 0, false},
		{"run on another computer, not touched for long", lockInfo{PID: 1, Host: "其他电脑"}, time.Hour, true},
		{"garbage", lockInfo{}, time.Hour, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			write(tt.info, tt.age)
			d, err := OpenManaged(out)
			if (err == nil) != tt.taken {
				t.Fatalf("OpenManaged: %v, want taken = %v", err, tt.taken)
			}
			if d != nil {
				d.Close()
			}
			os.Remove(filepath.Join(out, LockName))
		})
	}
}

// TestNameFor (defect 4): the suffix (year and title) stays whole, the
// agency is cut at a character boundary with a hash, names never collide.
func TestNameFor(t *testing.T) {
	long := strings.Repeat("某某市某某区某某街道办事处", 12)
	suffix := "2024年政府信息公开工作年度报告"
	a, b := NameFor(long+"甲", suffix), NameFor(long+"乙", suffix)
	if a == b {
		t.Errorf("two agencies share %q", a)
	}
	for _, n := range []string{a, b} {
		if !strings.HasSuffix(n, suffix) || len(n) > MaxName || !strings.Contains(n, "~") {
			t.Errorf("NameFor = %q (%d bytes)", n, len(n))
		}
	}
	if got := NameFor("某某局", suffix); got != "某某局"+suffix {
		t.Errorf("a short name changed: %q", got)
	}
	r := schema.NewReport(nil)
	r.Meta.Agency.Value, r.Meta.Year.Value = long, "2023"
	if got := ReportName(r); !strings.HasSuffix(got, "2023年政府信息公开工作年度报告") {
		t.Errorf("ReportName lost the year: %q", got)
	}
	for _, s := range []string{"CON", "nul.txt", "COM1"} {
		if got := SafeName(s); got == s {
			t.Errorf("SafeName(%q) kept a Windows device name", s)
		}
	}
}

// TestTempNames: temporary files are recognisable.
func TestTempNames(t *testing.T) {
	for _, n := range []string{tempName("总览.html"), ".a.pdf.12345678.tmp"} {
		if !IsTemp(n) {
			t.Errorf("%s not recognised", n)
		}
	}
	for _, n := range []string{"a.tmp", ".mine.tmp", "总览.html"} {
		if IsTemp(n) {
			t.Errorf("%s taken for a temporary file", n)
		}
	}
}
