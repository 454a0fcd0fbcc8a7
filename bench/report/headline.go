package report

import (
	"fmt"
	"strings"

	"github.com/coldbench/coldbench/bench/record"
)

// headline compares the targets in a few plain sentences, using only numbers
// from the data.
func headline(targets []*record.Target) []string {
	if len(targets) == 0 {
		return []string{"No target was run: there is nothing to report."}
	}
	var lines []string
	if s := latencies(targets); s != "" {
		lines = append(lines, s)
	}
	for _, t := range targets {
		if s := coldStarts(t); s != "" {
			lines = append(lines, s)
		}
	}
	lines = append(lines, failures(targets))
	return lines
}

// latencies gives p99, p50 and max of all successful responses of each
// target, a clause per target, and names the targets that had none.
func latencies(targets []*record.Target) string {
	var parts, empty []string
	for _, t := range targets {
		h := hist(overall(t))
		if h == nil {
			empty = append(empty, t.Name)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s p99 = %s ms (p50 %s ms, max %s ms)",
			t.Name, ms(h.ValueAtQuantile(99)), ms(h.ValueAtQuantile(50)), ms(h.Max())))
	}
	if len(empty) > 0 {
		parts = append(parts, fmt.Sprintf("no successful responses from %s", strings.Join(empty, " or ")))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ") + "."
}

// coldStarts describes the cold starts of t, if it records them.
func coldStarts(t *record.Target) string {
	cold := series(t.Classes, record.Cold)
	if !split(t) && len(t.ColdStarts) == 0 {
		return ""
	}
	n := int64(len(t.ColdStarts))
	if cold != nil {
		n = cold.Counts.Requests
	}
	total := requests(t)
	if n == 0 {
		return fmt.Sprintf("%s: no cold starts in %d requests.", t.Name, total)
	}
	word := "cold starts"
	if n == 1 {
		word = "cold start"
	}
	s := fmt.Sprintf("%s: %d %s (%s of requests)", t.Name, n, word, pct(n, total))
	if h := hist(cold); h != nil {
		s += fmt.Sprintf(", cold p50 = %s ms, cold max = %s ms", ms(h.ValueAtQuantile(50)), ms(h.Max()))
	} else if cold != nil {
		s += ", none of them successful"
	}
	if h := hist(series(t.Classes, record.Warm)); h != nil {
		s += fmt.Sprintf("; warm p50 = %s ms, warm p99 = %s ms", ms(h.ValueAtQuantile(50)), ms(h.ValueAtQuantile(99)))
	}
	return s + "."
}

// failures counts the errors of each target, with their status codes.
func failures(targets []*record.Target) string {
	var parts []string
	for _, t := range targets {
		all := overall(t)
		n, errs := requests(t), all.Counts.Errors
		s := fmt.Sprintf("%d errors in %d requests to %s", errs, n, t.Name)
		if errs == 1 {
			s = fmt.Sprintf("1 error in %d requests to %s", n, t.Name)
		}
		if errs > 0 {
			s += fmt.Sprintf(" (%s: %s)", pct(errs, n), codes(all.Counts.Codes))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ") + "."
}

// requests returns the number of requests sent to t.
func requests(t *record.Target) int64 {
	return overall(t).Counts.Requests
}

// overall returns the series of all requests to t: its class all or, if it
// has none, the other classes merged. It never returns nil.
func overall(t *record.Target) *record.Series {
	if s := series(t.Classes, record.All); s != nil {
		return s
	}
	out := &record.Series{Counts: record.Counts{Codes: map[int]int64{}}}
	for _, c := range classOrder(t.Classes) {
		s := t.Classes[c]
		out.Counts.Requests += s.Counts.Requests
		out.Counts.Errors += s.Counts.Errors
		for code, n := range s.Counts.Codes {
			out.Counts.Codes[code] += n
		}
		if s.Histogram != nil {
			if out.Histogram == nil {
				out.Histogram = record.NewHistogram()
			}
			out.Histogram.Merge(s.Histogram)
		}
	}
	return out
}
