package lambda

import (
	"strconv"
	"strings"
	"time"
)

// Providers write each environment's output one line per Write, as
// "[ENV-ID] text": ParseLogLine splits such a line.
func ParseLogLine(line string) (env, text string, ok bool) {
	rest, found := strings.CutPrefix(line, "[")
	if !found {
		return "", "", false
	}
	env, text, ok = strings.Cut(rest, "] ")
	return env, strings.TrimRight(text, "\r\n"), ok
}

// Report is the RIE's REPORT line for one invocation: what Lambda bills it
// by. The RIE starts the bootstrap lazily, inside the first invoke, so the
// first invoke's Duration includes the function's init and its
// InitDuration is close to zero; see HeaderInit for the INIT phase.
type Report struct {
	RequestID      string
	Duration       time.Duration
	BilledDuration time.Duration
	InitDuration   time.Duration // zero when the line has none
	MemorySizeMB   int
	MaxMemoryMB    int
}

// ParseReport parses the text of a REPORT line such as
//
//	REPORT RequestId: 8f5…	Init Duration: 0.06 ms	Duration: 2.65 ms	Billed Duration: 3 ms	Memory Size: 3008 MB	Max Memory Used: 3008 MB
func ParseReport(text string) (Report, bool) {
	rest, ok := strings.CutPrefix(text, "REPORT ")
	if !ok {
		return Report{}, false
	}
	var r Report
	for _, field := range strings.Split(rest, "\t") {
		name, value, ok := strings.Cut(strings.TrimSpace(field), ": ")
		if !ok {
			continue
		}
		switch name {
		case "RequestId":
			r.RequestID = value
		case "Duration":
			r.Duration = ms(value)
		case "Billed Duration":
			r.BilledDuration = ms(value)
		case "Init Duration":
			r.InitDuration = ms(value)
		case "Memory Size":
			r.MemorySizeMB = mb(value)
		case "Max Memory Used":
			r.MaxMemoryMB = mb(value)
		}
	}
	return r, r.RequestID != ""
}

func ms(v string) time.Duration {
	f, _ := strconv.ParseFloat(strings.TrimSuffix(v, " ms"), 64)
	return time.Duration(f * float64(time.Millisecond))
}

func mb(v string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(v, " MB"))
	return n
}
