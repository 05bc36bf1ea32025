package published

import (
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Read is, for the tests of this package, the reader template.Inputs names
// for name's extension (any other name is read as text). Programs read
// through template.Read and that table.
func Read(name string, data []byte) (*schema.Report, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		return ReadDOCX(name, data)
	case ".pdf":
		return ReadPDF(name, data)
	case ".html", ".htm":
		return ReadHTML(name, data)
	}
	return ReadText(name, data)
}
