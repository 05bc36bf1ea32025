// Package outdir writes command outputs safely: names derived from report
// fields can never leave the output folder, every write is atomic (a
// temporary file renamed into place) and no input is ever overwritten.
//
// Two ways to write:
//   - Write(path, data, inputs...) writes one file the user named (convert,
//     init, import, sum);
//   - Open(folder) returns a Dir, through which a command writes many files
//     into an output folder (render, publish, batch). A Dir works relative to
//     the folder (os.Root): nothing is written or removed outside it, and a
//     symbolic link where a folder or file of nianbao's is expected is
//     refused with ErrLink instead of followed. A Dir remembers what it
//     wrote in a manifest (ManifestName), and Remove deletes only what the
//     manifest of an earlier run lists, never an input. Lock takes the
//     folder for one batch at a time.
//
// Temporary files are named .NAME.nianbao-NNNN.tmp; a Dir removes those a
// killed run left behind (see Dir.Write).
package outdir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

// MaxName is the longest name SafeName and NameFor give, in bytes: within
// the 255 bytes of common file systems with room for an extension and the
// temporary file's prefix and suffix.
const MaxName = 180

// hashLen is the length of the hash that marks a shortened name.
const hashLen = 8

// SafeName turns free text (an agency name) into one file-name component:
// path separators, "..", control and reserved characters are replaced, the
// length is bounded (a cut name ends in "~" and a short hash of the whole
// text, so two long names never collide), and an empty result becomes
// "report".
func SafeName(s string) string { return NameFor(s, "") }

// NameFor is the file name of free text (an agency name) followed by a
// fixed suffix (the year and the title): the suffix is kept whole and only
// the text is shortened, at a character boundary, marked with "~" and a
// short hash of the whole text when cut. The result is at most MaxName
// bytes (unless the suffix alone is longer).
func NameFor(text, suffix string) string {
	name, cleanSuffix := clean(text), clean(suffix)
	room := MaxName - len(cleanSuffix)
	if len(name) > room {
		sum := sha256.Sum256([]byte(text))
		mark := "~" + hex.EncodeToString(sum[:])[:hashLen]
		cut := max(room-len(mark), 0)
		for len(name) > cut {
			_, size := utf8.DecodeLastRuneInString(name)
			name = name[:len(name)-size]
		}
		name = strings.TrimRight(name, "._ ") + mark
	}
	name = strings.Trim(name+cleanSuffix, "._ ")
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	if name == "" {
		name = "report"
	}
	if reserved(name) {
		name = "_" + name
	}
	return name
}

// ReportName is the file name of a report's outputs, without extension:
// its title (机关名称 + year + the fixed title), the agency shortened if
// need be and the rest kept whole, so a long name keeps its year.
func ReportName(r *schema.Report) string {
	agency := r.Meta.Agency.Value
	return NameFor(agency, strings.TrimPrefix(r.Title(), agency))
}

// clean replaces what a file name cannot hold.
func clean(s string) string {
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
	return strings.Trim(b.String(), "._ ")
}

// reserved reports whether name is a device name Windows reserves (CON,
// NUL, COM1, …, with any extension).
func reserved(name string) bool {
	base, _, _ := strings.Cut(strings.ToUpper(name), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	return false
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

// tempName is the name of a temporary file for base: hidden, recognisable.
func tempName(base string) string {
	return fmt.Sprintf(".%s.nianbao-%d.tmp", base, rand.Uint64()%1_000_000_000_000)
}

// tempPattern matches the temporary files of nianbao: the current name and
// the name earlier versions gave (.NAME.NNNNNNNN.tmp).
var tempPattern = regexp.MustCompile(`^\..+\.(nianbao-)?[0-9]+\.tmp$`)

// IsTemp reports whether name is the name of one of nianbao's temporary
// files.
func IsTemp(name string) bool { return tempPattern.MatchString(name) }

// staleAge is how old a temporary file must be before a write that does
// not hold the folder's lock removes it: writing one file takes
// milliseconds, so one this old belongs to a run that was killed.
const staleAge = 10 * time.Minute

// Write writes data to path atomically: a temporary file in the same folder
// is written, synced and renamed into place, so a failed run leaves no
// half-written file. It refuses to write over any of the inputs. Temporary
// files for the same name that a killed run left are removed.
func Write(path string, data []byte, inputs ...string) error {
	if err := refuseInputs(path, inputs); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStaleTemps(dir, filepath.Base(path))
	tmp := filepath.Join(dir, tempName(filepath.Base(path)))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
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
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// removeStaleTemps removes, in dir, temporary files of base older than
// staleAge.
func removeStaleTemps(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTemp(e.Name()) || !strings.HasPrefix(e.Name(), "."+base+".") {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleAge {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
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
