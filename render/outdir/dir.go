package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nianbao/nianbao/schema/errtext"
)

// ManifestName is the file, in the output folder, where a Dir lists what
// nianbao wrote there: the next run removes only files it lists.
const ManifestName = ".nianbao-manifest.json"

// Errors of a Dir, each in an *Error with a Chinese message.
var (
	// ErrLink: a symbolic link (or Windows junction) stands where nianbao
	// writes a folder or a file of its own.
	ErrLink = errors.New("a symbolic link where nianbao writes")
	// ErrNotFolder: a file stands where nianbao needs a folder.
	ErrNotFolder = errors.New("not a folder")
	// ErrLocked: another run holds the output folder (Lock).
	ErrLocked = errors.New("output folder in use")
	// ErrBadName: a name that is not a plain relative path.
	ErrBadName = errors.New("bad output name")
)

// Error is an error of a Dir: the operation, the path (inside the output
// folder, slash-separated), the kind (one of the errors above or an os
// error) and, for the person at the computer, a message in Chinese.
type Error struct {
	Op, Path string
	Err      error
	Msg      string // Chinese; "" when the kind alone explains it
}

func (e *Error) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the kind.
func (e *Error) Unwrap() error { return e.Err }

// Chinese returns the Chinese message (errtext.Explain shows it).
func (e *Error) Chinese() string { return e.Msg }

// Dir is an output folder opened for writing. Its methods are safe for
// concurrent use.
type Dir struct {
	path   string
	root   *os.Root
	inputs []fs.FileInfo

	mu      sync.Mutex
	old     map[string]bool // the earlier run's manifest
	written map[string]bool // written by this Dir
	removed map[string]bool
	// cleaned has, per folder, the one clean-up of its stale temporary
	// files; every writer into the folder waits for it, so it never sees
	// (and removes) a temporary file of this run.
	cleaned map[string]*sync.Once
	lock    *lock

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating it if need be) the output folder path for writing,
// never over one of inputs. The folder itself may be reached through links
// (the user chose it); below it, a Dir follows none. Close it.
func Open(folder string, inputs ...string) (*Dir, error) {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(folder)
	if err != nil {
		return nil, err
	}
	d := &Dir{path: folder, root: root, old: map[string]bool{}, written: map[string]bool{},
		removed: map[string]bool{}, cleaned: map[string]*sync.Once{}}
	for _, in := range inputs {
		if st, err := os.Stat(in); err == nil {
			d.inputs = append(d.inputs, st)
		}
	}
	return d, nil
}

// OpenManaged is Open for a run that owns the folder (batch): it takes the
// folder's lock (an *Error wrapping ErrLocked while another run holds it;
// the lock of a run that was killed is taken over), reads the manifest of
// the earlier run, and Close writes the new one.
func OpenManaged(folder string, inputs ...string) (*Dir, error) {
	d, err := Open(folder, inputs...)
	if err != nil {
		return nil, err
	}
	if d.lock, err = acquire(d); err != nil {
		d.root.Close()
		return nil, err
	}
	d.readManifest()
	return d, nil
}

// Path returns the folder's path as given to Open.
func (d *Dir) Path() string { return d.path }

// Listed reports whether the manifest of an earlier run lists name.
func (d *Dir) Listed(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.old[name]
}

