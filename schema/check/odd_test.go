package check_test

import (
	"testing"

	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/schema/schematest"
)

// TestRunOddReports checks reports built by hand, alone and as each
// other's previous year: Run must not panic.
func TestRunOddReports(t *testing.T) {
	odd := schematest.OddReports()
	for _, tt := range odd {
		t.Run(tt.Name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			check.Run(tt.Report, check.Options{})
			for _, prev := range schematest.OddReports() {
				check.Run(tt.Report, check.Options{Prev: prev.Report})
			}
		})
	}
}
