package schedstat

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// An INIT-like child of this test binary: COLDBENCH_SCHEDSTAT_BURN=<iters>
// makes TestMain run burn instead of the tests.
const burnEnv = "COLDBENCH_SCHEDSTAT_BURN"

func TestMain(m *testing.M) {
	if s := os.Getenv(burnEnv); s != "" {
		n, _ := strconv.Atoi(s)
		burn(n)
		return
	}
	os.Exit(m.Run())
}

// burn is one INIT: on one locked thread, it waits for "go" on stdin,
// spins n iterations, sleeps 30 ms (blocked, not waiting for a CPU),
// spins n more, prints its wall time in ns and waits for stdin to close,
// so that its threads can be read after the work.
func burn(n int) {
	runtime.LockOSThread()
	in := bufio.NewReader(os.Stdin)
	fmt.Println("ready")
	if _, err := in.ReadString('\n'); err != nil {
		return
	}
	start := time.Now()
	spin(n)
	time.Sleep(30 * time.Millisecond)
	spin(n)
	fmt.Println(time.Since(start).Nanoseconds())
	io.Copy(io.Discard, in)
}

var sink uint64

func spin(n int) {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink += x
}

// itersPerMs times spin by this thread's CPU clock, which a busy machine
// does not slow down.
func itersPerMs(t *testing.T) int {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const n = 5_000_000
	var a, b unix.Timespec
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &a)
	spin(n)
	unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &b)
	d := time.Duration(b.Nano() - a.Nano())
	if d <= 0 {
		t.Fatal("thread CPU clock did not move")
	}
	return int(float64(n) / (float64(d) / float64(time.Millisecond)))
}

// child is one started burn.
type child struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	usage Usage
}

func startBurn(t *testing.T, iters int) *child {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), burnEnv+"="+strconv.Itoa(iters))
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewReader(out)}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	if line, err := c.out.ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("burn child: %q, %v", line, err)
	}
	return c
}

// result is one INIT: its wall time and its wall time less its host wait.
type result struct{ wall, net time.Duration }

// run lets c work and reads its threads before and after.
func (c *child) run(t *testing.T) result {
	before, err := PIDs(c.cmd.Process.Pid)
	if err != nil {
		t.Error(err)
	}
	if _, err := io.WriteString(c.in, "go\n"); err != nil {
		t.Error(err)
		return result{}
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		t.Error(err)
		return result{}
	}
	after, err := PIDs(c.cmd.Process.Pid)
	if err != nil {
		t.Error(err)
	}
	ns, _ := strconv.ParseInt(strings.TrimSpace(line), 10, 64)
	wall := time.Duration(ns)
	return result{wall: wall, net: wall - HostWait(after.Sub(before), wall)}
}

func median(rs []result, f func(result) time.Duration) time.Duration {
	v := make([]time.Duration, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	slices.Sort(v)
	return v[len(v)/2]
}

// TestKnownAnswer is the rule's test against a known answer, on real
// processes: N INIT-like children (each 2 × 20 ms of CPU around a 30 ms
// sleep) started at once on this machine's cores wait for each other, and
// their wall time grows; less their host wait, they take what one takes
// alone. The sleep keeps the test honest: a rule that took all of wall −
// cpu for waiting would give 40 ms, not 70.
func TestKnownAnswer(t *testing.T) {
	iters := 20 * itersPerMs(t)
	var alone []result
	for range 3 {
		alone = append(alone, startBurn(t, iters).run(t))
	}
	n := 4 * runtime.NumCPU()
	kids := make([]*child, n)
	for i := range kids {
		kids[i] = startBurn(t, iters)
	}
	together := make([]result, n)
	var wg sync.WaitGroup
	for i, c := range kids {
		wg.Go(func() { together[i] = c.run(t) })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	wall := func(r result) time.Duration { return r.wall }
	net := func(r result) time.Duration { return r.net }
	aloneNet, togetherNet := median(alone, net), median(together, net)
	t.Logf("alone: wall %v, net %v", median(alone, wall), aloneNet)
	t.Logf("%d at once on %d cores: wall %v, net %v", n, runtime.NumCPU(), median(together, wall), togetherNet)
	if r := float64(togetherNet) / float64(aloneNet); r < 0.75 || r > 1.25 {
		t.Errorf("%d at once, less their host wait, take %.2f× one alone (%v against %v); want within ±25%%", n, r, togetherNet, aloneNet)
	}
}
