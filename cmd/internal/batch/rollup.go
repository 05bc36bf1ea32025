package batch

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// A roll-up adds up, level by level (乡镇 → 县 → 市), the reports of the
// bodies below one: nianbao sum makes it, SUM-CHILDREN checks it. The
// reports are a tree of folders — a county's folder holding its own
// reports, and a subfolder per township — and the 报告主体类型 (Meta.Scope)
// of each report decides what is added, never its file name:
//   - a subfolder that holds a 本行政区域汇总 report is represented by that
//     汇总 alone: every other report below it is one the 汇总 already sums;
//   - a 本级政府 report beside a 汇总 of the same body is part of that 汇总;
//   - the 汇总 of the body the roll-up is for (the sum being made, or the
//     汇总 being checked) is not one of its own parts.

// member is one report under the roll-up's folder.
type member struct {
	path  string // the file
	scope schema.Scope
	body  string // bodyKey of its agency
}

// bodyKey compares bodies: the agency name normalised, with 人民政府 left
// off (a sum named 某某县 is the 汇总 of 某某县人民政府).
func bodyKey(agency string) string {
	return strings.TrimSuffix(NormaliseAgency(agency), "人民政府")
}

func memberOf(path string, r *schema.Report) member {
	return member{path: path, scope: schema.Scope(strings.TrimSpace(r.Meta.Scope.Value)), body: bodyKey(r.Meta.Agency.Value)}
}

// pick chooses, from every report under dir (ms), the ones a roll-up for
// agency self adds up; covered[i] says why ms[i] is left out ("" = added).
func pick(dir string, ms []member, self string) (covered []string) {
	self = bodyKey(self)
	covered = make([]string, len(ms))
	// the 汇总 reports of each folder other than self's
	region := map[string][]int{}
	for i, m := range ms {
		if m.scope == schema.ScopeRegion && (m.body != self || self == "") {
			d := filepath.Dir(m.path)
			region[d] = append(region[d], i)
		}
	}
	top := filepath.Clean(dir)
	for i, m := range ms {
		d := filepath.Dir(m.path)
		// the topmost subfolder on the way from dir to m holding a 汇总
		var chain []string
		for f := d; f != top && f != filepath.Dir(f); f = filepath.Dir(f) {
			chain = append(chain, f)
		}
		cover := ""
		for j := len(chain) - 1; j >= 0; j-- {
			if hs := region[chain[j]]; len(hs) > 0 {
				cover = chain[j]
				break
			}
		}
		switch {
		case cover != "" && !(cover == d && slices.Contains(region[d], i)):
			covered[i] = fmt.Sprintf("已由同一文件夹的汇总报告 %s 汇总", rel(dir, ms[region[cover][0]].path))
		case m.scope == schema.ScopeRegion && m.body == self && self != "":
			covered[i] = "是所汇总机关本身的汇总报告"
		case m.scope == schema.ScopeGovernment:
			for _, h := range region[d] {
				if ms[h].body == m.body {
					covered[i] = fmt.Sprintf("已计入同一机关的汇总报告 %s", rel(dir, ms[h].path))
					break
				}
			}
		}
	}
	return covered
}

// Children reads the reports under dir that a roll-up for the body of r
// adds up (see pick), for SUM-CHILDREN: the reports added, and every
// report under dir with, for one left out, why (Source.Covered). The file
// r was read from (path), when it lies under dir, is left out. A file that
// cannot be read is an error naming it; open nil is template.Open. The
// folders in skip (an output folder) are left out.
func Children(dir string, r *schema.Report, path string, open func(string) (*schema.Report, error), skip ...string) ([]*schema.Report, []Source, error) {
	files, err := List(dir, skip...)
	if err != nil {
		return nil, nil, err
	}
	if open == nil {
		open = template.Open
	}
	var reports []*schema.Report
	var ms []member
	var sources []Source
	for _, f := range files {
		if path != "" && same(f, path) {
			continue
		}
		c, err := open(f)
		if err != nil {
			return nil, nil, &ChildError{File: f, Err: err}
		}
		reports = append(reports, c)
		ms = append(ms, memberOf(f, c))
		sources = append(sources, Source{File: rel(dir, f), Agency: c.Meta.Agency.Value, report: c})
	}
	var out []*schema.Report
	for i, why := range pick(dir, ms, r.Meta.Agency.Value) {
		if sources[i].Covered = why; why == "" {
			out = append(out, reports[i])
		}
	}
	return out, sources, nil
}

// ChildError is a report under the folder of units that cannot be read.
type ChildError struct {
	File string
	Err  error
}

func (e *ChildError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *ChildError) Unwrap() error { return e.Err }

// levelRank orders the 机关层级 from the top (国家 0); -1 when unknown.
func levelRank(r *schema.Report) int {
	return slices.Index(schema.Levels, schema.Level(strings.TrimSpace(r.Meta.Level.Value)))
}

// children are the reports the 汇总 report r (read from path) is compared
// with under --children: the units' reports in its folder and below
// (Children). It returns nil, with a note on the row, when r is not a 汇总,
// when the units cannot be told apart (another 汇总 stands beside it, not
// of a lower level: a flat folder of several bodies' 汇总 reports), or when
// there are none.
func (b *runner) children(path string, r *schema.Report, row *Row) []*schema.Report {
	if schema.Scope(strings.TrimSpace(r.Meta.Scope.Value)) != schema.ScopeRegion {
		return nil
	}
	cs, sources, err := Children(filepath.Dir(path), r, path, b.opt.open, b.opt.Out)
	var ce *ChildError
	switch {
	case errors.As(err, &ce):
		row.Notes = append(row.Notes, fmt.Sprintf("下级报告 %s 无法读取（%s），未与下级报告核对", rel(b.opt.Dir, ce.File), bound(Reason(ce.Err), 200)))
		return nil
	case err != nil:
		row.Notes = append(row.Notes, "无法列出下级报告（"+bound(Reason(err), 200)+"），未与下级报告核对")
		return nil
	}
	covered := 0
	for _, s := range sources {
		if s.Covered != "" {
			covered++
			continue
		}
		c := s.report
		if !strings.Contains(s.File, "/") && schema.Scope(strings.TrimSpace(c.Meta.Scope.Value)) == schema.ScopeRegion &&
			(levelRank(r) < 0 || levelRank(c) <= levelRank(r)) {
			row.Notes = append(row.Notes, fmt.Sprintf("同一文件夹中还有%s的汇总报告（%s），无法确定哪些是本汇总的下级报告，未核对；请把每份汇总报告和它的下级报告放在单独的文件夹中",
				bound(clean(s.Agency), 100), s.File))
			return nil
		}
	}
	if len(cs) == 0 {
		row.Notes = append(row.Notes, "所在文件夹中没有下级报告，未与下级报告核对")
		return nil
	}
	note := fmt.Sprintf("已与下级 %d 份报告逐格核对（SUM-CHILDREN）", len(cs))
	if covered > 0 {
		note += fmt.Sprintf("，另有 %d 份已由其中的汇总报告汇总，未重复计入", covered)
	}
	row.Notes = append(row.Notes, note)
	return cs
}
