package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/order"
)

// Request is one HTTP request of a scenario, relative to a target: it is
// sent to the target's base URL followed by Path. Treat it as read-only;
// the attack shares its Header and Body between the requests it sends.
type Request struct {
	Method string // one of Methods
	// Path is the path and query string, starting with /, appended to the
	// target's base URL as it is written.
	Path string
	// Header is sent as given: its names are not canonicalized, as vegeta
	// keeps those of a targets file. Nil for none.
	Header http.Header
	Body   []byte // nil for none
}

// Requests are the requests an attack sends to one target, in turn: the
// n'th request it sends is List[n % len(List)]. The zero value sends
// DefaultRequest. It is a value a scenario can hang on each target.
//
// A scenario's request section gives them. It is either a request written
// out, every key optional,
//
//	request:
//	  method: PUT                # one of Methods; default POST
//	  path: /echo/x?a=1          # path and query, starting with /; default /order
//	  headers:                   # name: value, or name: [value, value]; default none
//	    X-Custom: "yes"
//	  body: '{"item":"tea"}'     # default DefaultBody, with Content-Type: application/json
//	                             # unless headers set a Content-Type; '' for none
//
// or a vegeta targets file in vegeta's http format, whose requests are sent
// in turn; the other keys are then mistakes:
//
//	request:
//	  targets_file: requests.txt # relative to the scenario file's folder
//
// In a targets file, only the path and query of each URL are kept, and the
// @body files are relative to the scenario file's folder too; see
// parseTargets in targetsfile.go for the format and how it differs from
// vegeta's reading of it.
type Requests struct {
	List []Request
	// TargetsFile is the vegeta targets file List was read from, as the
	// scenario names it (relative to the scenario's folder); "" if the
	// request was written in the scenario.
	TargetsFile string
}

// DefaultBody is the order the default request carries.
const DefaultBody = `{"item":"coffee","quantity":1}`

// DefaultRequest is the request of a scenario without a request section:
// POST /order (order.Path, the order route of both targets) with
// DefaultBody as JSON. Each call returns a new Request.
func DefaultRequest() Request {
	return Request{
		Method: http.MethodPost,
		Path:   order.Path,
		Header: http.Header{"Content-Type": []string{"application/json"}},
		Body:   []byte(DefaultBody),
	}
}

// All returns the requests to send in turn: List, or DefaultRequest alone
// if List is empty.
func (rs Requests) All() []Request {
	if len(rs.List) == 0 {
		return []Request{DefaultRequest()}
	}
	return rs.List
}

// First returns the first request of All, the one a probe sends.
func (rs Requests) First() Request { return rs.All()[0] }

// Methods are the HTTP methods a request may have: those a Lambda Function
// URL takes.
func Methods() []string {
	return []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
}

// Limits of requests.
const (
	maxBodyBytes        = lambda.MaxPayloadBytes // a larger body the Lambda target refuses outright
	maxTargetsFileBytes = 16 << 20
	maxTargetsBodyBytes = 64 << 20 // of all the distinct @body files of a targets file
	maxTargets          = 100_000
	maxFileMistakes     = 10 // reported of one targets file; the rest are counted
)

// Request reads a Request section n (see Requests), which may be nil,
// naming it what in messages: "Request" at the top level, and so
// "targets.<name>.Request" for a target's own. A section without keys is
// the zero Requests, the default.
func (p *Parser) Request(n *yaml.Node, what string) Requests {
	m := p.Mapping(n, what)
	if m == nil {
		return Requests{}
	}
	f := p.Fields(m, "in "+what, RequestKeys()...)
	if tf := f["targets_file"].Value; tf != nil {
		for _, k := range []string{"method", "path", "headers", "body"} {
			if e, given := f[k]; given {
				p.Errorf(e.Key, "%s: %s and targets_file exclude each other: a targets file gives whole requests "+
					"(method and URL, header lines, an @body line); remove %s, or targets_file", what, k, k)
				return Requests{}
			}
		}
		return p.targetsFile(tf, what+".targets_file")
	}
	if len(f) == 0 {
		return Requests{}
	}
	r := DefaultRequest()
	if e := f["method"].Value; e != nil {
		if s, ok := p.Str(e, what+".method"); ok {
			if msg := checkMethod(s); msg != "" {
				p.Errorf(e, "%s.method: %s", what, msg)
			} else {
				r.Method = s
			}
		}
	}
	if e := f["path"].Value; e != nil {
		if s, ok := p.Str(e, what+".path"); ok {
			if msg := checkPath(s); msg != "" {
				p.Errorf(e, "%s.path: %s", what, msg)
			} else {
				r.Path = s
			}
		}
	}
	if e := f["headers"].Value; e != nil {
		r.Header = p.headers(e, what+".headers")
	} else {
		r.Header = nil
	}
	if e := f["body"].Value; e != nil {
		r.Body = p.body(e, what+".body")
	} else if !hasHeader(r.Header, "Content-Type") {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header["Content-Type"] = []string{"application/json"}
	}
	return Requests{List: []Request{r}}
}

