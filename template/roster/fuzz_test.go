package roster_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/roster"
)

// FuzzRead reads arbitrary bytes as a CSV roster: never a panic, every
// failure a Chinese *roster.Error or InputError, and a roster that reads
// writes back (CSV) and reads again to the same units — the round trip is
// the oracle.
func FuzzRead(f *testing.F) {
	h := header(",", all...)
	for _, s := range [][]byte{
		[]byte(h + "\n城南县教育局,县,部门,城南县人民政府,赵六\n"),
		gbk(h + "\r\n城南县人民政府,县,政府,,\r\n"),
		utf16le(header("\t", all...) + "\r\n城南县教育局\t县\t部门\t\t\r\n"),
		[]byte("标题\n\n" + header(",", rl, ag, lv) + "\n部门,\"城南\n县\"\"局\",乡镇\n"),
		[]byte(h + "\n城南县教育局,县级,部门\n城南县教育局,县,部门\n"),
		[]byte("\"unterminated"),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := roster.Read("fuzz.csv", data)
		if err != nil {
			if !errors.Is(err, schema.ErrUnusable) {
				t.Fatalf("error %v does not wrap ErrUnusable", err)
			}
			return
		}
		if len(r.Units) == 0 {
			t.Fatal("a roster without units read without error")
		}
		var buf bytes.Buffer
		if err := roster.WriteCSV(&buf, r); err != nil {
			t.Fatal(err)
		}
		again, err := roster.Read("fuzz.csv", buf.Bytes())
		if err != nil {
			t.Fatalf("written roster does not read back: %v\n%q", err, buf.Bytes())
		}
		if !reflect.DeepEqual(units(again), units(r)) {
			t.Fatalf("round trip\n got %q\nwant %q", units(again), units(r))
		}
	})
}
