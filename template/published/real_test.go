package published

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
)

// truthEntry is one report of testdata/real/truth.json: every table cell
// read by hand (see its _about: null = blank in the source, or digits whose
// split is ambiguous; a table or row that is absent was not published or
// was cut off).
type truthEntry struct {
	File     string                     `json:"file"`
	Format   string                     `json:"format"`
	Year     json.RawMessage            `json:"year"`
	Active   map[string]json.RawMessage `json:"active"`
	Requests map[string]json.RawMessage `json:"requests"`
	Appeals  map[string]json.RawMessage `json:"appeals"`
}

// score counts the cells of one report compared with the truth.
type score struct {
	exact   int // the number read, or blank where the truth is blank
	wrong   int // a number where the truth has another number or none
	missing int // the truth has a number, the import none
	details []string
}

// truthCells turns a truth row (a number, an array of numbers and nulls, or
// null) into one expected text per cell ("" for blank).
func truthCells(raw json.RawMessage, n int) ([]string, error) {
	out := make([]string, n)
	if raw == nil || string(raw) == "null" {
		return out, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	cell := func(x any) string {
		switch x := x.(type) {
		case nil:
			return ""
		case json.Number:
			return x.String()
		case string:
			return x
		}
		return fmt.Sprint(x)
	}
	if a, ok := v.([]any); ok {
		if len(a) != n {
			return nil, fmt.Errorf("%d cells, declared %d", len(a), n)
		}
		for i, x := range a {
			out[i] = cell(x)
		}
		return out, nil
	}
	if n != 1 {
		return nil, fmt.Errorf("one value for a row of %d cells", n)
	}
	out[0] = cell(v)
	return out, nil
}

// scoreTable compares one table. rows nil means the truth has no such table
// (not published, old format or cut off): then every number imported is
// wrong and blanks are not counted; a row absent from rows likewise.
func scoreTable(t *testing.T, sc *score, rep *schema.Report, tid string, rows map[string]json.RawMessage) {
	tbl := rep.Format.Table(tid)
	d := rep.Tables[tid]
	for _, row := range tbl.Rows {
		raw, listed := rows[row.Key]
		wants, err := truthCells(raw, len(row.Cols))
		if err != nil {
			t.Fatalf("truth %s.%s: %v", tid, row.Key, err)
		}
		for j, c := range row.Cols {
			want := wants[j]
			var v *schema.Value
			if d != nil {
				v = d.Cell(row.Key, c.Key)
			}
			got := ""
			if v != nil && !v.IsBlank() {
				got = v.Text()
			}
			where := fmt.Sprintf("%s.%s.%s", tid, row.Key, c.Key)
			if v != nil && v.Loc.Line > 0 {
				where += fmt.Sprintf(" (line %d)", v.Loc.Line)
			}
			switch {
			case !listed:
				if got != "" {
					sc.wrong++
					sc.details = append(sc.details, fmt.Sprintf("WRONG %s = %s, the truth has no such cell", where, got))
				}
			case got == want:
				sc.exact++
			case got == "":
				sc.missing++
				sc.details = append(sc.details, fmt.Sprintf("missing %s, want %s", where, want))
			case !v.OK() && want != "":
				// read as text (a placeholder or a bad unit): not a number in a wrong cell
				sc.missing++
				sc.details = append(sc.details, fmt.Sprintf("missing %s = %q (not a number), want %s", where, got, want))
			default:
				sc.wrong++
				w := want
				if w == "" {
					w = "blank"
				}
				sc.details = append(sc.details, fmt.Sprintf("WRONG %s = %s, want %s", where, got, w))
			}
		}
	}
}

// realFloor is the number of exact cells each report reached: an import
// that reads fewer fails (raise it as the importer improves).
var realFloor = map[string]int{
	"h2-001": 200, "h2-006": 200, "h2-007": 200, "h2-008": 200,
	"h2-011": 190, "h2-012": 200, "h2-013": 10, "h2-014": 73,
}

// TestRealReports imports the real published reports of testdata/real and
// compares every cell with truth.json: it prints the score per file and
// fails on any number in a wrong cell.
func TestRealReports(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "real", "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]json.RawMessage
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range truth {
			if !strings.HasPrefix(k, "_") && !yield(k) {
				return
			}
		}
	})
	if len(keys) == 0 {
		t.Fatal("truth.json lists no report")
	}
	var total score
	var summary []string
	for _, k := range keys {
		var e truthEntry
		if err := json.Unmarshal(truth[k], &e); err != nil {
			t.Fatalf("truth %s: %v", k, err)
		}
		name := filepath.Join("testdata", "real", e.File)
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var sc score
		rep, err := Read(name, src)
		if err != nil {
			t.Logf("%s: not imported: %v", k, err)
			rep = schema.NewReport(schema.Format2021)
		}
		scoreTable(t, &sc, rep, "t2", e.Active)
		scoreTable(t, &sc, rep, "t3", e.Requests)
		scoreTable(t, &sc, rep, "t4", e.Appeals)
		line := fmt.Sprintf("%-7s exact %3d  wrong %2d  missing %3d", k, sc.exact, sc.wrong, sc.missing)
		summary = append(summary, line)
		for _, d := range sc.details {
			if strings.HasPrefix(d, "WRONG") {
				t.Errorf("%s: %s", k, d)
			} else if testing.Verbose() {
				t.Logf("%s: %s", k, d)
			}
		}
		if sc.exact < realFloor[k] {
			t.Errorf("%s: %d cells exact, fewer than the %d read before", k, sc.exact, realFloor[k])
		}
		total.exact += sc.exact
		total.wrong += sc.wrong
		total.missing += sc.missing
	}
	summary = append(summary, fmt.Sprintf("%-7s exact %3d  wrong %2d  missing %3d", "total", total.exact, total.wrong, total.missing))
	t.Log("real reports, cells compared with truth.json:\n" + strings.Join(summary, "\n"))
	fmt.Println(strings.Join(summary, "\n"))
}

