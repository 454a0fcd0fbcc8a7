package process_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/process"
	"github.com/coldbench/coldbench/targets/testkit"
)

// startMany starts n environments of each provider at once, with other
// sockets coming and going beside them (outgoing loopback connections,
// which take ephemeral ports), and returns the environments and every
// start's error.
func startMany(ctx context.Context, n int, ps ...*process.Provider) ([]lambda.Environment, []error) {
	churnCtx, stopChurn := context.WithCancel(ctx)
	defer stopChurn()
	churn(churnCtx)

	var mu sync.Mutex
	var envs []lambda.Environment
	var errs []error
	var wg sync.WaitGroup
	for _, p := range ps {
		for range n {
			wg.Go(func() {
				e, err := p.Start(ctx, lambda.Spec{Timeout: 10 * time.Second})
				mu.Lock()
				defer mu.Unlock()
				if e != nil {
					envs = append(envs, e)
				}
				if err != nil {
					errs = append(errs, err)
				}
			})
		}
	}
	wg.Wait()
	return envs, errs
}

// churn opens and closes loopback connections until ctx is done, each
// from an ephemeral port the kernel chooses: what used to take a port
// between its choice and the RIE's bind.
func churn(ctx context.Context) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	context.AfterFunc(ctx, func() { ln.Close() })
	for range 2 {
		go func() {
			for ctx.Err() == nil {
				if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
					c.Close()
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
}

func stopAll(envs []lambda.Environment) {
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Go(func() { e.Stop(context.Background()) })
	}
	wg.Wait()
}

// TestPortClaimsHoldAcrossProviders: two providers in one process start
// 50 environments each, all at once: every start succeeds and no RIE
// reports a lost bind.
func TestPortClaimsHoldAcrossProviders(t *testing.T) {
	b := kit.Binaries(t)
	var out testkit.Buffer
	p1 := process.New(b.RIE, b.Bootstrap, process.WithOutput(&out))
	p2 := process.New(b.RIE, b.Bootstrap, process.WithOutput(&out))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	envs, errs := startMany(ctx, 50, p1, p2)
	stopAll(envs)
	testkit.AwaitNoProcesses(t, filepath.Dir(b.RIE))
	for _, err := range errs {
		t.Error(err)
	}
	if len(envs) != 100 {
		t.Errorf("%d environments started, want 100", len(envs))
	}
	if strings.Contains(out.String(), "address already in use") {
		t.Errorf("a bind failed:\n%s", out.String())
	}
}

// starterEnv makes the test binary a second coldbench process for
// TestPortClaimsHoldAcrossProcesses: it starts the number of environments
// it names with the RIE and bootstrap of the next two variables, reports
// on stdout and stops them when its stdin closes.
const (
	starterEnv     = "PROCESS_TEST_START"
	starterRIE     = "PROCESS_TEST_RIE"
	starterBootEnv = "PROCESS_TEST_BOOTSTRAP"
)

// runStarter is TestMain's part for starterEnv.
func runStarter(n string) int {
	var count int
	fmt.Sscan(n, &count)
	var out testkit.Buffer
	p := process.New(os.Getenv(starterRIE), os.Getenv(starterBootEnv), process.WithOutput(&out))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fmt.Println("starting")
	envs, errs := startMany(ctx, count, p)
	fmt.Printf("started %d failed %d lostbind %v\n", len(envs), len(errs), strings.Contains(out.String(), "address already in use"))
	for _, err := range errs {
		fmt.Println("error:", strings.ReplaceAll(err.Error(), "\n", " "))
	}
	fmt.Println("end")
	bufio.NewReader(os.Stdin).ReadString('\n')
	stopAll(envs)
	return 0
}

// TestPortClaimsHoldAcrossProcesses: two coldbench processes start 50
// environments each at once: every start succeeds and no RIE reports a
// lost bind.
func TestPortClaimsHoldAcrossProcesses(t *testing.T) {
	b := kit.Binaries(t)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), starterEnv+"=50", starterRIE+"="+b.RIE, starterBootEnv+"="+b.Bootstrap)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			cmd.Process.Kill()
			<-done
		}
		testkit.AwaitNoProcesses(t, filepath.Dir(b.RIE))
	})
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "starting" {
		t.Fatalf("the other process said %q", lines.Text())
	}

	var out testkit.Buffer
	p := process.New(b.RIE, b.Bootstrap, process.WithOutput(&out))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	envs, errs := startMany(ctx, 50, p)
	defer stopAll(envs)

	var report []string
	for lines.Scan() && lines.Text() != "end" {
		report = append(report, lines.Text())
	}
	if len(report) == 0 || report[0] != "started 50 failed 0 lostbind false" {
		t.Errorf("the other process: %q", report)
	}
	for _, err := range errs {
		t.Error(err)
	}
	if len(envs) != 50 {
		t.Errorf("%d environments started here, want 50", len(envs))
	}
	if strings.Contains(out.String(), "address already in use") {
		t.Errorf("a bind failed here:\n%s", out.String())
	}
}
