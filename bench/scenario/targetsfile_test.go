package scenario

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
	"gopkg.in/yaml.v3"
)

// vegetaRead reads a targets file with vegeta's own parser, the requests
// as parseTargets keeps them: path and query only, no empty header.
func vegetaRead(t *testing.T, data []byte) ([]Request, error) {
	t.Helper()
	tgts, err := vegeta.ReadAllTargets(vegeta.NewHTTPTargeter(bytes.NewReader(data), nil, nil))
	if err != nil {
		return nil, err
	}
	reqs := make([]Request, len(tgts))
	for i, tg := range tgts {
		u, err := url.ParseRequestURI(tg.URL)
		if err != nil {
			t.Fatalf("vegeta took the URL %q: %v", tg.URL, err)
		}
		reqs[i] = Request{Method: tg.Method, Path: u.RequestURI(), Body: tg.Body}
		if len(tg.Header) > 0 {
			reqs[i].Header = tg.Header
		}
	}
	return reqs, nil
}

// TestTargetsAsVegeta checks that parseTargets reads valid targets files
// as vegeta's NewHTTPTargeter does, its quirks included.
func TestTargetsAsVegeta(t *testing.T) {
	body := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(body, []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{
		"GET http://localhost/a\n",
		"GET http://localhost/a\nGET http://localhost/b?x=1&y\n", // a request line right after one: the next request
		"# c\n\n  GET http://h:1/a  \n\tx-lower: keeps its case\nX-Time: 12:30:00\nX-Time: 2\n\n\n# between\nPOST http://h/b\n",
		"GET http://h/a\n# a comment among the headers\nX-A: 1\n",
		"GET http://h/a\r\nX-A: 1\r\n\r\nGET http://h/b\r\n", // CRLF
		"POST http://h/order\nContent-Type: application/json\n@" + body + "\nGET http://h/b\n",
		"DELETE /bare/path\n\nOPTIONS http://h\n", // no path is /
		"GET http://h/%7Euser/a%20b?q=%C3%A9\n",
		"HEAD https://h/a\n   \nPATCH http://h/b\n", // a line of spaces ends a request
	} {
		want, err := vegetaRead(t, []byte(file))
		if err != nil {
			t.Fatalf("vegeta rejects %q: %v", file, err)
		}
		got, errs := parseTargets([]byte(file), func(name string) ([]byte, error) { return os.ReadFile(name) })
		if len(errs) > 0 {
			t.Errorf("%q: %v", file, errs)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\ngot  %+v\nwant %+v (vegeta)", file, got, want)
		}
	}
}

// TestTargetsMistakesVegetaGetsWrong shows why parseTargets refuses a
// request line right after a header: vegeta sends it as a header.
func TestTargetsMistakesVegetaGetsWrong(t *testing.T) {
	const file = "GET http://h/a\nX-A: 1\nGET http://h/b\n"
	reqs, err := vegetaRead(t, []byte(file))
	if err != nil || len(reqs) != 1 || reqs[0].Header.Get("GET http") != "//h/b" {
		t.Fatalf("vegeta now reads %q as %+v, %v; parseTargets can take it", file, reqs, err)
	}
	if _, errs := parseTargets([]byte(file), nil); len(errs) != 1 || errs[0].line != 3 {
		t.Errorf("parseTargets: %v, want a mistake at line 3", errs)
	}
}

func FuzzTargets(f *testing.F) {
	for _, s := range []string{
		"GET http://localhost/a\n", "GET http://localhost/a\nX-A: 1\n\nPUT /b?c=d\n@body\n",
		"GET http://h/a\nGET http://h/b\n", "# c\nGET http://h/a\n# d\nX: y\nGET http://h/b\n",
		"get http://h/\n", "GET  http://h/\n", "GET http://h/ HTTP/1.1\n", "GET http://[::1/\n", "X-A: 1\n",
		"POST http://h/\n@\n", "POST http://h/\n@b\nX: 1\n", "GET ftp://h/\n", "GET http://h/#f\n", "\uFEFFGET /\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reqs, errs := parseTargets(data, func(name string) ([]byte, error) { return []byte(name), nil })
		if len(errs) > 0 {
			if reqs != nil {
				t.Fatalf("requests and mistakes: %v", errs)
			}
			for _, e := range errs {
				if e.line < 0 || e.msg == "" || e.line == 0 && len(errs) > 1 {
					t.Fatalf("mistake %+v", e)
				}
			}
			return
		}
		for _, r := range reqs {
			if checkMethod(r.Method) != "" || !strings.HasPrefix(r.Path, "/") {
				t.Fatalf("invalid request %+v", r)
			}
			if _, err := url.ParseRequestURI("http://h" + r.Path); err != nil {
				t.Fatalf("path %q: %v", r.Path, err)
			}
		}
		// What parseTargets takes vegeta takes, and reads the same, but
		// for the @body paths it resolves elsewhere and what vegeta's
		// scanner cannot read.
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "@") || len(line) > 60_000 {
				return
			}
		}
		if bytes.HasPrefix(data, []byte("\uFEFF")) {
			return
		}
		want, err := vegetaRead(t, data)
		if err != nil {
			t.Fatalf("parseTargets takes %q, vegeta does not: %v", data, err)
		}
		if !reflect.DeepEqual(reqs, want) {
			t.Fatalf("%q:\ngot  %+v\nwant %+v (vegeta)", data, reqs, want)
		}
	})
}

