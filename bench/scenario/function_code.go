package scenario

import (
	"cmp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// CodeForm is the form in which a Lambda target names its own code.
type CodeForm string

// The forms of a function's code.
const (
	BuiltIn       CodeForm = ""          // coldbench's order function (targets/function)
	BootstrapCode CodeForm = "bootstrap" // an executable for provided.al2023
	ZipCode       CodeForm = "zip"       // a deployment package, bootstrap at its root
	ImageCode     CodeForm = "image"     // a Lambda container image in the local engine
)

// codeKeys are the keys that name a function's code, in messages' order.
var codeKeys = []string{string(BootstrapCode), string(ZipCode), string(ImageCode)}

// FunctionCode is the code a Lambda target runs: the built-in order
// function (the zero value) or the user's own, in one of three forms.
// Whether the file or image exists, runs here and asks the Runtime API
// for work is the lambda kind's to check, before the load.
type FunctionCode struct {
	Form CodeForm
	// Path is the bootstrap or zip file, resolved against the scenario
	// file's folder; Image the image's name (repository:tag or id).
	Path  string
	Image string
	Line  int // of its key in the scenario file
}

// Name is how messages and the report name the code: its path or image.
func (c FunctionCode) Name() string {
	if c.Form == ImageCode {
		return c.Image
	}
	return c.Path
}

// functionCode reads the code keys (bootstrap, zip, image) of a
// function's fields f: at most one of them.
func (p *parser) functionCode(f map[string]field) FunctionCode {
	var c FunctionCode
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
				p.errorf(e.value, "%s is empty; give the path of the %s file, relative to the scenario file", what, k)
			default:
				c.Path = p.file(e.value, what)
			}
		}
	}
	return c
}
