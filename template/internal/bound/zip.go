package bound

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"
)

// Bounds on a zip package. A workbook or a Word document written by
// Office, WPS or LibreOffice has a few dozen entries and a few megabytes.
const (
	MaxEntries = 5000      // entries in one package
	MaxTotal   = 256 << 20 // uncompressed bytes of all entries, as declared
)

// Zip is an opened package whose entry names are unique.
type Zip struct {
	files map[string]*zip.File // by normalised name
	list  []*zip.File
}

// key is the name by which entries are compared: without a leading slash
// and case-insensitive, as part names in an OPC package are (ECMA-376
// part 2, §6.2.2.3).
func key(name string) string { return strings.ToLower(strings.TrimPrefix(name, "/")) }

// OpenZip opens the package in r. It refuses one that is not a zip file
// (ErrNotZip), has more than MaxEntries entries (ErrEntries), declares more
// than MaxTotal uncompressed bytes (ErrTooLarge) or holds two entries whose
// names differ only in case or a leading slash (ErrDuplicate): which copy
// a reader took would otherwise be a matter of chance.
func OpenZip(r io.ReaderAt, size int64) (*Zip, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, &PartError{Err: ErrNotZip, Cause: err}
	}
	if len(zr.File) > MaxEntries {
		return nil, &PartError{Err: ErrEntries}
	}
	z := &Zip{files: make(map[string]*zip.File, len(zr.File)), list: zr.File}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		k := key(f.Name)
		if _, dup := z.files[k]; dup {
			return nil, &PartError{Part: f.Name, Err: ErrDuplicate}
		}
		z.files[k] = f
	}
	if total > MaxTotal {
		return nil, &PartError{Err: ErrTooLarge}
	}
	return z, nil
}

// Has reports whether the package holds an entry of that name.
func (z *Zip) Has(name string) bool { return z.files[key(name)] != nil }

// Files returns the entries in package order.
func (z *Zip) Files() []*zip.File { return z.list }

// Read returns the uncompressed bytes of the named entry, refusing one
// larger than max bytes (ErrTooLarge) whatever its header claims.
func (z *Zip) Read(name string, max int64) ([]byte, error) {
	f := z.files[key(name)]
	if f == nil {
		return nil, &PartError{Part: name, Err: ErrNoSuchPart}
	}
	if f.UncompressedSize64 > uint64(max) {
		return nil, &PartError{Part: name, Err: ErrTooLarge}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &PartError{Part: name, Err: ErrNotZip, Cause: err}
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, &PartError{Part: name, Err: ErrNotZip, Cause: err}
	}
	if int64(len(data)) > max {
		return nil, &PartError{Part: name, Err: ErrTooLarge, Cause: fmt.Errorf("more than %d bytes", max)}
	}
	return data, nil
}
