package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
				path := filepath.Join("testdata", "examples", name+"."+format+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test -update writes it)", err)
				}
				if !bytes.Equal([]byte(got), want) {
					t.Fatalf("output differs from %s (go test -update rewrites it):\n%s", path, got)
				}
			})
		}
	}
}

// TestPlantedErrors checks a copy of the complete example with errors
// planted in every table against its golden findings.
func TestPlantedErrors(t *testing.T) {
	code, out, errOut := runCmd(t, "check", "testdata/planted-errors.yaml")
	got := fmt.Sprintf("exit %d\n%s%s", code, out, errOut)
	path := filepath.Join("testdata", "planted-errors.golden")
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if got != string(want) {
		t.Fatalf("output differs from %s:\n%s", path, got)
	}
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
}
