// Package published imports a published report (web text, saved HTML page,
// .docx attachment) into the report model (stub: not implemented yet).
package published

import (
	"errors"

	"github.com/nianbao/nianbao/schema"
)

// Read imports a published report. name is used in locations and messages
// and its extension picks the reader (.txt, .html/.htm, .docx).
func Read(name string, data []byte) (*schema.Report, error) {
	return nil, errors.New("published: not implemented")
}
