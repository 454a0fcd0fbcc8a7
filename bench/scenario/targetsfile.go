package scenario

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// fileMistake is a mistake in a targets file; line is 0 for the file as a
// whole.
type fileMistake struct {
	line int
	msg  string
}

// parseTargets reads a vegeta targets file in vegeta's http format, as
// vegeta's NewHTTPTargeter (lib/targets.go) reads it:
//
//	# a comment
//	GET http://localhost/echo/a?x=1
//	X-Custom: yes
//	X-Custom: again
//
//	POST http://localhost/order
//	Content-Type: application/json
//	@bodies/order.json
//
// A request is a line METHOD URL, then header lines Name: value, then
// optionally a line @path naming the file of its body, which ends it; a
// blank line ends it too. Blank lines and lines starting with # between
// requests are skipped, and # lines between the headers too. Header names
// keep their case, as vegeta keeps them.
//
// It differs from vegeta in three ways:
//
//   - Only the path and query of each URL are kept: the attack sends them
//     to the base URL of each target, so the scheme and host in the file
//     do not matter, and a bare path (GET /order) is as good.
//   - The path of an @body file is relative to the scenario file's folder
//     (vegeta's is relative to its working directory); readBody reads it.
//   - What vegeta would send wrong, or not at all, is a mistake here: a
//     request line right after headers (vegeta takes it for a header), a
//     header line after the @body line (vegeta takes it for a request and
//     stops), a method a Function URL does not take, a URL with a space or
//     a #fragment, a header name that is not an HTTP token,
//     Content-Length and Transfer-Encoding.
//
// It returns every mistake it finds, each at its line, and the requests
// only if there is none.
func parseTargets(data []byte, readBody func(name string) ([]byte, error)) ([]Request, []fileMistake) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var (
		reqs []Request
		errs []fileMistake
		// cur is the request whose header lines are being read, or skip
		// after a request line that is a mistake; nil between requests.
		cur  *Request
		skip = &Request{}
		// fresh says the line before was cur's request line: vegeta takes
		// a request line there for the next request, but after a header
		// or a comment for a header.
		fresh bool
		// bodyLine is the @body line that ended the last request, if
		// nothing came between it and this line.
		bodyLine int
	)
	errorf := func(line int, format string, args ...any) {
		errs = append(errs, fileMistake{line, fmt.Sprintf(format, args...)})
	}
	for i, raw := range strings.Split(string(data), "\n") {
		num, line := i+1, strings.TrimSpace(raw)
		if cur != nil {
			wasFresh := fresh
			fresh = false
			switch {
			case line == "":
				cur = nil
				continue
			case line[0] == '#':
				continue
			case startsWithMethod(line) && (wasFresh || cur == skip):
				cur = nil // the next request: read below
			case startsWithMethod(line):
				errorf(num, "%q starts a request right after a header without a blank line between them; "+
					"vegeta reads it as a header: put a blank line before it", line)
				cur = skip
				continue
			case line[0] == '@':
				if cur != skip {
					cur.Body = targetBody(num, line[1:], readBody, errorf)
				}
				cur, bodyLine = nil, num
				continue
			default:
				if cur == skip {
					continue // a header of a request line already reported
				}
				name, value, msg := headerLine(line)
				if msg != "" {
					errorf(num, "%s", msg)
					continue
				}
				if cur.Header == nil {
					cur.Header = http.Header{}
				}
				cur.Header[name] = append(cur.Header[name], value)
				continue
			}
		}
		switch {
		case line == "":
			bodyLine = 0
			continue
		case line[0] == '#':
			continue
		case bodyLine > 0 && !startsWithMethod(line) && strings.Contains(line, ":") && !strings.Contains(line, "://"):
			errorf(num, "header line %q after the @body line (line %d), which ends a request; move it above the @ line", line, bodyLine)
			continue
		}
		bodyLine = 0
		r, msg := requestLine(line)
		if msg != "" {
			errorf(num, "%s", msg)
			cur = skip // its header lines would be mistakes too
			continue
		}
		if len(reqs) == maxTargets {
			errorf(num, "more than %d requests; use fewer", maxTargets)
			break
		}
		reqs = append(reqs, r)
		cur, fresh = &reqs[len(reqs)-1], true
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(reqs) == 0 {
		return nil, []fileMistake{{0, "holds no request; write at least one line METHOD URL, such as GET http://localhost/order"}}
	}
	return reqs, nil
}

