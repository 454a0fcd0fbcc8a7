package server_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/server"
	"github.com/coldbench/coldbench/targets/testkit"
)

var kit *testkit.Kit

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}

func TestRunStop(t *testing.T) {
	bins := kit.Binaries(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s, err := server.Run(ctx, bins.Server, server.Config{
		Work: order.Work{Init: 5 * time.Millisecond, Request: time.Millisecond},
	})
	t.Cleanup(func() { s.Stop(context.Background()) })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL() = %q", s.URL())
	}

	resp, err := http.Post(s.URL()+order.Path, "application/json", strings.NewReader(`{"item":"book"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || string(body) != order.Created {
		t.Errorf("POST /order: %d %q", resp.StatusCode, body)
	}

	stopCtx, stopCancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer stopCancel()
	if err := s.Stop(stopCtx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	select {
	case <-s.Done():
	default:
		t.Error("Done not closed after Stop")
	}
	if err := syscall.Kill(s.PID(), 0); err == nil {
		t.Errorf("process %d still exists", s.PID())
	}
	if target, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(s.PID()), "exe")); err == nil && target == bins.Server {
		t.Errorf("server process %d still running", s.PID())
	}
}

func TestRunFails(t *testing.T) {
	bins := kit.Binaries(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := server.Run(ctx, bins.Server, server.Config{Env: []string{order.EnvInitWork + "=nonsense"}})
	t.Cleanup(func() { s.Stop(context.Background()) })
	if err == nil || !strings.Contains(err.Error(), order.EnvInitWork) {
		t.Fatalf("Run with a bad knob: %v, want an error naming %s", err, order.EnvInitWork)
	}
}
