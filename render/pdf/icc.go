package pdf

import (
	"encoding/binary"
	"math"
	"sync"
)

// srgbProfile returns a small ICC v2 display profile of sRGB (IEC
// 61966-2.1): D50-adapted primaries (Bradford, as in the profiles the ICC
// publishes), the sRGB tone curve sampled at 256 points. It is the
// destination profile of the PDF/A OutputIntent, built here rather than
// shipped as a file.
var srgbProfile = sync.OnceValue(func() []byte {
	be := binary.BigEndian
	s15 := func(v float64) []byte {
		b := make([]byte, 4)
		be.PutUint32(b, uint32(int32(math.Round(v*65536))))
		return b
	}
	xyz := func(x, y, z float64) []byte {
		b := append([]byte("XYZ \x00\x00\x00\x00"), s15(x)...)
		b = append(b, s15(y)...)
		return append(b, s15(z)...)
	}
	text := func(s string) []byte { return append(append([]byte("text\x00\x00\x00\x00"), s...), 0) }
	desc := func(s string) []byte {
		b := []byte("desc\x00\x00\x00\x00")
		b = be.AppendUint32(b, uint32(len(s)+1))
		b = append(append(b, s...), 0)
		b = append(b, make([]byte, 4+4+2+1+67)...) // no Unicode or ScriptCode description
		return b
	}
	const n = 256
	curv := be.AppendUint32([]byte("curv\x00\x00\x00\x00"), n)
	for i := 0; i < n; i++ {
		v := float64(i) / (n - 1)
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		curv = be.AppendUint16(curv, uint16(math.Round(v*65535)))
	}
	type tag struct {
		sig  string
		data []byte
	}
	tags := []tag{
		{"desc", desc("sRGB IEC61966-2.1")},
		{"cprt", text("No copyright, use freely")},
		{"wtpt", xyz(0.9642, 1.0, 0.8249)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curv},
		{"gTRC", nil}, // shares rTRC's data
		{"bTRC", nil},
	}
	off := 128 + 4 + 12*len(tags)
	var table, data []byte
	table = be.AppendUint32(table, uint32(len(tags)))
	var curvOff, curvLen int
	for _, t := range tags {
		o, l := off+len(data), len(t.data)
		if t.data == nil {
			o, l = curvOff, curvLen
		} else {
			if t.sig == "rTRC" {
				curvOff, curvLen = o, l
			}
			data = append(data, t.data...)
			for len(data)%4 != 0 {
				data = append(data, 0)
			}
		}
		table = append(table, t.sig...)
		table = be.AppendUint32(table, uint32(o))
		table = be.AppendUint32(table, uint32(l))
	}
	h := make([]byte, 128)
	be.PutUint32(h[0:], uint32(128+len(table)+len(data)))
	be.PutUint32(h[8:], 0x02100000) // version 2.1
	copy(h[12:], "mntrRGB XYZ ")
	be.PutUint16(h[24:], 2000) // date: 2000-01-01 00:00:00
	be.PutUint16(h[26:], 1)
	be.PutUint16(h[28:], 1)
	copy(h[36:], "acsp")
	copy(h[68:], s15(0.9642)) // the PCS illuminant, D50
	copy(h[72:], s15(1.0))
	copy(h[76:], s15(0.8249))
	return append(append(h, table...), data...)
})
