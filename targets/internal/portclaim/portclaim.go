// Package portclaim hands out loopback TCP ports for listeners that
// coldbench starts but does not bind itself (an RIE in a process or in a
// container on the host's network, a user's server), so that no two of
// them, in this process or in any other coldbench process on the machine,
// are ever given the same port, and the kernel never hands it to anyone
// else meanwhile.
//
// The usual way, binding port 0 and closing the listener before the child
// binds the port, races: between the close and the child's bind the port
// is free, and the kernel may give it to any socket that asks for an
// ephemeral port (an outgoing connection, another ":0" listener). Two
// rules remove that race by design:
//
//   - Ports are taken outside the kernel's ephemeral range
//     (/proc/sys/net/ipv4/ip_local_port_range): the kernel never chooses
//     them for a connection or a ":0" bind. Only a program asking for
//     that very port number can take one.
//   - Each port is claimed with an open file description lock (Linux
//     F_OFD_SETLK) on the byte at offset port of one lock file shared by
//     every coldbench process (LockPath). The lock is held, by an open
//     file, for as long as the listener may use the port, and the kernel
//     drops it when the file is closed or the process dies (kill -9
//     included): nothing to clean up. Open file description locks
//     conflict between two opens in one process too, so two providers in
//     one process never share a port either.
//
// A claimed port is also bound once, on 127.0.0.1, before it is handed
// out, to skip ports that some other program listens on. A program that
// binds a claimed port by number after that check is the one case left:
// the child's bind then fails ("address already in use"), and the
// providers start the environment again on other ports.
//
// Where the ephemeral range leaves no room (it covers 1024-65535), ports
// are chosen by the kernel as before, still claimed: coldbench processes
// never collide, but another program can take a port in the window.
package portclaim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// A Claim holds loopback ports until Release. Its zero value holds none.
type Claim struct {
	f     *os.File // holds the locks; nil once released
	ports []int
}

// Ports returns the claimed ports, in the order asked.
func (c *Claim) Ports() []int { return c.ports }

// Addr returns "127.0.0.1:port" of the i-th claimed port.
func (c *Claim) Addr(i int) string {
	return net.JoinHostPort(Loopback, strconv.Itoa(c.ports[i]))
}

// Release frees the ports. Call it once nothing listens on them any more
// (the process that bound them has exited, the container is removed). It
// is safe to call more than once and on a nil Claim.
func (c *Claim) Release() {
	if c == nil || c.f == nil {
		return
	}
	c.f.Close() // closing the file description drops its locks
	c.f = nil
}

// Loopback is the address the claimed ports are checked on, and the only
// one their listeners should bind.
const Loopback = "127.0.0.1"

// LockPath is the lock file every coldbench process claims ports in. It
// is a fixed path, not under $TMPDIR, so that processes with different
// temporary folders (another user's, a test's) still see each other's
// claims; a process with a private /tmp (systemd's PrivateTmp, a
// container) does not, and has only the bind check.
const LockPath = "/tmp/coldbench-ports.lock"

// Range is a span of port numbers, both ends included.
type Range struct{ Lo, Hi int }

func (r Range) size() int { return r.Hi - r.Lo + 1 }

// The ports handed out lie between lowestPort (below it lie the ports
// that well-known services are configured to listen on) and 65535, but
// for Kubernetes' NodePort range, which kube-proxy may forward on a
// node's loopback.
const (
	lowestPort    = 10000
	nodePortFirst = 30000
	nodePortLast  = 32767
)

// ephemeralFile is the kernel's ephemeral port range.
const ephemeralFile = "/proc/sys/net/ipv4/ip_local_port_range"

// Free returns the spans of ports from lowestPort to 65535 outside the
// kernel's ephemeral range and the NodePort range, or none when it cannot
// tell or they are too few to be worth it.
func Free() []Range {
	b, err := os.ReadFile(ephemeralFile)
	if err != nil {
		return nil
	}
	lo, hi, err := parseRange(string(b))
	if err != nil {
		return nil
	}
	return outside(lo, hi)
}

// parseRange parses the two numbers of ip_local_port_range.
func parseRange(s string) (lo, hi int, err error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("%s: want two numbers, got %q", ephemeralFile, s)
	}
	if lo, err = strconv.Atoi(f[0]); err == nil {
		hi, err = strconv.Atoi(f[1])
	}
	return lo, hi, err
}

