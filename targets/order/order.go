package order

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Path is the order route, POST only. The application also serves the
// echo route, EchoPath.
const Path = "/order"

// Created is the body of a successful order.
const Created = "Order created!"

// TextPlain is the content type of every answer but the echo route's.
const TextPlain = "text/plain; charset=utf-8"

// MaxBodyBytes bounds the request body Handler reads.
const MaxBodyBytes = 1 << 20

// Request is what the application reads of an HTTP request. Both targets
// make it alike: the server from the HTTP request (see Handler), the
// function from its Function URL event, which carries the same.
type Request struct {
	Method string
	Path   string // escaped, as it was sent (the event's rawPath)
	Query  string // the raw query string, without the ?
	// Params are the query's parameters, the values of one given several
	// times joined by commas (the event's queryStringParameters).
	Params map[string]string
	// Header has lower-case names; the values of a header given several
	// times are joined by commas, but cookies by "; ", as Function URLs
	// deliver them.
	Header map[string]string
	Body   []byte
}

// Handle is the application: it answers one request. It does no Work; see
// Work.Serve.
func Handle(r Request) (status int, contentType, respBody string) {
	switch {
	case isEcho(r.Path):
		return echo(r)
	case r.Path != Path:
		return http.StatusNotFound, TextPlain, "Not Found"
	case r.Method != http.MethodPost:
		return http.StatusMethodNotAllowed, TextPlain, "Method Not Allowed"
	case !isJSONObject(r.Body):
		return http.StatusBadRequest, TextPlain, "Bad Request: body must be a JSON object"
	}
	return http.StatusCreated, TextPlain, Created
}

// routed reports whether the application serves r on one of its routes,
// rather than refusing it (404, 405): the order route and the echo route.
func routed(r Request) bool {
	return r.Path == Path && r.Method == http.MethodPost || isEcho(r.Path)
}

// isJSONObject reports whether b is a valid JSON text whose value is an
// object.
func isJSONObject(b []byte) bool {
	for i, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return json.Valid(b[i:])
		}
		return false
	}
	return false
}

// Handler returns the application as a net/http handler that does the
// request work of w for each request it routes (see Work.Serve).
func Handler(w Work) http.Handler {
	return handler{w}
}

type handler struct{ work Work }

func (h handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	req := fromHTTP(r)
	if routed(req) {
		b, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxBodyBytes))
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			http.Error(rw, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
			return
		} else if err != nil {
			http.Error(rw, "Bad Request", http.StatusBadRequest)
			return
		}
		req.Body = b
	}
	status, ctype, resp := h.work.Serve(req)
	hdr := rw.Header()
	hdr["Content-Type"] = []string{ctype}
	hdr["Content-Length"] = []string{strconv.Itoa(len(resp))}
	if status == http.StatusMethodNotAllowed {
		hdr["Allow"] = []string{http.MethodPost}
	}
	rw.WriteHeader(status)
	io.WriteString(rw, resp)
}
