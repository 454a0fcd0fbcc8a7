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

// RIELogLevel is the level every provider runs the RIE at: info, the
// lowest that logs the INIT REPORT line (ParseInitReport). It adds two
// lines per invoke (INVOKE START, INVOKE RTDONE) to the output.
const RIELogLevel = "info"

// InitReportMark is in the line the RIE logs once the runtime has
// finished INIT, its INIT REPORT:
//
//	07 Dec 2026 05:33:03,704 [INFO] (rapid) INIT REPORT(durationMs: 3.463000)
//
// The duration runs from INIT START, when the first invoke reached the
// RIE, to the runtime's first request for work: the start of its process
// and its own initialization, whatever the language; Lambda's Init
// Duration. The RIE logs it before it hands the runtime the invoke.
const InitReportMark = "INIT REPORT(durationMs: "

// ParseInitReport reads the duration of a line holding InitReportMark.
func ParseInitReport(text string) (time.Duration, bool) {
	_, rest, ok := strings.Cut(text, InitReportMark)
	if !ok {
		return 0, false
	}
	if j := strings.IndexAny(rest, ",)"); j >= 0 {
		rest = rest[:j]
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return time.Duration(f * float64(time.Millisecond)), true
}

// InitDoneMark is in the line the RIE logs as the runtime's INIT ends,
// just before its INIT REPORT: INIT RTDONE(status: success), or another
// status when the runtime failed its INIT (posted an init error, exited).
const InitDoneMark = "INIT RTDONE(status: "

// ParseInitDone reads whether a line holding InitDoneMark says INIT
// failed.
func ParseInitDone(text string) (failed, ok bool) {
	_, rest, ok := strings.Cut(text, InitDoneMark)
	if !ok {
		return false, false
	}
	status, _, _ := strings.Cut(rest, ")")
	return strings.TrimSpace(status) != "success", true
}

// InitReport is what the RIE logged of an environment's INIT.
type InitReport struct {
	Duration time.Duration
	Failed   bool // the runtime failed its INIT
}

// rieChatter marks the RIE's own lines at level info, which carry nothing
// a reader of the function's log needs (warnings and errors are logged
// as [WARNING] and [ERROR]).
const rieChatter = "[INFO] (rapid) "

// IsRIEChatter reports whether text is one of the RIE's info lines.
func IsRIEChatter(text string) bool { return strings.Contains(text, rieChatter) }

// Report is the RIE's REPORT line for one invocation: what Lambda bills it
// by. The RIE starts the bootstrap lazily, inside the first invoke, so the
// first invoke's Duration includes the function's init and its
// InitDuration is close to zero; the INIT phase is in the INIT REPORT
// line before it (ParseInitReport) and in HeaderInit.
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
