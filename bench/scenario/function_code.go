package scenario

import (
	"cmp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/targets/lambda/runtimes"
)

// CodeForm is the form in which a Lambda target names its own code.
type CodeForm string

// The forms of a function's code.
const (
	BuiltIn       CodeForm = ""          // coldbench's order function (targets/function)
	BootstrapCode CodeForm = "bootstrap" // an executable for provided.al2023
	ZipCode       CodeForm = "zip"       // a deployment package, bootstrap at its root
	ImageCode     CodeForm = "image"     // a Lambda container image in the local engine
	FolderCode    CodeForm = "code"      // a folder laid out as /var/task, for a handler
)

// codeKeys are the keys that name a function's code, in messages' order.
var codeKeys = []string{string(BootstrapCode), string(ZipCode), string(ImageCode), string(FolderCode)}

// FunctionCode is the code a Lambda target runs: the built-in order
// function (the zero value) or the user's own, in one of four forms:
// a bootstrap, a zip (of a bootstrap, or of a handler's code), an image,
// or a folder of a handler's code. Whether the file or image exists, runs
// here and asks the Runtime API for work is the lambda kind's to check,
// before the load.
type FunctionCode struct {
	Form CodeForm
	// Path is the bootstrap or zip file or the code folder, resolved
	// against the scenario file's folder; Image the image's name
	// (repository:tag or id).
	Path  string
	Image string
	Line  int // of its key in the scenario file
	// Handler, such as index.handler, is what Lambda's runtime Runtime (a
	// name of runtimes.Names, such as nodejs22.x) loads from a zip or a
	// folder; both are empty for a bootstrap of its own.
	Handler string
	Runtime string
}

// Language says what runs the code: a Lambda runtime's name, or
// provided.al2023 for a bootstrap (the built-in function's included).
func (c FunctionCode) Language() string {
	if c.Runtime != "" {
		return c.Runtime
	}
	return providedRuntime
}

// providedRuntime is Lambda's OS-only runtime, which runs a bootstrap.
const providedRuntime = "provided.al2023"

// Name is how messages and the report name the code: its path or image.
func (c FunctionCode) Name() string {
	if c.Form == ImageCode {
		return c.Image
	}
	return c.Path
}

// runtimeKey reads function.runtime n: where environments run (auto,
// container or process: sandbox's old name, still read), or one of
// Lambda's runtimes, which a handler needs. It returns the sandbox, if
// the value named one, and sets c.Runtime otherwise.
func (p *parser) runtimeKey(n *yaml.Node, c *FunctionCode) (Runtime, bool) {
	what := p.sec + ".runtime"
	v, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	if rt, err := ParseRuntime(v); err == nil {
		return rt, true
	}
	if v == providedRuntime {
		return "", false
	}
	if r, ok := runtimes.Lookup(v); ok && r.TakesHandler() {
		c.Runtime = v
		return "", false
	}
	names := append(runtimes.Names(), providedRuntime)
	p.errorf(n, "%s: unknown runtime %q%s", what, v,
		didYouMean(v, "use one of Lambda's "+join(names, "or")+" (with handler:), or say where environments run with sandbox: container or process",
			append(names, string(Auto), string(Container), string(Process))...))
	return "", false
}

// badRuntime reports whether runtime n names neither a sandbox nor a
// runtime coldbench knows.
func (p *parser) badRuntime(n *yaml.Node) bool {
	v := resolve(n)
	if _, err := ParseRuntime(v.Value); err == nil || v.Value == providedRuntime {
		return false
	}
	_, ok := runtimes.Lookup(v.Value)
	return !ok
}

// handlerKey reads function.handler, such as index.handler or
// lambda_function.lambda_handler: a module and the name it exports.
func (p *parser) handlerKey(n *yaml.Node) string {
	what := p.sec + ".handler"
	h, ok := p.str(n, what)
	if !ok {
		return ""
	}
	i := strings.LastIndex(h, ".")
	if slash := strings.LastIndex(h, "/"); h == "" || i <= slash+1 || i == len(h)-1 || strings.ContainsAny(h, " \t\n") {
		p.errorf(n, "%s must be a module and the function it exports, such as index.handler or lambda_function.lambda_handler, not %q", what, h)
		return ""
	}
	return h
}

