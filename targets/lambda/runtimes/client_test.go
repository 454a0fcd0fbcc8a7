package runtimes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/internal/portclaim"
	"github.com/coldbench/coldbench/targets/testkit"
)

// These tests run the runtime clients of client/ under the real RIE, as
// coldbench runs them: `rie ... <interpreter> <client> <handler>` in the
// function's folder (testdata/*), and in check mode straight.

var kit *testkit.Kit

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}

// A language is an interpreter and the client it runs.
type language struct {
	name, client string
	flags        []string // the interpreter's, before the client
	find         func() (string, error)
}

var (
	node = &language{name: "node", client: "client/node.mjs", find: func() (string, error) {
		return exec.LookPath("node")
	}}
	// -S: without the site module, as coldbench runs Python (runtimes.go):
	// the client needs nothing of site-packages.
	python = &language{name: "python", client: "client/python.py", flags: []string{"-S"}, find: func() (string, error) {
		// The interpreter itself, not a shim (pyenv's) that needs more
		// of the environment than PATH.
		p, err := exec.LookPath("python3")
		if err != nil {
			return "", err
		}
		out, err := exec.Command(p, "-c", "import sys; print(sys.executable)").Output()
		return strings.TrimSpace(string(out)), err
	}}
	interpreters sync.Map // *language → (string, error), found once
)

// interpreter returns the absolute paths of l's interpreter and client,
// skipping t where the interpreter is missing, but failing it on CI.
func (l *language) interpreter(t *testing.T) (interp, client string) {
	t.Helper()
	type found struct {
		path string
		err  error
	}
	v, ok := interpreters.Load(l)
	if !ok {
		p, err := l.find()
		v, _ = interpreters.LoadOrStore(l, found{p, err})
	}
	f := v.(found)
	if f.err != nil || f.path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s interpreter: %v", l.name, f.err)
		}
		t.Skipf("no %s interpreter: %v", l.name, f.err)
	}
	client, err := filepath.Abs(l.client)
	if err != nil {
		t.Fatal(err)
	}
	return f.path, client
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

const (
	functionName = "orders"
	memoryMB     = "1024"
	requestBody  = `{"item":1}`
	traceID      = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
)

// runtimeEnv is the whole environment of an RIE or a check: nothing of
// the test's own but PATH.
func runtimeEnv(dir, runtime string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"LAMBDA_TASK_ROOT=" + dir,
		"AWS_LAMBDA_FUNCTION_NAME=" + functionName,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + memoryMB,
		"AWS_LAMBDA_FUNCTION_TIMEOUT=60",
		"AWS_REGION=us-east-1",
		"TZ=:UTC",
		// Lambda's /var/task is read-only: no __pycache__ in testdata.
		"PYTHONDONTWRITEBYTECODE=1",
	}
	switch {
	case strings.HasPrefix(runtime, "AWS_Lambda_"): // as Lambda sets it
		env = append(env, "AWS_EXECUTION_ENV="+runtime)
	case runtime != "":
		env = append(env, "COLDBENCH_LAMBDA_RUNTIME="+runtime)
	}
	return env
}

