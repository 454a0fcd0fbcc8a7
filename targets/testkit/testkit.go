// Package testkit holds what the tests that start real targets share:
// building the binaries once per test binary, finding processes that outlive
// a test, checking containers through the Docker engine's API (and skipping
// where there is no engine, failing on CI), and waiting with a generous
// deadline instead of a wall-clock threshold.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Kit is the target binaries built for one test binary.
type Kit struct {
	dir  string
	bins build.Binaries
	err  error
}

// Build builds the target binaries into a new temporary folder. Call it from
// TestMain and Close the Kit after m.Run. A failed build is reported by
// Binaries, to each test that needs them.
func Build() *Kit {
	k := &Kit{}
	k.dir, k.err = os.MkdirTemp("", "coldbench-test-")
	if k.err != nil {
		return k
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	k.bins, k.err = build.Targets(ctx, filepath.Join(k.dir, "bin"))
	return k
}

// Close removes the binaries.
func (k *Kit) Close() {
	if k.dir != "" {
		os.RemoveAll(k.dir)
	}
}

// Binaries returns the binaries, failing t if they could not be built.
func (k *Kit) Binaries(t testing.TB) build.Binaries {
	t.Helper()
	if k.err != nil {
		t.Fatalf("building the targets: %v", k.err)
	}
	return k.bins
}

// Dir is the folder that holds the binaries.
func (k *Kit) Dir() string { return filepath.Join(k.dir, "bin") }

// Processes lists the live processes whose executable is in dir, as
// pid → path.
func Processes(dir string) map[int]string {
	found := map[int]string{}
	exes, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, exe := range exes {
		target, err := os.Readlink(exe)
		if err != nil || !strings.HasPrefix(target, dir+string(filepath.Separator)) {
			continue
		}
		if pid, err := strconv.Atoi(strings.Split(exe, "/")[2]); err == nil {
			found[pid] = target
		}
	}
	return found
}

// AwaitNoProcesses fails t unless, within a generous deadline, no process
// runs a binary of dir.
func AwaitNoProcesses(t testing.TB, dir string) {
	t.Helper()
	Eventually(t, "no process of "+dir+" left", func() bool { return len(Processes(dir)) == 0 })
}

// Eventually polls cond every 10 ms until it holds, failing t with what if
// it still does not after a deadline generous enough for a loaded machine.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Buffer is a bytes.Buffer safe for concurrent writers.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// OrderEvent is a Function URL (payload 2.0) event of an order, as the
// router sends it to an RIE.
const OrderEvent = `{"version":"2.0","rawPath":"/order","requestContext":{"http":{"method":"POST","path":"/order"}},"body":"{\"item\":1}"}`

// Invoke POSTs payload straight to an RIE's invocation URL, as the router
// does, and returns the status and body of the answer.
func Invoke(t testing.TB, url, payload string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amzn-RequestId", "req-"+t.Name())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// InvokeColdThenWarm invokes a fresh environment at url twice, straight to
// its RIE, and fails t unless both create the order, the function saying
// the first was its process's first invocation and the second was not.
func InvokeColdThenWarm(t testing.TB, url string) {
	t.Helper()
	for i := range 2 {
		status, body := Invoke(t, url, OrderEvent)
		var resp struct {
			StatusCode int               `json:"statusCode"`
			Headers    map[string]string `json:"headers"`
			Body       string            `json:"body"`
		}
		if err := json.Unmarshal([]byte(body), &resp); status != 200 || err != nil {
			t.Fatalf("invoke %d: %d %q (%v)", i, status, body, err)
		}
		wantCold := fmt.Sprint(i == 0)
		if resp.StatusCode != 201 || resp.Body != "Order created!" || resp.Headers[lambda.HeaderFunctionCold] != wantCold {
			t.Errorf("invoke %d: %+v, want 201 Order created! cold=%s", i, resp, wantCold)
		}
	}
}

// ExitedPID returns the pid of a process that has exited and been reaped:
// a pid no live process has, for tests of what happens to a dead owner.
func ExitedPID(t testing.TB) int {
	t.Helper()
	cmd := exec.Command("true")
	if _, err := exec.LookPath("true"); err != nil {
		cmd = exec.Command(os.Args[0], "-test.run=^$") // slower: runs TestMain
	}
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// StartAtOnce starts n environments of p at the same time, fails t unless
// each starts, gets its own id and answers an order invoke, and returns
// them. Cleanup stops them all, whatever the test does.
func StartAtOnce(t testing.TB, ctx context.Context, p lambda.Provider, n int) []lambda.Environment {
	t.Helper()
	envs := make([]lambda.Environment, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { envs[i], errs[i] = p.Start(ctx, lambda.Spec{}) })
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, e := range envs {
			if e != nil {
				e.Stop(context.Background())
			}
		}
	})
	ids := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Start %d: %v", i, errs[i])
		}
		ids[envs[i].ID()] = true
		if status, body := Invoke(t, envs[i].InvokeURL(), OrderEvent); status != 200 || !strings.Contains(body, "Order created!") {
			t.Errorf("env %s: %d %q", envs[i].ID(), status, body)
		}
	}
	if len(ids) != n {
		t.Errorf("ids not unique: %v", ids)
	}
	return envs
}

// RequireInterpreter ends t if program (node, python3) is not on the
// PATH: it skips t, unless the environment variable CI is "true", where
// .ci/run installs it and t fails instead.
func RequireInterpreter(t testing.TB, program string) {
	t.Helper()
	if _, err := exec.LookPath(program); err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not installed, and CI=true requires it", program)
	}
	t.Skipf("skipped: %s is not installed; with CI=true this fails instead", program)
}

// InvokeManaged sends n order invokes at once straight to a managed
// environment's RIE at url (lambda.Spec.MaxConcurrency) and returns how
// many it served (200) and how many it refused (400 Runtime.Unavailable,
// no runtime polling for them).
func InvokeManaged(t testing.TB, url string, n int) (served, refused int) {
	t.Helper()
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Go(func() {
			resp, err := http.Post(url, "application/json", strings.NewReader(OrderEvent))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		})
	}
	wg.Wait()
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			served++
		case http.StatusBadRequest:
			refused++
		}
	}
	return served, refused
}
