package batch

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/nianbao/nianbao/cmd/internal/fixture"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

// FuzzPipeline feeds arbitrary bytes, under every file extension nianbao
// reads, through what batch does with one file: read (template.Read, so
// every reader), check, key figures, findings page. Nothing may panic, and
// a refused input must be an InputError (schema.ErrUnusable) with a
// message for staff.
func FuzzPipeline(f *testing.F) {
	f.Add(fixture.YAML(0, 2024))
	f.Add(fixture.YAML(3, 2024))
	f.Add(fixture.YAML(37, 2024))
	f.Add([]byte("某某局2024年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n"))
	f.Add([]byte("<html><body><p>一、总体情况</p><table><tr><td>1</td></tr></table></body></html>"))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ext := range []string{".yaml", ".xlsx", ".txt", ".html", ".docx"} {
			r, err := template.Read("fuzz"+ext, data)
			if err != nil {
				if strings.Contains(err.Error(), "not implemented") {
					continue // reader not merged yet
				}
				var ie *schema.InputError
				if !errors.Is(err, schema.ErrUnusable) || !errors.As(err, &ie) || ie.Msg == "" {
					t.Fatalf("%s: reader refused the input without an InputError: %v", ext, err)
				}
				continue
			}
			fs := check.Run(r, check.Options{})
			row := Row{File: "fuzz" + ext, Agency: r.Meta.Agency.Value, Year: r.Meta.Year.Value}
			row.Errors, row.Warnings = check.Count(fs)
			row.Figures = Figures(r)
			if err := findingsPage(io.Discard, &row, fs); err != nil {
				t.Fatalf("%s: findings page: %v", ext, err)
			}
		}
	})
}

// FuzzOverview writes arbitrary names into the overview page and workbook:
// the page keeps only its own elements and its one script, the workbook
// holds no formula and gives the name back as text.
func FuzzOverview(f *testing.F) {
	for _, s := range hostileNames {
		f.Add(s, "a.yaml")
	}
	f.Add("</td></tr></table><script>x</script>", "<b>.yaml")
	f.Fuzz(func(t *testing.T, agency, file string) {
		s := &Summary{Rows: []Row{{File: file, Agency: agency, Year: agency, Status: HasErrors,
			Notes: []string{agency}, Page: FindingsDir + "/" + pageName(0, file)}}}
		var page bytes.Buffer
		if err := overviewTmpl.Execute(&page, struct {
			*Summary
			Headers [numFigures]string
		}{s, figureHeaders()}); err != nil {
			t.Fatal(err)
		}
		z := html.NewTokenizer(&page)
		scripts := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt == html.StartTagToken {
				name, _ := z.TagName()
				switch string(name) {
				case "script":
					scripts++
				case "html", "head", "meta", "title", "style", "body", "h1", "p", "table", "thead", "tbody",
					"tr", "th", "td", "a", "span", "button":
				default:
					t.Fatalf("element <%s> from %q", name, agency)
				}
			}
		}
		if scripts != 1 {
			t.Fatalf("%d scripts from %q", scripts, agency)
		}
		var book bytes.Buffer
		if err := overviewWorkbook(&book, s); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(book.Bytes()), int64(book.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			if strings.HasPrefix(zf.Name, "xl/worksheets/") {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				if bytes.Contains(b, []byte("<f>")) {
					t.Fatalf("formula from %q", agency)
				}
			}
		}
		x, err := excelize.OpenReader(bytes.NewReader(book.Bytes()))
		if err != nil {
			t.Fatalf("workbook unreadable for %q: %v", agency, err)
		}
		got, _ := x.GetCellValue("总览", "C2")
		// excelize replaces characters XML cannot hold: compare only when
		// every character can stand in XML.
		if want := clean(agency); xmlSafe(want) && got != want {
			t.Fatalf("agency %q came back as %q", want, got)
		}
	})
}

// xmlSafe reports whether every rune of s can stand in XML 1.0 text.
func xmlSafe(s string) bool {
	for _, r := range s {
		if !(r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}
