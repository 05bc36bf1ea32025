package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Cached formula results. excelize writes a formula with no cached value
// (and types its result as a string), so a reader that does not
// recalculate — a preview, a mail client, many tools — shows every total
// blank. The writer computes each total itself, from the same declared
// relations the formulas come from (recompute), and the zip writer below
// puts the value into the sheet's XML as the formula's cached result:
// <v>50</v> for a number, an empty string for a total whose parts are all
// blank (the formula's "").

// cachedSheets collects, per sheet name, the cached value of each formula
// cell ("" for blank).
type cachedSheets map[string]map[string]string

func (c cachedSheets) set(sheet, ref, v string) {
	if c[sheet] == nil {
		c[sheet] = map[string]string{}
	}
	c[sheet][ref] = v
}

// cachingZip passes every part through, and rewrites the worksheets named
// in byPath with their formula cells' cached values.
type cachingZip struct {
	zw      *zip.Writer
	byPath  map[string]map[string]string
	pending string
	buf     bytes.Buffer
}

func (c *cachingZip) flush() error {
	if c.pending == "" {
		return nil
	}
	w, err := c.zw.Create(c.pending)
	if err == nil {
		_, err = w.Write(withCached(c.buf.Bytes(), c.byPath[c.pending]))
	}
	c.pending = ""
	c.buf.Reset()
	return err
}

func (c *cachingZip) Create(name string) (io.Writer, error) {
	if err := c.flush(); err != nil {
		return nil, err
	}
	if _, ok := c.byPath[name]; ok {
		c.pending = name
		return &c.buf, nil
	}
	return c.zw.Create(name)
}

func (c *cachingZip) AddFS(fsys fs.FS) error {
	if err := c.flush(); err != nil {
		return err
	}
	return c.zw.AddFS(fsys)
}

func (c *cachingZip) Close() error {
	if err := c.flush(); err != nil {
		return err
	}
	return c.zw.Close()
}

var formulaCell = regexp.MustCompile(`<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v>[^<]*</v>)?</c>`)

// withCached gives each formula cell of a worksheet named in vals its
// cached value.
func withCached(sheet []byte, vals map[string]string) []byte {
	return formulaCell.ReplaceAllFunc(sheet, func(m []byte) []byte {
		sub := formulaCell.FindSubmatch(m)
		v, ok := vals[string(sub[1])]
		if !ok {
			return m
		}
		attrs := strings.ReplaceAll(string(sub[2]), ` t="str"`, "")
		if v == "" {
			attrs += ` t="str"`
		}
		return fmt.Appendf(nil, `<c r="%s"%s><f>%s</f><v>%s</v></c>`, sub[1], attrs, sub[3], v)
	})
}

// useCachedValues sets x to write the cached values when it is saved.
// excelize keeps a new file's sheets in xl/worksheets/sheetID.xml.
func useCachedValues(x *excelize.File, cached cachedSheets) {
	byPath := map[string]map[string]string{}
	for id, name := range x.GetSheetMap() {
		if vals := cached[name]; vals != nil {
			byPath[fmt.Sprintf("xl/worksheets/sheet%d.xml", id)] = vals
		}
	}
	x.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &cachingZip{zw: zip.NewWriter(w), byPath: byPath} })
}