// startRIE starts an RIE that runs l's client on handler in the fixture
// folder and returns its invocation URL. It runs in a session (and process
// group) of its own; cleanup kills every process of that session, the
// runtime's own process group included, and fails t if any is left.
func startRIE(t *testing.T, l *language, fixtureName, handler, runtime string) string {
	t.Helper()
	interp, client := l.interpreter(t)
	dir := fixture(t, fixtureName)
	claim, err := portclaim.Take(2)
	if err != nil {
		t.Fatal(err)
	}
	apiAddr, rapidAddr := claim.Addr(0), claim.Addr(1)
	cmd := exec.Command(kit.Binaries(t).RIE,
		"--runtime-interface-emulator-address", apiAddr,
		"--runtime-api-address", rapidAddr,
		"--log-level", "info")
	cmd.Args = append(append(append(cmd.Args, interp), l.flags...), client, handler)
	cmd.Dir = dir
	cmd.Env = runtimeEnv(dir, runtime)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	out := &testkit.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		claim.Release()
		t.Fatal(err)
	}
	sid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-sid, syscall.SIGKILL)
		for _, pid := range sessionMembers(sid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		<-exited
		claim.Release()
		testkit.Eventually(t, "no process of the RIE's session left", func() bool {
			for _, pid := range sessionMembers(sid) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			return len(sessionMembers(sid)) == 0
		})
		if t.Failed() {
			t.Logf("RIE output:\n%s", out)
		}
	})
	testkit.Eventually(t, "the RIE to listen on "+apiAddr, func() bool {
		select {
		case <-exited:
			t.Fatalf("the RIE exited at start:\n%s", out)
		default:
		}
		c, err := net.Dial("tcp", apiAddr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return "http://" + apiAddr + "/2015-03-31/functions/function/invocations"
}

// sessionMembers lists the live (not zombie) processes of session sid.
func sessionMembers(sid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, p := range stats {
		stat, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp session ...", comm may hold anything.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 4 || f[0] == "Z" || f[3] != strconv.Itoa(sid) {
			continue
		}
		if pid, err := strconv.Atoi(strings.Split(p, "/")[2]); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// urlEvent is a Function URL (payload 2.0) event of a POST, padded with
// a large field if big: the RIE sends a large event with chunked
// transfer-encoding, a small one with a Content-Length.
func urlEvent(big bool) string {
	padding := ""
	if big {
		padding = strings.Repeat("x", 70_000)
	}
	b, _ := json.Marshal(map[string]any{
		"padding":        padding,
		"version":        "2.0",
		"routeKey":       "$default",
		"rawPath":        "/orders/7",
		"rawQueryString": "expand=items&dry=1",
		"headers": map[string]string{
			"content-type": "application/json",
			"x-test":       "echo-me",
		},
		"queryStringParameters": map[string]string{"expand": "items", "dry": "1"},
		"requestContext": map[string]any{
			"accountId":  "anonymous",
			"domainName": "localhost",
			"http": map[string]string{
				"method":    "POST",
				"path":      "/orders/7",
				"protocol":  "HTTP/1.1",
				"sourceIp":  "127.0.0.1",
				"userAgent": "coldbench-test",
			},
			"requestId": "url-request",
			"routeKey":  "$default",
			"stage":     "$default",
		},
		"body":            requestBody,
		"isBase64Encoded": false,
	})
	return string(b)
}

// invoke POSTs the event to an RIE's invocation URL with requestID and the
// X-Ray trace header, and returns the status and body of the answer.
func invoke(t *testing.T, url, requestID string, big bool) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // against a hang, not a threshold
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(urlEvent(big)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amzn-RequestId", requestID)
	req.Header.Set("X-Amzn-Trace-Id", traceID)
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

// echo is what the fixtures' handler puts in its body.
type echo struct {
	Method             string  `json:"method"`
	RawPath            string  `json:"rawPath"`
	RawQueryString     string  `json:"rawQueryString"`
	XTest              string  `json:"xTest"`
	Body               string  `json:"body"`
	RequestID          string  `json:"requestId"`
	FunctionName       string  `json:"functionName"`
	FunctionVersion    string  `json:"functionVersion"`
	InvokedFunctionArn string  `json:"invokedFunctionArn"`
	MemoryLimitInMB    string  `json:"memoryLimitInMB"`
	LogGroupName       string  `json:"logGroupName"`
	LogStreamName      string  `json:"logStreamName"`
	RemainingPositive  bool    `json:"remainingPositive"`
	TraceID            *string `json:"traceId"`
}

func checkEcho(t *testing.T, requestID, body string) {
	t.Helper()
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
	if resp.StatusCode != 200 || resp.Headers["content-type"] != "application/json" {
		t.Errorf("answer %q: want status 200 and a JSON content-type", body)
	}
	var got echo
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
		t.Fatalf("echoed body %q: %v", resp.Body, err)
	}
	want := echo{
		Method: "POST", RawPath: "/orders/7", RawQueryString: "expand=items&dry=1", XTest: "echo-me",
		Body: requestBody, RequestID: requestID, FunctionName: functionName, FunctionVersion: "$LATEST",
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:012345678912:function:" + functionName,
		MemoryLimitInMB:    memoryMB, RemainingPositive: true,
		LogGroupName: got.LogGroupName, LogStreamName: got.LogStreamName, TraceID: got.TraceID,
	}
	if got != want {
		t.Errorf("echo\n got %+v\nwant %+v", got, want)
	}
	if got.LogGroupName == "" || got.LogStreamName == "" {
		t.Errorf("echo: empty log group %q or stream %q", got.LogGroupName, got.LogStreamName)
	}
	// The RIE takes X-Amzn-Trace-Id but its tracer (a no-op) sends no
	// Lambda-Runtime-Trace-Id: the client leaves _X_AMZN_TRACE_ID unset.
	if got.TraceID != nil {
		t.Errorf("echo: _X_AMZN_TRACE_ID %q, want it unset", *got.TraceID)
	}
}

// jsonEq fails t unless body is the JSON value want.
func jsonEq(want string) func(t *testing.T, requestID, body string) {
	return func(t *testing.T, _, body string) {
		t.Helper()
		var g, w any
		if err := json.Unmarshal([]byte(body), &g); err != nil {
			t.Fatalf("answer %q: %v", body, err)
		}
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("answer %s, want %s", body, want)
		}
	}
}

// callback checks the answer of node-cjs's callback handlers.
func callback(timerRan bool) func(t *testing.T, requestID, body string) {
	return func(t *testing.T, requestID, body string) {
		t.Helper()
		jsonEq(fmt.Sprintf(`{"style":"callback","requestId":%q,"rawPath":"/orders/7","timerRan":%t}`, requestID, timerRan))(t, requestID, body)
	}
}

// nodeError checks the error a Node.js runtime posts, as the RIE answers
// it: {"errorType","errorMessage","trace"}.
func nodeError(errorType, message string) func(t *testing.T, requestID, body string) {
	return func(t *testing.T, _, body string) {
		t.Helper()
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("answer %q: %v", body, err)
		}
		if len(got) != 3 || got["errorType"] != errorType || message != "" && got["errorMessage"] != message {
			t.Fatalf("answer %s, want errorType %q errorMessage %q trace", body, errorType, message)
		}
		trace, ok := got["trace"].([]any)
		if !ok || len(trace) == 0 || !strings.HasPrefix(fmt.Sprint(trace[0]), errorType+": ") {
			t.Errorf("trace %v: want the stack, first %q", got["trace"], errorType+": ...")
		}
	}
}

// pythonError checks the error a Python runtime posts, as the RIE answers
// it: {"errorMessage","errorType","requestId","stackTrace"}.
func pythonError(errorType, message, frame string, invoke bool) func(t *testing.T, requestID, body string) {
	return func(t *testing.T, requestID, body string) {
		t.Helper()
		var got struct {
			ErrorMessage string   `json:"errorMessage"`
			ErrorType    string   `json:"errorType"`
			RequestID    *string  `json:"requestId"`
			StackTrace   []string `json:"stackTrace"`
		}
		var keys map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil || json.Unmarshal([]byte(body), &keys) != nil {
			t.Fatalf("answer %q: %v", body, err)
		}
		wantID := ""
		if invoke {
			wantID = requestID
		}
		if len(keys) != 4 || got.ErrorType != errorType || message != "" && got.ErrorMessage != message ||
			got.RequestID == nil || *got.RequestID != wantID {
			t.Fatalf("answer %s, want errorType %q errorMessage %q requestId %q stackTrace", body, errorType, message, wantID)
		}
		trace := strings.Join(got.StackTrace, "")
		if !strings.Contains(trace, frame) || strings.Contains(trace, "client/python.py") {
			t.Errorf("stackTrace %q: want %q and none of the client's frames", got.StackTrace, frame)
		}
	}
}

// The RIE answers an invoke with what the runtime posted: 200 and the
// result for /response, 200 and the error body for /error. When INIT failed
// (the runtime posted /init/error and exited), it answers 502 and the body
// of /init/error.
func TestInvoke(t *testing.T) {
	type want struct {
		status int
		check  func(t *testing.T, requestID, body string)
	}
	answered := func(check func(t *testing.T, requestID, body string)) want { return want{http.StatusOK, check} }
	initFailed := func(check func(t *testing.T, requestID, body string)) want { return want{http.StatusBadGateway, check} }
	type tc struct {
		lang             *language
		fixture, handler string
		runtime          string
		invokes          int // the same want on each of that many invokes, in one process, every other one big
		want             want
	}
	cases := map[string]tc{}
	for _, rt := range []string{"nodejs22.x", "nodejs24.x"} {
		n := func(fixture, handler string, invokes int, w want) tc {
			return tc{node, fixture, handler, rt, invokes, w}
		}
		for _, f := range []string{"node-esm", "node-esm-js", "node-cjs"} {
			cases[rt+"/"+f+"/echo"] = n(f, "index.handler", 2, answered(checkEcho))
			cases[rt+"/"+f+"/plain"] = n(f, "index.plain", 1, answered(jsonEq(`{"ok":true}`)))
			cases[rt+"/"+f+"/thrown"] = n(f, "index.fail", 2, answered(nodeError("OrderError", "no stock")))
			cases[rt+"/"+f+"/missing export"] = n(f, "index.nope", 1,
				initFailed(nodeError("Runtime.HandlerNotFound", "index.nope is undefined or not exported")))
		}
		cases[rt+"/nested"] = n("node-esm", "index.nested.fn", 1, answered(jsonEq(`{"nested":true}`)))
		cases[rt+"/subfolder"] = n("node-esm-js", "src/app.main", 1, answered(jsonEq(`{"from":"src/app.js","rawPath":"/orders/7"}`)))
		cases[rt+"/not a function"] = n("node-esm", "index.notAFunction", 1,
			initFailed(nodeError("Runtime.HandlerNotFound", "index.notAFunction is not a function")))
		cases[rt+"/missing module"] = n("node-esm", "missing.handler", 1, initFailed(nodeError("Runtime.ImportModuleError", "")))
		cases[rt+"/malformed"] = n("node-esm", "index", 1, initFailed(nodeError("Runtime.MalformedHandlerName", "Bad handler")))
		cases[rt+"/relative"] = n("node-esm", "../node-esm/index.handler", 1, initFailed(nodeError("Runtime.MalformedHandlerName", "")))
		cases[rt+"/syntax"] = n("node-syntax", "index.handler", 1, initFailed(nodeError("Runtime.UserCodeSyntaxError", "")))
		cases[rt+"/init throws"] = n("node-init-throw", "index.handler", 1, initFailed(nodeError("Error", "no database configured")))
	}
	cases["nodejs22.x/callback"] = tc{node, "node-cjs", "index.cb", "nodejs22.x", 2, answered(callback(true))}
	cases["nodejs22.x/callback no wait"] = tc{node, "node-cjs", "index.cbNoWait", "nodejs22.x", 1, answered(callback(false))}
	cases["nodejs22.x/callback error"] = tc{node, "node-cjs", "index.cbFail", "nodejs22.x", 2, answered(nodeError("OrderError", "no stock"))}
	cases["nodejs22.x/sync value ignored"] = tc{node, "node-cjs", "index.sync", "nodejs22.x", 1, answered(jsonEq(`null`))}
	cases["default is nodejs22.x"] = tc{node, "node-cjs", "index.cb", "", 1, answered(callback(true))}
	cases["nodejs24.x/callback refused"] = tc{node, "node-cjs", "index.cb", "nodejs24.x", 1,
		initFailed(nodeError("Runtime.CallbackHandlerDeprecated", ""))}
	cases["nodejs24.x/sync value sent"] = tc{node, "node-cjs", "index.sync", "nodejs24.x", 1, answered(jsonEq(`{"ok":true}`))}
	cases["AWS_EXECUTION_ENV nodejs24.x/callback refused"] = tc{node, "node-cjs", "index.cb", "AWS_Lambda_nodejs24.x", 1,
		initFailed(nodeError("Runtime.CallbackHandlerDeprecated", ""))}
	cases["AWS_EXECUTION_ENV nodejs22.x/callback"] = tc{node, "node-cjs", "index.cb", "AWS_Lambda_nodejs22.x", 1, answered(callback(true))}

	py := func(fixture, handler string, invokes int, w want) tc {
		return tc{python, fixture, handler, "python3.12", invokes, w}
	}
	cases["python/echo"] = py("python", "lambda_function.handler", 2, answered(checkEcho))
	cases["python/plain"] = py("python", "lambda_function.plain", 1, answered(jsonEq(`{"ok":true}`)))
	cases["python/thrown"] = py("python", "lambda_function.fail", 2,
		answered(pythonError("OrderError", "no stock", `raise OrderError("no stock")`, true)))
	cases["python/subfolder slash"] = py("python", "pkg/handlers.handler", 1, answered(pythonSub))
	cases["python/subfolder dot"] = py("python", "pkg.handlers.handler", 1, answered(pythonSub))
	cases["python/missing module"] = py("python", "missing.handler", 1, initFailed(
		pythonError("Runtime.ImportModuleError", "Unable to import module 'missing': No module named 'missing'", "", false)))
	cases["python/missing export"] = py("python", "lambda_function.nope", 1, initFailed(
		pythonError("Runtime.HandlerNotFound", "Handler 'nope' missing on module 'lambda_function'", "", false)))
	cases["python/malformed"] = py("python", "lambda_function", 1, initFailed(pythonError("Runtime.MalformedHandlerName", "", "", false)))
	cases["python/builtin"] = py("python", "sys.handler", 1, initFailed(
		pythonError("Runtime.BuiltInModuleConflict", "Cannot use built-in module sys as a handler module", "", false)))
	cases["python/syntax"] = py("python-syntax", "lambda_function.handler", 1, initFailed(
		pythonError("Runtime.UserCodeSyntaxError", "", "def handler(event, context)", false)))
	cases["python/init throws"] = py("python-init-throw", "lambda_function.handler", 1, initFailed(
		pythonError("RuntimeError", "no database configured", `raise RuntimeError("no database configured")`, false)))

	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url := startRIE(t, c.lang, c.fixture, c.handler, c.runtime)
			for i := range c.invokes {
				// With spaces, which the clients must escape in their
				// paths (no "/": the RIE's router cannot take "%2F").
				requestID := fmt.Sprintf("req-%d-%s", i, strings.ReplaceAll(name, "/", " "))
				status, body := invoke(t, url, requestID, i%2 == 1)
				if status != c.want.status {
					t.Fatalf("invoke %d: status %d %q, want %d", i, status, body, c.want.status)
				}
				c.want.check(t, requestID, body)
			}
		})
	}
}

