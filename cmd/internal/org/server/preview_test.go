package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
)

// TestVersionPreview: every version can be read as the report itself —
// the web page and the PDF of nianbao render — by the office, the
// reviewer and the unit, whatever file it was uploaded as; a version that
// does not pass the gate is marked a draft; the page is sandboxed; each
// reading is in the audit log.
func TestVersionPreview(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, rev, office := f.as("unit-a"), f.as("reviewer"), f.as("office")
			page := f.unitURL(f.a)
			good, bad, _ := variants(t)
			unit.follow(unit.upload(page+"/upload", "报告.yaml", bad))
			unit.follow(unit.upload(page+"/upload", "报告.yaml", good))
			must(t, rev.get(page), 200, page+"/versions/2/view", page+"/versions/2/pdf", page+"/versions/1/view")

			var want []string
			for _, s := range schema.Current.Sections {
				want = append(want, s.Heading())
			}
			for _, tb := range schema.Current.Tables {
				want = append(want, tb.Rows[len(tb.Rows)-1].Label)
			}
			for _, b := range []*browser{unit, rev, office} {
				a := b.get(page + "/versions/2/view")
				must(t, a, 200, want...)
				if ct := a.h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("content type %q", ct)
				}
				if csp := a.h.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || strings.Contains(csp, "script-src") {
					t.Errorf("CSP %q", csp)
				}
				if !strings.HasPrefix(a.h.Get("Content-Disposition"), "inline") {
					t.Errorf("disposition %q", a.h.Get("Content-Disposition"))
				}
				if strings.Contains(a.body, schema.DraftLabel) {
					t.Errorf("version 2 passes the gate but is marked a draft")
				}
				p := b.get(page + "/versions/2/pdf")
				if p.code != 200 || !strings.HasPrefix(p.body, "%PDF") || p.h.Get("Content-Type") != "application/pdf" {
					t.Fatalf("PDF: %d %q %.40q", p.code, p.h.Get("Content-Type"), p.body)
				}
			}
			// version 1 has errors: readable, marked a draft
			must(t, rev.get(page+"/versions/1/view"), 200, schema.DraftLabel, f.a.Agency())
			must(t, rev.get(page+"/versions/9/view"), http.StatusNotFound)
			must(t, rev.get(page+"/versions/x/pdf"), http.StatusNotFound)
			es, err := f.store.Audit(context.Background(), store.AuditFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			seen := 0
			for _, e := range es {
				if e.Action == "查看" {
					seen++
				}
			}
			if seen != 4 {
				t.Errorf("%d readings logged, want 4", seen)
			}
		})
	}
}
