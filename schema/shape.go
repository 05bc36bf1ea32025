package schema

import (
	"fmt"
	"sort"
)

// At returns the value at row index i and column index j, or nil when d
// has no such cell (a table built by hand with fewer rows or columns than
// its declaration).
func (d *TableData) At(i, j int) *Value {
	if d == nil || i < 0 || i >= len(d.Values) || j < 0 || j >= len(d.Values[i]) {
		return nil
	}
	return &d.Values[i][j]
}

// CheckShape reports whether r fits its format's declaration, as every
// reader leaves a report: a format, and every table present with the
// declared number of rows and, in each row, of columns. A report built by
// hand may not; writers and renderers call CheckShape before walking the
// tables, and refuse such a report with an error wrapping ErrUnusable
// instead of failing half-way.
func (r *Report) CheckShape() error {
	if r == nil || r.Format == nil {
		return Unusable(Location{}, "报告没有内容（缺少报告格式），无法输出", nil)
	}
	ids := make([]string, 0, len(r.Tables))
	for id := range r.Tables {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		d := r.Tables[id]
		if d == nil {
			continue
		}
		t := r.Format.Table(id)
		if t == nil {
			return Unusable(d.Loc, fmt.Sprintf("报告含有格式中没有的表格“%s”，无法输出", id), nil)
		}
		if d.Table == nil || d.Table.ID != id || len(d.Table.Rows) != len(t.Rows) {
			return Unusable(d.Loc, fmt.Sprintf("%s的数据与%s格式的声明不一致，无法输出", t.Name, r.Format.Notice), nil)
		}
		if len(d.Values) != len(t.Rows) {
			return Unusable(d.Loc, fmt.Sprintf("%s的数据有 %d 行，格式规定 %d 行，无法输出", t.Name, len(d.Values), len(t.Rows)), nil)
		}
		for i, row := range t.Rows {
			if len(d.Values[i]) != len(row.Cols) {
				return Unusable(d.Loc, fmt.Sprintf("%s的数据第 %d 行有 %d 栏，格式规定 %d 栏，无法输出", t.Name, i+1, len(d.Values[i]), len(row.Cols)), nil)
			}
		}
	}
	return nil
}
