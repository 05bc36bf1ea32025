package main

// The web app in a real browser (Debian's headless Chromium): the whole
// flow an office worker goes through, with the keyboard only where a
// person would use it, axe-core on every view at 1280 and 320 px, and the
// downloaded PDF compared byte for byte with nianbao render's.
// NIANBAO_SCREENSHOTS=dir keeps the screenshots to look at.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nianbao/nianbao/cmd/internal/browsertest"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/workbook"
)

// plantedWorkbook writes testdata/planted-errors.yaml as a workbook.
func plantedWorkbook(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "城南县市场监督管理局2024年报告.xlsx")
	if err := os.WriteFile(path, workbookOf(t, "testdata/planted-errors.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// workbookOf is the YAML report at path as a workbook.
func workbookOf(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := template.Read(filepath.Base(path), data)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := workbook.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type pageFinding struct {
	Rule, Severity, Class, Location, Message string
	Targets                                  []string
}

// shownFindings reads the findings the page lists in box, with the cells
// the page marked for each.
func shownFindings(t *testing.T, tab *browsertest.Tab, box string) []pageFinding {
	raw := browsertest.Eval[string](t, tab, `JSON.stringify([...document.querySelectorAll("`+box+` li.finding")].map(li => ({
		Rule: li.querySelector("code").textContent,
		Severity: li.classList.contains("error") ? "error" : "warning",
		Class: li.querySelector(".badge").textContent,
		Message: li.querySelector(".msg").textContent})))`)
	var fs []pageFinding
	if err := json.Unmarshal([]byte(raw), &fs); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestBrowserFlow(t *testing.T) {
	srv := newAPI(t)
	b := browsertest.Start(t)
	tab := b.Tab(t)
	dir := t.TempDir()
	downloads := filepath.Join(dir, "downloads")
	os.Mkdir(downloads, 0o755)
	tab.AllowDownloads(t, downloads)
	shot := func(name string) { tab.Screenshot(t, "web-"+name+".png") }
	shot320 := func(name string) {
		tab.Width(t, 320)
		reflows(t, tab, name)
		shot(name + "-320")
		tab.Width(t, 1280)
	}

	// every view passes axe-core at 1280 and 320 px, empty
	tab.Go(t, srv.URL+"/")
	tab.WaitJS(t, "the page", `document.body.dataset.ready`)
	for _, v := range []string{"new", "check", "fill", "preview"} {
		tab.Do(t, "open "+v, chromedp.Evaluate[chromedp.Void](`location.hash = "#`+v+`"`))
		tab.WaitJS(t, v, `!document.querySelector("#view-`+v+`").hidden`)
		tab.Axe(t, v+"（空）")
		shot(v + "-empty")
		shot320(v + "-empty")
	}

	// 校验: the workbook with planted errors; every finding of the API is
	// listed, and each with a cell has that cell marked in the tables
	planted := plantedWorkbook(t, dir)
	data, _ := os.ReadFile(planted)
	resp := post(t, srv.URL+"/api/v1/report", map[string][2]string{"file": {filepath.Base(planted), string(data)}})
	var want struct {
		Check struct {
			Errors   int
			Findings []pageFinding
		}
		Targets [][]string
	}
	if err := json.Unmarshal(readAll(t, resp), &want); err != nil {
		t.Fatal(err)
	}
	if want.Check.Errors == 0 {
		t.Fatal("the planted workbook has no errors")
	}
	tab.Do(t, "open 校验", chromedp.Evaluate[chromedp.Void](`location.hash = "#check"`))
	tab.Do(t, "upload", chromedp.SetUploadFiles(chromedp.CSS("#check-file"), []string{planted}))
	tab.WaitJS(t, "the findings", `document.querySelectorAll("#check-findings li.finding").length > 0`)
	got := shownFindings(t, tab, "#check-findings")
	if len(got) != len(want.Check.Findings) {
		t.Fatalf("the page lists %d findings, the API %d", len(got), len(want.Check.Findings))
	}
	for i, f := range want.Check.Findings {
		if got[i].Rule != f.Rule || !strings.Contains(got[i].Message, f.Message) || got[i].Class != f.Class {
			t.Errorf("finding %d: page %s %s %q, API %s %s %q", i, got[i].Class, got[i].Rule, got[i].Message, f.Class, f.Rule, f.Message)
		}
		for _, key := range want.Targets[i] {
			if !strings.HasPrefix(key, "t") || strings.Count(key, ".") != 2 {
				continue
			}
			sel := fmt.Sprintf(`#check-tables td[data-key=%q]`, key)
			if !browsertest.Eval[bool](t, tab, `!!document.querySelector('`+sel+`.mark-`+f.Severity+`, `+sel+`.mark-error')`) {
				t.Errorf("finding %s: cell %s is not marked", f.Rule, key)
			}
		}
		// each finding has its rule's 怎么改
		if !browsertest.Eval[bool](t, tab, fmt.Sprintf(`!!document.querySelectorAll("#check-findings li.finding")[%d].querySelector("details")`, i)) {
			t.Errorf("finding %s has no 怎么改", f.Rule)
		}
	}
	// the verdict line is the one nianbao check prints
	var cliCheck bytes.Buffer
	run([]string{"check", planted}, nil, &cliCheck, io.Discard)
	lines := strings.Split(strings.TrimSpace(cliCheck.String()), "\n")
	if shown := browsertest.Eval[string](t, tab, `document.querySelector("#check-findings .summary").textContent`); shown != lines[len(lines)-1] {
		t.Errorf("the page's verdict %q is not nianbao check's %q", shown, lines[len(lines)-1])
	}
	tab.Axe(t, "校验（有问题）")
	shot("check-findings")
	shot320("check-findings")

	// the same file, changed (as in Excel) and chosen again: the list
	// updates — the changed workbook here is the example, which has no
	// errors
	os.WriteFile(planted, workbookOf(t, filepath.Join(srcDir(t), "../../examples/chengnan-scjg-2024.yaml")), 0o644)
	tab.Do(t, "choose the changed file again", chromedp.SetUploadFiles(chromedp.CSS("#check-file"), []string{planted}))
	tab.WaitJS(t, "the list to update", `document.querySelector("#check-findings .summary.ok")`)
	os.WriteFile(planted, data, 0o644) // the planted errors again, for the rest
	tab.Do(t, "choose it once more", chromedp.SetUploadFiles(chromedp.CSS("#check-file"), []string{planted}))
	tab.WaitJS(t, "the findings again", `document.querySelectorAll("#check-findings li.finding").length === `+fmt.Sprint(len(want.Check.Findings)))

	// clicking a finding shows its cell: focus lands on the cell
	// (by keyboard: focus the button of the T3-ROW finding, press Enter)
	tab.Do(t, "show the T3-ROW cell", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("#check-findings li.finding")].find(li => li.querySelector("code").textContent === "T3-ROW").querySelector("button").focus()`),
		chromedp.KeyEvent(kb.Enter))
	tab.WaitJS(t, "the cell to flash", `document.querySelector('#check-tables td[data-key="t3.disclosed.total"].flash')`)

	// 填写: fix the planted cells by keyboard; totals follow as one types
	tab.Do(t, "edit", chromedp.Click(chromedp.CSS("#check-edit")))
	tab.WaitJS(t, "the form", `!document.querySelector("#view-fill").hidden && document.querySelector('#fill-form input[data-key="t3.disclosed.total"]')`)
	tab.WaitJS(t, "the form's findings", `document.querySelectorAll("#fill-findings li.finding").length > 0`)
	before := len(shownFindings(t, tab, "#fill-findings"))
	// the local app keeps no reports: no 保存到服务器
	if browsertest.Eval[bool](t, tab, `document.querySelector("#fill-save-server").offsetParent !== null || !document.querySelector("#fill-target").hidden`) {
		t.Errorf("the local app shows 保存到服务器")
	}
	if v := browsertest.Eval[string](t, tab, `document.querySelector('#fill-form input[data-key="t3.disclosed.total"]').value`); v != "24" {
		t.Errorf("the wrong total of the file is shown as %q, want 24 (a file's total is never silently corrected)", v)
	}
	if !browsertest.Eval[bool](t, tab, `document.querySelector('#fill-form td[data-key="t3.disclosed.total"]').classList.contains("mark-error")`) {
		t.Errorf("the wrong total is not marked in the form")
	}
	tab.Axe(t, "填写（有问题）")
	shot("fill-findings")
	shot320("fill-findings")
	typeInto := func(sel, text string) {
		tab.Do(t, "type into "+sel,
			chromedp.Focus(chromedp.CSS(sel)),
			chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
			chromedp.SendKeys(chromedp.CSS(sel), kb.Backspace+text))
	}
	typeInto(`#f-published`, "2025-01-22")
	typeInto(`input[data-key="t2.normative.valid"]`, "12")
	typeInto(`input[data-key="t2.fees.amount"]`, "12.5")
	typeInto(`input[data-key="t3.denied_secret.natural"]`, "0")
	typeInto(`input[data-key="t3.denied_secret.nonprofit"]`, "0")
	typeInto(`input[data-key="t3.disclosed.natural"]`, "18") // the total follows
	typeInto(`input[data-key="t4.direct.maintained"]`, "1")
	tab.WaitJS(t, "the total to follow", `document.querySelector('#fill-form input[data-key="t3.disclosed.total"]').value === "23"`)
	tab.WaitJS(t, "the list to update", `document.querySelector("#fill-findings .summary.ok")`)
	if after := len(shownFindings(t, tab, "#fill-findings")); after >= before {
		t.Errorf("the list did not shrink: %d findings before, %d after", before, after)
	}
	if v := browsertest.Eval[string](t, tab, `document.querySelector('#fill-form input[data-key="t3.total.total"]').value`); v != "48" {
		t.Errorf("（七）总计 is %q after the fixes, want 48 (the example's)", v)
	}
	shot("fill-fixed")

	// 预览与下载: the published PDF, byte for byte the CLI's
	tab.Do(t, "preview", chromedp.Evaluate[chromedp.Void](`location.hash = "#preview"`))
	tab.WaitJS(t, "the preview", `document.querySelector("#downloads button[data-format=pdf]")`)
	if !browsertest.Eval[bool](t, tab, `document.querySelector("#preview-status").classList.contains("ok")`) {
		t.Errorf("the fixed report is not offered for publication: %s", browsertest.Eval[string](t, tab, `document.querySelector("#preview-status").textContent`))
	}
	tab.Axe(t, "预览与下载")
	shot("preview")
	shot320("preview")
	tab.Do(t, "download the PDF", chromedp.Click(chromedp.CSS(`#downloads button[data-format=pdf]`)))
	t.Chdir(dir)
	example, _ := os.ReadFile(filepath.Join(srcDir(t), "../../examples/chengnan-scjg-2024.yaml"))
	os.WriteFile("chengnan.yaml", example, 0o644)
	if code := run([]string{"render", "--format", "pdf", "-o", "cli", "chengnan.yaml"}, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("nianbao render: exit %d", code)
	}
	files, _ := filepath.Glob("cli/*.pdf")
	if len(files) != 1 {
		t.Fatalf("nianbao render wrote %v", files)
	}
	cli, _ := os.ReadFile(files[0])
	pdf := browsertest.WaitFile(t, downloads, filepath.Base(files[0]))
	if !bytes.Equal(pdf, cli) {
		t.Errorf("the downloaded PDF (%d bytes) differs from nianbao render's (%d bytes)", len(pdf), len(cli))
	}
}

// reflows fails the test when the page is wider than a 320 px screen
// (WCAG 2.1 reflow): only the tables' own scroll regions may be wider.
func reflows(t *testing.T, tab *browsertest.Tab, view string) {
	t.Helper()
	wide := browsertest.Eval[[]string](t, tab, `[...document.querySelectorAll("body *")].filter(e => {
		if (e.closest(".scroll") && !e.classList.contains("scroll")) return false;
		const r = e.getBoundingClientRect();
		return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
	}).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right))`)
	if len(wide) > 0 {
		t.Errorf("%s at 320 px: wider than the screen: %v", view, wide)
	}
}

var testDir string

func init() { testDir, _ = os.Getwd() }

// srcDir is the package's folder, whatever the test's working directory.
func srcDir(t *testing.T) string { return testDir }

// TestBrowserKeyboard goes through the whole flow with the keyboard only
// (Tab, Enter, typing; a file is chosen as the browser's file dialog
// would): 新建 from last year's report, 校验, a finding's cell, 填写, and
// 预览与下载 of a draft — each download compared with the CLI's file.
func TestBrowserKeyboard(t *testing.T) {
	srv := newAPI(t)
	b := browsertest.Start(t)
	tab := b.Tab(t)
	dir := t.TempDir()
	downloads := filepath.Join(dir, "downloads")
	os.Mkdir(downloads, 0o755)
	tab.AllowDownloads(t, downloads)
	planted := plantedWorkbook(t, dir)
	prevYear := filepath.Join(testDir, "../../examples/chengnan-scjg-2023.yaml")

	// tabTo presses Tab until the focused element matches the JavaScript
	// predicate (on document.activeElement, as a); at most 600 presses.
	tabTo := func(what, pred string) {
		t.Helper()
		for range 600 {
			if browsertest.Eval[bool](t, tab, `(a => !!(`+pred+`))(document.activeElement)`) {
				return
			}
			tab.Do(t, "Tab", chromedp.KeyEvent(kb.Tab))
		}
		t.Fatalf("Tab never reaches %s", what)
	}
	press := func(keys string) { tab.Do(t, "keys", chromedp.KeyEvent(keys)) }
	link := func(text string) string { return `a.matches("nav a") && a.textContent === "` + text + `"` }

	tab.Go(t, srv.URL+"/")
	tab.WaitJS(t, "the page", `document.body.dataset.ready`)

	// 新建 from last year's report: the template is nianbao init --from's
	tabTo("the last-year file", `a.id === "next-file"`)
	tab.Do(t, "choose last year's report", chromedp.SetUploadFiles(chromedp.CSS("#next-file"), []string{prevYear}))
	tabTo("生成", `a.matches("#next-form button[type=submit]")`)
	press(kb.Enter)
	tab.WaitJS(t, "the list of what to type", `document.querySelectorAll("#next-findings ul.todo li").length > 0`)
	// the list is the server's (template.ToType): 发布日期 at its cell, each
	// table's cells counted
	shown := browsertest.Eval[string](t, tab, `document.querySelector("#next-findings").textContent`)
	t.Chdir(dir)
	if code := run([]string{"init", "--from", prevYear, "-o", "next.xlsx"}, nil, io.Discard, io.Discard); code != 0 {
		t.Fatalf("nianbao init --from: exit %d", code)
	}
	next, err := template.Open("next.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	at := next.Meta.Published.Loc // the template's cell of 发布日期, wherever the declaration puts it
	if at.Sheet == "" || at.Cell == "" {
		t.Fatalf("发布日期 read from %v", at)
	}
	for _, want := range []string{schema.MetaField("published").Label, at.Sheet + "!" + at.Cell, "逐行列出需填写的", "表三", "还需填写"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the list of what to type has no %q: %.400s", want, shown)
		}
	}
	wantNext, _ := os.ReadFile("next.xlsx")
	gotName := browsertest.Eval[string](t, tab, `document.querySelector("#status").textContent.replace("已下载：", "")`)
	if got := browsertest.WaitFile(t, downloads, gotName); !bytes.Equal(got, wantNext) {
		t.Errorf("the next-year template %s differs from nianbao init --from's", gotName)
	}
	tab.Axe(t, "新建（已生成）")
	tab.Screenshot(t, "web-new-next.png")
	tab.Width(t, 320)
	reflows(t, tab, "新建（已生成）")
	tab.Screenshot(t, "web-new-next-320.png")
	tab.Width(t, 1280)

	// 校验 by keyboard
	tabTo("the 校验 tab", link("校验"))
	press(kb.Enter)
	tab.WaitJS(t, "校验", `!document.querySelector("#view-check").hidden`)
	tabTo("the report file", `a.id === "check-file"`)
	tab.Do(t, "choose the report", chromedp.SetUploadFiles(chromedp.CSS("#check-file"), []string{planted}))
	tab.WaitJS(t, "the findings", `document.querySelectorAll("#check-findings li.finding").length > 0`)
	tabTo("a finding's 查看单元格", `a.matches("#check-findings li.finding button") && a.closest("li").querySelector("code").textContent === "CELL-TYPE"`)
	press(kb.Enter)
	tab.WaitJS(t, "the cell", `document.querySelector("#check-tables td.flash")`)
	tabTo("怎么改", `a.matches("#check-findings summary")`)
	press(kb.Enter)
	tab.WaitJS(t, "the rule's text", `document.querySelector("#check-findings details[open] .doc")`)

	// 填写 by keyboard: one cell typed, its total follows
	tabTo("在浏览器中修改", `a.id === "check-edit"`)
	press(kb.Enter)
	tab.WaitJS(t, "the form", `!document.querySelector("#view-fill").hidden && document.querySelector('#fill-form input[data-key="t4.review.maintained"]')`)
	tabTo("表四 行政复议 结果维持", `a.dataset.key === "t4.review.maintained"`)
	press(kb.Backspace + kb.Backspace + kb.Backspace + "5")
	tab.WaitJS(t, "the total to follow", `document.querySelector('#fill-form input[data-key="t4.review.total"]').value === "7"`)

	// 预览与下载: errors remain, so only a draft, byte-identical to render --draft
	tabTo("the 预览与下载 tab", link("预览与下载"))
	press(kb.Enter)
	tab.WaitJS(t, "the draft buttons", `document.querySelector("#downloads button[data-format=pdf]")`)
	if label := browsertest.Eval[string](t, tab, `document.querySelector("#downloads button[data-format=pdf]").textContent`); !strings.Contains(label, "草稿") {
		t.Errorf("a report with errors offers %q, not a draft", label)
	}
	tabTo("下载草稿 PDF", `a.matches("#downloads button[data-format=pdf]")`)
	press(kb.Enter)
	tab.Axe(t, "预览与下载（草稿）")
	tab.Screenshot(t, "web-preview-draft.png")
	tab.Width(t, 320)
	reflows(t, tab, "预览与下载（草稿）")
	tab.Screenshot(t, "web-preview-draft-320.png")
	tab.Width(t, 1280)
	// the CLI on the same report: the form's workbook saved by the page
	saved := readAll(t, post(t, srv.URL+"/api/v1/import?to=xlsx", map[string][2]string{"report": {"r.json", browsertest.Eval[string](t, tab, `JSON.stringify(NB.collect())`)}}))
	os.WriteFile("saved.xlsx", saved, 0o644)
	if code := run([]string{"render", "--draft", "--format", "pdf", "-o", "cli", "saved.xlsx"}, nil, io.Discard, io.Discard); code != 1 {
		t.Fatalf("nianbao render --draft: exit %d, want 1", code)
	}
	files, _ := filepath.Glob("cli/*.pdf")
	if len(files) != 1 {
		t.Fatalf("nianbao render wrote %v", files)
	}
	cli, _ := os.ReadFile(files[0])
	if got := browsertest.WaitFile(t, downloads, filepath.Base(files[0])); !bytes.Equal(got, cli) {
		t.Errorf("the downloaded draft PDF (%d bytes) differs from nianbao render --draft's (%d bytes)", len(got), len(cli))
	}
}
