package report

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/internal/browser"
)

// browserPage is a page of this package as the browser test opens it: how
// to write it from a deterministic input, and CSS selectors for its main
// sections, each of which must match at least one element.
type browserPage struct {
	name     string
	write    func(w io.Writer) error
	sections []string
}

// browserPages are the pages TestPagesInBrowser renders, one line each,
// from the inputs of the golden tests.
func browserPages(t *testing.T) []browserPage {
	return []browserPage{
		{"report", func(w io.Writer) error { return Write(w, synthetic()) }, []string{
			"main > header > h1", "#summary .headline li", "#percentiles-chart svg", "#time-chart svg",
			"#time-chart h3 + .chart svg", "#platform table", "#anatomy table", "#table table tbody tr", "#how-to-read",
		}},
		{"four-targets", func(w io.Writer) error { return Write(w, fourTargets()) }, []string{
			"#verdict table.ranking tbody tr", "#cost table", "#cost .chart svg", "#percentiles-chart svg", "#time-chart svg",
			"#time-chart h3 + .chart svg", "#platform table th + th", "#anatomy table",
		}},
		{"power-tuning", func(w io.Writer) error { return Write(w, sweepRun()) }, []string{
			"#verdict table.ranking tbody tr", "#tuning table.tuning tbody tr", "#tuning .chart svg", "#tuning .headline li",
		}},
		{"comparison", func(w io.Writer) error { return WriteComparison(w, syntheticComparison(t)) }, []string{
			"main > header > h1", "header table.runs a[href]", "header .verdict", "#changes table tbody tr", "#curves .chart svg", "#how-to-read",
		}},
		{"trend", func(w io.Writer) error { return WriteTrend(w, syntheticTrend()) }, []string{
			"main > header > h1", "#latency .chart svg", "#latency .chart ~ h2 + .chart svg", "#runs table tbody tr a[href]",
		}},
	}
}

// TestPagesInBrowser opens each page in headless Chromium and checks what
// a reader would see: no console error or warning, no uncaught exception,
// no network request (the pages are self-contained), a title, every main
// section, and nothing wider than the window. The HTML and a full-page
// screenshot of each page are kept in the test's artifact directory (go
// test -artifacts keeps it; make test ARTIFACTS=dir does that).
func TestPagesInBrowser(t *testing.T) {
	browser.Require(t)
	for _, pg := range browserPages(t) {
		t.Run(pg.name, func(t *testing.T) {
			dir := t.ArtifactDir()
			html := filepath.Join(dir, pg.name+".html")
			f, err := os.Create(html)
			if err != nil {
				t.Fatal(err)
			}
			if err := pg.write(f); err != nil {
				f.Close()
				t.Fatalf("writing the %s page: %v", pg.name, err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			shot := filepath.Join(dir, pg.name+".png")
			p, err := browser.Check(ctx, html, shot, pg.sections...)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s page: %q, %dx%d CSS px; screenshot %s", pg.name, p.Title, p.Width, p.Height, p.Screenshot)
			for _, problem := range p.Problems() {
				t.Errorf("%s page: %s", pg.name, problem)
			}
			if !strings.HasPrefix(p.Title, "coldbench") {
				t.Errorf("%s page: title %q, want one that starts with coldbench", pg.name, p.Title)
			}
			for _, sel := range pg.sections {
				if p.Matches[sel] == 0 {
					t.Errorf("%s page: nothing matches %q", pg.name, sel)
				}
			}
			if p.Width > 1280 {
				t.Errorf("%s page is %d px wide, wider than the 1280 px window: something overflows", pg.name, p.Width)
			}
		})
	}
}
