package lambda_test

import (
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

func TestParseReport(t *testing.T) {
	env, text, ok := lambda.ParseLogLine("[env-3] REPORT RequestId: abc\tInit Duration: 0.06 ms\tDuration: 2.65 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t\n")
	if !ok || env != "env-3" {
		t.Fatalf("ParseLogLine: %q %q %v", env, text, ok)
	}
	r, ok := lambda.ParseReport(text)
	want := lambda.Report{RequestID: "abc", Duration: 2650 * time.Microsecond, BilledDuration: 3 * time.Millisecond,
		InitDuration: 60 * time.Microsecond, MemorySizeMB: 512, MaxMemoryMB: 512}
	if !ok || r != want {
		t.Errorf("ParseReport = %+v, %v; want %+v", r, ok, want)
	}
	for _, line := range []string{"START RequestId: abc Version: $LATEST", "END RequestId: abc", "REPORT nothing", ""} {
		if _, ok := lambda.ParseReport(line); ok {
			t.Errorf("ParseReport(%q) ok, want not a report", line)
		}
	}
	if _, _, ok := lambda.ParseLogLine("no prefix"); ok {
		t.Error("ParseLogLine accepted a line without [id]")
	}
}

func TestParseInitReport(t *testing.T) {
	for _, c := range []struct {
		text string
		want time.Duration
		ok   bool
	}{
		{"07 Dec 2026 05:33:03,704 [INFO] (rapid) INIT REPORT(durationMs: 46.691000)", 46691 * time.Microsecond, true},
		{"INIT REPORT(durationMs: 3.5, status: error)", 3500 * time.Microsecond, true},
		{"07 Dec 2026 05:33:03,704 [INFO] (rapid) INIT RTDONE(status: success)", 0, false},
		{"INIT REPORT(durationMs: -1)", 0, false},
		{"INIT REPORT(durationMs: x)", 0, false},
	} {
		got, ok := lambda.ParseInitReport(c.text)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseInitReport(%q) = %v, %v; want %v, %v", c.text, got, ok, c.want, c.ok)
		}
		if c.ok && !lambda.IsRIEChatter("x [INFO] (rapid) "+c.text) {
			t.Errorf("IsRIEChatter: an info line of the RIE's not recognized")
		}
	}
}
