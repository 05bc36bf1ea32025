package schema_test

import (
	"errors"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/schematest"
)

func TestCheckShape(t *testing.T) {
	for _, tt := range schematest.OddReports() {
		t.Run(tt.Name, func(t *testing.T) {
			err := tt.Report.CheckShape()
			if (err == nil) != tt.Fits {
				t.Fatalf("CheckShape() = %v, want fits=%v", err, tt.Fits)
			}
			if err != nil && !errors.Is(err, schema.ErrUnusable) {
				t.Errorf("CheckShape() = %v, does not wrap ErrUnusable", err)
			}
			if tt.Report == nil {
				return
			}
			for _, d := range tt.Report.Tables {
				if d == nil || d.Table == nil {
					continue
				}
				for _, row := range d.Table.Rows {
					for _, col := range row.Cols {
						d.Cell(row.Key, col.Key) // must not panic
					}
				}
				if d.At(-1, 0) != nil || d.At(len(d.Values), 0) != nil || d.At(0, 1<<20) != nil {
					t.Errorf("At outside the table is not nil")
				}
			}
		})
	}
}

func TestTidy(t *testing.T) {
	for in, want := range map[string]string{
		"《条例》，  按照":      "《条例》， 按照",
		" 正文\t内容 ":       "正文 内容",
		"账号 2 个":         "账号 2 个",
		"一\u3000\u3000二": "一 二",
		"一\u3000二":       "一\u3000二",
		"":               "",
	} {
		if got := schema.Tidy(in); got != want {
			t.Errorf("Tidy(%q) = %q, want %q", in, got, want)
		}
	}
}
