// Package browser opens coldbench's HTML pages in headless Chromium, through
// the DevTools protocol (chromedp), and reports what a reader's browser would
// see: console errors and warnings, uncaught exceptions, network requests
// (a self-contained page makes none), the title, which elements are there,
// and a full-page screenshot. Tests use it to check the rendered pages, not
// only their HTML text.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is Find's error when no Chromium is installed.
var ErrNoBrowser = errors.New("no Chromium or Chrome on PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable)")

// Find returns the path of the first of chromium, chromium-browser,
// google-chrome and google-chrome-stable on PATH, or ErrNoBrowser.
func Find() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", ErrNoBrowser
}

// Page is what the browser saw of one HTML file.
type Page struct {
	// URL is the file:// URL that was opened.
	URL string
	// Title is the document's title.
	Title string
	// Console holds the console messages and browser log entries of level
	// error or warning, as "level: text", in the order they came.
	Console []string
	// Exceptions holds the uncaught exceptions.
	Exceptions []string
	// Requests holds the URL of every network request other than the
	// page's own file:// URL and data: URLs.
	Requests []string
	// Matches gives, for each selector Check was asked about, how many
	// elements document.querySelectorAll found.
	Matches map[string]int
	// Width and Height are the size of the rendered document in CSS pixels.
	Width, Height int
	// Screenshot is the path of the full-page PNG, or "" if none was asked
	// for.
	Screenshot string
}

// Problems lists what a self-contained page must not have: console errors
// and warnings, uncaught exceptions and network requests. It is empty for a
// clean page.
func (p *Page) Problems() []string {
	var out []string
	out = append(out, p.Console...)
	for _, e := range p.Exceptions {
		out = append(out, "exception: "+e)
	}
	for _, r := range p.Requests {
		out = append(out, "network request: "+r)
	}
	return out
}

// Check opens the HTML file at path in a headless Chromium of its own, waits
// for the page to load and render, and returns what it saw. selectors are CSS
// selectors whose matches are counted into Page.Matches. If screenshot is not
// "", a full-page PNG is written there. The browser is closed before Check
// returns; ctx bounds the whole check.
func Check(ctx context.Context, path, screenshot string, selectors ...string) (*Page, error) {
	exe, err := Find()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, err
	}
	page := &Page{URL: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), Matches: map[string]int{}}

	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, allocatorOptions(exe)...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	seen := &events{page: page}
	defer seen.stop()
	// Listen starts the browser and opens the tab; its func runs in the
	// tab's reader, in order, so every event that came before the reply to
	// a later command has been seen when that command returns.
	if err := chromedp.Listen(bctx, seen.add); err != nil {
		return nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	if err := chromedp.Do(bctx, chromedp.Navigate(page.URL)); err != nil {
		return nil, fmt.Errorf("opening %s: %w", page.URL, err)
	}
	// Let the page render a frame, so layout and anything it does on load
	// have happened.
	if err := chromedp.Do(bctx, chromedp.Evaluate[chromedp.Void](settle, chromedp.EvalAwaitPromise)); err != nil {
		return nil, fmt.Errorf("waiting for %s to render: %w", page.URL, err)
	}
	if err := inspect(bctx, page, selectors); err != nil {
		return nil, err
	}
	if screenshot != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			return nil, fmt.Errorf("screenshot of %s: %w", page.URL, err)
		}
		if err := os.WriteFile(screenshot, png, 0o644); err != nil {
			return nil, err
		}
		page.Screenshot = screenshot
	}
	seen.stop()
	return page, nil
}

// settle resolves after the page has rendered a frame and run what was
// queued behind it.
const settle = `new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))`

// inspect fills in the title, the document's size and the selectors'
// matches.
func inspect(ctx context.Context, page *Page, selectors []string) error {
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		return fmt.Errorf("title of %s: %w", page.URL, err)
	}
	page.Title = title
	size, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](
		`[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`))
	if err != nil {
		return fmt.Errorf("size of %s: %w", page.URL, err)
	}
	page.Width, page.Height = size[0], size[1]
	for _, sel := range selectors {
		q, err := json.Marshal(sel)
		if err != nil {
			return err
		}
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+string(q)+`).length`))
		if err != nil {
			return fmt.Errorf("selector %q on %s: %w", sel, page.URL, err)
		}
		page.Matches[sel] = n
	}
	return nil
}

// allocatorOptions are the flags Chromium runs with: chromedp's defaults
// (headless, no first run, no background networking), the new headless
// mode, no GPU and no sandbox. The sandbox cannot start as root, nor where
// unprivileged user namespaces are restricted (Ubuntu 24.04's AppArmor), and
// the browser only ever opens our own local files.
func allocatorOptions(exe string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", "new"),
		chromedp.DisableGPU,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 900),
	)
}