// handlerCode checks that c's handler, runtime and code agree: a handler
// needs a runtime that takes one and its code from zip: or code:; a
// bootstrap or an image takes none.
func (p *parser) handlerCode(f map[string]field, c *FunctionCode) {
	hf, hasHandler := f["handler"]
	switch {
	case !hasHandler && c.Runtime != "":
		p.errorf(f["runtime"].value, "%s.runtime %s runs a handler in the function's code; add handler:, such as index.handler, and the code as zip: or code: (a folder)", p.sec, c.Runtime)
	case !hasHandler && c.Form == FolderCode:
		p.errorf(f["code"].key, "%s.code is the folder of a handler's code; add handler: and runtime: (such as nodejs22.x), or give a bootstrap as bootstrap: or zip:", p.sec)
	case !hasHandler:
	case c.Form == BootstrapCode || c.Form == ImageCode:
		p.errorf(hf.key, "%s.handler: a %s runs itself and takes no handler; remove handler:, or give the handler's code as zip: or code: with runtime: (such as nodejs22.x)", p.sec, c.Form)
	case c.Runtime == "" && f["runtime"].value != nil && p.badRuntime(f["runtime"].value):
		// runtimeKey has said what is wrong with it.
	case c.Runtime == "" && f["runtime"].value != nil && resolve(f["runtime"].value).Value != providedRuntime:
		p.errorf(f["runtime"].value, "%s.runtime: %s says where environments run (sandbox:'s old name); a handler needs one of Lambda's runtimes here, %s, and sandbox: %s",
			p.sec, resolve(f["runtime"].value).Value, join(runtimes.Names(), "or"), resolve(f["runtime"].value).Value)
	case c.Runtime == "":
		p.errorf(hf.key, "%s.handler needs runtime:, one of %s", p.sec, join(runtimes.Names(), "or"))
	case c.Form == BuiltIn:
		p.errorf(hf.key, "%s.handler needs the code it is in: zip: (a deployment package) or code: (a folder laid out as /var/task)", p.sec)
	default:
		c.Handler = p.handlerKey(hf.value)
	}
}

// functionCode reads the code keys (bootstrap, zip, image, code) of a
// function's fields f: at most one of them.
func (p *parser) functionCode(f map[string]field, c FunctionCode) FunctionCode {
	var first *yaml.Node
	var given []string
	for _, k := range codeKeys {
		if _, ok := f[k]; ok {
			given = append(given, k)
		}
	}
	// In the file's order, so that the error is on the second key.
	slices.SortFunc(given, func(a, b string) int { return cmp.Or(f[a].key.Line-f[b].key.Line, f[a].key.Column-f[b].key.Column) })
	for _, k := range given {
		e := f[k]
		if first != nil {
			p.errorf(e.key, "%s.%s: a function runs one code, and %s already names it at line %d; keep one of %s",
				p.sec, k, c.Form, first.Line, join(codeKeys, "or"))
			continue
		}
		first = e.key
		c.Form, c.Line = CodeForm(k), e.key.Line
		what := p.sec + "." + k
		switch c.Form {
		case ImageCode:
			name, ok := p.str(e.value, what)
			if ok && strings.TrimSpace(name) == "" {
				p.errorf(e.value, "%s is empty; name a local image such as my-fn:latest, or remove the key to run the built-in function", what)
			}
			c.Image = strings.TrimSpace(name)
		default:
			switch s, ok := p.str(e.value, what); {
			case !ok:
			case s == "":
				p.errorf(e.value, "%s is empty; give the path of the %s, relative to the scenario file", what, map[CodeForm]string{FolderCode: "code's folder"}[c.Form]+map[bool]string{true: k + " file"}[c.Form != FolderCode])
			default:
				c.Path = p.file(e.value, what)
			}
		}
	}
	p.handlerCode(f, &c)
	return c
}
