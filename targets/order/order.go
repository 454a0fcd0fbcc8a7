package order

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Path is the only route the application serves.
const Path = "/order"

// Created is the body of a successful order.
const Created = "Order created!"

// TextPlain is the content type of every answer.
const TextPlain = "text/plain; charset=utf-8"

// MaxBodyBytes bounds the request body Handler reads.
const MaxBodyBytes = 1 << 20

// Handle is the application: it answers one request given its method, path
// and body. It does no Work; see Work.Serve.
func Handle(method, path string, body []byte) (status int, contentType, respBody string) {
	switch {
	case path != Path:
		return http.StatusNotFound, TextPlain, "Not Found"
	case method != http.MethodPost:
		return http.StatusMethodNotAllowed, TextPlain, "Method Not Allowed"
	case !isJSONObject(body):
		return http.StatusBadRequest, TextPlain, "Bad Request: body must be a JSON object"
	}
	return http.StatusCreated, TextPlain, Created
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
// request work of w for each order request.
func Handler(w Work) http.Handler {
	return handler{w}
}

type handler struct{ work Work }

func (h handler) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.URL.Path == Path && r.Method == http.MethodPost {
		b, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxBodyBytes))
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			http.Error(rw, "Request Entity Too Large", http.StatusRequestEntityTooLarge)
			return
		} else if err != nil {
			http.Error(rw, "Bad Request", http.StatusBadRequest)
			return
		}
		body = b
	}
	status, ctype, resp := h.work.Serve(r.Method, r.URL.Path, body)
	hdr := rw.Header()
	hdr["Content-Type"] = []string{ctype}
	hdr["Content-Length"] = []string{strconv.Itoa(len(resp))}
	if status == http.StatusMethodNotAllowed {
		hdr["Allow"] = []string{http.MethodPost}
	}
	rw.WriteHeader(status)
	io.WriteString(rw, resp)
}