// ListedUnder returns the names under folder (slash-separated, "" = all)
// that the earlier run's manifest lists, sorted.
func (d *Dir) ListedUnder(folder string) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for n := range d.old {
		if folder == "" || strings.HasPrefix(n, folder+"/") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Written reports whether this Dir wrote name.
func (d *Dir) Written(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.written[name]
}

func (d *Dir) readManifest() {
	f, err := d.root.Open(ManifestName)
	if err != nil {
		return
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > 64<<20 {
		return
	}
	var m struct{ Files []string }
	if json.NewDecoder(f).Decode(&m) != nil {
		return
	}
	for _, n := range m.Files {
		if checkName(n) == nil {
			d.old[n] = true
		}
	}
}

// checkName accepts a plain relative slash-separated path.
func checkName(name string) error {
	if name == "" || strings.Contains(name, "\\") || path.IsAbs(name) || path.Clean(name) != name || name == "." ||
		name == ".." || strings.HasPrefix(name, "../") || filepath.IsAbs(filepath.FromSlash(name)) || strings.Contains(name, ":") {
		return &Error{Op: "write", Path: name, Err: ErrBadName, Msg: "输出文件名“" + name + "”不是输出文件夹中的相对路径"}
	}
	return nil
}

// folder makes sure every folder of name below the root exists and is a
// folder, not a link.
func (d *Dir) folder(name string) error {
	parts := strings.Split(name, "/")
	for i := 1; i < len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		st, err := d.root.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := d.root.Mkdir(p, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return err
			}
			if st, err = d.root.Lstat(p); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		if err := d.kind(p, st, true); err != nil {
			return err
		}
	}
	return nil
}

// kind refuses a link, or a file where a folder is wanted.
func (d *Dir) kind(name string, st fs.FileInfo, folder bool) error {
	full := filepath.Join(d.path, filepath.FromSlash(name))
	switch {
	case st.Mode()&fs.ModeSymlink != 0 || st.Mode()&fs.ModeIrregular != 0:
		what := "文件"
		if folder {
			what = "文件夹"
		}
		return &Error{Op: "write", Path: name, Err: ErrLink,
			Msg: fmt.Sprintf("%s 是一个链接（快捷方式），nianbao 不会通过链接写入或删除文件；请删除该链接，nianbao 会在这里建立自己的%s", full, what)}
	case folder && !st.IsDir():
		return &Error{Op: "write", Path: name, Err: ErrNotFolder,
			Msg: fmt.Sprintf("%s 是一个文件，nianbao 需要在这里建立文件夹；请移走该文件", full)}
	case !folder && !st.Mode().IsRegular():
		return &Error{Op: "write", Path: name, Err: ErrNotFolder,
			Msg: fmt.Sprintf("%s 不是普通文件（是文件夹或特殊文件），无法写入", full)}
	}
	return nil
}

func (d *Dir) isInput(st fs.FileInfo) bool {
	for _, in := range d.inputs {
		if os.SameFile(in, st) {
			return true
		}
	}
	return false
}

// Write writes data to name (slash-separated, relative to the folder)
// atomically, creating its folders. It refuses a link in any component of
// name (ErrLink) and an existing file that is one of the inputs. In each
// folder it writes to, it first removes the temporary files a killed run
// left: all of them while the Dir holds the lock, else those older than
// ten minutes.
func (d *Dir) Write(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := d.folder(name); err != nil {
		return err
	}
	st, err := d.root.Lstat(name)
	switch {
	case err == nil:
		if target, terr := os.Stat(filepath.Join(d.path, filepath.FromSlash(name))); terr == nil && d.isInput(target) {
			st = target // a link to an input: say it is the input
		} else if err := d.kind(name, st, false); err != nil {
			return err
		}
		if d.isInput(st) {
			return &Error{Op: "write", Path: name, Err: errtext.ErrWouldOverwriteInput, Msg: "输出文件与输入文件相同，不会覆盖输入"}
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	d.cleanTemps(path.Dir(name))
	tmp := path.Join(path.Dir(name), tempName(path.Base(name)))
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			d.root.Remove(tmp)
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
	if err := d.root.Rename(tmp, name); err != nil {
		return err
	}
	ok = true
	d.mu.Lock()
	d.written[name] = true
	delete(d.removed, name)
	d.mu.Unlock()
	return nil
}

// cleanTemps removes the stale temporary files in folder, once per Dir;
// a concurrent writer into the same folder waits until that is done.
func (d *Dir) cleanTemps(folder string) {
	d.mu.Lock()
	once := d.cleaned[folder]
	if once == nil {
		once = new(sync.Once)
		d.cleaned[folder] = once
	}
	locked := d.lock != nil
	d.mu.Unlock()
	once.Do(func() { d.removeTemps(folder, locked) })
}

// removeTemps removes the temporary files a killed run left in folder:
// all of them when this Dir holds the folder's lock, else the old ones.
func (d *Dir) removeTemps(folder string, locked bool) {
	f, err := d.root.Open(folder)
	if err != nil {
		return
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTemp(e.Name()) {
			continue
		}
		if info, err := e.Info(); err == nil && (locked || time.Since(info.ModTime()) > staleAge) {
			d.root.Remove(path.Join(folder, e.Name()))
		}
	}
}

// Remove deletes name if the manifest of an earlier run lists it (nianbao
// wrote it) and it is a regular file, reached without a link, that is not
// one of the inputs; removed says whether it did. A folder left empty by
// the removal is removed too, unless this Dir wrote into it.
func (d *Dir) Remove(name string) (removed bool, err error) {
	if err := checkName(name); err != nil {
		return false, err
	}
	if !d.Listed(name) {
		return false, nil
	}
	parts := strings.Split(name, "/")
	for i := 1; i <= len(parts); i++ {
		p := strings.Join(parts[:i], "/")
		st, err := d.root.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			d.forget(name)
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if err := d.kind(p, st, i < len(parts)); err != nil {
			return false, err
		}
		if i == len(parts) && d.isInput(st) {
			d.forget(name)
			return false, nil
		}
	}
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	d.forget(name)
	// the folders it leaves empty, up to the root (rmdir fails on a
	// folder that is not empty)
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if st, err := d.root.Lstat(dir); err != nil || !st.IsDir() || d.root.Remove(dir) != nil {
			break
		}
	}
	return true, nil
}

func (d *Dir) forget(name string) {
	d.mu.Lock()
	d.removed[name] = true
	d.mu.Unlock()
}

// Close closes the folder. A managed Dir (OpenManaged) first writes the
// manifest (what this Dir wrote, and what the earlier manifest listed that
// is still there) and releases the lock. Closing again does nothing.
func (d *Dir) Close() error {
	d.closeOnce.Do(func() { d.closeErr = d.close() })
	return d.closeErr
}

func (d *Dir) close() error {
	if d.lock == nil {
		return d.root.Close()
	}
	d.mu.Lock()
	var files []string
	for n := range d.written {
		files = append(files, n)
	}
	for n := range d.old {
		if d.written[n] || d.removed[n] {
			continue
		}
		if st, err := d.root.Lstat(n); err == nil && st.Mode().IsRegular() {
			files = append(files, n)
		}
	}
	d.mu.Unlock()
	slices.Sort(files)
	data, err := json.MarshalIndent(struct {
		Note  string
		Files []string
	}{"nianbao 在此文件夹中生成的文件；下次运行时只删除这里列出的文件。请勿修改。", files}, "", "\t")
	if err == nil {
		err = d.Write(ManifestName, append(data, '\n'))
	}
	d.lock.release()
	if cerr := d.root.Close(); err == nil {
		err = cerr
	}
	return err
}
