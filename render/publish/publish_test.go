package publish_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/nianbao/nianbao/render"
	"github.com/nianbao/nianbao/render/publish"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
)

const example = "../../examples/chengnan-scjg-2024.yaml"

func open(t *testing.T, path string) *schema.Report {
	t.Helper()
	r, err := template.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// broken is the example with one relation broken (an error finding).
func broken(t *testing.T) *schema.Report {
	t.Helper()
	data, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	old := []byte("disclosed: [18, 3, 1, 0, 1, 0, 23]")
	if !bytes.Contains(data, old) {
		t.Fatal("example changed")
	}
	r, err := template.Read("broken.yaml", bytes.Replace(data, old, []byte("disclosed: [18, 3, 1, 0, 1, 0, 24]"), 1))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRenderMatchesRenderers: the bytes in memory are the renderers' own,
// in the order asked for, and nothing is written.
func TestRenderMatchesRenderers(t *testing.T) {
	r := open(t, example)
	res, err := publish.Render(r, publish.Options{Formats: []string{render.Text, render.HTML}, Fragment: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocked || res.Draft || res.Failed() || !res.Check.Publishable() {
		t.Fatalf("clean report: %+v", res)
	}
	if len(res.Outputs) != 2 || res.Outputs[0].Format.Name != render.Text || res.Outputs[1].Format.Name != render.HTML {
		t.Fatalf("outputs %+v", res.Outputs)
	}
	for _, o := range res.Outputs {
		var want bytes.Buffer
		if err := render.Render(&want, o.Format.Name, r, render.Options{Fragment: true}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(o.Data, want.Bytes()) || o.Path != "" {
			t.Errorf("%s: %d bytes at %q, want the renderer's %d bytes and no file", o.Format.Name, len(o.Data), o.Path, want.Len())
		}
	}
}

// TestGate: errors block unless a draft is asked for; drafts are marked.
func TestGate(t *testing.T) {
	r := broken(t)
	res, err := publish.Render(r, publish.Options{Formats: []string{render.Text}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Blocked || len(res.Outputs) != 0 || res.Check.Publishable() || len(res.Check.Blocking()) == 0 {
		t.Fatalf("a report with errors was not blocked: %+v", res)
	}
	res, err = publish.Render(r, publish.Options{Formats: []string{render.Text}, Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocked || !res.Draft || len(res.Outputs) != 1 || !bytes.Contains(res.Outputs[0].Data, []byte("草稿（未通过校验）")) {
		t.Fatalf("draft: %+v", res)
	}
	// a draft asked for a clean report is final
	res, _ = publish.Render(open(t, example), publish.Options{Formats: []string{render.Text}, Draft: true})
	if res.Draft || bytes.Contains(res.Outputs[0].Data, []byte("草稿")) {
		t.Error("a clean report was marked draft")
	}
}

// TestGateIsTheCatalogue: the gate is check.Blocking; a warning does not
// block, an error does, and a result checked elsewhere is used as given.
func TestGateIsTheCatalogue(t *testing.T) {
	r := open(t, example)
	for _, tt := range []struct {
		f    schema.Finding
		pass bool
	}{
		{schema.Finding{Rule: "TEXT-FEE", Severity: schema.Warning}, true},
		{schema.Finding{Rule: "T3-ROW", Severity: schema.Error}, false},
	} {
		checked := &check.Result{Format: r.Format, Findings: []schema.Finding{tt.f}}
		res, err := publish.Render(r, publish.Options{Checked: checked, Formats: []string{render.Text}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Check != checked || res.Blocked == tt.pass || check.Blocking(tt.f) == tt.pass {
			t.Errorf("%s: blocked %v, want %v", tt.f.Rule, res.Blocked, !tt.pass)
		}
	}
}

func TestWrite(t *testing.T) {
	r := open(t, example)
	dir := t.TempDir()
	res, err := publish.Write(r, publish.Options{Dir: dir, Formats: []string{render.HTML, render.Text}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Outputs {
		want := filepath.Join(dir, "城南县市场监督管理局2024年政府信息公开工作年度报告"+o.Format.Ext)
		got, err := os.ReadFile(want)
		if o.Err() != nil || o.Path != want || err != nil || !bytes.Equal(got, o.Data) {
			t.Errorf("%s: path %q (want %q), err %v %v", o.Format.Name, o.Path, want, o.Err(), err)
		}
	}
	// a name inside a sub-folder, and an input is never overwritten
	in := filepath.Join(dir, "sub", "x.txt")
	os.MkdirAll(filepath.Dir(in), 0o755)
	os.WriteFile(in, []byte("原文"), 0o644)
	res, err = publish.Write(r, publish.Options{Dir: dir, Name: "sub/x", Inputs: []string{in},
		Formats: []string{render.Text, render.HTML}, StopOnFailure: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outputs) != 1 || res.Outputs[0].WriteErr == nil || !res.Failed() {
		t.Fatalf("overwrote an input or went on: %+v", res.Outputs)
	}
	if b, _ := os.ReadFile(in); string(b) != "原文" {
		t.Error("input changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "x.html")); err == nil {
		t.Error("StopOnFailure went on after the failure")
	}
	// outside the folder: refused
	res, _ = publish.Write(r, publish.Options{Dir: dir, Name: "../escape", Formats: []string{render.Text}})
	if res.Outputs[0].WriteErr == nil {
		t.Error("wrote outside the output folder")
	}
}

func TestOptionErrors(t *testing.T) {
	r := open(t, example)
	if _, err := publish.Render(r, publish.Options{Formats: []string{"odt"}}); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := publish.Write(r, publish.Options{}); !errors.Is(err, publish.ErrNoDir) {
		t.Errorf("no folder: %v", err)
	}
}
