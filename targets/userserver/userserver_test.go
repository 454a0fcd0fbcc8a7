package userserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/testkit"
	"github.com/coldbench/coldbench/targets/userserver"
)

// helperVar makes the test binary a user's server (serve) instead of
// running the tests: a real program, started as a command.
const helperVar = "USERSERVER_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperVar) == "serve" {
		serve()
		return
	}
	m.Run()
}

// serve listens on PORT (and on its first argument, if any, to check
// {port}), answers GET /health and POST /order, prints to stdout and
// stderr, and starts a child in its process group, which Stop must end
// too; its pid goes to the file CHILD_PID_FILE.
func serve() {
	port := os.Getenv("PORT")
	if len(os.Args) > 1 && os.Args[1] != port {
		fmt.Fprintf(os.Stderr, "argument %q is not PORT %s\n", os.Args[1], port)
		return
	}
	child := exec.Command("sleep", "300")
	if err := child.Start(); err == nil {
		os.WriteFile(os.Getenv("CHILD_PID_FILE"), []byte(strconv.Itoa(child.Process.Pid)), 0o644)
	}
	fmt.Println("hello on stdout", os.Getenv("GREETING"))
	fmt.Fprintln(os.Stderr, "hello on stderr")
	http.HandleFunc("POST /order", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "Order created!") })
	http.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {})
	fmt.Fprintln(os.Stderr, http.ListenAndServe("127.0.0.1:"+port, nil))
}

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || !strings.HasPrefix(s[i+1:], " Z")
}

func helper(t *testing.T, args ...string) (userserver.Config, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pidFile := t.TempDir() + "/child.pid"
	return userserver.Config{
		Command: append([]string{exe}, args...),
		Env:     map[string]string{helperVar: "serve", "GREETING": "world", "CHILD_PID_FILE": pidFile},
		Ready:   userserver.Probe{Method: "GET", Path: "/health"},
	}, pidFile
}

func TestStartServesAndStops(t *testing.T) {
	cfg, pidFile := helper(t, "{port}")
	var out, errOut testkit.Buffer
	cfg.Stdout, cfg.Stderr = &out, &errOut
	ctx := context.Background()
	srv, err := userserver.Start(ctx, cfg)
	if err != nil {
		srv.Stop(ctx)
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL()+"/order", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "Order created!" {
		t.Errorf("POST /order: %q", body)
	}
	pid := srv.PID()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	child, _ := strconv.Atoi(string(b))
	if err := srv.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if alive(pid) || alive(child) {
		t.Errorf("after Stop: server alive %v, its child alive %v", alive(pid), alive(child))
	}
	testkit.Eventually(t, "output written", func() bool {
		return strings.Contains(out.String(), "hello on stdout world") && strings.Contains(errOut.String(), "hello on stderr")
	})
}

func TestStartErrors(t *testing.T) {
	ctx := context.Background()
	exitsAtOnce := userserver.Config{Command: []string{"sh", "-c", "echo cannot bind >&2; exit 3"}, Ready: userserver.Probe{Path: "/"}}
	neverReady := userserver.Config{Command: []string{"sleep", "60"}, Ready: userserver.Probe{Path: "/"}, StartTimeout: 300 * time.Millisecond}
	for _, tt := range []struct {
		name string
		cfg  userserver.Config
		want []string
	}{
		{"missing", userserver.Config{Command: []string{"no-such-server-xyz"}}, []string{"no-such-server-xyz", "not found in PATH"}},
		{"missing path", userserver.Config{Command: []string{"./srv"}, Dir: t.TempDir()}, []string{"./srv", "not found"}},
		{"exits at once", exitsAtOnce, []string{"sh -c", "exited (exit status 3)", "cannot bind"}},
		{"never ready", neverReady, []string{"sleep 60", "not ready after start_timeout 300ms"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := userserver.Start(ctx, tt.cfg)
			var pid int
			if srv != nil {
				pid = srv.PID()
			}
			if stopErr := srv.Stop(ctx); stopErr != nil && !strings.Contains(stopErr.Error(), "exited") {
				t.Errorf("Stop: %v", stopErr)
			}
			var se *userserver.StartError
			if !errors.As(err, &se) {
				t.Fatalf("error %v (%T), want a *StartError", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if pid != 0 && alive(pid) {
				t.Errorf("process %d still runs", pid)
			}
			if pid != 0 {
				if err := syscall.Kill(-pid, 0); err == nil {
					t.Errorf("process group %d still has processes", pid)
				}
			}
		})
	}
}
