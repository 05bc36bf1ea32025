// Package workbook reads and writes the Excel workbook staff fill (stub: not
// implemented yet).
package workbook

import (
	"errors"
	"io"

	"github.com/nianbao/nianbao/schema"
)

// Read reads a filled workbook. name is used in locations and messages.
func Read(name string, r io.ReaderAt, size int64) (*schema.Report, error) {
	return nil, errors.New("workbook: not implemented")
}

// Write writes r as a workbook template (blank cells stay blank).
func Write(w io.Writer, r *schema.Report) error {
	return errors.New("workbook: not implemented")
}
