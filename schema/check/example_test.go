package check_test

import (
	"fmt"
	"os"

	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template/yamlfile"
)

func ExampleRun() {
	data, _ := os.ReadFile("../../examples/rushanzhai-2022.yaml")
	r, err := yamlfile.Read("rushanzhai-2022.yaml", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range check.Run(r, check.Options{}) {
		fmt.Println(f.Rule, f.Severity, f.Location)
		fmt.Println(f.Message)
	}
	// Output:
	// HEADING warning rushanzhai-2022.yaml:83:14
	// “六、其他需要报告的事项”的小标题编号不连续：此处应为（三），实际为（二）
}
