package serverkind

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestProcCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	hz, how := clockTicks()
	if hz != 100 || how == "" { // USER_HZ is 100 on every Linux Go runs on
		t.Errorf("clockTicks() = %d (%s), want 100", hz, how)
	}
	before, err := procCPU(os.Getpid(), hz)
	if err != nil {
		t.Fatal(err)
	}
	// Spin until /proc has counted at least two ticks more; a process
	// whose CPU time never grows fails after a bounded amount of work.
	x := 0
	for n, after := 0, before; after-before < 20*time.Millisecond; after, err = procCPU(os.Getpid(), hz) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n > 100_000 {
			t.Fatalf("CPU time stuck at %v after 1e11 additions", after-before)
		}
		for i := range 1_000_000 {
			x += i
		}
	}
	_ = x
	if _, err := procCPU(-1, hz); err == nil {
		t.Error("procCPU of no process: no error")
	}
}
