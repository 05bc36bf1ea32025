package workbook

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

var cellXML = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"([^>]*)>(.*?)</c>`)

// formulaCells returns every formula cell of the workbook's sheets: its
// sheet part and reference, its attributes and its content.
func formulaCells(t *testing.T, data []byte) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	for _, name := range zipNames(t, data) {
		if !strings.HasPrefix(name, "xl/worksheets/sheet") {
			continue
		}
		for _, m := range cellXML.FindAllStringSubmatch(string(zipEntry(t, data, name)), -1) {
			if strings.Contains(m[3], "<f>") {
				out[name+"!"+m[1]] = [2]string{m[2], m[3]}
			}
		}
	}
	return out
}

// TestFormulaCachedValues: every formula cell of the template carries a
// cached value (an empty string: its parts are blank), and in a filled
// workbook the cached value is the total, a number, the same as the
// report's. 34 formula cells in the 2021 format.
func TestFormulaCachedValues(t *testing.T) {
	blank := schema.NewReport(nil)
	blank.Meta.Agency.Value, blank.Meta.Year.Value = "某某局", "2025"
	cells := formulaCells(t, write(t, blank))
	if len(cells) != 34 {
		t.Errorf("%d formula cells in the template, want 34", len(cells))
	}
	for ref, c := range cells {
		if !strings.Contains(c[1], "<v></v>") || !strings.Contains(c[0], `t="str"`) {
			t.Errorf("template %s: no empty cached value: %v", ref, c)
		}
	}
	r := readYAML(t, "../../examples/chengnan-scjg-2024.yaml")
	data := write(t, r)
	cells = formulaCells(t, data)
	if len(cells) != 34 {
		t.Errorf("%d formula cells in the sample, want 34", len(cells))
	}
	v := regexp.MustCompile(`<v>(-?[0-9.]+)</v>`)
	for ref, c := range cells {
		m := v.FindStringSubmatch(c[1])
		if m == nil || strings.Contains(c[0], `t="str"`) {
			t.Errorf("sample %s: no numeric cached value: %v", ref, c)
			continue
		}
		if _, err := strconv.ParseFloat(m[1], 64); err != nil {
			t.Errorf("sample %s: cached value %q", ref, m[1])
		}
	}
	// the values are the report's totals: read back, with the cached
	// results, the report is the same
	back := read(t, "sample.xlsx", data)
	for id, d := range r.Tables {
		for i := range d.Values {
			for j := range d.Values[i] {
				if !sameValue(d.Values[i][j], back.Tables[id].Values[i][j]) {
					t.Errorf("%s[%d][%d]: %v read back as %v", id, i, j, d.Values[i][j], back.Tables[id].Values[i][j])
				}
			}
		}
	}
}

func zipNames(t *testing.T, data []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	return names
}

func zipEntry(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
