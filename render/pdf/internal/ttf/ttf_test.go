package ttf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../fonts/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEmbed: glyph i+1 of the embedded program is the i-th rune's glyph with
// its advance, a rune the font lacks gets an empty glyph, two runes sharing
// a glyph get a copy each, there is no cmap and the name table keeps the
// copyright and the names.
func TestEmbed(t *testing.T) {
	for _, name := range []string{"NotoSerifSC-Regular.ttf", "NotoSansSC-Medium.ttf", "LXGWWenKai-Regular.ttf", "NotoSerifSC-Bold.ttf"} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(load(t, name), 0)
			if err != nil {
				t.Fatal(err)
			}
			text := []rune(" %.0123ABCxyz—…“”、。一三中公告年度开息报政安府（）㐀𠀀")
			prog := f.Embed(text)
			g, err := parse(prog, 0, false)
			if err != nil {
				t.Fatalf("program does not parse: %v", err)
			}
			if g.tables["cmap"] != nil {
				t.Error("program has a cmap")
			}
			if g.NumGlyphs() < len(text)+1 || g.NumGlyphs() > len(text)+9 {
				t.Errorf("%d glyphs for %d runes", g.NumGlyphs(), len(text))
			}
			for i, r := range text {
				gid := uint16(i + 1)
				a, b := f.glyph(f.Glyph(r)), g.glyph(gid)
				if !f.Has(r) || r > 0xffff {
					if len(b) != 0 || g.Advance(gid) != f.Advance(0) {
						t.Errorf("%q (not in the font): glyph of %d bytes, advance %d", r, len(b), g.Advance(gid))
					}
					continue
				}
				if g.Advance(gid) != f.Advance(f.Glyph(r)) {
					t.Errorf("%q: advance %d → %d", r, f.Advance(f.Glyph(r)), g.Advance(gid))
				}
				a, b = bytes.TrimRight(a, "\x00"), bytes.TrimRight(b, "\x00")
				if len(a) >= 2 && int16(binary.BigEndian.Uint16(a)) >= 0 && !bytes.Equal(a, b) {
					t.Errorf("%q: glyph data differs", r)
				}
			}
			g.parseNames()
			if g.Name() != f.Name() || g.PostScriptName() != f.PostScriptName() || g.names[0] == "" {
				t.Errorf("names %q %q → %q %q; copyright %q", f.Name(), f.PostScriptName(), g.Name(), g.PostScriptName(), g.names[0])
			}
			if len(g.tables["name"]) >= len(f.tables["name"]) {
				t.Errorf("name table of %d bytes, not cut (%d)", len(g.tables["name"]), len(f.tables["name"]))
			}
			if !bytes.Equal(prog, f.Embed(text)) {
				t.Error("Embed is not deterministic")
			}
			if m := f.Metrics(); m.Ascent <= 0 || m.Descent >= 0 || m.CapHeight <= 0 || m.BBox[2] <= m.BBox[0] || m.Weight < 100 {
				t.Errorf("metrics %+v", m)
			}
		})
	}
	// two runes, one glyph: a copy each
	f, _ := Parse(load(t, "NotoSerifSC-Regular.ttf"), 0)
	var a, b rune
	seen := map[uint16]rune{}
	for r := rune(0x4e00); r < 0xffff && a == 0; r++ {
		if g := f.Glyph(r); g != 0 {
			if o, ok := seen[g]; ok {
				a, b = o, r
			}
			seen[g] = r
		}
	}
	if a == 0 {
		t.Fatal("no two characters share a glyph in the body font") // compatibility ideographs do
	}
	g, err := parse(f.Embed([]rune{a, b}), 0, false)
	if err != nil || g.NumGlyphs() < 3 || !bytes.Equal(g.glyph(1), g.glyph(2)) || len(g.glyph(1)) == 0 {
		t.Errorf("%q and %q share a glyph: embedded as %v", a, b, err)
	}
}

func TestParseRejects(t *testing.T) {
	if _, err := Parse([]byte("OTTO\x00\x00\x00\x00\x00\x00\x00\x00"), 0); !errors.Is(err, ErrCFF) {
		t.Errorf("OTTO: %v", err)
	}
	if _, err := Parse([]byte("hello, world, not a font"), 0); !errors.Is(err, ErrNotFont) {
		t.Errorf("text: %v", err)
	}
	b := load(t, "NotoSansSC-Medium.ttf")
	for _, n := range []int{12, 100, 1000, len(b) / 2} {
		if _, err := Parse(b[:n], 0); err == nil {
			t.Errorf("truncated at %d: no error", n)
		}
	}
}

// TestCollection builds a TTC from two fonts and selects each face.
func TestCollection(t *testing.T) {
	a := load(t, "NotoSansSC-Medium.ttf")
	b := load(t, "LXGWWenKai-Regular.ttf")
	ttc := MakeCollection(a, b)
	if n, _ := Faces(ttc); n != 2 {
		t.Fatalf("faces = %d", n)
	}
	for i, want := range []string{"Noto Sans SC Medium", "LXGW WenKai"} {
		f, err := Parse(ttc, i)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name() != want {
			t.Errorf("face %d: %q, want %q", i, f.Name(), want)
		}
		if _, err := parse(f.Embed([]rune("年度报告")), 0, false); err != nil {
			t.Error(err)
		}
	}
	if _, err := Parse(ttc, 2); !errors.Is(err, ErrCollection) {
		t.Errorf("face 2: %v", err)
	}
}

func BenchmarkEmbed(b *testing.B) {
	f, err := Parse(load(b, "NotoSerifSC-Regular.ttf"), 0)
	if err != nil {
		b.Fatal(err)
	}
	text := []rune("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求编制")
	for b.Loop() {
		f.Embed(text)
	}
}
