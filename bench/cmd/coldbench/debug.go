package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug starts the listener of coldbench run -debug-addr: Go's
// net/http/pprof handlers (goroutines, heap, profiles) on a loopback
// address, for watching a long run from outside (scripts/soak.sh reads the
// goroutine count there). The router runs inside coldbench, so these are
// the router's figures too. An address that is not loopback is refused
// with a usageError; nothing is served beyond this machine. It prints the
// listener's address to stderr and returns a function that closes it.
func serveDebug(addr string, stderr io.Writer) (stop func(), err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("-debug-addr %q: %v; give a loopback address such as 127.0.0.1:0", addr, err)}
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, &usageError{fmt.Sprintf("-debug-addr %q: not a loopback address; the debug listener serves 127.0.0.1, ::1 or localhost only, such as 127.0.0.1:0", addr)}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("-debug-addr: %w", err)
	}
	if a, ok := ln.Addr().(*net.TCPAddr); !ok || !a.IP.IsLoopback() {
		ln.Close()
		return nil, &usageError{fmt.Sprintf("-debug-addr %q: listens on %s, which is not loopback", addr, ln.Addr())}
	}
	// A mux of its own: nothing else registered on http.DefaultServeMux
	// is served.
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ErrServerClosed once stop closes it
	fmt.Fprintf(stderr, "coldbench: debug listener on http://%s/debug/pprof/ (goroutines: /debug/pprof/goroutine?debug=1)\n", ln.Addr())
	return func() { srv.Close() }, nil
}
