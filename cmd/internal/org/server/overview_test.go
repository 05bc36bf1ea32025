package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/org/store/storetest"
)

// sheetRows reads a sheet of a workbook the server sent.
func sheetRows(t *testing.T, a answer, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(a.body))
	if err != nil {
		t.Fatalf("workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	return rows
}

// col is the column of a header row named name, or -1.
func col(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

// TestOverviewFollowsServer: the overview workbook (batch's, as nianbao
// batch --roster) says what the board says — a unit late by its first
// submission (not by the 发布日期 its file claims), a unit with a draft only
// not yet reported, the review state of each latest version (a draft after
// publication is no 可发布 without saying so), the files named as the
// server names them and no findings page that the download lacks.
func TestOverviewFollowsServer(t *testing.T) {
	for _, kind := range storetest.Kinds {
		t.Run(kind, func(t *testing.T) {
			f := newFixture(t, kind)
			unit, rev, office := f.as("unit-a"), f.as("reviewer"), f.as("office")
			page := f.unitURL(f.a)
			good := read(t, goodA)
			unit.follow(unit.upload(page+"/upload", "报告.yaml", good))
			// the office's deadline has passed when unit A submits: late on
			// the board, though its file's 发布日期 is before it
			office.follow(office.form("/deadlines", url.Values{"year": {"2024"}, "due-本机关": {"2025-01-10"}}))
			unit.follow(unit.form(page+"/submit", url.Values{}))
			rev.follow(rev.form(page+"/review", url.Values{"decision": {"approve"}}))
			unit.follow(unit.form(page+"/publish", url.Values{"date": {"2025-01-22"}}))
			unit.follow(unit.upload(page+"/upload", "报告.yaml", append(good, '\n'))) // 发布后修改
			ub := f.as("unit-b")
			ub.follow(ub.upload(f.unitURL(f.b)+"/upload", "保山.yaml", read(t, goodB))) // a draft only
			must(t, office.get("/board?year=2024"), 200, "逾期", "发布后修改")

			ov := office.get("/board/overview.xlsx?year=2024")
			must(t, ov, 200)
			rows := sheetRows(t, ov, "总览")
			h := rows[0]
			fc, rc, pc := col(h, "文件"), col(h, "审核状态"), col(h, "问题清单")
			if fc < 0 || rc < 0 || pc < 0 {
				t.Fatalf("header %q", h)
			}
			got := map[string][]string{}
			for _, r := range rows[1:] {
				for len(r) < len(h) {
					r = append(r, "")
				}
				got[r[fc]] = r
				if r[pc] != "" {
					t.Errorf("a findings page that the download lacks: %q", r[pc])
				}
			}
			a := got[f.a.Agency()+" 第 2 版（报告.yaml）"]
			b := got[f.b.Agency()+" 第 1 版（保山.yaml）"]
			if a == nil || b == nil {
				t.Fatalf("files %q", rows)
			}
			if a[rc] != "草稿（发布后修改）" || b[rc] != "草稿" {
				t.Errorf("review states %q %q", a[rc], b[rc])
			}
			ros := sheetRows(t, ov, batch.RosterSheet)
			states := map[string]string{}
			for _, r := range ros[1:] {
				states[r[1]] = strings.Join(r, "|")
			}
			if s := states[f.a.Agency()]; !strings.Contains(s, "逾期报送") || !strings.Contains(s, "提交时间") || !strings.Contains(s, "2025年1月10日") {
				t.Errorf("unit A on the roster sheet: %s", s)
			}
			if s := states[f.b.Agency()]; !strings.Contains(s, "未报") || !strings.Contains(s, "尚未提交") {
				t.Errorf("unit B on the roster sheet: %s", s)
			}
		})
	}
}
