package store

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// ExportAudit writes the audit log entries f selects (all of them when f
// has no Limit) to w as CSV in UTF-8 with a byte order mark, which Excel
// and WPS open as it is: one row per entry, the unit named. A cell that a
// spreadsheet would take for a formula is written with a leading
// apostrophe. The failed logins not yet summarised are first
// (FlushLoginEvents). It returns the number of entries written.
func (s *Store) ExportAudit(ctx context.Context, w io.Writer, f AuditFilter) (int, error) {
	if err := s.FlushLoginEvents(ctx); err != nil {
		return 0, err
	}
	units, err := s.Units(ctx)
	if err != nil {
		return 0, err
	}
	names := map[int64]string{}
	for _, u := range units {
		names[u.ID] = u.Agency()
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write([]string{"序号", "时间（UTC）", "账号", "地址", "操作", "单位", "年度", "详情"}); err != nil {
		return 0, err
	}
	limit := f.Limit
	n := 0
	for {
		page := f
		page.Limit = 1000
		if limit > 0 && limit-n < page.Limit {
			page.Limit = limit - n
		}
		es, err := s.Audit(ctx, page)
		if err != nil {
			return n, err
		}
		for _, e := range es {
			year := ""
			if e.Year != 0 {
				year = fmt.Sprint(e.Year)
			}
			rec := []string{fmt.Sprint(e.ID), e.At, e.Account, e.Remote, e.Action, names[e.UnitID], year, e.Detail}
			for i, v := range rec {
				rec[i] = cell(v)
			}
			if err := cw.Write(rec); err != nil {
				return n, err
			}
			n++
			f.After = e.ID
		}
		if len(es) < page.Limit || limit > 0 && n >= limit {
			break
		}
	}
	cw.Flush()
	return n, cw.Error()
}

// cell keeps a spreadsheet from running text as a formula (CSV injection).
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
