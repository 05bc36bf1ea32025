package published

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	catalogue "github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template/yamlfile"
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

// TestUnplacedText: a short piece of text in a table region that is no
// part of the table (a note “详见附件” beside a row label, “（含转办件）”
// under the table) is not dropped without a word: it is an IMPORT warning
// that quotes it at its line, the table reads as without it, and the
// import record written into the YAML keeps it, so check on the imported
// file repeats it.
func TestUnplacedText(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "seeds", "000.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var out []string
	want := map[string]int{} // text → its line
	for _, l := range lines {
		if strings.HasPrefix(l, "四、政府信息公开行政复议") {
			out = append(out, "（含转办件）")
			want["（含转办件）"] = len(out)
		}
		out = append(out, l)
		if strings.HasPrefix(l, "(一)予以公开") {
			out = append(out, "详见附件 |")
			want["详见附件"] = len(out)
		}
	}
	if len(want) != 2 {
		t.Fatal("seed 000 changed")
	}
	r, err := ReadText("000.txt", []byte(strings.Join(out, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range r.Issues {
		for text, line := range want {
			if strings.Contains(f.Message, "“"+text+"”") {
				found[text] = true
				if f.Rule != RuleImport || f.Severity != schema.Warning || f.Location.Line != line {
					t.Errorf("%s %s at %s, want an IMPORT warning at line %d: %s", f.Rule, f.Severity, f.Location, line, f.Message)
				}
			}
		}
	}
	for text := range want {
		if !found[text] {
			t.Errorf("no finding names %q; findings: %v", text, r.Issues)
		}
	}
	plain, _ := ReadText("000.txt", data)
	for id, d := range plain.Tables {
		for i := range d.Values {
			for j, v := range d.Values[i] {
				if got := r.Tables[id].Values[i][j]; got.State != v.State || got.Num != v.Num {
					t.Errorf("%s row %d col %d: %q, want %q", id, i, j, got.Raw, v.Raw)
				}
			}
		}
	}
	// kept in the import record: check on the imported YAML says it again
	y := yamlfile.Write(r)
	back, err := yamlfile.Read("000.yaml", y)
	if err != nil {
		t.Fatal(err)
	}
	again := map[string]bool{}
	for _, f := range catalogue.Run(back, catalogue.Options{}) {
		for text := range want {
			if f.Rule == RuleImport && f.Severity == schema.Warning && strings.Contains(f.Message, "“"+text+"”") {
				again[text] = true
			}
		}
	}
	if len(again) != len(want) {
		t.Errorf("check on the imported YAML repeats %v, want %v", again, want)
	}
}
