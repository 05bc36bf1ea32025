package bound

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// NewXML returns a strict decoder over the XML of the named part that
// fails with ErrTooDeep once elements nest deeper than MaxDepth (before
// the decoder's own stack grows with them) and with ErrMalformed on any
// syntax error, an unclosed element or an unknown entity: a file that is
// not well-formed is damaged, never read as far as it goes.
//
// Every token goes through the depth count, including those read by
// helpers such as Decoder.Skip, since the returned decoder reads from the
// counting reader.
func NewXML(part string, data []byte) *xml.Decoder {
	inner := xml.NewDecoder(bytes.NewReader(data))
	return xml.NewTokenDecoder(&depthReader{part: part, d: inner})
}

type depthReader struct {
	part  string
	d     *xml.Decoder
	depth int
	err   error
}

func (r *depthReader) Token() (xml.Token, error) {
	if r.err != nil {
		return nil, r.err
	}
	tok, err := r.d.Token()
	if err != nil {
		if err == io.EOF && r.depth == 0 {
			return nil, io.EOF
		}
		if err == io.EOF {
			err = errors.New("unclosed element")
		}
		r.err = &PartError{Part: r.part, Err: ErrMalformed, Cause: err}
		return nil, r.err
	}
	switch tok.(type) {
	case xml.StartElement:
		if r.depth++; r.depth > MaxDepth {
			r.err = &PartError{Part: r.part, Err: ErrTooDeep}
			return nil, r.err
		}
	case xml.EndElement:
		r.depth--
	}
	return tok, nil
}
