package envlog

import (
	"io"
	"strings"
	"testing"
	"time"
)

// writes records each Write.
type writes []string

func (w *writes) Write(p []byte) (int, error) {
	*w = append(*w, string(p))
	return len(p), nil
}

func TestLineWriter(t *testing.T) {
	var got writes
	var tl Tail
	l := NewLineWriter(&got, "[e1] ", &tl)
	// Frames that cut lines anywhere, as the logs API may.
	for _, frame := range []string{"START a\nEN", "D a\n", "REPORT ", "a\tDuration: 1 ms\n\nlast"} {
		l.Write([]byte(frame))
	}
	l.Flush()
	want := []string{"[e1] START a\n", "[e1] END a\n", "[e1] REPORT a\tDuration: 1 ms\n", "[e1] \n", "[e1] last\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("writes %q, want %q", got, want)
	}
	if !strings.HasSuffix(tl.String(), "last") {
		t.Errorf("tail %q", tl.String())
	}

	got = nil
	long := strings.Repeat("x", maxLine+10)
	l.Write([]byte(long + "\n"))
	if len(got) != 1 || len(got[0]) != len("[e1] ")+len(long)+1 {
		t.Errorf("a long line in one frame: %d writes", len(got))
	}
	got = nil
	for range 3 {
		l.Write([]byte(long[:maxLine/2+1]))
	}
	l.Write([]byte("\n"))
	if len(got) != 2 || !strings.HasSuffix(got[0], "\n") {
		t.Errorf("a long line in many frames: %d writes", len(got))
	}
}

// TestTailInit checks that the first INIT REPORT in the output is kept,
// whether it came before Init was asked or while it waited.
func TestTailInit(t *testing.T) {
	var tail Tail
	if _, ok := tail.Init(0); ok {
		t.Fatal("an INIT before any output")
	}
	w := NewLineWriter(&writes{}, "[e] ", &tail)
	done := make(chan time.Duration)
	go func() {
		r, _ := tail.Init(time.Minute)
		done <- r.Duration
	}()
	io.WriteString(w, "x [INFO] (rapid) INIT START(type: on-demand)\nx [INFO] (rapid) INIT RTDONE(status: error)\nx [INFO] (rapid) INIT REP")
	io.WriteString(w, "ORT(durationMs: 12.500000)\nx [INFO] (rapid) INIT REPORT(durationMs: 99)\n")
	if d := <-done; d != 12500*time.Microsecond {
		t.Errorf("Init waited for %v, want 12.5ms", d)
	}
	if r, ok := tail.Init(0); !ok || r.Duration != 12500*time.Microsecond || !r.Failed {
		t.Errorf("Init = %+v, %v; want the first report, 12.5ms, failed", r, ok)
	}
}
