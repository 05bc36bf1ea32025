package yamlfile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nianbao/nianbao/schema"
)

// FuzzRead feeds arbitrary bytes to Read: it must never panic, and whatever
// it reads must survive a round trip through Write unchanged.
func FuzzRead(f *testing.F) {
	blank := schema.NewReport(nil)
	f.Add(Write(blank))
	f.Add([]byte("agency: 某某局\nyear: 2025\nrequests:\n  received: [1, 2, ~, 0, 0, 0, 3]\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: &b [*a, *a]\n"))
	f.Add([]byte("\xff\xfe\x00garbage"))
	f.Add([]byte(strings.Repeat("[", 5000)))
	f.Add([]byte("overview:\n  - heading: （一）主动公开\n  - \"段落\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Read("fuzz.yaml", data)
		if err != nil {
			return
		}
		out := Write(r)
		r2, err := Read("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("re-read of written YAML failed: %v\n%s", err, out)
		}
		if out2 := Write(r2); !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the output:\n%s\n---\n%s", out, out2)
		}
	})
}
