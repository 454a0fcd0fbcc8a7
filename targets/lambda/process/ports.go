package process

import (
	"fmt"
	"net"
	"sync"
)

// ports hands out free loopback ports and keeps them reserved while an
// environment may use them. The kernel only promises that a port is free
// while a listener holds it; between the listener's close and the RIE's bind
// another Start could be given the same port, and an RIE that loses its bind
// would leave the readiness check talking to the other RIE. Reserving closes
// that race within a Provider; another process can still take a port in
// that window, and then the RIE exits and Start retries.
type ports struct {
	mu       sync.Mutex
	reserved map[int]bool
}

// reserve picks two distinct free ports that no environment of the
// provider holds, and reserves them until release is called.
func (p *ports) reserve() (a, b string, release func(), err error) {
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	var got []int
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(got) < 2 {
		if len(held) > 64 {
			return "", "", nil, fmt.Errorf("no free loopback port after %d tries", len(held))
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", nil, err
		}
		held = append(held, l) // so that the next Listen gets another port
		if port := l.Addr().(*net.TCPAddr).Port; !p.reserved[port] {
			got = append(got, port)
		}
	}
	if p.reserved == nil {
		p.reserved = make(map[int]bool)
	}
	p.reserved[got[0]], p.reserved[got[1]] = true, true
	release = func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.reserved, got[0])
		delete(p.reserved, got[1])
	}
	return fmt.Sprintf("127.0.0.1:%d", got[0]), fmt.Sprintf("127.0.0.1:%d", got[1]), release, nil
}