// body reads a request body: any scalar but an empty one, as its text;
// the empty string is no body, nil.
func (p *Parser) body(n *yaml.Node, what string) []byte {
	if v := Resolve(n); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" && v.Value == "" {
		return nil
	}
	s, ok := p.Str(n, what)
	switch {
	case !ok:
		return nil
	case len(s) > maxBodyBytes:
		p.Errorf(n, "%s is %d bytes, above Lambda's payload limit of %d", what, len(s), maxBodyBytes)
		return nil
	}
	return []byte(s)
}

// headers reads a mapping of header names to a value or a list of values.
func (p *Parser) headers(n *yaml.Node, what string) http.Header {
	m := p.Mapping(n, what)
	if m == nil {
		return nil
	}
	h := http.Header{}
	first := make(map[string]int) // canonical name → line
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.Str(k, "a name in "+what)
		if !ok {
			continue
		}
		canon := http.CanonicalHeaderKey(name)
		if line, dup := first[canon]; dup {
			p.Errorf(k, "%s: %s given twice (first at line %d; names are case-insensitive); "+
				"give one name a list of values, such as %s: [a, b]", what, name, line, name)
			continue
		}
		first[canon] = k.Line
		if msg := checkHeaderName(name); msg != "" {
			p.Errorf(k, "%s: %s", what, msg)
			continue
		}
		var values []*yaml.Node
		if rv := Resolve(v); rv.Kind == yaml.SequenceNode {
			values = rv.Content
			if len(values) == 0 {
				p.Errorf(v, "%s.%s is an empty list; give at least one value, or remove %s", what, name, name)
			}
		} else {
			values = []*yaml.Node{v}
		}
		for _, e := range values {
			s, ok := p.Str(e, what+"."+name)
			if !ok {
				continue
			}
			if msg := checkHeaderValue(s); msg != "" {
				p.Errorf(e, "%s.%s: %s", what, name, msg)
				continue
			}
			h[name] = append(h[name], s)
		}
	}
	return h
}

// hasHeader reports whether h has the header name, whatever the case of
// its key.
func hasHeader(h http.Header, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// checkMethod returns what is wrong with the method m, or "".
func checkMethod(m string) string {
	methods := Methods()
	switch up := strings.ToUpper(m); {
	case slices.Contains(methods, m):
		return ""
	case slices.Contains(methods, up):
		return fmt.Sprintf("methods are written in capitals; write %s, not %s", up, m)
	}
	return fmt.Sprintf("unknown method %q%s", m, DidYouMean(m, "use "+Join(methods, "or")+", the methods a Function URL takes", methods...))
}

// checkPath returns what is wrong with the path and query s, or "".
func checkPath(s string) string {
	switch {
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return fmt.Sprintf("%q is a URL; write only its path and query, such as /order?x=1: the scheme and host are the target's", s)
	case !strings.HasPrefix(s, "/"):
		return fmt.Sprintf("%q must start with /; write /%s", s, s)
	case strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return fmt.Sprintf("%q has a space or a control character; escape it, a space as %%20", s)
	case strings.Contains(s, "#"):
		return fmt.Sprintf("%q has a #fragment, which is never sent; remove it (or write # as %%23)", s)
	}
	if _, err := url.ParseRequestURI(s); err != nil {
		return fmt.Sprintf("%q is not a valid path and query: %v", s, UnwrapURLError(err))
	}
	return ""
}

// UnwrapURLError drops the "parse \"...\": " that url.Error adds.
func UnwrapURLError(err error) error {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// checkHeaderName returns what is wrong with the header name s, or "".
func checkHeaderName(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return !IsTokenChar(r) }) {
		return fmt.Sprintf("%q is not a header name; use letters, digits and !#$%%&'*+-.^_`|~", s)
	}
	switch http.CanonicalHeaderKey(s) {
	case "Content-Length", "Transfer-Encoding":
		return fmt.Sprintf("%s is set by the HTTP client from the body; remove it", s)
	}
	return ""
}

