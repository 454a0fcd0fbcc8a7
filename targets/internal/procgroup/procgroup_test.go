package procgroup

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// start starts a shell in a process group of its own, running script,
// and returns it with a channel closed once it is reaped.
func start(t *testing.T, script string) (*exec.Cmd, chan struct{}) {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }) // whatever a failed Stop left
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	return cmd, done
}

// TestStop checks the three ways a stop goes: the process exits on
// SIGTERM (graceful), ignores it until the context ends (SIGKILL, not
// graceful), or had exited already; and that the group's other processes
// are killed.
func TestStop(t *testing.T) {
	cmd, done := start(t, "sleep 60 & wait")
	graceful, exited, err := Stop(context.Background(), cmd.Process.Pid, done, true)
	if !graceful || exited || err != nil {
		t.Errorf("SIGTERM to the group: graceful %v, exited %v, %v; want graceful", graceful, exited, err)
	}
	if m := members(cmd.Process.Pid); len(m) > 0 {
		t.Errorf("processes %v of the group are alive after Stop", m)
	}

	ready := filepath.Join(t.TempDir(), "ready")
	cmd, done = start(t, "trap '' TERM; : > "+ready+"; sleep 60 & wait; wait")
	for _, err := os.Stat(ready); err != nil; _, err = os.Stat(ready) {
		time.Sleep(time.Millisecond) // until the shell has set its trap
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	graceful, _, err = Stop(ctx, cmd.Process.Pid, done, true)
	if graceful || err != nil {
		t.Errorf("SIGTERM ignored: graceful %v, %v; want killed without error", graceful, err)
	}
	if m := members(cmd.Process.Pid); len(m) > 0 {
		t.Errorf("processes %v of the group are alive after Stop", m)
	}

	cmd, done = start(t, "exit 3")
	<-done
	if _, exited, err := Stop(context.Background(), cmd.Process.Pid, done, false); !exited || err != nil {
		t.Errorf("exited before: exited %v, %v; want true", exited, err)
	}
}

// TestTail checks that a Tail keeps the last TailBytes, trimmed.
func TestTail(t *testing.T) {
	var tl Tail
	tl.Write([]byte(strings.Repeat("a", TailBytes)))
	tl.Write([]byte("end\n"))
	if s := tl.String(); len(s) != TailBytes-1 || !strings.HasSuffix(s, "aend") {
		t.Errorf("tail of %d bytes ending %q; want %d ending aend", len(s), s[len(s)-4:], TailBytes-1)
	}
}
