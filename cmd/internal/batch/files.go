package batch

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// List returns the report files under dir, sorted by their path relative to
// dir: every file nianbao reads (template.KindOf), in dir and its
// subfolders. Hidden files and folders (a leading dot, Office lock files
// ~$…), the folders in skip (an output folder inside dir) and earlier
// batch output folders (holding an overview page) are left out.
func List(dir string, skip ...string) ([]string, error) {
	out, _, err := ListAll(dir, skip...)
	return out, err
}

// ListAll is List that also returns the other files it left out, the ones
// nianbao cannot read (a scanned PDF, an old .xls or .doc), not hidden.
func ListAll(dir string, skip ...string) (reports, others []string, err error) {
	var skipAbs []string
	for _, s := range skip {
		if a, err := filepath.Abs(s); err == nil {
			skipAbs = append(skipAbs, a)
		}
	}
	var out []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // an unreadable subfolder: skip it, keep the rest
		}
		name := d.Name()
		if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if a, err := filepath.Abs(path); err == nil && slices.Contains(skipAbs, a) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, OverviewPage)); err == nil && path != dir {
				return filepath.SkipDir // an earlier batch's output folder
			}
			return nil
		}
		if template.KindOf(name) == template.Unknown {
			others = append(others, path)
			return nil
		}
		if !d.Type().IsRegular() {
			if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		out = append(out, path)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(rel(dir, a), rel(dir, b)) })
	for i, o := range others {
		others[i] = rel(dir, o)
	}
	slices.Sort(others)
	return out, others, nil
}

// rel is path relative to dir, with forward slashes, for display.
func rel(dir, path string) string {
	r, err := filepath.Rel(dir, path)
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(r)
}

// NormaliseAgency folds an agency name for matching: full-width letters and
// digits to half-width, white space, zero-width and control characters
// removed, ASCII brackets to full-width. Two reports whose names normalise
// equally are of the same agency; the roster matches units the same way.
func NormaliseAgency(s string) string { return roster.Key(s) }
