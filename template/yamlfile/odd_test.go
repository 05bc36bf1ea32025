package yamlfile_test

import (
	"testing"

	"github.com/nianbao/nianbao/schema/schematest"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// TestWriteOddReports writes reports built by hand: Write must not panic,
// and what it writes must read back.
func TestWriteOddReports(t *testing.T) {
	for _, tt := range schematest.OddReports() {
		t.Run(tt.Name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("panic: %v", p)
				}
			}()
			out := yamlfile.Write(tt.Report)
			if _, err := yamlfile.Read("odd.yaml", out); err != nil {
				t.Errorf("written YAML does not read back: %v\n%s", err, out)
			}
		})
	}
}
