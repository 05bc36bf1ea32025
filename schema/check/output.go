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
		fmt.Fprintf(&b, "  %s %-15s %s  %s", padClass(Class(f)), f.Rule, f.Where(), f.Message)
		if (f.Expected != "" || f.Actual != "") && !says(f.Message, f.Expected, f.Actual) {
			fmt.Fprintf(&b, "（应为：%s；实际：%s）", orDash(f.Expected), orDash(f.Actual))
		}
		if f.Explained != "" {
			fmt.Fprintf(&b, "【已说明：%s】", f.Explained)
		}
		b.WriteByte('\n')
	}
	b.WriteString(r.Summary() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// ExplainWhere tells where a report gives its explanations.
var ExplainWhere = "YAML 的 " + schema.ExplanationsKey + ":，工作簿的“" + schema.ExplanationsLabel + "”工作表"

// padClass pads a class to the width of 需说明, so the columns line up.
func padClass(c string) string {
	if len([]rune(c)) == 2 {
		return c + "  "
	}
	return c
}

// Summary is the verdict line: how many findings of each outcome, and
// whether the report may be published.
func (r *Result) Summary() string {
	e, ex, explained := r.Errors(), r.ToExplain(), r.Explained()
	advice := r.Warnings() - ex - explained
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{e, ClassError}, {ex, ClassExplain}, {advice, ClassAdvice}, {explained, ClassExplained}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d 个%s", c.n, c.name))
		}
	}
	counts := "共 " + strings.Join(parts, "、")
	switch {
	case len(parts) == 0:
		return "通过：没有发现问题，可以发布。"
	case e > 0:
		return counts + "：有错误，不能发布，请先改正错误。"
	case ex > 0:
		return counts + "：报告与自身或上年报告矛盾，需说明的问题改正或在报告的说明（" + ExplainWhere + "）中写明原因后才能发布。"
	}
	return counts + "，没有错误：可以发布，建议逐条核实提示。"
}

// ToExplain counts the warnings that block publication until fixed or
// explained (需说明).
func (r *Result) ToExplain() int {
	n := 0
	for _, f := range r.Findings {
		if Class(f) == ClassExplain {
			n++
		}
	}
	return n
}

// Explained counts the warnings the report explains (已说明).
func (r *Result) Explained() int {
	n := 0
	for _, f := range r.Findings {
		if f.Explained != "" {
			n++
		}
	}
	return n
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

// SectionTitle is the title check groups a section's findings under:
// 基本信息 for the fields (key ""), 导语 (IntroSection), or the section's
// heading.
func SectionTitle(f *schema.Format, key string) string { return sectionTitle(f, key) }

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
	// Class is 错误, 需说明, 已说明 or 提示.
	Class     string `json:"class"`
	Place     string `json:"place,omitempty"`
	Explained string `json:"explained,omitempty"`
	Section   string `json:"section"`
	Location  string `json:"location"`
	Message   string `json:"message"`
	Expected  string `json:"expected"`
	Actual    string `json:"actual"`
}

type jsonResult struct {
	File     string `json:"file"`
	OK       bool   `json:"ok"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// ToExplain and Explained count the 需说明 and 已说明 warnings.
	ToExplain int `json:"to_explain"`
	Explained int `json:"explained"`
	// Publishable is false when a finding keeps the report from being
	// published (an error, or a 需说明 warning not explained).
	Publishable bool `json:"publishable"`
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
	out := jsonResult{File: r.File, OK: r.OK(), Errors: r.Errors(), Warnings: r.Warnings(), ToExplain: r.ToExplain(),
		Explained: r.Explained(), Publishable: r.Publishable(), Findings: []jsonFinding{}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.Rule, Severity: string(f.Severity), Class: Class(f), Place: f.Place, Explained: f.Explained, Section: sectionTitle(r.Format, f.Section),
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
