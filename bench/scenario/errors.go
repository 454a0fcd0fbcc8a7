package scenario

import (
	"fmt"
	"strings"
)

// Error is a mistake in a scenario file, at a position.
type Error struct {
	Path      string
	Line, Col int // 1-based; Line is 0 when YAML did not say where
	Msg       string
}

// Error returns "path:line: msg", or "path: msg" when the line is unknown.
// The column is kept in the struct but not printed.
func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

// Errors is every mistake found in one file, in file order.
type Errors []*Error

// Error returns the mistakes one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the mistakes, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// suggest returns the candidate closest to s if it is a likely typo of it
// (at most two edits away, and not a wholesale rewrite), or "".
func suggest(s string, candidates ...string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := distance(s, c); d < bestDist && d < len(s) {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the
// fewest insertions, deletions, substitutions and swaps of adjacent
// characters that turn a into b.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// DidYouMean returns " (did you mean "x"?)" for a likely typo of one of the
// candidates, or "; " followed by the fallback advice.
func DidYouMean(s, fallback string, candidates ...string) string {
	if c := suggest(s, candidates...); c != "" {
		return fmt.Sprintf(" (did you mean %q?)", c)
	}
	return "; " + fallback
}

// Join lists words in English: "a", "a or b", "a, b or c".
func Join(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
