package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// none stands for a statistic that cannot be computed, such as a percentile
// of no values.
const none = "–"

// ms formats a latency of us microseconds as milliseconds with three
// significant digits, the precision of the histograms, and no finer than a
// microsecond: 0.012, 1.90, 84.2, 612, 1234.
func ms(us int64) string {
	v := float64(us) / 1000
	if v == 0 {
		return "0"
	}
	decimals := 2 - int(math.Floor(math.Log10(v)))
	decimals = max(0, min(3, decimals))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// num formats a rate or count with as few digits as it needs.
func num(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// pct formats the share part/whole as a percentage.
func pct(part, whole int64) string {
	if whole <= 0 {
		return none
	}
	p := 100 * float64(part) / float64(whole)
	switch {
	case p == 0:
		return "0%"
	case p >= 10:
		return fmt.Sprintf("%.0f%%", p)
	case p >= 1:
		return fmt.Sprintf("%.1f%%", p)
	case p >= 0.01:
		return fmt.Sprintf("%.2f%%", p)
	}
	return "<0.01%"
}

// dur formats d without trailing zero units: 30s, 5m, 1h30m, 250ms.
func dur(d time.Duration) string { return scenario.FormatDuration(d) }

// seconds formats an offset d as seconds, the unit of the time axis.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s"
}

// codes formats the requests that did not get a 2xx response by status
// code, in code order, as "429 x12, 0 x3". Code 0 means no response.
func codes(c map[int]int64) string {
	keys := make([]int, 0, len(c))
	for code, n := range c {
		if n > 0 && (code < 200 || code > 299) {
			keys = append(keys, code)
		}
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, code := range keys {
		parts[i] = fmt.Sprintf("%d x%d", code, c[code])
	}
	return strings.Join(parts, ", ")
}

// series returns the series of class c of t, or nil.
func series(classes map[record.Class]*record.Series, c record.Class) *record.Series {
	if classes == nil {
		return nil
	}
	return classes[c]
}

// hist returns the histogram of s if it holds any value, or nil.
func hist(s *record.Series) *hdrhistogram.Histogram {
	if s == nil || s.Histogram == nil || s.Histogram.TotalCount() == 0 {
		return nil
	}
	return s.Histogram
}

// classOrder lists the classes of a series map: all, warm and cold first,
// then any other class by name.
func classOrder(classes map[record.Class]*record.Series) []record.Class {
	var out []record.Class
	for _, c := range []record.Class{record.All, record.Warm, record.Cold} {
		if classes[c] != nil {
			out = append(out, c)
		}
	}
	var rest []record.Class
	for c, s := range classes {
		if s != nil && c != record.All && c != record.Warm && c != record.Cold {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// split reports whether t records cold and warm requests apart.
func split(t *record.Target) bool {
	return series(t.Classes, record.Cold) != nil || series(t.Classes, record.Warm) != nil
}
