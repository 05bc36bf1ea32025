package roster

import (
	"fmt"
	"strings"
	"time"

	"github.com/nianbao/nianbao/schema"
)

// Submission is one report that came in, as far as matching it with the
// roster needs: who sent it, for which year, when it was published.
type Submission struct {
	File      string // where it came from, for messages
	Agency    string // 机关名称
	Year      int    // 报告年度; 0 when unknown
	Published string // 发布日期 as written; "" when blank
	// Received is when the office received it (a collection server's
	// first submission): when set, lateness is judged by it, not by the
	// 发布日期. Draft marks a report saved on a collection server but not
	// submitted: the unit has not reported yet.
	Received time.Time
	Draft    bool
}

// State is what the roster says of one unit.
type State string

// The states of a unit, from best to worst.
const (
	Submitted  State = "已报"
	Late       State = "逾期报送"
	Duplicated State = "重复报送"
	Missing    State = "未报"
	Overdue    State = "逾期未报"
)

// States lists the states in order.
var States = []State{Submitted, Late, Duplicated, Missing, Overdue}

// Line is one unit of the roster and what came in from it.
type Line struct {
	Unit  *Unit
	State State
	Files []string // the reports of this unit for the year, in input order
	Due   string   // the deadline, as 2025年1月31日
	Notes []string // Chinese
}

// Result is a roster matched with the reports of one year.
type Result struct {
	Year  int
	Lines []Line // one per unit, in roster order
	// NotListed are the reports whose 机关名称 is on no line of the roster
	// (a misspelt name, or a unit the roster lacks).
	NotListed []Submission
}

// Count returns the number of units in state s.
func (r *Result) Count(s State) int {
	n := 0
	for _, l := range r.Lines {
		if l.State == s {
			n++
		}
	}
	return n
}

// Absent returns the lines of units that sent nothing (未报, 逾期未报).
func (r *Result) Absent() []Line {
	var out []Line
	for _, l := range r.Lines {
		if l.State == Missing || l.State == Overdue {
			out = append(out, l)
		}
	}
	return out
}

// Summary is one Chinese sentence counting the states.
func (r *Result) Summary() string {
	var parts []string
	for _, s := range States {
		parts = append(parts, fmt.Sprintf("%s %d", s, r.Count(s)))
	}
	s := fmt.Sprintf("名单共 %d 个单位：%s", len(r.Lines), strings.Join(parts, "，"))
	if len(r.NotListed) > 0 {
		s += fmt.Sprintf("；另有 %d 份报告的机关名称不在名单中", len(r.NotListed))
	}
	return s
}

// DueDate is the deadline for a report of year: the deadline's month and
// day in the following year.
func DueDate(year int, d schema.Deadline) time.Time {
	return time.Date(year+1, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Match matches the roster with the reports that came in for year: every
// unit's state on the day today (a unit that sent nothing is 逾期未报 once
// its deadline has passed), and the reports of units not on the roster.
// A report of another year is not counted; its unit's line notes it.
func (r *Roster) Match(subs []Submission, year int, today time.Time) *Result {
	res := &Result{Year: year}
	index := map[string]int{}
	for i, u := range r.Units {
		index[Key(u.Agency())] = i
		due := u.DueDate(year)
		res.Lines = append(res.Lines, Line{Unit: u, Due: schema.ChineseDate(due.Format("2006-01-02"))})
	}
	late := make([]bool, len(r.Units))
	for _, s := range subs {
		i, ok := index[Key(s.Agency)]
		if !ok || strings.TrimSpace(s.Agency) == "" {
			res.NotListed = append(res.NotListed, s)
			continue
		}
		l := &res.Lines[i]
		if s.Year != year {
			l.Notes = append(l.Notes, fmt.Sprintf("%s 是 %d 年度的报告，未计入 %d 年度", s.File, s.Year, year))
			continue
		}
		if s.Draft {
			l.Notes = append(l.Notes, s.File+" 已保存为草稿，尚未提交")
			continue
		}
		l.Files = append(l.Files, s.File)
		y, m, d, ok := schema.ParseDate(s.Published)
		switch {
		case !s.Received.IsZero():
			if !s.Received.Before(l.Unit.DueDate(year).Add(24 * time.Hour)) { // the whole deadline day counts
				late[i] = true
				l.Notes = append(l.Notes, fmt.Sprintf("%s 的提交时间 %s 晚于 %s", s.File, schema.ChineseDate(s.Received.In(schema.Beijing).Format("2006-01-02")), l.Due))
			}
		case !ok:
			l.Notes = append(l.Notes, s.File+" 没有有效的发布日期，无法判断是否逾期")
		case time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).After(l.Unit.DueDate(year)):
			late[i] = true
			l.Notes = append(l.Notes, fmt.Sprintf("%s 的发布日期 %s 晚于 %s", s.File, schema.ChineseDate(s.Published), l.Due))
		}
	}
	now := day(today)
	for i := range res.Lines {
		l := &res.Lines[i]
		switch {
		case len(l.Files) > 1:
			l.State = Duplicated
			l.Notes = append(l.Notes, fmt.Sprintf("同一单位有 %d 份报告（%s），请确认以哪一份为准", len(l.Files), strings.Join(l.Files, "、")))
		case len(l.Files) == 1 && late[i]:
			l.State = Late
		case len(l.Files) == 1:
			l.State = Submitted
		case now.After(l.Unit.DueDate(year)):
			l.State = Overdue
		default:
			l.State = Missing
		}
	}
	return res
}
