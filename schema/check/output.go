package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/nianbao/nianbao/schema"
)

// Output format names for findings.
const (
	OutText = "text"
	OutJSON = "json"
)

// Outputs lists the output format names.
func Outputs() []string { return []string{OutText, OutJSON} }

// Result is the outcome of checking one file.
type Result struct {
	File     string
	Format   *schema.Format
	Findings []schema.Finding
}

// Errors counts the error findings.
func (r *Result) Errors() int { e, _ := Count(r.Findings); return e }

// Warnings counts the warning findings.
func (r *Result) Warnings() int { _, w := Count(r.Findings); return w }

// OK reports whether there are no errors (warnings allowed).
func (r *Result) OK() bool { return r.Errors() == 0 }

// ExitCode is 0 without errors and 1 with errors.
func (r *Result) ExitCode() int {
	if r.OK() {
		return 0
	}
	return 1
}

// Write writes the result in the named output format; an unknown name is an
// error, never a fallback.
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case OutText:
		return r.WriteText(w)
	case OutJSON:
		return r.WriteJSON(w)
	}
	return fmt.Errorf("unknown output format %q (known: %s)", format, strings.Join(Outputs(), ", "))
}

// WriteText writes the findings for people: grouped by section, each line
// with severity, rule ID, place and message, expected and actual values, and
// a summary line.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.File)
	current := "\x00"
	for _, f := range r.Findings {
		if f.Section != current {
			current = f.Section
			fmt.Fprintf(&b, "【%s】\n", sectionTitle(r.Format, f.Section))
		}
		fmt.Fprintf(&b, "  %s %-15s %s  %s", f.Severity.Chinese(), f.Rule, f.Where(), f.Message)
		if (f.Expected != "" || f.Actual != "") && !says(f.Message, f.Expected, f.Actual) {
			fmt.Fprintf(&b, "（应为：%s；实际：%s）", orDash(f.Expected), orDash(f.Actual))
		}
		b.WriteByte('\n')
	}
	e, wn := r.Errors(), r.Warnings()
	switch {
	case e == 0 && wn == 0:
		b.WriteString("通过：没有发现问题，可以发布。\n")
	case e == 0:
		fmt.Fprintf(&b, "共 %d 个警告，没有错误：可以发布，建议逐条核实警告。\n", wn)
	default:
		fmt.Fprintf(&b, "共 %d 个错误、%d 个警告：有错误，不能发布，请先改正错误。\n", e, wn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// says reports whether a message already states both the expected and the
// actual value, so that the text output does not repeat them.
func says(msg, expected, actual string) bool {
	return expected != "" && actual != "" && strings.Contains(msg, expected) && strings.Contains(msg, actual)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func sectionTitle(f *schema.Format, key string) string {
	if key == "" || f == nil {
		return "基本信息"
	}
	if key == IntroSection {
		return "导语"
	}
	if s := f.Section(key); s != nil {
		return s.Heading()
	}
	return key
}

type jsonFinding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Section  string `json:"section"`
	Location string `json:"location"`
	Message  string `json:"message"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

type jsonResult struct {
	File     string `json:"file"`
	OK       bool   `json:"ok"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// Error is set when the file could not be checked at all (exit 2).
	Error    string        `json:"error,omitempty"`
	Findings []jsonFinding `json:"findings"`
}

// WriteJSONUnusable writes the JSON answer for a file that could not be
// checked at all, so a script reading stdout always gets one object:
// {"file","ok":false,"errors":0,"warnings":0,"error":"…","findings":[]}.
func WriteJSONUnusable(w io.Writer, file, msg string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonResult{File: file, Error: msg, Findings: []jsonFinding{}})
}

// JSON returns the machine-readable form of the result.
func (r *Result) JSON() any {
	out := jsonResult{File: r.File, OK: r.OK(), Errors: r.Errors(), Warnings: r.Warnings(), Findings: []jsonFinding{}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.Rule, Severity: string(f.Severity), Section: sectionTitle(r.Format, f.Section),
			Location: f.Where(), Message: f.Message, Expected: f.Expected, Actual: f.Actual,
		})
	}
	return out
}

// WriteJSON writes {"file","ok","errors","warnings","findings":[…]}.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.JSON())
}
