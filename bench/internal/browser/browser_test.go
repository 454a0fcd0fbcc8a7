package browser

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckSeesProblems opens a page that does everything a self-contained
// report must not, and a clean one, and checks that Check tells them apart.
func TestCheckSeesProblems(t *testing.T) {
	Require(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	writeFile(t, bad, `<!DOCTYPE html><html><head><title>bad page</title>
<link rel="stylesheet" href="http://127.0.0.1:9/style.css"></head>
<body><p class="x">one</p><p class="x">two</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<script>
console.error("broken", 42);
console.warn("careful");
console.log("fine");
throw new Error("boom");
</script></body></html>`)
	clean := filepath.Join(dir, "clean.html")
	writeFile(t, clean, `<!DOCTYPE html><html><head><title>clean page</title></head><body><main><h1>fine</h1></main></body></html>`)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	shot := filepath.Join(dir, "bad.png")
	p, err := Check(ctx, bad, shot, "p.x", "table")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "bad page" {
		t.Errorf("title = %q, want %q", p.Title, "bad page")
	}
	if p.Matches["p.x"] != 2 || p.Matches["table"] != 0 {
		t.Errorf("matches = %v, want p.x: 2, table: 0", p.Matches)
	}
	for _, want := range []string{"console.error: broken 42", "console.warning: careful"} {
		if !slices.Contains(p.Console, want) {
			t.Errorf("console = %q, lacks %q", p.Console, want)
		}
	}
	for _, m := range p.Console {
		if strings.Contains(m, "fine") {
			t.Errorf("console.log reported as a problem: %q", m)
		}
	}
	if len(p.Exceptions) != 1 || !strings.Contains(p.Exceptions[0], "boom") {
		t.Errorf("exceptions = %q, want one with boom", p.Exceptions)
	}
	if !slices.Contains(p.Requests, "http://127.0.0.1:9/style.css") {
		t.Errorf("requests = %q, lack the stylesheet", p.Requests)
	}
	for _, r := range p.Requests {
		if strings.HasPrefix(r, "data:") || strings.HasPrefix(r, "file:") {
			t.Errorf("request %q reported; the page itself and data: URLs are fine", r)
		}
	}
	if png, err := os.ReadFile(shot); err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Errorf("screenshot %s is not a PNG (%v)", shot, err)
	}

	p, err = Check(ctx, clean, "")
	if err != nil {
		t.Fatal(err)
	}
	if probs := p.Problems(); len(probs) > 0 || p.Title != "clean page" || p.Screenshot != "" {
		t.Errorf("clean page: problems %q, title %q, screenshot %q", probs, p.Title, p.Screenshot)
	}
	if p.Width <= 0 || p.Height <= 0 {
		t.Errorf("clean page rendered %dx%d", p.Width, p.Height)
	}
}

func TestCheckMissingFile(t *testing.T) {
	Require(t)
	if _, err := Check(context.Background(), filepath.Join(t.TempDir(), "none.html"), ""); err == nil {
		t.Error("Check of a missing file succeeded")
	}
}

// writeFile writes content to path or fails t.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