func pythonSub(t *testing.T, requestID, body string) {
	t.Helper()
	jsonEq(fmt.Sprintf(`{"from":"pkg/handlers.py","rawPath":"/orders/7","requestId":%q}`, requestID))(t, requestID, body)
}

// Check mode loads and resolves the handler as INIT does, without a
// Runtime API: exit 0 and nothing on stdout, or exit 1 and one JSON line.
func TestCheck(t *testing.T) {
	cases := []struct {
		name             string
		lang             *language
		fixture, handler string
		runtime          string
		errorType        string // "": the check passes
		errorMessage     string // "": any
	}{
		{"node/good", node, "node-esm", "index.handler", "", "", ""},
		{"node/good js", node, "node-esm-js", "index.handler", "", "", ""},
		{"node/good cjs callback", node, "node-cjs", "index.cb", "nodejs22.x", "", ""},
		{"node/good nodejs24.x", node, "node-cjs", "index.handler", "nodejs24.x", "", ""},
		{"node/missing module", node, "node-esm", "missing.handler", "", "Runtime.ImportModuleError", ""},
		{"node/missing export", node, "node-esm", "index.nope", "", "Runtime.HandlerNotFound", "index.nope is undefined or not exported"},
		{"node/syntax", node, "node-syntax", "index.handler", "", "Runtime.UserCodeSyntaxError", ""},
		{"node/init throws", node, "node-init-throw", "index.handler", "", "Error", "no database configured"},
		{"node/malformed", node, "node-esm", "index", "", "Runtime.MalformedHandlerName", "Bad handler"},
		{"node/callback nodejs24.x", node, "node-cjs", "index.cb", "nodejs24.x", "Runtime.CallbackHandlerDeprecated", ""},
		{"node/callback AWS_EXECUTION_ENV nodejs24.x", node, "node-cjs", "index.cb", "AWS_Lambda_nodejs24.x", "Runtime.CallbackHandlerDeprecated", ""},
		{"python/good", python, "python", "lambda_function.handler", "", "", ""},
		{"python/good subfolder", python, "python", "pkg/handlers.handler", "", "", ""},
		{"python/missing module", python, "python", "missing.handler", "", "Runtime.ImportModuleError", "Unable to import module 'missing': No module named 'missing'"},
		{"python/missing export", python, "python", "lambda_function.nope", "", "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'lambda_function'"},
		{"python/syntax", python, "python-syntax", "lambda_function.handler", "", "Runtime.UserCodeSyntaxError", ""},
		{"python/init throws", python, "python-init-throw", "lambda_function.handler", "", "RuntimeError", "no database configured"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			interp, client := c.lang.interpreter(t)
			dir := fixture(t, c.fixture)
			cmd := exec.Command(interp, append(c.lang.flags, client, "--check", c.handler)...)
			cmd.Dir = dir
			cmd.Env = runtimeEnv(dir, c.runtime)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := cmd.ProcessState.ExitCode()
			if c.errorType == "" {
				if err != nil || stdout.Len() != 0 {
					t.Fatalf("exit %d (%v), stdout %q, stderr %q; want exit 0 and no output", code, err, stdout.String(), stderr.String())
				}
				return
			}
			if code != 1 || !bytes.HasSuffix(stdout.Bytes(), []byte("\n")) || bytes.Count(stdout.Bytes(), []byte("\n")) != 1 {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and one line", code, stdout.String(), stderr.String())
			}
			var got map[string]string
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("stdout %q: %v", stdout.String(), err)
			}
			if len(got) != 2 || got["errorType"] != c.errorType || got["errorMessage"] == "" ||
				c.errorMessage != "" && got["errorMessage"] != c.errorMessage {
				t.Errorf("stdout %q, want errorType %q errorMessage %q", stdout.String(), c.errorType, c.errorMessage)
			}
		})
	}
}
