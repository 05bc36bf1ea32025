package server

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
)

var refPattern = regexp.MustCompile(`参考编号 (\d{6}-\d{6}-[0-9a-f]{6})`)

// TestInternalError: an error of the server itself is answered with a
// Chinese message and a reference number, never the error's text; the
// text is in the server's log and the audit log under that number.
func TestInternalError(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			var logged bytes.Buffer
			f.s.opt.Log = log.New(&logged, "", 0)
			secret := `pq: relation "versions" does not exist (SQLSTATE 42P01) at /srv/nianbao/db.go:42`
			for _, api := range []bool{false, true} {
				path := "/board"
				if api {
					path = "/api/v1/status"
				}
				r := httptest.NewRequest("GET", path, nil)
				w := httptest.NewRecorder()
				c := &call{s: f.s, w: w, r: r}
				c.fail(errors.New(secret))
				body := w.Body.String()
				m := refPattern.FindStringSubmatch(body)
				if w.Code != http.StatusInternalServerError || m == nil {
					t.Fatalf("%d %s", w.Code, body)
				}
				for _, leak := range []string{"pq:", "relation", "SQLSTATE", "db.go", "系统错误"} {
					if strings.Contains(body, leak) {
						t.Errorf("the answer shows %q: %s", leak, body)
					}
				}
				if !strings.Contains(logged.String(), m[1]) || !strings.Contains(logged.String(), secret) {
					t.Errorf("the server log lacks the number or the detail: %s", logged.String())
				}
				es, _ := f.store.Audit(context.Background(), store.AuditFilter{Newest: true, Limit: 1})
				if len(es) != 1 || es[0].Action != "服务器错误" || !strings.Contains(es[0].Detail, m[1]) || !strings.Contains(es[0].Detail, secret) {
					t.Errorf("audit %+v", es)
				}
			}
			// a real one: the database gone under the login
			f.store.Close()
			a := f.browser().form("/login", map[string][]string{"login": {"office"}, "password": {password("office")}})
			if a.code != http.StatusInternalServerError || !refPattern.MatchString(a.body) || strings.Contains(a.body, "sql") {
				t.Errorf("login with the database closed: %d %s", a.code, a.body)
			}
		})
	}
}
