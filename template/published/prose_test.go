package published

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProseInTableSection: a sentence printed among a table section's
// lines is kept as that section's text even when it names a row or column
// of the table ("本表中“其他”一栏…"); it used to be read as table text and
// lost without a word.
func TestProseInTableSection(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "seeds", "000.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const note = "注：本表中“其他”一栏为本机关内部转办的申请，另有两件于次年1月办结，特此说明。"
	lines := strings.Split(string(data), "\n")
	at := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "四、政府信息公开行政复议") {
			at = i
		}
	}
	if at < 0 {
		t.Fatal("seed 000 has no heading 四")
	}
	lines = append(lines[:at], append([]string{note}, lines[at:]...)...)
	r, err := ReadText("000.txt", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, b := range r.Narrative[r.Format.Sections[2].Key] {
		kept = kept || strings.Contains(b.Text, "特此说明")
	}
	if !kept {
		t.Errorf("the note under 表三 was lost")
	}
	// the table is read as without the note
	want, _ := ReadText("000.txt", data)
	for id, d := range want.Tables {
		for i := range d.Values {
			for j, v := range d.Values[i] {
				got := r.Tables[id].Values[i][j]
				if got.State != v.State || got.Num != v.Num {
					t.Errorf("%s row %d col %d: %q, want %q", id, i, j, got.Raw, v.Raw)
				}
			}
		}
	}
}