// outside returns the spans of [lowestPort, 65535] outside [lo, hi] and
// the NodePort range, dropping spans of fewer than minSpan ports.
func outside(lo, hi int) []Range {
	const minSpan = 256
	spans := []Range{{lowestPort, 65535}}
	for _, cut := range []Range{{lo, hi}, {nodePortFirst, nodePortLast}} {
		var left []Range
		for _, r := range spans {
			if below := (Range{r.Lo, min(r.Hi, cut.Lo-1)}); below.size() > 0 {
				left = append(left, below)
			}
			if above := (Range{max(r.Lo, cut.Hi+1), r.Hi}); above.size() > 0 {
				left = append(left, above)
			}
		}
		spans = left
	}
	var rs []Range
	for _, r := range spans {
		if r.size() >= minSpan {
			rs = append(rs, r)
		}
	}
	return rs
}

// TakeIn claims n distinct loopback ports in the ranges, trying them from
// a random place onwards; with no ranges it claims ports the kernel
// chooses. It fails if the lock file cannot be opened, or if every port of
// the ranges is claimed or in use.
func TakeIn(n int, ranges []Range) (*Claim, error) {
	f, err := openLock()
	if err != nil {
		return nil, err
	}
	c := &Claim{f: f}
	if len(ranges) == 0 {
		err = c.claimKernelPorts(n)
	} else {
		err = c.claimInRanges(n, ranges)
	}
	if err != nil {
		c.Release()
		return nil, err
	}
	return c, nil
}

// Take claims n loopback ports outside the kernel's ephemeral range
// (Free). Release the Claim once nothing listens on them any more.
func Take(n int) (*Claim, error) { return TakeIn(n, Free()) }

// claimInRanges claims n ports of ranges, walking them from a random
// place.
func (c *Claim) claimInRanges(n int, ranges []Range) error {
	total := 0
	for _, r := range ranges {
		total += r.size()
	}
	start := rand.IntN(total)
	for i := 0; i < total && len(c.ports) < n; i++ {
		port := nth(ranges, (start+i)%total)
		ok, err := c.try(port)
		if err != nil {
			return err
		}
		if ok {
			c.ports = append(c.ports, port)
		}
	}
	if len(c.ports) < n {
		return fmt.Errorf("no free loopback port in %v: every one is claimed by a coldbench process (%s) or in use", ranges, LockPath)
	}
	return nil
}

// nth returns the i-th port of ranges.
func nth(ranges []Range, i int) int {
	for _, r := range ranges {
		if i < r.size() {
			return r.Lo + i
		}
		i -= r.size()
	}
	panic("portclaim: index past the ranges")
}

// try claims port if no other claim holds it and nothing listens on it.
func (c *Claim) try(port int) (bool, error) {
	got, err := c.lock(port)
	if err != nil || !got {
		return false, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(Loopback, strconv.Itoa(port)))
	if err != nil {
		// In use by a program that is not coldbench (or not allowed).
		return false, c.unlock(port)
	}
	ln.Close()
	return true, nil
}

// claimKernelPorts claims n ports that the kernel chooses, holding each
// chosen listener until all are claimed so that it chooses n distinct
// ones. Another program can still take one once they are closed.
func (c *Claim) claimKernelPorts(n int) error {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for tries := 0; len(c.ports) < n; tries++ {
		if tries > 64+n {
			return fmt.Errorf("no free loopback port after %d tries", tries)
		}
		l, err := net.Listen("tcp", Loopback+":0")
		if err != nil {
			return err
		}
		held = append(held, l)
		port := l.Addr().(*net.TCPAddr).Port
		got, err := c.lock(port)
		if err != nil {
			return err
		}
		if got {
			c.ports = append(c.ports, port)
		}
	}
	return nil
}

// openLock opens the lock file, creating it writable by everyone (each
// user's coldbench claims in it) if it is not there.
func openLock() (*os.File, error) {
	path := LockPath
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
		if err == nil {
			_ = f.Chmod(0o666) // the umask took write from others
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open the port lock file: %w (coldbench claims loopback ports there; set TMPDIR to a writable folder shared by every coldbench run)", err)
	}
	return f, nil
}

// lock takes the claim's lock on port, reporting false if another claim
// holds it.
func (c *Claim) lock(port int) (bool, error) {
	err := c.fcntl(port, unix.F_WRLCK)
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock port %d in %s: %w", port, LockPath, err)
	}
	return true, nil
}

// unlock drops the claim's lock on port.
func (c *Claim) unlock(port int) error {
	if err := c.fcntl(port, unix.F_UNLCK); err != nil {
		return fmt.Errorf("unlock port %d in %s: %w", port, LockPath, err)
	}
	return nil
}

// fcntl sets an open file description lock of type typ on the byte at
// offset port, without waiting.
func (c *Claim) fcntl(port int, typ int16) error {
	lk := unix.Flock_t{Type: typ, Whence: 0, Start: int64(port), Len: 1}
	for {
		err := unix.FcntlFlock(c.f.Fd(), unix.F_OFD_SETLK, &lk)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
