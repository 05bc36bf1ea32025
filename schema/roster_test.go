package schema

import "testing"

// TestDeadlineOf: 3月31日 is only for the 本级政府 report (and the 汇总
// published with it) of a 县级以上地方人民政府; a 乡镇 government's report is
// due by 1月31日 like a department's, under the 本机关 deadline.
func TestDeadlineOf(t *testing.T) {
	for _, c := range []struct {
		scope Scope
		level Level
		want  Scope
		month int
	}{
		{ScopeAgency, LevelCounty, ScopeAgency, 1},
		{ScopeAgency, LevelTownship, ScopeAgency, 1},
		{ScopeGovernment, LevelProvince, ScopeGovernment, 3},
		{ScopeGovernment, LevelCity, ScopeGovernment, 3},
		{ScopeGovernment, LevelCounty, ScopeGovernment, 3},
		{ScopeGovernment, LevelTownship, ScopeAgency, 1},
		{ScopeRegion, LevelCounty, ScopeRegion, 3},
		{ScopeRegion, LevelTownship, ScopeAgency, 1},
		{ScopeGovernment, "", ScopeGovernment, 3}, // level unknown: the scope's own
	} {
		sc, d := DeadlineOf(c.scope, c.level)
		if sc != c.want || d.Month != c.month || d.Day != 31 || d.Law == "" {
			t.Errorf("%s/%s: %s %d月%d日, want %s %d月31日", c.scope, c.level, sc, d.Month, d.Day, c.want, c.month)
		}
	}
}
