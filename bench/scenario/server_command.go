package scenario

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Limits and defaults of a server target that runs the user's code.
const (
	// DefaultStartTimeout is how long a user's server has to answer its
	// readiness request.
	DefaultStartTimeout = 30 * time.Second
	maxStartTimeout     = 10 * time.Minute
	maxCommandArgs      = 256
	// PortPlaceholder in an argument of command is replaced by the port
	// coldbench chose for the server.
	PortPlaceholder = "{port}"
)

// userServerKeys are the keys of a server target that runs the user's
// server rather than the built-in one (see serverCode).
var userServerKeys = []string{"command", "dir", "env", "ready", "start_timeout", "image", "port"}

// serverCode reads the keys of a server target f that name the user's own
// server into c, which holds the built-in server's work already:
//
//	command: [node, app.js, --port, "{port}"] # or image: name
//	dir: ../app             # command's working folder; default the scenario's folder
//	env: {NODE_ENV: production}
//	ready: /health          # GET /health, or a request section; default the target's request
//	start_timeout: 30s      # to answer ready with a status below 500
//	image: my-api:latest    # a local image, run as a container, with
//	port: 3000              # the port it listens on inside the container
//
// Without command or image the built-in order server runs and only the
// work keys apply; with either, the work keys are mistakes.
func (p *parser) serverCode(f map[string]field, c *ServerConfig) {
	sec := p.sec
	cmd, img := f["command"], f["image"]
	switch {
	case cmd.value != nil && img.value != nil:
		p.errorf(img.key, "%s: command and image exclude each other: command runs a program here, image a container; remove one", sec)
		return
	case cmd.value == nil && img.value == nil:
		for _, k := range userServerKeys {
			if e, given := f[k]; given {
				p.errorf(e.key, "%s.%s applies to your own server; add command: [program, args...] or image: name, or remove %s", sec, k, k)
			}
		}
		return
	}
	for _, k := range []string{"init_work", "request_work", "request_wait"} {
		if e, given := f[k]; given {
			p.errorf(e.key, "%s.%s is the built-in server's simulated work; your own server does its own work, so remove %s", sec, k, k)
		}
	}
	if cmd.value != nil {
		c.Command = p.command(cmd.value, sec+".command")
		if e := f["dir"].value; e != nil {
			c.Dir = p.file(e, sec+".dir")
		} else {
			c.Dir = p.file(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "."}, sec+".dir")
		}
		if e, given := f["port"]; given {
			p.errorf(e.key, "%s.port is the container port of an image; a command is given its port as {port} and PORT, so remove port", sec)
		}
	} else {
		if s, ok := p.str(img.value, sec+".image"); ok {
			c.Image = s
		}
		if e, given := f["dir"]; given {
			p.errorf(e.key, "%s.dir is a command's working folder; an image has its own, so remove dir", sec)
		}
		if e := f["port"].value; e != nil {
			if n, ok := p.integer(e, sec+".port"); ok {
				if n < 1 || n > 65535 {
					p.errorf(e, "%s.port must be 1 to 65535, not %d", sec, n)
				}
				c.Port = n
			}
		} else {
			p.errorf(img.key, "%s: an image needs port: the port its server listens on inside the container, such as port: 8080", sec)
		}
	}
	if e := f["env"].value; e != nil {
		c.Env = p.serverEnv(e, sec+".env")
	}
	if e := f["ready"].value; e != nil {
		c.Ready = p.ready(e, sec+".ready")
	}
	c.StartTimeout = DefaultStartTimeout
	if e := f["start_timeout"].value; e != nil {
		if d, ok := p.duration(e, sec+".start_timeout"); ok {
			if d <= 0 || d > maxStartTimeout {
				p.errorf(e, "%s.start_timeout must be above 0 and at most %v, not %v", sec, maxStartTimeout, d)
			}
			c.StartTimeout = d
		}
	}
}

// command reads command: a list of a program and its arguments.
func (p *parser) command(n *yaml.Node, what string) []string {
	l := resolve(n)
	if l.Kind != yaml.SequenceNode {
		p.kindError(n, what, `a list of a program and its arguments, such as [node, app.js]`)
		return nil
	}
	if len(l.Content) == 0 {
		p.errorf(n, "%s is empty; name the program to run, such as [node, app.js]", what)
		return nil
	}
	if len(l.Content) > maxCommandArgs {
		p.errorf(n, "%s has %d arguments; at most %d", what, len(l.Content), maxCommandArgs)
		return nil
	}
	var args []string
	for i, e := range l.Content {
		s, ok := p.str(e, fmt.Sprintf("%s[%d]", what, i))
		if !ok {
			return nil
		}
		if strings.IndexByte(s, 0) >= 0 {
			p.errorf(e, "%s[%d] holds a NUL byte, which no argument can; remove it", what, i)
			return nil
		}
		args = append(args, s)
	}
	if args[0] == "" {
		p.errorf(l.Content[0], "%s[0] is empty; name the program to run", what)
		return nil
	}
	return args
}

// serverEnv reads a server's environment variables. PORT is coldbench's
// to set.
func (p *parser) serverEnv(n *yaml.Node, what string) map[string]string {
	m := p.mapping(n, what)
	if m == nil {
		return nil
	}
	env := make(map[string]string)
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.str(k, "a name in "+what)
		if !ok {
			continue
		}
		if line, dup := first[name]; dup {
			p.errorf(k, "duplicate key %q in %s (first at line %d); remove one", name, what, line)
			continue
		}
		first[name] = k.Line
		switch {
		case !isEnvName(name):
			p.errorf(k, "%s: %q is not a valid variable name; use letters, digits and _, not starting with a digit", what, name)
			continue
		case name == "PORT":
			p.errorf(k, "%s: PORT is set by coldbench to the port it chose for the server; remove it (use {port} in command for an argument)", what)
			continue
		}
		switch rv := resolve(v); {
		case isNull(rv):
			env[name] = ""
		case rv.Kind == yaml.ScalarNode && strings.IndexByte(rv.Value, 0) < 0:
			env[name] = rv.Value
		default:
			p.kindError(v, what+"."+name, "a string")
		}
	}
	return env
}

// ready reads the readiness request: a path, sent as GET, or a request
// section (method, path, headers, body) with the defaults of one.
func (p *parser) ready(n *yaml.Node, what string) *Request {
	if v := resolve(n); v.Kind == yaml.ScalarNode {
		s, ok := p.str(n, what)
		if !ok {
			return nil
		}
		if msg := checkPath(s); msg != "" {
			p.errorf(n, "%s: %s", what, msg)
			return nil
		}
		return &Request{Method: http.MethodGet, Path: s}
	}
	if m := p.mapping(n, what); m != nil {
		if e := lookup(m, "targets_file"); e != nil {
			p.errorf(e, "%s is one request; write its method and path (such as {method: GET, path: /health}), not a targets_file", what)
			return nil
		}
	}
	rs := p.request(n, what)
	if len(rs.List) == 0 {
		return nil
	}
	r := rs.First()
	return &r
}
