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

func TestSubsetKeepsGlyphsAndMetrics(t *testing.T) {
	for _, name := range []string{"NotoSerifSC-Regular.ttf", "NotoSansSC-Medium.ttf", "LXGWWenKai-Regular.ttf", "NotoSerifSC-Bold.ttf"} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(load(t, name), 0)
			if err != nil {
				t.Fatal(err)
			}
			text := []rune("政府信息公开工作年度报告（一）“三安全一稳定”2023年5.6% ABCxyz，。、—…·𠀀")
			sub := f.Subset(text)
			g, err := Parse(sub, 0)
			if err != nil {
				t.Fatalf("subset does not parse: %v", err)
			}
			if g.NumGlyphs() > len(text)+8 {
				t.Errorf("subset has %d glyphs for %d runes", g.NumGlyphs(), len(text))
			}
			for _, r := range text {
				if f.Has(r) != g.Has(r) && r <= 0xffff {
					t.Errorf("%q: original has=%v, subset has=%v", r, f.Has(r), g.Has(r))
				}
				if !f.Has(r) {
					continue
				}
				if f.Width(r) != g.Width(r) {
					t.Errorf("%q: width %d → %d", r, f.Width(r), g.Width(r))
				}
				a, b := f.glyph(f.Glyph(r)), g.glyph(g.Glyph(r))
				a, b = bytes.TrimRight(a, "\x00"), bytes.TrimRight(b, "\x00") // loca ranges include padding
				if len(a) >= 2 && int16(binary.BigEndian.Uint16(a)) >= 0 && !bytes.Equal(a, b) {
					t.Errorf("%q: glyph data differs", r)
				}
			}
			if g.Has(0x20000) {
				t.Error("a rune outside the BMP reached the subset")
			}
			if !bytes.Equal(sub, f.Subset(text)) {
				t.Error("Subset is not deterministic")
			}
			if g.Name() != f.Name() || g.Name() == "" {
				t.Errorf("name %q → %q", f.Name(), g.Name())
			}
		})
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
		if _, err := Parse(f.Subset([]rune("年度报告")), 0); err != nil {
			t.Error(err)
		}
	}
	if _, err := Parse(ttc, 2); !errors.Is(err, ErrCollection) {
		t.Errorf("face 2: %v", err)
	}
}

func BenchmarkSubset(b *testing.B) {
	f, err := Parse(load(b, "NotoSerifSC-Regular.ttf"), 0)
	if err != nil {
		b.Fatal(err)
	}
	text := []rune("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求编制")
	for b.Loop() {
		f.Subset(text)
	}
}
