package scenario_test

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/order"
)

func TestRequestDefault(t *testing.T) {
	s, err := scenario.Parse("x.yaml", []byte(idle), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Request, scenario.Requests{}) {
		t.Errorf("Request without a section = %+v, want the zero Requests", s.Request)
	}
	want := scenario.Request{
		Method: "POST", Path: "/order",
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   []byte(scenario.DefaultBody),
	}
	if all := s.Request.All(); len(all) != 1 || !reflect.DeepEqual(all[0], want) {
		t.Errorf("All() = %+v, want [%+v]", all, want)
	}
	if got := s.Request.First(); !reflect.DeepEqual(got, want) {
		t.Errorf("First() = %+v", got)
	}
	// Each call returns its own request: changing one changes no other.
	a := scenario.DefaultRequest()
	a.Header.Set("X", "1")
	a.Body[0] = '['
	if b := scenario.DefaultRequest(); b.Header.Get("X") != "" || string(b.Body) != scenario.DefaultBody {
		t.Errorf("DefaultRequest shares its header or body: %+v", b)
	}
}

// TestDefaultRequestIsAnOrder checks that the targets create an order for
// the default request.
func TestDefaultRequestIsAnOrder(t *testing.T) {
	r := scenario.DefaultRequest()
	if status, _, body := order.Handle(order.Request{Method: r.Method, Path: r.Path, Body: r.Body}); status != http.StatusCreated {
		t.Errorf("%s %s %s answered %d %q", r.Method, r.Path, r.Body, status, body)
	}
}

func TestRequestInline(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      scenario.Request
	}{
		{"everything", "request:\n  method: PUT\n  path: /echo/x?a=1&b=two\n  headers:\n    X-Custom: yes\n    accept: [a, b]\n    X-Num: 3\n  body: hello\n",
			scenario.Request{Method: "PUT", Path: "/echo/x?a=1&b=two",
				Header: http.Header{"X-Custom": {"yes"}, "accept": {"a", "b"}, "X-Num": {"3"}}, Body: []byte("hello")}},
		{"method alone keeps the order", "request: {method: PUT}\n",
			scenario.Request{Method: "PUT", Path: "/order", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(scenario.DefaultBody)}},
		{"a body brings no content type", "request: {path: /echo, body: '{}'}\n",
			scenario.Request{Method: "POST", Path: "/echo", Body: []byte("{}")}},
		{"empty body is none", "request: {method: GET, path: /echo, body: ''}\n",
			scenario.Request{Method: "GET", Path: "/echo"}},
		{"a content type of the headers wins", "request: {headers: {content-type: text/plain}}\n",
			scenario.Request{Method: "POST", Path: "/order", Header: http.Header{"content-type": {"text/plain"}}, Body: []byte(scenario.DefaultBody)}},
		{"block body", "request:\n  body: |\n    {\"item\": \"tea\"}\n",
			scenario.Request{Method: "POST", Path: "/order", Body: []byte("{\"item\": \"tea\"}\n")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tc.src+idle), all.Specs())
			if err != nil {
				t.Fatal(err)
			}
			want := scenario.Requests{List: []scenario.Request{tc.want}}
			if !reflect.DeepEqual(s.Request, want) {
				t.Errorf("got  %+v\nwant %+v", s.Request, want)
			}
		})
	}
	s, err := scenario.Parse("x.yaml", []byte("request:\n"+idle), all.Specs())
	if err != nil || !reflect.DeepEqual(s.Request, scenario.Requests{}) {
		t.Errorf("empty section: %+v, %v; want the zero Requests", s, err)
	}
}

func TestRequestErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"not a mapping", "request: GET /\n", `x.yaml:1: request must be a mapping of keys to values, not the string "GET /"`},
		{"unknown key", "request:\n  methd: GET\n", `x.yaml:2: unknown key "methd" in request (did you mean "method"?)`},
		{"bad method", "request:\n  method: PURGE\n",
			`x.yaml:2: request.method: unknown method "PURGE"; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, the methods a Function URL takes`},
		{"method typo", "request: {method: PTU}\n", `x.yaml:1: request.method: unknown method "PTU" (did you mean "PUT"?)`},
		{"method lower case", "request: {method: put}\n", `x.yaml:1: request.method: methods are written in capitals; write PUT, not put`},
		{"method list", "request: {method: [GET]}\n", `x.yaml:1: request.method must be a string, not a list`},
		{"path without /", "request:\n  path: order\n", `x.yaml:2: request.path: "order" must start with /; write /order`},
		{"path a URL", "request: {path: 'http://localhost/order'}\n",
			`x.yaml:1: request.path: "http://localhost/order" is a URL; write only its path and query, such as /order?x=1: the scheme and host are the target's`},
		{"path with a space", "request: {path: /a b}\n", `x.yaml:1: request.path: "/a b" has a space or a control character; escape it, a space as %20`},
		{"path with a fragment", "request: {path: '/a#b'}\n", `x.yaml:1: request.path: "/a#b" has a #fragment, which is never sent; remove it (or write # as %23)`},
		{"header twice", "request:\n  headers:\n    X-A: 1\n    x-a: 2\n",
			`x.yaml:4: request.headers: x-a given twice (first at line 3; names are case-insensitive); give one name a list of values, such as x-a: [a, b]`},
		{"header name", "request:\n  headers: {'X A': 1}\n", "x.yaml:2: request.headers: \"X A\" is not a header name; use letters, digits and !#$%&'*+-.^_`|~"},
		{"content length", "request:\n  headers: {Content-Length: 3}\n", `x.yaml:2: request.headers: Content-Length is set by the HTTP client from the body; remove it`},
		{"header empty list", "request:\n  headers: {X-A: []}\n", `x.yaml:2: request.headers.X-A is an empty list; give at least one value, or remove X-A`},
		{"header value mapping", "request:\n  headers:\n    X-A: {b: c}\n", `x.yaml:3: request.headers.X-A must be a string, not a mapping`},
		{"header value newline", "request:\n  headers:\n    X-A: \"a\\nb\"\n", `x.yaml:3: request.headers.X-A: "a\nb" has a control character, which no header value may have; remove it`},
		{"body null", "request:\n  body:\n", `x.yaml:2: request.body must be a string, not empty`},
		{"body and targets_file", "request:\n  targets_file: t.txt\n  body: '{}'\n",
			`x.yaml:3: request: body and targets_file exclude each other: a targets file gives whole requests (method and URL, header lines, an @body line); remove body, or targets_file`},
		{"method and targets_file", "request: {method: GET, targets_file: t.txt}\n",
			`x.yaml:1: request: method and targets_file exclude each other: a targets file gives whole requests (method and URL, header lines, an @body line); remove method, or targets_file`},
		{"missing targets file", "request:\n  targets_file: testdata/missing.txt\n",
			`x.yaml:2: request.targets_file: testdata/missing.txt: no such file or directory; the path is relative to the scenario file's folder (.)`},
		{"targets file a folder", "request: {targets_file: testdata}\n", `x.yaml:1: request.targets_file: testdata is not a regular file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tc.src+idle), all.Specs())
			if err == nil {
				t.Fatalf("no error; got %+v", s.Request)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// writeFiles writes name → content under a new folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRequestTargetsFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"s/scenario.yaml": "request:\n  targets_file: reqs/targets.txt\n" + idle,
		// The @body path is relative to the scenario file, not to the
		// targets file or the working directory.
		"s/reqs/targets.txt": "# three requests\n" +
			"GET http://example.com/echo/one?a=1\n" +
			"X-Custom: yes\n" +
			"X-Custom: again\n" +
			"\n" +
			"PUT https://ignored:8443/echo/two\n" +
			"Content-Type: application/json\n" +
			"@bodies/two.json\n" +
			"DELETE /echo/three\n",
		"s/bodies/two.json": `{"n":2}`,
	})
	s, err := scenario.Load(filepath.Join(dir, "s", "scenario.yaml"), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	want := scenario.Requests{TargetsFile: "reqs/targets.txt", List: []scenario.Request{
		{Method: "GET", Path: "/echo/one?a=1", Header: http.Header{"X-Custom": {"yes", "again"}}},
		{Method: "PUT", Path: "/echo/two", Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"n":2}`)},
		{Method: "DELETE", Path: "/echo/three"},
	}}
	if !reflect.DeepEqual(s.Request, want) {
		t.Errorf("got  %+v\nwant %+v", s.Request, want)
	}
	if got := s.Request.First(); got.Path != "/echo/one?a=1" {
		t.Errorf("First() = %+v", got)
	}
}

func TestRequestTargetsFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"bad method", "PURGE http://x/a\n", `T:1: unknown method "PURGE"; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, the methods a Function URL takes`},
		{"lower-case method", "\n\nget http://x/a\n", `T:3: methods are written in capitals; write GET, not get`},
		{"no method", "http://x/a\n", `T:1: "http://x/a" has no method; write it before the URL, such as GET http://x/a`},
		{"header without a colon", "GET http://x/a\nX-Custom yes\n", `T:2: header line "X-Custom yes" has no colon; write Name: value, or end the request above with a blank line`},
		{"header without a value", "GET http://x/a\nX-Custom:\n", `T:2: header line "X-Custom:" needs a name and a value, such as X-Custom: yes (vegeta takes no empty value)`},
		{"header after a blank line", "GET http://x/a\n\nX-Custom: yes\n",
			`T:3: "X-Custom: yes" is not a request line METHOD URL; if it is a header, put it right under its request line or its other headers, with no blank line between`},
		{"request after headers", "GET http://x/a\nX-A: 1\nGET http://x/b\n",
			`T:3: "GET http://x/b" starts a request right after a header without a blank line between them; vegeta reads it as a header: put a blank line before it`},
		{"header after the body", "POST http://x/a\n@b.json\nX-A: 1\n", `T:3: header line "X-A: 1" after the @body line (line 2), which ends a request; move it above the @ line`},
		{"missing body", "POST http://x/a\n@nope.json\n", `T:2: body file: D/nope.json: no such file or directory; the path is relative to the scenario file's folder (D)`},
		{"empty @", "POST http://x/a\n@\n", `T:2: @ names no body file; write @path/to/body, relative to the scenario file's folder`},
		{"bad URL", "GET http://[::1/a\n", `T:1: bad URL "http://[::1/a": missing ']' in host; write http://localhost/path?query (only the path and query are kept)`},
		{"URL and more", "GET http://x/a HTTP/1.1\n", `T:1: "GET http://x/a HTTP/1.1": nothing may follow the URL, and a URL has no spaces (write a space in it as %20)`},
		{"two spaces", "GET  http://x/a\n", `T:1: "GET  http://x/a": write one space between the method and the URL`},
		{"not http", "GET ftp://x/a\n", `T:1: URL "ftp://x/a" is not an http or https URL; write http://localhost/path?query (only the path and query are kept)`},
		{"transfer encoding", "GET http://x/a\nTransfer-Encoding: chunked\n", `T:2: Transfer-Encoding is set by the HTTP client from the body; remove it`},
		{"empty", "# nothing\n\n", `T: holds no request; write at least one line METHOD URL, such as GET http://localhost/order`},
		{"several", "PURGE http://x/a\nX-A: 1\n\nGET http://x/b\nbad\n", "T:1: unknown method \"PURGE\"; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, the methods a Function URL takes\n" +
			"S:3: request.targets_file: T:5: header line \"bad\" has no colon; write Name: value, or end the request above with a blank line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"s.yaml":      "phases: [{duration: 1s, shape: idle}]\nrequest:\n  targets_file: t.txt\n",
				"t.txt":       tc.file,
				"b.json":      "{}",
				"sub/c.json":  "{}",
				"unused.json": "",
			})
			_, err := scenario.Load(filepath.Join(dir, "s.yaml"), all.Specs())
			var es scenario.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v, want scenario.Errors", err)
			}
			got := strings.NewReplacer(filepath.Join(dir, "s.yaml"), "S", filepath.Join(dir, "t.txt"), "T", dir, "D").Replace(err.Error())
			if want := "S:3: request.targets_file: " + tc.want; got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}
