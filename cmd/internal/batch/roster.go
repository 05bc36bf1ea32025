package batch

import (
	"time"

	"github.com/nianbao/nianbao/template/roster"
)

// matchRoster matches the batch with opt.Roster into s.Roster and notes,
// on each report whose 机关名称 is not on the roster, that it is not. It
// returns the rows it noted.
func matchRoster(s *Summary, opt Options) []bool {
	changed := make([]bool, len(s.Rows))
	year := opt.Year
	if year == 0 {
		year = commonYear(s.Rows)
	}
	today := opt.Today
	if today.IsZero() {
		today = time.Now()
	}
	var subs []roster.Submission
	var rows []int
	for i, r := range s.Rows {
		if r.Status == Unreadable {
			continue
		}
		subs = append(subs, roster.Submission{File: r.File, Agency: r.Agency, Year: r.year, Published: r.published,
			Received: r.received, Draft: r.draft})
		rows = append(rows, i)
	}
	s.Roster = opt.Roster.Match(subs, year, today)
	listed := map[string]bool{}
	for _, n := range s.Roster.NotListed {
		listed[n.File] = true
	}
	for j, i := range rows {
		if listed[subs[j].File] {
			s.Rows[i].Notes = append(s.Rows[i].Notes, "机关名称不在应报单位名单中：请核对名称是否与名单一致，或把该单位补入名单")
			changed[i] = true
		}
	}
	return changed
}

// commonYear is the year most of the readable reports are of (the later
// one on a tie), or 0 when none has a year.
func commonYear(rows []Row) int {
	count := map[int]int{}
	best := 0
	for _, r := range rows {
		if r.Status == Unreadable || r.year == 0 {
			continue
		}
		count[r.year]++
		if c := count[r.year]; c > count[best] || c == count[best] && r.year > best {
			best = r.year
		}
	}
	return best
}
