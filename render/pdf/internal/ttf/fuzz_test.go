package ttf

import (
	"os"
	"testing"
)

// FuzzParse: no input makes Parse or Embed panic, and a font that parses
// gives a program that parses again.
func FuzzParse(f *testing.F) {
	kai, err := os.ReadFile("../../fonts/NotoSansSC-Medium.ttf")
	if err != nil {
		f.Fatal(err)
	}
	small, err := Parse(kai, 0)
	if err != nil {
		f.Fatal(err)
	}
	seed := small.Embed([]rune("政府信息公开年度报告（一）2023，。"))
	f.Add(seed, 0)
	f.Add(MakeCollection(seed, seed), 1)
	f.Add([]byte("OTTO\x00\x00\x00\x00\x00\x00\x00\x00"), 0)
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x02\x00\x00\x00\x14\x00\x00\x00\x00"), 1)
	f.Fuzz(func(t *testing.T, data []byte, index int) {
		fo, err := Parse(data, index)
		if err != nil { // an embedded program has no cmap
			if fo, err = parse(data, index, false); err != nil {
				return
			}
		}
		fo.Name()
		fo.Restricted()
		prog := fo.Embed([]rune("政府信息公开年度报告（一）2023，。A"))
		if _, err := parse(prog, 0, false); err != nil {
			t.Fatalf("program of a parsed font does not parse: %v", err)
		}
	})
}