// TestRealMeta: the crawler header gives agency, year and date; the title
// repeated at the start of the body does not open the 导语.
func TestRealMeta(t *testing.T) {
	name := filepath.Join("testdata", "real", "h2-011_pingtan_gwhbgs_2019.txt")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Meta
	if m.Agency.Value != "平潭综合实验区管委会办公室" || m.Year.Value != "2019" || m.Published.Value != "2020-01-22" {
		t.Errorf("meta %q %q %q", m.Agency.Value, m.Year.Value, m.Published.Value)
	}
	if len(rep.Intro) == 0 || strings.HasPrefix(rep.Intro[0].Text, "平潭综合实验区管委会办公室2019") {
		t.Errorf("intro starts with the title: %d blocks", len(rep.Intro))
	}
}

// TestOneLineColumns: in crawler text whose body is one line, every figure
// and every finding is placed at its own character column of that line —
// the column points at the figure in the source — not at "line 10" alone.
func TestOneLineColumns(t *testing.T) {
	name := filepath.Join("testdata", "real", "h2-001_pingtan_zone_2025.txt")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	cols := map[int]bool{}
	for _, tid := range []string{"t2", "t3", "t4"} {
		d := rep.Tables[tid]
		for i := range d.Values {
			for j := range d.Values[i] {
				v := d.Values[i][j]
				if v.IsBlank() {
					continue
				}
				l := v.Loc
				if l.Line < 1 || l.Line > len(lines) || l.Col < 1 {
					t.Fatalf("%s value %q at %s: no column", tid, v.Raw, l)
				}
				src := []rune(lines[l.Line-1])
				if l.Col > len(src) || !strings.ContainsRune("0123456789０１２３４５６７８９—-/", src[l.Col-1]) {
					t.Errorf("%s value %q at %s: the column does not point at a figure", tid, v.Raw, l)
				}
				cols[l.Col] = true
			}
		}
	}
	if len(cols) < 25 { // run-together digits of a row share the run's column
		t.Errorf("only %d distinct columns for the figures of one line", len(cols))
	}
	for _, f := range rep.Issues {
		if f.Location.Line == 10 && f.Location.Col == 0 {
			t.Errorf("finding without a column: %s %s", f.Location, f.Message)
		}
	}
}

// TestRealSubHeadings: a report's paragraphs stay separate as published.
// In each narrative section of the 8 real reports, the paragraphs the
// importer reads start with the same sub-heading numbers, in the same
// order, as the sections cut by hand (schematest.RealReports): a
// sub-heading run into the paragraph before it (“报告如下：（一）主动公开方面。”
// in a crawler's one-line text) made HEADING report a numbering that the
// published report does not have.
func TestRealSubHeadings(t *testing.T) {
	for _, rr := range schematest.RealReports(t) {
		t.Run(rr.Name, func(t *testing.T) {
			name := filepath.Join("testdata", "real", rr.Name)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadText(name, data)
			if err != nil {
				t.Fatal(err)
			}
			heads := func(bs []schema.Block) []string {
				var out []string
				for _, b := range bs {
					for _, p := range schema.Paragraphs(b.Text) {
						if m := subHeadRe.FindString(norm(p)); m != "" {
							out = append(out, m)
						}
					}
				}
				return out
			}
			for _, s := range rr.Report.Format.Sections {
				if s.Kind != schema.Narrative {
					continue
				}
				g, w := heads(got.Narrative[s.Key]), heads(rr.Report.Narrative[s.Key])
				if !slices.Equal(g, w) {
					t.Errorf("%s: paragraphs start with %v, want %v", s.Heading(), g, w)
				}
			}
		})
	}
}
