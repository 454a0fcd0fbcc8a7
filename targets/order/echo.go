package order

import (
	"encoding/json"
	"net/http"
	"strings"
)

// EchoPath is the echo route, for tests and for scenarios of requests
// other than orders: a request of any method whose path is EchoPath or
// starts with EchoPath + "/" is answered 200 with its Echo as JSON.
const EchoPath = "/echo"

// ApplicationJSON is the content type of the echo route's answers.
const ApplicationJSON = "application/json"

// Echo is the echo route's answer: the request as the application read it.
// A body that is not UTF-8 has its bad bytes replaced by U+FFFD, as
// encoding/json writes strings.
type Echo struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Query   string            `json:"query"`
	Params  map[string]string `json:"params"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

func isEcho(path string) bool {
	return path == EchoPath || strings.HasPrefix(path, EchoPath+"/")
}

// echo answers r with its Echo.
func echo(r Request) (status int, contentType, respBody string) {
	b, err := json.Marshal(Echo{Method: r.Method, Path: r.Path, Query: r.Query, Params: r.Params, Headers: r.Header, Body: string(r.Body)})
	if err != nil { // strings and maps of strings always marshal
		return http.StatusInternalServerError, TextPlain, "Internal Server Error"
	}
	return http.StatusOK, ApplicationJSON, string(b)
}

// fromHTTP is the Request of the server's r, without its body: what a
// Function URL event would carry of it. The Host header, which net/http
// keeps apart, is among the headers, as in the event; the event's
// X-Forwarded-For and X-Forwarded-Proto, which the Function URL adds, are
// not.
func fromHTTP(r *http.Request) Request {
	header := make(map[string]string, len(r.Header)+1)
	for k, vs := range r.Header {
		sep := ","
		if k == "Cookie" {
			sep = "; "
		}
		header[strings.ToLower(k)] = strings.Join(vs, sep)
	}
	header["host"] = r.Host
	req := Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: header}
	if r.URL.RawQuery != "" {
		values := r.URL.Query()
		req.Params = make(map[string]string, len(values))
		for k, vs := range values {
			req.Params[k] = strings.Join(vs, ",")
		}
	}
	return req
}
