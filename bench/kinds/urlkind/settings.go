package urlkind

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/scenario"
)

// Limits of a url target.
const (
	DefaultURLTimeout = 30 * time.Second // how long one request may take
	maxURLTimeout     = 15 * time.Minute // a Function URL's own limit is 15 minutes
)

// URLConfig sets up a url target: an endpoint that is already running (a
// deployed Function URL, a staging server), which coldbench neither starts
// nor stops. Its entry reads
//
//	targets:
//	  staging:
//	    kind: url
//	    url: https://abc.lambda-url.eu-west-1.on.aws/base  # required
//	    cold_header: X-Coldbench-Function-Cold             # optional
//	    timeout: 10s                                       # optional, default 30s
//
// Load goes to the URL's host only: every request's path and query
// (Request.Path) are appended to URL, and the attack does not follow
// redirects to another host.
type URLConfig struct {
	// URL is the base URL: http or https, a host, an optional path, no
	// query, fragment or user; trailing slashes are removed.
	URL string
	// ColdHeader, if set, is a response header that is "true" on a
	// response that was a cold start and "false" on one that was warm;
	// the target then records cold and warm like a Lambda function.
	ColdHeader string
	// Timeout bounds each request; default DefaultURLTimeout.
	Timeout time.Duration
}

// parseURL reads the settings of a url target from its entry's fields f;
// at is the entry's key, where a missing url is reported.
func parseURL(p *scenario.Parser, f map[string]scenario.Field, at *yaml.Node) URLConfig {
	c := URLConfig{Timeout: DefaultURLTimeout}
	if e := f["url"].Value; e == nil {
		p.Errorf(at, "%s: missing url; name the endpoint that is already running, such as url: https://staging.example.com", p.Sec)
	} else if s, ok := p.Str(e, p.Sec+".url"); ok {
		if u, msg := checkURL(s); msg != "" {
			p.Errorf(e, "%s.url: %s", p.Sec, msg)
		} else {
			c.URL = u
		}
	}
	if e := f["cold_header"].Value; e != nil {
		if s, ok := p.Str(e, p.Sec+".cold_header"); ok {
			if s == "" || strings.ContainsFunc(s, func(r rune) bool { return !scenario.IsTokenChar(r) }) {
				p.Errorf(e, "%s.cold_header: %q is not a header name; use letters, digits and -, such as X-Coldbench-Function-Cold", p.Sec, s)
			} else {
				c.ColdHeader = s
			}
		}
	}
	if e := f["timeout"].Value; e != nil {
		if d, ok := p.Duration(e, p.Sec+".timeout"); ok {
			if d <= 0 || d > maxURLTimeout {
				p.Errorf(e, "%s.timeout must be above 0 and at most %v, not %s", p.Sec, maxURLTimeout, scenario.Resolve(e).Value)
			} else {
				c.Timeout = d
			}
		}
	}
	return c
}

// checkURL returns s as the base URL of a url target, without trailing
// slashes, or what is wrong with it.
func checkURL(s string) (string, string) {
	const example = "write http(s)://host[:port][/base], such as https://staging.example.com/api"
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", fmt.Sprintf("%q is not a URL (%v); %s", s, scenario.UnwrapURLError(err), example)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Sprintf("%q: the scheme must be http or https, not %q; %s", s, u.Scheme, example)
	case u.Host == "" || u.Hostname() == "":
		return "", fmt.Sprintf("%q has no host; %s", s, example)
	case u.User != nil:
		return "", fmt.Sprintf("%q holds a user or password, which would be written into the report; send credentials as a request header instead", s)
	case u.RawQuery != "" || u.ForceQuery:
		return "", fmt.Sprintf("%q has a query; put it in the request's path, which is appended to the url", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", fmt.Sprintf("%q has a fragment (#…), which is never sent; remove it", s)
	}
	return strings.TrimRight(s, "/"), ""
}
