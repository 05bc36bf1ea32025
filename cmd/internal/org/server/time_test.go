package server

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nianbao/nianbao/cmd/internal/org/store"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
)

// TestBeijingTime: pages show times in 北京时间 (a fixed UTC+8 zone, no tz
// database needed), and the audit CSV writes them as Excel reads them
// (2026-12-02 11:57:58); the API keeps RFC 3339.
func TestBeijingTime(t *testing.T) {
	if got := store.LocalTime("2026-12-02T03:57:58.556913843Z", time.DateTime); got != "2026-12-02 11:57:58" {
		t.Errorf("LocalTime: %q", got)
	}
	if got := shortTime("2026-12-31T20:30:00Z"); got != "2027-01-01 04:30" {
		t.Errorf("shortTime across the new year: %q", got)
	}
	if got := store.LocalTime("不是时间", time.DateTime); got != "不是时间" {
		t.Errorf("not a time: %q", got)
	}
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, office := f.as("unit-a"), f.as("office")
			page := f.unitURL(f.a)
			unit.follow(unit.upload(page+"/upload", "报告.yaml", read(t, goodA)))
			vs, err := f.store.Versions(context.Background(), f.a.ID, 2024)
			if err != nil || len(vs) != 1 {
				t.Fatal(vs, err)
			}
			must(t, unit.get(page), 200, "时间（北京时间）", "<td>"+shortTime(vs[0].CreatedAt)+"</td>")
			must(t, office.get("/audit"), 200, "时间（北京时间）")
			csv := office.get("/audit.csv")
			must(t, csv, 200, "时间（北京时间）")
			lines := strings.Split(csv.body, "\r\n")
			row := regexp.MustCompile(`^\d+,\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,`)
			if len(lines) < 3 || !row.MatchString(lines[1]) || strings.Contains(csv.body, "Z,") {
				t.Errorf("CSV times: %.300q", csv.body)
			}
		})
	}
}
