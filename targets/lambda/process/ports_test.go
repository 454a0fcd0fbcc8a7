package process

import (
	"net"
	"os"
	"sync"
	"testing"
)

func TestPortsReserveDistinct(t *testing.T) {
	var p ports
	const n = 200
	addrs := make([][2]string, n)
	releases := make([]func(), n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a, b, release, err := p.reserve()
			if err != nil {
				t.Error(err)
				return
			}
			addrs[i], releases[i] = [2]string{a, b}, release
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, pair := range addrs {
		for _, a := range pair {
			if seen[a] {
				t.Fatalf("%s handed out twice while reserved", a)
			}
			seen[a] = true
		}
	}
	for _, r := range releases {
		r()
	}
	if len(p.reserved) != 0 {
		t.Errorf("%d ports still reserved after release", len(p.reserved))
	}
}

func TestSession(t *testing.T) {
	sid, state, ok := session([]byte("123 (a (weird) name) S 1 123 456 0 -1 4194560"))
	if !ok || sid != 456 || state != 'S' {
		t.Errorf("session() = %d %c %v", sid, state, ok)
	}
	if _, _, ok := session([]byte("garbage")); ok {
		t.Error("parsed garbage")
	}
}

// TestListening checks that a listener is found as this process's and a
// port nobody listens on as no one's.
func TestListening(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if ours, err := listening(os.Getpid(), port); err != nil || !ours {
		t.Errorf("listening(self, %d) = %v, %v; want true", port, ours, err)
	}
	// The parent does not hold it; it may not let us look (an error).
	if ours, err := listening(os.Getppid(), port); ours {
		t.Errorf("listening(parent, %d) = %v, %v; want false: the parent does not hold it", port, ours, err)
	}
	l.Close()
	if ours, _ := listening(os.Getpid(), port); ours {
		t.Errorf("listening(self, %d) after close = true", port)
	}
}
