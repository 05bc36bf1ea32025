package published_test

import (
	"fmt"
	"os"

	"github.com/nianbao/nianbao/template/published"
)

// ExampleReadText imports a report copied from a web page: the agency and year
// come from its opening sentence, every figure from its tables, each with
// the line it was read from.
func ExampleReadText() {
	data, err := os.ReadFile("testdata/seeds/000.txt")
	if err != nil {
		panic(err)
	}
	r, err := published.ReadText("000.txt", data)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Meta.Agency.Value, r.Meta.Year.Value, r.Meta.Published.Value)
	v := r.Cell("t3", "received", "total")
	fmt.Println("表三 一、本年新收政府信息公开申请数量 总计:", v.Text(), "at", v.Loc)
	fmt.Println("findings raised while reading:", len(r.Issues))
	// Output:
	// 白山市 2022 2023-01-29
	// 表三 一、本年新收政府信息公开申请数量 总计: 60 at 000.txt:73
	// findings raised while reading: 0
}
