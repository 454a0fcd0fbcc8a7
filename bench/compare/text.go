package compare

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Format is how WriteText lays a comparison out.
type Format int

// The formats.
const (
	Text     Format = iota // aligned columns, for a terminal
	Markdown               // a table, for a CI job summary or a pull request
)

// ParseFormat returns the format called name: text or markdown.
func ParseFormat(name string) (Format, error) {
	switch name {
	case "text":
		return Text, nil
	case "markdown", "md":
		return Markdown, nil
	}
	return 0, fmt.Errorf("format must be text or markdown, not %q", name)
}

// WriteText writes c as a table, benchstat style: one row per statistic of
// each series, "~" where the change is not significant, then the caveats.
func WriteText(w io.Writer, c *Comparison, f Format) error {
	var b strings.Builder
	head := []string{"series", "n base → new", "stat", "base ms", "new ms", "change", fmt.Sprintf("%s CI", confidence(c.Confidence)), "note"}
	var rows [][]string
	for _, s := range c.Series {
		for i, st := range s.Stats {
			row := []string{"", "", st.Name, Millis(st.Base), Millis(st.New), st.Change(), st.Interval(), ""}
			if i == 0 {
				row[0], row[1] = s.Tag, fmt.Sprintf("%d → %d", s.Base.Count, s.New.Count)
			}
			switch {
			case s.Base.Count == 0 || s.New.Count == 0:
				row[3], row[4], row[5] = orDash(s.Base.Count, row[3]), orDash(s.New.Count, row[4]), "–"
			case !s.Tested && i == 0:
				row[7] = "not tested: too few samples"
			case st.Caveat != "":
				row[7] = "not tested: " + st.Caveat
			}
			rows = append(rows, row)
		}
	}
	caveats := textCaveats(c)

	if f == Markdown {
		fmt.Fprintf(&b, "**%s**\n\n", c.Summary())
		fmt.Fprintf(&b, "Base: %s. New: %s.\n\n", describe(c.Base), describe(c.New))
		b.WriteString("| " + strings.Join(head, " | ") + " |\n")
		b.WriteString("|:--|--:|:--|--:|--:|--:|:--|:--|\n")
		for _, r := range rows {
			for i := range r {
				r[i] = strings.ReplaceAll(r[i], "|", `\|`)
			}
			b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		}
		if len(caveats) > 0 {
			b.WriteString("\n")
			for _, cv := range caveats {
				b.WriteString("- " + cv + "\n")
			}
		}
	} else {
		fmt.Fprintf(&b, "base: %s\nnew:  %s\n\n", describe(c.Base), describe(c.New))
		var table strings.Builder
		tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for line := range strings.Lines(table.String()) {
			b.WriteString(strings.TrimRight(line, " \n") + "\n")
		}
		for _, cv := range caveats {
			b.WriteString("note: " + cv + "\n")
		}
		b.WriteString("\n" + c.Summary() + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ByValueNote says what a Series.ByValue interval means.
const ByValueNote = "resampled value by value within each phase, not by one-second intervals: too few values for that; the interval treats a phase's values as independent, which values measured at the same moment on one machine are not quite"

// textCaveats returns the caveats of c: about the runs, then per series,
// then how to read the table.
func textCaveats(c *Comparison) []string {
	out := append([]string(nil), c.Notes...)
	for _, s := range c.Series {
		for _, cv := range s.Caveats {
			out = append(out, s.Tag+": "+cv+".")
		}
		if s.ByValue {
			out = append(out, s.Tag+": "+ByValueNote+".")
		}
	}
	return append(out, fmt.Sprintf("~: no significant change (the %s confidence interval of new/base includes 1; block bootstrap over one-second intervals, %d resamples). The maximum is not tested.", confidence(c.Confidence), c.Resamples))
}

// describe identifies r in a line.
func describe(r Run) string {
	parts := []string{r.ID}
	if r.Scenario != "" {
		parts = append(parts, r.Scenario)
	}
	if !r.Started.IsZero() {
		parts = append(parts, r.Started.UTC().Format("2006-01-02 15:04:05Z"))
	}
	if r.Runtime != "" {
		parts = append(parts, r.Runtime)
	}
	if r.Interrupted {
		parts = append(parts, "interrupted")
	}
	return strings.Join(parts, ", ") + " (" + r.Dir + ")"
}

func orDash(n int64, s string) string {
	if n == 0 {
		return "–"
	}
	return s
}

// confidence formats a confidence level: 95%.
func confidence(c float64) string {
	return strconv.FormatFloat(100*c, 'f', -1, 64) + "%"
}

// Millis formats a latency of us microseconds as milliseconds with the
// three significant digits of the histograms: 0.012, 1.90, 84.2, 612, 1234.
func Millis(us int64) string {
	v := float64(us) / 1000
	if v == 0 {
		return "0"
	}
	decimals := max(0, min(3, 2-int(math.Floor(math.Log10(v)))))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