func FuzzRequest(f *testing.F) {
	for _, s := range []string{
		"{}", "method: PUT", "{method: GET, path: /echo?a=1, body: ''}", "headers: {X-A: [1, 2], content-type: text/plain}",
		"path: /order\nbody: |\n  {\"a\": 1}\n", "method: put", "path: order", "headers: {Content-Length: 1}",
		"{body: x, targets_file: t.txt}", "targets_file: testdata/missing.txt", "headers: {X-A: [], x-a: 1}", "body:",
	} {
		f.Add([]byte(s))
	}
	const path = "request.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		n, ok := yamlValue(data)
		if !ok {
			return
		}
		p := &Parser{path: path}
		rs := p.Request(n, "request")
		if len(p.errs) > 0 {
			checkErrors(t, path, p.errs)
			return
		}
		for _, r := range rs.All() {
			if checkMethod(r.Method) != "" || checkPath(r.Path) != "" {
				t.Fatalf("invalid request %+v", r)
			}
			for k, vs := range r.Header {
				if checkHeaderName(k) != "" || len(vs) == 0 {
					t.Fatalf("invalid header %q: %q", k, vs)
				}
			}
		}
		if len(rs.List) == 0 {
			return
		}
		out, err := yaml.Marshal(formatRequests(rs))
		if err != nil {
			t.Fatal(err)
		}
		n, _ = yamlValue(out)
		p = &Parser{path: path}
		again := p.Request(n, "request")
		if len(p.errs) > 0 {
			t.Fatalf("written back, it does not parse: %v\n%s", p.errs, out)
		}
		if !reflect.DeepEqual(rs, again) {
			t.Errorf("round trip: got %+v, want %+v\n%s", again, rs, out)
		}
	})
}

// TestTargetsFileMistakesCapped checks that a file of mistakes is reported
// in a few lines, not one per line.
func TestTargetsFileMistakesCapped(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.txt"), bytes.Repeat([]byte("nonsense\n\n"), 50), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Parse(filepath.Join(dir, "s.yaml"), []byte("request: {targets_file: t.txt}\nphases: [{duration: 1s, shape: idle}]\n"), nil)
	var es Errors
	if !errors.As(err, &es) || len(es) != maxFileMistakes+1 {
		t.Fatalf("got %d mistakes, want %d: %v", len(es), maxFileMistakes+1, err)
	}
	if last := es[len(es)-1].Msg; !strings.HasSuffix(last, "40 more mistakes in "+filepath.Join(dir, "t.txt")) {
		t.Errorf("last mistake %q", last)
	}
}
