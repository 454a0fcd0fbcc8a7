package main

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDebugAddrRefusesNonLoopback checks that -debug-addr serves loopback
// only: any other address is bad input (exit code 2), found before
// anything is built or written.
func TestDebugAddrRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0", "example.com:0", "127.0.0.1"} {
		if stop, err := serveDebug(addr, &bytes.Buffer{}); err == nil {
			stop()
			t.Errorf("serveDebug(%q) listens; want it refused", addr)
		} else if exitCode(err) != 2 {
			t.Errorf("serveDebug(%q): %v, exit code %d, want 2", addr, err, exitCode(err))
		}
	}
	dir := t.TempDir()
	reports, bin := filepath.Join(dir, "reports"), filepath.Join(dir, "bin")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &stdout, &stderr, []string{"run", "-reports", reports, "-bin", bin, "-debug-addr", "0.0.0.0:0", "testdata/tiny.yaml"})
	if exitCode(err) != 2 || err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("run -debug-addr 0.0.0.0:0: %v (exit code %d), want exit code 2 saying it is not loopback", err, exitCode(err))
	}
	for _, p := range []string{reports, bin} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a refused -debug-addr (%v)", p, err)
		}
	}
}

// TestDebugServesGoroutines checks that the listener prints its address
// and serves the goroutine count in the first line of
// /debug/pprof/goroutine?debug=1, which scripts/soak.sh reads.
func TestDebugServesGoroutines(t *testing.T) {
	var stderr bytes.Buffer
	stop, err := serveDebug("127.0.0.1:0", &stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	m := regexp.MustCompile(`debug listener on (http://127\.0\.0\.1:\d+)/debug/pprof/`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("stderr %q names no listener", stderr.String())
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(m[1] + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first, _ := bufio.NewReader(resp.Body).ReadString('\n')
	if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`^goroutine profile: total [1-9]\d*\n$`).MatchString(first) {
		t.Errorf("goroutine?debug=1: %s, first line %q; want 200 and goroutine profile: total N", resp.Status, first)
	}
	stop()
	if _, err := client.Get(m[1] + "/debug/pprof/"); err == nil {
		t.Error("the listener still answers after stop")
	}
}
