package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema/schematest"
)

// TestExamplesAcceptance is the acceptance suite: `nianbao check` on every
// example, as text and as JSON, compared with golden files together with
// the exit code.
func TestExamplesAcceptance(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*.yaml")
	if len(files) < 5 {
		t.Fatalf("expected the examples, found %v", files)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		for _, format := range []string{"text", "json"} {
			t.Run(name+"."+format, func(t *testing.T) {
				code, out, errOut := runCmd(t, "check", "--format", format, f)
				got := fmt.Sprintf("exit %d\n%s%s", code, out, errOut)
				schematest.Golden(t, filepath.Join("testdata", "examples", name+"."+format+".golden"), []byte(got), *update)
			})
		}
	}
}

// TestPlantedErrors checks a copy of the complete example with errors
// planted in every table against its golden findings.
func TestPlantedErrors(t *testing.T) {
	code, out, errOut := runCmd(t, "check", "testdata/planted-errors.yaml")
	got := fmt.Sprintf("exit %d\n%s%s", code, out, errOut)
	schematest.Golden(t, filepath.Join("testdata", "planted-errors.golden"), []byte(got), *update)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
}
