// Package browsertest runs tests in a real browser: Debian's headless
// Chromium, driven through the DevTools protocol (chromedp), with axe-core
// for the accessibility checks (WCAG 2.0 A and AA, WCAG 2.1 AA).
//
// Chromium is installed by .ci/deps.sh (apt package chromium) and axe-core
// by the same script from npm into .ci/browser/node_modules, pinned by
// .ci/browser/package-lock.json. A test that needs either fails loudly when
// it is missing; it never skips. NIANBAO_CHROMIUM and NIANBAO_AXE override
// the paths.
//
// Typical use:
//
//	b := browsertest.Start(t)
//	tab := b.Tab(t)
//	tab.Go(t, srv.URL)
//	tab.Axe(t, "首页")          // 0 violations at 1280 px and at 320 px
//	tab.Screenshot(t, "home.png")
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// Widths are the viewport widths every page is checked at: a desktop
// screen and the WCAG 2.1 reflow width (1.4.10, 320 CSS px).
var Widths = []int{1280, 320}

// AxeTags are the axe-core rule tags a page must pass.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21aa"}

// Timeout bounds every browser step of a test, so a page that never
// answers fails the test instead of hanging it.
const Timeout = 60 * time.Second

// Flags are the Chromium switches this machine needs: headless, no sandbox
// (root in a container), no GPU, and nothing that reaches the network on
// its own. Start adds a fresh --user-data-dir.
var Flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
	"no-default-browser-check", "disable-dev-shm-usage", "hide-scrollbars",
	"mute-audio", "disable-extensions",
}

// ChromiumPath finds the Chromium binary: $NIANBAO_CHROMIUM, or chromium,
// chromium-browser or google-chrome on the PATH.
func ChromiumPath() (string, error) {
	if p := os.Getenv("NIANBAO_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("Chromium is not installed: run .ci/deps.sh (apt-get install chromium) or set NIANBAO_CHROMIUM")
}

// AxePath finds axe.min.js: $NIANBAO_AXE, or .ci/browser/node_modules in
// the module's root.
func AxePath() (string, error) {
	if p := os.Getenv("NIANBAO_AXE"); p != "" {
		return p, nil
	}
	// from the working directory at start (a test may change it later)
	dir := startDir
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, ".ci", "browser", "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("axe-core is not installed (%s): run .ci/deps.sh (npm ci --prefix .ci/browser) or set NIANBAO_AXE", p)
			}
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("axe-core: no go.mod above the working directory; set NIANBAO_AXE")
		}
		dir = parent
	}
}

// startDir is the working directory when the test binary started: the
// package's folder.
var startDir, _ = os.Getwd()

// Browser is one headless Chromium process with its own profile.
type Browser struct {
	ctx    context.Context // the browser context: tabs derive from it
	cancel func()
	axe    string // axe-core source, loaded on first use
	axeErr error
	once   sync.Once
}

// Start launches headless Chromium for the test and closes it when the test
// ends. It fails the test when Chromium is missing or does not start.
func Start(t testing.TB) *Browser {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// start the browser now, with its first (blank) tab, so that a missing
	// library or a crash fails here with Chromium's own words. The first
	// run's context owns the browser, so it is bctx itself, not a context
	// with a timeout that would end the browser when it expires.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		bcancel()
		acancel()
		t.Fatalf("Chromium (%s) did not start: %v", path, err)
	}
	b := &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }}
	t.Cleanup(b.cancel)
	return b
}

// Tab is one browser tab.
type Tab struct {
	Ctx    context.Context
	b      *Browser
	cancel func()
}

// Tab opens a new tab, closed when the test ends.
func (b *Browser) Tab(t testing.TB) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancel()
		t.Fatalf("new tab: %v", err)
	}
	tab := &Tab{Ctx: ctx, b: b, cancel: cancel}
	t.Cleanup(cancel)
	return tab
}

// Do runs actions on the tab within Timeout, failing the test on error.
func (tab *Tab) Do(t testing.TB, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its JSON result into T, failing the test on error.
func Eval[T any](t testing.TB, tab *Tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// Go navigates the tab to url and waits for the page to load.
func (tab *Tab) Go(t testing.TB, url string) {
	t.Helper()
	tab.Do(t, "open "+url, chromedp.Navigate(url))
}

// Width sets the viewport width (CSS px); the height is 900.
func (tab *Tab) Width(t testing.TB, w int) {
	t.Helper()
	tab.Do(t, fmt.Sprintf("viewport %d px", w), chromedp.EmulateViewport(int64(w), 900))
}

// Violation is one axe-core rule a page breaks.
type Violation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
		HTML    string `json:"html"`
	} `json:"nodes"`
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", v.ID, v.Help)
	for i, n := range v.Nodes {
		if i == 5 {
			fmt.Fprintf(&b, "\n    … %d more", len(v.Nodes)-5)
			break
		}
		fmt.Fprintf(&b, "\n    %v %.120s", n.Target, n.HTML)
	}
	return b.String()
}

// AxeRun runs axe-core on the tab's current page at its current width and
// returns the violations of AxeTags.
func (tab *Tab) AxeRun(t testing.TB) []Violation {
	t.Helper()
	b := tab.b
	b.once.Do(func() {
		p, err := AxePath()
		if err != nil {
			b.axeErr = err
			return
		}
		src, err := os.ReadFile(p)
		b.axe, b.axeErr = string(src), err
	})
	if b.axeErr != nil {
		t.Fatal(b.axeErr)
	}
	tags, _ := json.Marshal(AxeTags)
	expr := `(() => {` + b.axe + `
;return axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
  .then(r => JSON.stringify(r.violations));})()`
	raw := Eval[string](t, tab, expr)
	var vs []Violation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	return vs
}

// Axe checks the tab's current page at every width of Widths and fails the
// test for each violation; the tab is left at the first width.
func (tab *Tab) Axe(t testing.TB, page string) {
	t.Helper()
	for _, w := range Widths {
		tab.Width(t, w)
		for _, v := range tab.AxeRun(t) {
			t.Errorf("%s at %d px: %s", page, w, v)
		}
	}
	tab.Width(t, Widths[0])
}

// Screenshot saves a PNG of the whole page to path, so a person can look
// at it (NIANBAO_SCREENSHOTS=dir keeps them; the default is the test's
// temporary folder).
func (tab *Tab) Screenshot(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("NIANBAO_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// AllowDownloads makes the browser save every download into dir (under
// the name the page gives it).
func (tab *Tab) AllowDownloads(t testing.TB, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.Ctx, Timeout)
	defer cancel()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
}

// WaitFile waits (at most Timeout) until dir holds a finished file named
// name and returns its bytes.
func WaitFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	path := filepath.Join(dir, name)
	var last int64 = -1
	for time.Now().Before(deadline) {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			if _, err := os.Stat(path + ".crdownload"); os.IsNotExist(err) && st.Size() == last {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				return data
			}
			last = st.Size()
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	t.Fatalf("download %s did not arrive in %s (there: %v)", name, dir, names)
	return nil
}

// WaitJS waits (at most Timeout) until the JavaScript expression is true.
func (tab *Tab) WaitJS(t testing.TB, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for time.Now().Before(deadline) {
		if Eval[bool](t, tab, "!!("+expr+")") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waited %s for %s (%s)", Timeout, what, expr)
}
