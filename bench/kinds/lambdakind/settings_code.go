package lambdakind

import (
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"

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
	BuiltIn       CodeForm = ""               // coldbench's order function (targets/function)
	BootstrapCode CodeForm = "bootstrap"      // an executable for provided.al2023
	ZipCode       CodeForm = "zip"            // a deployment package, bootstrap at its root
	ImageCode     CodeForm = record.ImageForm // a Lambda container image in the local engine
	FolderCode    CodeForm = "code"           // a folder laid out as /var/task, for a handler
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
func runtimeKey(p *scenario.Parser, n *yaml.Node, c *FunctionCode) (Sandbox, bool) {
	what := p.Sec + ".runtime"
	v, ok := p.Str(n, what)
	if !ok {
		return "", false
	}
	if rt, err := ParseSandbox(v); err == nil {
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
	p.Errorf(n, "%s: unknown runtime %q%s", what, v,
		scenario.DidYouMean(v, "use one of Lambda's "+scenario.Join(names, "or")+" (with handler:), or say where environments run with sandbox: container or process",
			append(names, string(Auto), string(Container), string(Process))...))
	return "", false
}

// badRuntime reports whether runtime n names neither a sandbox nor a
// runtime coldbench knows.
func badRuntime(p *scenario.Parser, n *yaml.Node) bool {
	v := scenario.Resolve(n)
	if _, err := ParseSandbox(v.Value); err == nil || v.Value == providedRuntime {
		return false
	}
	_, ok := runtimes.Lookup(v.Value)
	return !ok
}

// handlerKey reads function.handler, such as index.handler or
// lambda_function.lambda_handler: a module and the name it exports.
func handlerKey(p *scenario.Parser, n *yaml.Node) string {
	what := p.Sec + ".handler"
	h, ok := p.Str(n, what)
	if !ok {
		return ""
	}
	i := strings.LastIndex(h, ".")
	if slash := strings.LastIndex(h, "/"); h == "" || i <= slash+1 || i == len(h)-1 || strings.ContainsAny(h, " \t\n") {
		p.Errorf(n, "%s must be a module and the function it exports, such as index.handler or lambda_function.lambda_handler, not %q", what, h)
		return ""
	}
	return h
}

// handlerCode checks that c's handler, runtime and code agree: a handler
// needs a runtime that takes one and its code from zip: or code:; a
// bootstrap or an image takes none.
func parseHandlerCode(p *scenario.Parser, f map[string]scenario.Field, c *FunctionCode) {
	hf, hasHandler := f["handler"]
	switch {
	case !hasHandler && c.Runtime != "":
		p.Errorf(f["runtime"].Value, "%s.runtime %s runs a handler in the function's code; add handler:, such as index.handler, and the code as zip: or code: (a folder)", p.Sec, c.Runtime)
	case !hasHandler && c.Form == FolderCode:
		p.Errorf(f["code"].Key, "%s.code is the folder of a handler's code; add handler: and runtime: (such as nodejs22.x), or give a bootstrap as bootstrap: or zip:", p.Sec)
	case !hasHandler:
	case c.Form == BootstrapCode || c.Form == ImageCode:
		p.Errorf(hf.Key, "%s.handler: a %s runs itself and takes no handler; remove handler:, or give the handler's code as zip: or code: with runtime: (such as nodejs22.x)", p.Sec, c.Form)
	case c.Runtime == "" && f["runtime"].Value != nil && badRuntime(p, f["runtime"].Value):
		// runtimeKey has said what is wrong with it.
	case c.Runtime == "" && f["runtime"].Value != nil && scenario.Resolve(f["runtime"].Value).Value != providedRuntime:
		p.Errorf(f["runtime"].Value, "%s.runtime: %s says where environments run (sandbox:'s old name); a handler needs one of Lambda's runtimes here, %s, and sandbox: %s",
			p.Sec, scenario.Resolve(f["runtime"].Value).Value, scenario.Join(runtimes.Names(), "or"), scenario.Resolve(f["runtime"].Value).Value)
	case c.Runtime == "":
		p.Errorf(hf.Key, "%s.handler needs runtime:, one of %s", p.Sec, scenario.Join(runtimes.Names(), "or"))
	case c.Form == BuiltIn:
		p.Errorf(hf.Key, "%s.handler needs the code it is in: zip: (a deployment package) or code: (a folder laid out as /var/task)", p.Sec)
	default:
		c.Handler = handlerKey(p, hf.Value)
	}
}

// functionCode reads the code keys (bootstrap, zip, image, code) of a
// function's fields f: at most one of them.
func parseCode(p *scenario.Parser, f map[string]scenario.Field, c FunctionCode) FunctionCode {
	var first *yaml.Node
	var given []string
	for _, k := range codeKeys {
		if _, ok := f[k]; ok {
			given = append(given, k)
		}
	}
	// In the file's order, so that the error is on the second key.
	slices.SortFunc(given, func(a, b string) int { return cmp.Or(f[a].Key.Line-f[b].Key.Line, f[a].Key.Column-f[b].Key.Column) })
	for _, k := range given {
		e := f[k]
		if first != nil {
			p.Errorf(e.Key, "%s.%s: a function runs one code, and %s already names it at line %d; keep one of %s",
				p.Sec, k, c.Form, first.Line, scenario.Join(codeKeys, "or"))
			continue
		}
		first = e.Key
		c.Form, c.Line = CodeForm(k), e.Key.Line
		what := p.Sec + "." + k
		switch c.Form {
		case ImageCode:
			name, ok := p.Str(e.Value, what)
			if ok && strings.TrimSpace(name) == "" {
				p.Errorf(e.Value, "%s is empty; name a local image such as my-fn:latest, or remove the key to run the built-in function", what)
			}
			c.Image = strings.TrimSpace(name)
		default:
			switch s, ok := p.Str(e.Value, what); {
			case !ok:
			case s == "":
				p.Errorf(e.Value, "%s is empty; give the path of the %s, relative to the scenario file", what, map[CodeForm]string{FolderCode: "code's folder"}[c.Form]+map[bool]string{true: k + " file"}[c.Form != FolderCode])
			default:
				c.Path = p.File(e.Value, what)
			}
		}
	}
	parseHandlerCode(p, f, &c)
	return c
}
