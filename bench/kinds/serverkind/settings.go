package serverkind

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/scenario"
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
// server rather than the built-in one (see parseOwn).
func userServerKeys() []string {
	return []string{"command", "dir", "env", "ready", "start_timeout", "image", "port"}
}

// parseOwn reads the keys of a server target f that name the user's own
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
func parseOwn(p *scenario.Parser, f map[string]scenario.Field, c *ServerConfig) {
	sec := p.Sec
	cmd, img := f["command"], f["image"]
	switch {
	case cmd.Value != nil && img.Value != nil:
		p.Errorf(img.Key, "%s: command and image exclude each other: command runs a program here, image a container; remove one", sec)
		return
	case cmd.Value == nil && img.Value == nil:
		for _, k := range userServerKeys() {
			if e, given := f[k]; given {
				p.Errorf(e.Key, "%s.%s applies to your own server; add command: [program, args...] or image: name, or remove %s", sec, k, k)
			}
		}
		return
	}
	for _, k := range []string{"init_work", "request_work", "request_wait"} {
		if e, given := f[k]; given {
			p.Errorf(e.Key, "%s.%s is the built-in server's simulated work; your own server does its own work, so remove %s", sec, k, k)
		}
	}
	if cmd.Value != nil {
		c.Command = parseCommand(p, cmd.Value, sec+".command")
		if e := f["dir"].Value; e != nil {
			c.Dir = p.File(e, sec+".dir")
		} else {
			c.Dir = p.File(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "."}, sec+".dir")
		}
		if e, given := f["port"]; given {
			p.Errorf(e.Key, "%s.port is the container port of an image; a command is given its port as {port} and PORT, so remove port", sec)
		}
	} else {
		if s, ok := p.Str(img.Value, sec+".image"); ok {
			c.Image = s
		}
		if e, given := f["dir"]; given {
			p.Errorf(e.Key, "%s.dir is a command's working folder; an image has its own, so remove dir", sec)
		}
		if e := f["port"].Value; e != nil {
			if n, ok := p.Integer(e, sec+".port"); ok {
				if n < 1 || n > 65535 {
					p.Errorf(e, "%s.port must be 1 to 65535, not %d", sec, n)
				}
				c.Port = n
			}
		} else {
			p.Errorf(img.Key, "%s: an image needs port: the port its server listens on inside the container, such as port: 8080", sec)
		}
	}
	if e := f["env"].Value; e != nil {
		c.Env = p.Env(e, sec+".env", func(name string) string {
			if name == "PORT" {
				return "PORT is set by coldbench to the port it chose for the server; remove it (use {port} in command for an argument)"
			}
			return ""
		})
	}
	if e := f["ready"].Value; e != nil {
		c.Ready = p.Ready(e, sec+".ready")
	}
	c.StartTimeout = DefaultStartTimeout
	if e := f["start_timeout"].Value; e != nil {
		if d, ok := p.Duration(e, sec+".start_timeout"); ok {
			if d <= 0 || d > maxStartTimeout {
				p.Errorf(e, "%s.start_timeout must be above 0 and at most %v, not %v", sec, maxStartTimeout, d)
			}
			c.StartTimeout = d
		}
	}
}

// command reads command: a list of a program and its arguments.
func parseCommand(p *scenario.Parser, n *yaml.Node, what string) []string {
	l := scenario.Resolve(n)
	if l.Kind != yaml.SequenceNode {
		p.KindError(n, what, `a list of a program and its arguments, such as [node, app.js]`)
		return nil
	}
	if len(l.Content) == 0 {
		p.Errorf(n, "%s is empty; name the program to run, such as [node, app.js]", what)
		return nil
	}
	if len(l.Content) > maxCommandArgs {
		p.Errorf(n, "%s has %d arguments; at most %d", what, len(l.Content), maxCommandArgs)
		return nil
	}
	var args []string
	for i, e := range l.Content {
		s, ok := p.Str(e, fmt.Sprintf("%s[%d]", what, i))
		if !ok {
			return nil
		}
		if strings.IndexByte(s, 0) >= 0 {
			p.Errorf(e, "%s[%d] holds a NUL byte, which no argument can; remove it", what, i)
			return nil
		}
		args = append(args, s)
	}
	if args[0] == "" {
		p.Errorf(l.Content[0], "%s[0] is empty; name the program to run", what)
		return nil
	}
	return args
}

// ServerConfig sets up the dedicated server: the built-in order server
// with its simulated Work, or the user's own, run from Command or Image
// (see parseOwn for the keys).
type ServerConfig struct {
	Work scenario.Work // the built-in server's; zero for the user's own
	// Command is the user's server, a program and its arguments, in
	// which PortPlaceholder stands for the port coldbench chose (also
	// given as PORT in its environment). The program is looked up in
	// PATH, or relative to Dir when it holds a /.
	Command []string
	// Dir is Command's working folder, absolute or relative to where
	// coldbench runs; the scenario file's folder by default.
	Dir string
	// Image is a local container image of the user's server, listening
	// on Port inside the container.
	Image string
	Port  int
	// Env holds extra environment variables of Command or Image.
	Env map[string]string
	// Ready is the request that says the user's server is up, answered
	// with any status below 500; nil is the target's first request.
	Ready *scenario.Request
	// StartTimeout bounds the wait for Ready (DefaultStartTimeout).
	StartTimeout time.Duration
}

// Own reports whether the server is the user's (Command or Image) rather
// than the built-in one.
func (c ServerConfig) Own() bool { return len(c.Command) > 0 || c.Image != "" }
