package cost

import (
	"math"
	"strconv"
	"strings"
)

// Dollars formats an amount of US dollars with three significant digits,
// and whole dollars from $1,000 up, as the report and the terminal write
// every price.
func Dollars(v float64) string {
	if v >= 1000 {
		return "$" + Thousands(int64(math.Round(v)))
	}
	return "$" + Sig(v)
}

// Sig formats v with three significant digits, without an exponent.
func Sig(v float64) string {
	if v == 0 {
		return "0"
	}
	if math.Abs(v) >= 1000 {
		return Thousands(int64(math.Round(v)))
	}
	decimals := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// Thousands formats n with commas between groups of three digits.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Percent formats a share as a percentage.
func Percent(f float64) string { return strconv.FormatFloat(100*f, 'f', -1, 64) + "%" }
