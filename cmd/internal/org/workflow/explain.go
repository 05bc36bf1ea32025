package workflow

import (
	"bytes"
	"errors"
	"path"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
)

// ErrNoReason refuses explanations that give no reason.
var ErrNoReason = errors.New("no explanation with a reason")

// Explain is the next version of a report whose unit explains warnings on
// the server (异常值说明): the report with the explanations added (an
// explanation of the same rule and place replaced), written with the
// template's writers. The file keeps its kind when its writer keeps the
// explanations (read back to make sure) and is otherwise written as YAML,
// which always does; name is the new version's file name.
func Explain(r *schema.Report, name string, ex []schema.Explanation) (newName string, data []byte, err error) {
	var add []schema.Explanation
	for _, e := range ex {
		e.Reason = strings.TrimSpace(e.Reason)
		if e.Reason != "" && e.Rule != "" && e.Place != "" {
			add = append(add, schema.Explanation{Rule: e.Rule, Place: e.Place, Reason: e.Reason})
		}
	}
	if len(add) == 0 {
		return "", nil, ErrNoReason
	}
	next := *r
	next.Explanations = nil
	for _, old := range r.Explanations {
		replaced := false
		for _, e := range add {
			if e.Rule == old.Rule && e.Place == old.Place {
				replaced = true
			}
		}
		if !replaced {
			next.Explanations = append(next.Explanations, schema.Explanation{Rule: old.Rule, Place: old.Place, Reason: old.Reason})
		}
	}
	next.Explanations = append(next.Explanations, add...)
	return nextFile(&next, name, func(back *schema.Report) bool { return len(back.Explanations) == len(next.Explanations) })
}

// nextFile writes the next version of a report with the template's
// writers: in the kind of name when it is a workbook whose writer keeps
// what changed (kept, on the file read back), and otherwise as YAML,
// which keeps everything; it returns the new file's name and bytes.
func nextFile(next *schema.Report, name string, kept func(back *schema.Report) bool) (string, []byte, error) {
	base := strings.TrimSuffix(name, path.Ext(name))
	if template.KindOf(name) == template.Workbook {
		var buf bytes.Buffer
		if err := template.Encode(&buf, name, next); err == nil {
			if back, err := template.Read(name, buf.Bytes()); err == nil && kept(back) {
				return name, buf.Bytes(), nil
			}
		}
	}
	if k := template.KindOf(name); k != template.YAML {
		name = base + ".yaml"
	}
	var buf bytes.Buffer
	if err := template.Encode(&buf, name, next); err != nil {
		return "", nil, err
	}
	return name, buf.Bytes(), nil
}
