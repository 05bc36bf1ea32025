package batch_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nianbao/nianbao/cmd/internal/batch"
	"github.com/nianbao/nianbao/cmd/internal/fixture"
)

// A folder of three reports: one clean, one with errors, one unreadable.
func ExampleRun() {
	dir, _ := os.MkdirTemp("", "reports")
	defer os.RemoveAll(dir)
	for _, i := range []int{0, 3, 37} {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%02d.yaml", i)), fixture.YAML(i, 2024), 0o644)
	}
	s, err := batch.Run(batch.Options{Dir: dir, Out: filepath.Join(dir, "out")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range s.Rows {
		fmt.Println(r.File, r.Agency, r.Status, r.Errors > 0)
	}
	fmt.Println("exit code", s.ExitCode())
	// Output:
	// r00.yaml 东城第1区人民政府 可发布 false
	// r03.yaml 北湖第1区人民政府 有错误 true
	// r37.yaml  无法读取 false
	// exit code 2
}

// Sum a folder of clean reports into the 本行政区域汇总.
func ExampleSum() {
	dir, _ := os.MkdirTemp("", "reports")
	defer os.RemoveAll(dir)
	for i := range 3 {
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%d.yaml", i)), fixture.YAML(i, 2024), 0o644)
	}
	sum, sources, err := batch.Sum(batch.SumOptions{Dir: dir, Agency: "某某市人民政府", Year: 2024, Level: "市"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(sources), sum.Meta.Scope.Value, sum.Meta.Agency.Value)
	// Output:
	// 3 本行政区域汇总 某某市人民政府
}
