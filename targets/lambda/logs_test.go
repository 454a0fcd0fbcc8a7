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
