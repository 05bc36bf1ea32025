// Package outdir writes command outputs safely: names derived from report
// fields can never leave the output folder, every write is atomic (a
// temporary file renamed into place) and no input is ever overwritten.
package outdir

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema/errtext"
)

// SafeName turns free text (an agency name) into one file-name component:
// path separators, "..", control and reserved characters are replaced, the
// length is bounded, and an empty result becomes "report".
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			continue
		case strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteRune('_')
		case unicode.IsSpace(r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Trim(b.String(), "._ ")
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	// keep names within common file-system limits (255 bytes)
	for len(name) > 180 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		name = "report"
	}
	return name
}

// Join places name inside dir and refuses any result that escapes dir.
func Join(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("output name %q leaves %s", name, dir)
	}
	return p, nil
}

// Write writes data to path atomically: a temporary file in the same folder
// is written, synced and renamed into place, so a failed run leaves no
// half-written file. It refuses to write over any of the inputs.
func Write(path string, data []byte, inputs ...string) error {
	if err := refuseInputs(path, inputs); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}

func refuseInputs(path string, inputs []string) error {
	out, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	ost, oerr := os.Stat(path)
	for _, in := range inputs {
		ia, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if ia == out {
			return fmt.Errorf("%s: %w", path, errtext.ErrWouldOverwriteInput)
		}
		if oerr == nil {
			if ist, err := os.Stat(in); err == nil && os.SameFile(ist, ost) {
				return fmt.Errorf("%s: %w", path, errtext.ErrWouldOverwriteInput)
			}
		}
	}
	return nil
}
