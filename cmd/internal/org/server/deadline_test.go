package server

import (
	"context"
	"net/url"
	"testing"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster/rostertest"
)

// TestTownshipDeadline: on the board a 乡镇 government (or a 街道) is due by
// 1月31日 like a department, under the office's 本机关 deadline; a county
// government's 本级政府 report by 3月31日.
func TestTownshipDeadline(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			ctx := context.Background()
			gov := func(name string, l schema.Level) []string {
				return []string{name, string(l), string(schema.RoleGovernment)}
			}
			r := rostertest.Read(t, rostertest.Department("城南县市场监督管理局"),
				[]string{"保山市政务服务管理局", string(schema.LevelCity), string(schema.RoleDepartment)}, rostertest.Department("新设局"),
				gov("城南县人民政府", schema.LevelCounty), gov("城关镇人民政府", schema.LevelTownship))
			if _, err := f.store.ImportRoster(ctx, store.Actor{Name: "命令行"}, r); err != nil {
				t.Fatal(err)
			}
			due := func() map[string]string {
				ls, err := f.s.lines(ctx, 2024, 0)
				if err != nil {
					t.Fatal(err)
				}
				out := map[string]string{}
				for _, l := range ls {
					out[l.Unit.Agency()] = l.Due.Format("2006-01-02")
				}
				return out
			}
			d := due()
			if d["城南县人民政府"] != "2025-03-31" || d["城关镇人民政府"] != "2025-01-31" || d["城南县市场监督管理局"] != "2025-01-31" {
				t.Errorf("deadlines %v", d)
			}
			office := f.as("office")
			must(t, office.get("/board?year=2024"), 200, schema.Deadlines[schema.ScopeGovernment].Law, schema.Deadlines[schema.ScopeAgency].Law)
			office.follow(office.form("/deadlines", url.Values{"year": {"2024"}, "due-" + string(schema.ScopeAgency): {"2025-02-10"}}))
			d = due()
			if d["城关镇人民政府"] != "2025-02-10" || d["城南县人民政府"] != "2025-03-31" {
				t.Errorf("after the office's 本机关 deadline: %v", d)
			}
		})
	}
}
