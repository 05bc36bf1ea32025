// Package rostertest makes small roster files for tests: the header is the
// labels of schema.RosterFields, so a test never spells a roster column.
package rostertest

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// Department is a roster row of a county department: its name, the level
// 县, the role 部门, then the values of the next fields (机关 above it,
// contact…) in the order of schema.RosterFields.
func Department(name string, more ...string) []string {
	return append([]string{name, string(schema.LevelCounty), string(schema.RoleDepartment)}, more...)
}

// Departments is one Department row per name.
func Departments(names ...string) [][]string {
	var rows [][]string
	for _, n := range names {
		rows = append(rows, Department(n))
	}
	return rows
}

// CSV is a roster file in CSV: a header with the labels of as many leading
// schema.RosterFields as the widest row has values, then the rows.
func CSV(rows ...[]string) []byte {
	n := 1
	for _, r := range rows {
		n = max(n, len(r))
	}
	var head []string
	for _, f := range schema.RosterFields[:n] {
		head = append(head, f.Label)
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(head)
	w.WriteAll(rows)
	return []byte(b.String())
}

// Read is the roster of the rows, read as the CSV file 名单.csv; t fails if
// it does not read.
func Read(t testing.TB, rows ...[]string) *roster.Roster {
	t.Helper()
	r, err := roster.Read("名单.csv", CSV(rows...))
	if err != nil {
		t.Fatal(err)
	}
	return r
}
