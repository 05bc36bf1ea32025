package published

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestDebugDump(t *testing.T) {
	p := os.Getenv("DUMP")
	if p == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(p)
	rep, err := Read(filepath.Base(p), data)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("meta: %+v\n", rep.Meta)
	for _, b := range rep.Intro {
		fmt.Printf("INTRO %d %.40s\n", b.Loc.Line, b.Text)
	}
	for _, s := range rep.Format.Sections {
		fmt.Printf("== %s %v\n", s.Heading(), rep.SectionLoc[s.Key])
		for _, b := range rep.Narrative[s.Key] {
			fmt.Printf("  %d %d %.40s\n", b.Kind, b.Loc.Line, b.Text)
		}
		if s.Table != "" {
			d := rep.Tables[s.Table]
			if d == nil {
				fmt.Println("  (no table)")
				continue
			}
			for i, r := range d.Table.Rows {
				fmt.Printf("  %-20.20s", r.Key)
				for _, v := range d.Values[i] {
					fmt.Printf(" %s@%d", v.Text(), v.Loc.Line)
				}
				fmt.Println()
			}
		}
	}
	for _, f := range rep.Issues {
		fmt.Printf("ISSUE %s %s %s %s\n", f.Rule, f.Severity, f.Location, f.Message)
	}
}
