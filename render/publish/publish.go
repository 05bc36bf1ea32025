// Package publish is the one publishing path: check a report, apply the
// publication gate, render each output format and (Write) write the files
// atomically into the output folder. The command line, batch and the web
// app call it; none of them re-implements the gate.
//
// The gate is check.Blocking, driven by the rule catalogue: a report with a
// blocking finding is not rendered, unless Options.Draft asks for drafts,
// which are then marked 草稿（未通过校验） in every output.
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/outdir"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
)

// Options configures Render and Write; the zero value renders every format
// of a report that passes the gate.
type Options struct {
	// File names the report in the check result (its path or upload name).
	File string
	// Prev is last year's report, for the cross-year checks; nil = none.
	Prev *schema.Report
	// Checked is a check result already computed for this report (with the
	// same Prev); nil = Render and Write check the report themselves.
	Checked *check.Result
	// Formats are the output format names, in order; nil = the default
	// ones (render.Defaults).
	Formats []string
	// Draft renders a report that does not pass the gate, marking every
	// output as a draft. A report that passes is rendered as final.
	Draft bool
	// Fragment makes the HTML output the body only.
	Fragment bool
	// Graphic appends the 图解 to the HTML page and adds it to the PDF as
	// its last page.
	Graphic bool
	// PDF fonts: paths of TTF files (or TTC[:index]); "" = bundled fonts.
	TitleFont, BodyFont, HeadingFont string

	// Write only: Dir is the output folder; Name is the outputs' path
	// inside it without extension, slash-separated ("" = the report's
	// title made safe as a file name, outdir.ReportName); Inputs are files
	// never overwritten. Out, when set, is an output folder already open
	// (batch's, with its lock and manifest): Write writes through it and
	// Dir and Inputs are not used.
	Dir    string
	Name   string
	Inputs []string
	Out    *outdir.Dir
	// StopOnFailure stops at the first format that cannot be rendered or
	// written; otherwise the other formats are still rendered and written.
	StopOnFailure bool
}

// Output is one rendered format.
type Output struct {
	Format *render.Output
	Data   []byte // the rendered file; nil when rendering failed
	Path   string // Write only: where it was written; "" when not written
	// RenderErr is why the format could not be rendered; WriteErr why the
	// rendered file could not be written.
	RenderErr, WriteErr error
}

// Err is the output's RenderErr or WriteErr, or nil.
func (o *Output) Err() error {
	if o.RenderErr != nil {
		return o.RenderErr
	}
	return o.WriteErr
}

// Result is the outcome of publishing one report.
type Result struct {
	Check *check.Result
	// Blocked is set when the report does not pass the gate and no draft
	// was asked for: nothing was rendered.
	Blocked bool
	// Draft is set when the outputs are drafts (the report does not pass
	// the gate and Options.Draft asked for them).
	Draft bool
	// Outputs are the formats rendered, in Options.Formats order; one that
	// failed carries its error. StopOnFailure leaves out the formats after
	// the first failure.
	Outputs []Output
}

// Failed reports whether some format could not be rendered or written.
func (r *Result) Failed() bool {
	for _, o := range r.Outputs {
		if o.Err() != nil {
			return true
		}
	}
	return false
}

// ErrNoDir is returned by Write without an output folder.
var ErrNoDir = errors.New("publish: no output folder")

// Check checks r as the gate sees it.
func Check(r *schema.Report, opt Options) *check.Result {
	if opt.Checked != nil {
		return opt.Checked
	}
	return &check.Result{File: opt.File, Format: r.Format, Findings: check.Run(r, check.Options{Prev: opt.Prev})}
}

// Render checks r, applies the gate and renders each format into memory;
// it writes no file. An error means the options are wrong (an unknown
// format name); a report that does not pass is Result.Blocked.
func Render(r *schema.Report, opt Options) (*Result, error) {
	return run(r, opt, nil)
}

// Write is Render followed by writing each output atomically into
// opt.Dir (or opt.Out), never over one of opt.Inputs and never through a
// symbolic link below the folder (outdir.Dir).
func Write(r *schema.Report, opt Options) (*Result, error) {
	out := opt.Out
	if out == nil {
		if opt.Dir == "" {
			return nil, ErrNoDir
		}
		var err error
		if out, err = outdir.Open(opt.Dir, opt.Inputs...); err != nil {
			return nil, err
		}
		defer out.Close()
	}
	name := opt.Name
	if name == "" {
		name = outdir.ReportName(r)
	}
	return run(r, opt, func(o *Output) error {
		rel := name + o.Format.Ext
		err := out.Write(rel, o.Data)
		if err == nil {
			o.Path = filepath.Join(out.Path(), filepath.FromSlash(rel))
		}
		return err
	})
}

func run(r *schema.Report, opt Options, write func(*Output) error) (*Result, error) {
	formats := opt.Formats
	if formats == nil {
		formats = render.Defaults()
	}
	outs := make([]*render.Output, len(formats))
	for i, f := range formats {
		if outs[i] = render.Lookup(f); outs[i] == nil {
			return nil, fmt.Errorf("publish: unknown format %q (known: %v)", f, render.Formats())
		}
	}
	res := &Result{Check: Check(r, opt)}
	if !res.Check.Publishable() {
		if !opt.Draft {
			res.Blocked = true
			return res, nil
		}
		res.Draft = true
	}
	ropt := render.Options{Draft: res.Draft, Fragment: opt.Fragment, Prev: opt.Prev, Graphic: opt.Graphic,
		TitleFont: opt.TitleFont, BodyFont: opt.BodyFont, HeadingFont: opt.HeadingFont}
	for _, f := range outs {
		o := Output{Format: f}
		var buf bytes.Buffer
		if err := render.Render(&buf, f.Name, r, ropt); err != nil {
			o.RenderErr = err
		} else {
			o.Data = buf.Bytes()
			if write != nil {
				o.WriteErr = write(&o)
			}
		}
		res.Outputs = append(res.Outputs, o)
		if o.Err() != nil && opt.StopOnFailure {
			break
		}
	}
	return res, nil
}