// IsTokenChar reports whether r may be part of an HTTP token (RFC 9110).
func IsTokenChar(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)
}

// checkHeaderValue returns what is wrong with the header value s, or "".
func checkHeaderValue(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		return fmt.Sprintf("%q has a control character, which no header value may have; remove it", s)
	}
	return ""
}

// targetsFile reads the vegeta targets file that n names (see
// parseTargets), relative to the scenario file's folder. Its mistakes are
// reported at n, each with its own place in the targets file.
func (p *Parser) targetsFile(n *yaml.Node, what string) Requests {
	name, ok := p.Str(n, what)
	if !ok {
		return Requests{}
	}
	dir := filepath.Dir(p.path)
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, name)
	}
	data, err := readLimited(path, maxTargetsFileBytes)
	if err != nil {
		hint := ""
		if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(name) {
			hint = fmt.Sprintf("; the path is relative to the scenario file's folder (%s)", dir)
		}
		p.Errorf(n, "%s: %v%s", what, err, hint)
		return Requests{}
	}
	bodies := bodyReader(dir)
	reqs, errs := parseTargets(data, bodies)
	for i, e := range errs {
		if i == maxFileMistakes {
			p.Errorf(n, "%s: %d more mistakes in %s", what, len(errs)-i, path)
			break
		}
		if e.line == 0 {
			p.Errorf(n, "%s: %s: %s", what, path, e.msg)
		} else {
			p.Errorf(n, "%s: %s:%d: %s", what, path, e.line, e.msg)
		}
	}
	if len(errs) > 0 {
		return Requests{}
	}
	return Requests{List: reqs, TargetsFile: name}
}

// readLimited reads the file at path, refusing one larger than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	// Stat first: opening a FIFO would wait for a writer.
	if fi, err := os.Stat(path); err != nil {
		return nil, withoutOp(err)
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, withoutOp(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MB", path, limit>>20)
	}
	return data, nil
}

// withoutOp drops the operation ("stat", "open") from a *fs.PathError:
// "x.txt: no such file or directory".
func withoutOp(err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// bodyReader returns what reads the @body files of a targets file: paths
// relative to dir, each file read once however many requests name it, and
// at most maxTargetsBodyBytes of them in all.
func bodyReader(dir string) func(name string) ([]byte, error) {
	read := map[string][]byte{}
	var total int64
	return func(name string) ([]byte, error) {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, name)
		}
		if b, ok := read[path]; ok {
			return b, nil
		}
		b, err := readLimited(path, maxBodyBytes)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && !filepath.IsAbs(name) {
				err = fmt.Errorf("%w; the path is relative to the scenario file's folder (%s)", err, dir)
			}
			return nil, err
		}
		if total += int64(len(b)); total > maxTargetsBodyBytes {
			return nil, fmt.Errorf("the @body files add up to more than %d MB", maxTargetsBodyBytes>>20)
		}
		if len(b) == 0 {
			b = nil
		}
		read[path] = b
		return b, nil
	}
}

// Ready reads a readiness request at n, called what: a path, sent as GET, or a request
// section (method, path, headers, body) with the defaults of one.
func (p *Parser) Ready(n *yaml.Node, what string) *Request {
	if v := Resolve(n); v.Kind == yaml.ScalarNode {
		s, ok := p.Str(n, what)
		if !ok {
			return nil
		}
		if msg := checkPath(s); msg != "" {
			p.Errorf(n, "%s: %s", what, msg)
			return nil
		}
		return &Request{Method: http.MethodGet, Path: s}
	}
	if m := p.Mapping(n, what); m != nil {
		if e := Lookup(m, "targets_file"); e != nil {
			p.Errorf(e, "%s is one request; write its method and path (such as {method: GET, path: /health}), not a targets_file", what)
			return nil
		}
	}
	rs := p.Request(n, what)
	if len(rs.List) == 0 {
		return nil
	}
	r := rs.First()
	return &r
}