// startsWithMethod reports whether line starts with a word in capitals and
// a space, as vegeta tells a request line from a header line (where it
// does: right after a request line, not after a header).
func startsWithMethod(line string) bool {
	i := strings.IndexFunc(line, func(r rune) bool { return r < 'A' || r > 'Z' })
	return i > 0 && strings.IndexByte(" \t\n\f\r", line[i]) >= 0 // vegeta's ^[A-Z]+\s
}

// requestLine reads a line METHOD URL, returning the request or what is
// wrong with the line.
func requestLine(line string) (Request, string) {
	method, rawURL, ok := strings.Cut(line, " ")
	switch {
	case strings.Contains(method, "://") || strings.HasPrefix(method, "/"):
		return Request{}, fmt.Sprintf("%q has no method; write it before the URL, such as GET %s", line, method)
	case strings.Contains(method, ":"):
		return Request{}, fmt.Sprintf("%q is not a request line METHOD URL; "+
			"if it is a header, put it right under its request line or its other headers, with no blank line between", line)
	case !ok:
		return Request{}, fmt.Sprintf("%q is not a request line; write METHOD URL, such as GET http://localhost/order", line)
	}
	if msg := checkMethod(method); msg != "" {
		return Request{}, msg
	}
	switch {
	case rawURL == "" || rawURL[0] == ' ' || rawURL[0] == '\t':
		return Request{}, fmt.Sprintf("%q: write one space between the method and the URL", line)
	case strings.ContainsAny(rawURL, " \t"):
		return Request{}, fmt.Sprintf("%q: nothing may follow the URL, and a URL has no spaces (write a space in it as %%20)", line)
	case strings.Contains(rawURL, "#"):
		return Request{}, fmt.Sprintf("URL %q has a #fragment, which is never sent; remove it (or write # as %%23)", rawURL)
	}
	u, err := url.ParseRequestURI(rawURL)
	if err != nil {
		return Request{}, fmt.Sprintf("bad URL %q: %v; write http://localhost/path?query (only the path and query are kept)", rawURL, UnwrapURLError(err))
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" {
		return Request{}, fmt.Sprintf("URL %q is not an http or https URL; write http://localhost/path?query (only the path and query are kept)", rawURL)
	}
	path := u.RequestURI()
	if !strings.HasPrefix(path, "/") {
		return Request{}, fmt.Sprintf("URL %q has no path; write http://localhost/path?query, or /path?query", rawURL)
	}
	return Request{Method: method, Path: path}, ""
}

// headerLine reads a line Name: value, as vegeta does (neither may be
// empty), returning it or what is wrong with it.
func headerLine(line string) (name, value, msg string) {
	name, value, ok := strings.Cut(line, ":")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	switch {
	case !ok:
		return "", "", fmt.Sprintf("header line %q has no colon; write Name: value, or end the request above with a blank line", line)
	case name == "" || value == "":
		return "", "", fmt.Sprintf("header line %q needs a name and a value, such as X-Custom: yes (vegeta takes no empty value)", line)
	}
	if msg := checkHeaderName(name); msg != "" {
		return "", "", msg
	}
	if msg := checkHeaderValue(value); msg != "" {
		return "", "", msg
	}
	return name, value, ""
}

// targetBody reads the body file named on the @ line num.
func targetBody(num int, name string, readBody func(string) ([]byte, error), errorf func(int, string, ...any)) []byte {
	if name = strings.TrimSpace(name); name == "" {
		errorf(num, "@ names no body file; write @path/to/body, relative to the scenario file's folder")
		return nil
	}
	b, err := readBody(name)
	if err != nil {
		errorf(num, "body file: %v", err)
		return nil
	}
	return b
}
