package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

// injections are SQL meant to break out of a quoted value or a number,
// for both databases.
var injections = []string{
	`' OR '1'='1`,
	`'; DROP TABLE versions; --`,
	`1 OR 1=1`,
	`1; DELETE FROM units`,
	`") OR 1=1 --`,
	`\'; SELECT pg_sleep(5); --`,
	`' UNION SELECT password_hash FROM accounts --`,
	"%' AND 1=(SELECT COUNT(*) FROM sqlite_master) --",
}

// TestSQLInjection sends SQL through every field a request carries — the
// login, the setup token, file names, the explanations, answers, comments
// and their targets, dates, years, filters, path values and the roster's
// names — on both databases: no answer is a 500, nothing is dropped or
// changed but what the request was for, and what is stored is the text as
// sent.
func TestSQLInjection(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ua, rev, office := f.as("unit-a"), f.as("reviewer"), f.as("office")
			page := f.unitURL(f.a)
			_, _, warn := variants(t)
			no500 := func(t *testing.T, a answer) {
				t.Helper()
				if a.code >= 500 {
					t.Fatalf("%d %.300s", a.code, a.body)
				}
			}
			for _, x := range injections {
				t.Run(strings.ReplaceAll(x, "/", "_"), func(t *testing.T) {
					anon := f.browser()
					no500(t, anon.form("/login", url.Values{"login": {x}, "password": {x}}))
					no500(t, anon.form("/login", url.Values{"login": {"unit-a"}, "password": {x}}))
					no500(t, anon.get("/setup?token="+url.QueryEscape(x)))
					no500(t, anon.form("/setup", url.Values{"token": {x}, "password": {x + x}, "password2": {x + x}}))
					for _, p := range []string{"/units/" + url.PathEscape(x) + "/2024", "/api/v1/reports/" + url.PathEscape(x) + "/2024",
						page + "/versions/" + url.PathEscape(x), page + "/published/" + url.PathEscape(x), "/units/" + itoa(f.a.ID) + "/" + url.PathEscape(x)} {
						for _, b := range []*browser{ua, office} {
							a := b.get(p)
							no500(t, a)
							if a.code == 200 && strings.Contains(p, url.PathEscape(x)) && !strings.Contains(p, "/units/"+itoa(f.a.ID)+"/2024") {
								t.Errorf("%s answered 200", p)
							}
						}
					}
					for _, q := range []string{"year", "state", "level", "role", "q", "before"} {
						no500(t, office.get("/board?"+q+"="+url.QueryEscape(x)))
						no500(t, office.get("/audit?"+q+"="+url.QueryEscape(x)))
						no500(t, office.get("/api/v1/status?"+q+"="+url.QueryEscape(x)))
					}
					// a file named with SQL, a warning explained with SQL
					must(t, ua.upload(page+"/upload", x+".yaml", warn), http.StatusSeeOther)
					vs, _ := f.store.Versions(context.Background(), f.a.ID, 2024)
					if got := vs[len(vs)-1].FileName; got != x+".yaml" && !strings.ContainsAny(x, `/\`) {
						t.Errorf("file name stored as %q", got)
					}
					must(t, ua.form(page+"/explain", url.Values{"rule": {"TEXT-NUMBER", x}, "place": {"overview", x}, "reason": {x, x}}), http.StatusSeeOther)
					no500(t, ua.form(page+"/submit", url.Values{"version": {x}, "answer-" + x: {x}}))
					must(t, ua.form(page+"/submit", url.Values{}), http.StatusSeeOther)
					// a return with SQL in every field
					no500(t, rev.form(page+"/review", url.Values{"decision": {x}, "note": {x}}))
					must(t, rev.form(page+"/review", url.Values{"decision": {"return"}, "note": {x}, "target": {x}, "comment": {x},
						"cell-target": {x}, "cell-comment": {x}, "version": {""}}), http.StatusSeeOther)
					var rep struct {
						Comments []jsonComment `json:"comments"`
						Events   []jsonEvent   `json:"events"`
					}
					json.Unmarshal([]byte(ua.get("/api/v1/reports/"+itoa(f.a.ID)+"/2024").body), &rep)
					n := 0
					for _, c := range rep.Comments {
						if c.Text == x && c.Target == x {
							n++
						}
					}
					if n != 2 {
						t.Errorf("%d comments stored verbatim, want 2", n)
					}
					if last := rep.Events[len(rep.Events)-1]; last.Note != x || last.State != "退回修改" {
						t.Errorf("last event %+v", last)
					}
					no500(t, ua.form(page+"/publish", url.Values{"date": {x}}))
					no500(t, office.form("/deadlines", url.Values{"year": {x}, "due-本机关": {x}}))
					no500(t, office.form("/deadlines", url.Values{"year": {"2024"}, "due-本机关": {x}}))
				})
			}
			// a roster whose names are SQL
			var rows [][]string
			for _, x := range injections {
				rows = append(rows, rostertest.Department(strings.ReplaceAll(x, "\\", "")))
			}
			rows = append(rows, rostertest.Department(f.a.Agency()), rostertest.Department(f.b.Agency()), rostertest.Department("新设局"))
			must(t, importRoster(t, office, "名单.csv", rostertest.CSV(rows...), false), http.StatusSeeOther)
			us, _ := f.store.Units(context.Background())
			if len(us) != 3+len(injections) {
				t.Errorf("%d units", len(us))
			}
			c, _ := f.store.Counts(context.Background())
			if c["accounts"] != 5 || c["versions"] != int64(2*len(injections)) {
				t.Errorf("counts %v", c)
			}
			// every account still logs in with its own password only
			f.as("unit-b")
			must(t, f.browser().form("/login", url.Values{"login": {"unit-b"}, "password": {injections[0]}}), http.StatusUnauthorized)
		})
	}
}
