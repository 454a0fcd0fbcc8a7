package portclaim

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestOutside(t *testing.T) {
	for _, tc := range []struct {
		lo, hi int
		want   []Range
	}{
		{32768, 60999, []Range{{10000, 29999}, {61000, 65535}}},
		{1024, 65535, nil},
		{10000, 65400, nil}, // the span left is too small
		{49152, 65535, []Range{{10000, 29999}, {32768, 49151}}},
		{5000, 9000, []Range{{10000, 29999}, {32768, 65535}}},
		{31000, 31500, []Range{{10000, 29999}, {32768, 65535}}}, // inside the NodePort range
	} {
		if got := outside(tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("outside(%d, %d) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestParseRange(t *testing.T) {
	lo, hi, err := parseRange("32768\t60999\n")
	if err != nil || lo != 32768 || hi != 60999 {
		t.Fatalf("parseRange = %d, %d, %v", lo, hi, err)
	}
	if _, _, err := parseRange("32768"); err == nil {
		t.Fatal("parseRange of one number: no error")
	}
}

// TestFreeIsOutsideEphemeral: every port Take hands out lies outside the
// kernel's ephemeral range, on this machine.
func TestFreeIsOutsideEphemeral(t *testing.T) {
	b, err := os.ReadFile(ephemeralFile)
	if err != nil {
		t.Skip(err)
	}
	lo, hi, _ := parseRange(string(b))
	c, err := Take(4)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	for _, p := range c.Ports() {
		if p >= lo && p <= hi && len(Free()) > 0 {
			t.Errorf("port %d inside the ephemeral range %d-%d", p, lo, hi)
		}
	}
}

// TestClaimsNeverShareInProcess: claims taken at once in one process, from
// a range barely larger than they need, never share a port, and a
// released port is claimed again.
func TestClaimsNeverShareInProcess(t *testing.T) {
	const n = 100
	// Tight: a little room for ports that other tests' claims hold.
	rs := []Range{{Lo: 21000, Hi: 21000 + 2*n + 60}}
	claims := make([]*Claim, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { claims[i], errs[i] = TakeIn(2, rs) })
	}
	wg.Wait()
	seen := map[int]int{}
	for i, c := range claims {
		if errs[i] != nil {
			// Ports of the range that something else listens on can
			// make it too tight; that is not a shared port.
			t.Logf("claim %d: %v", i, errs[i])
			continue
		}
		for _, p := range c.Ports() {
			if j, dup := seen[p]; dup {
				t.Errorf("port %d claimed by %d and %d", p, j, i)
			}
			seen[p] = i
		}
	}
	if len(seen) < n {
		t.Fatalf("only %d ports claimed for %d claims of 2", len(seen), n)
	}
	for _, c := range claims {
		c.Release()
	}
	c, err := TakeIn(2*n, rs)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	c.Release()
}

// TestSkipsPortsInUse: a port some other program listens on is not
// handed out.
func TestSkipsPortsInUse(t *testing.T) {
	ln, err := net.Listen("tcp", Loopback+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := ln.Addr().(*net.TCPAddr).Port
	c, err := TakeIn(1, []Range{{busy, busy}})
	if err == nil {
		t.Fatalf("claimed port %d while it is listened on", c.Ports()[0])
	}
	if !strings.Contains(err.Error(), "no free loopback port") {
		t.Fatalf("error %q does not say why", err)
	}
}

// TestReleaseIsIdempotent: Release twice, and on a nil Claim.
func TestReleaseIsIdempotent(t *testing.T) {
	c, err := Take(1)
	if err != nil {
		t.Fatal(err)
	}
	c.Release()
	c.Release()
	var nilClaim *Claim
	nilClaim.Release()
}

// TestKernelPorts: with no ranges, distinct ports the kernel chose.
func TestKernelPorts(t *testing.T) {
	c, err := TakeIn(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	p := c.Ports()
	if len(p) != 3 || p[0] == p[1] || p[1] == p[2] || p[0] == p[2] {
		t.Fatalf("ports %v", p)
	}
}

// holderEnv makes the test binary a claim holder (TestMain's helper):
// it claims the ports of the range it names, prints them and waits for
// its standard input to close.
const holderEnv = "PORTCLAIM_TEST_HOLD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(holderEnv); spec != "" {
		os.Exit(hold(spec))
	}
	os.Exit(m.Run())
}

func hold(spec string) int {
	var lo, hi int
	if _, err := fmt.Sscanf(spec, "%d-%d", &lo, &hi); err != nil {
		fmt.Println("error", err)
		return 2
	}
	c, err := TakeIn(4, []Range{{lo, hi}})
	if err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("held", strings.Trim(fmt.Sprint(c.Ports()), "[]"))
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes it
	c.Release()
	return 0
}

// TestClaimsHoldAcrossProcesses: ports another process claims are not
// handed out here while it holds them, and are once it dies.
func TestClaimsHoldAcrossProcesses(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"=21500-21563")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	f := strings.Fields(line)
	if len(f) != 5 || f[0] != "held" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the holder said %q", line)
	}
	var held []int
	for _, s := range f[1:] {
		p, _ := strconv.Atoi(s)
		held = append(held, p)
		if c, err := TakeIn(1, []Range{{p, p}}); err == nil {
			t.Errorf("claimed port %d that another process holds", p)
			c.Release()
		}
	}
	// The kernel drops the holder's locks when it dies, however it dies.
	cmd.Process.Kill()
	cmd.Wait()
	for _, p := range held {
		c, err := TakeIn(1, []Range{{p, p}})
		if err != nil {
			t.Errorf("port %d after the holder died: %v", p, err)
			continue
		}
		c.Release()
	}
}
