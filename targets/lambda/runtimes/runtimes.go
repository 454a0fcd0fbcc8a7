// Package runtimes runs a function written for one of Lambda's managed
// runtimes, Node.js or Python code with a handler such as index.handler,
// the way Lambda's runtime does: a runtime client of coldbench's own
// (client/node.mjs, client/python.py) started by the RIE on this
// machine's node or python3 loads the handler from the task root, asks the
// Runtime API for work and answers in Lambda's shapes. Which runtimes it
// knows, what runs them and their published Init Durations are in
// runtimes.json.
//
// The RIE starts the client as Command gives it, interpreter, client and
// handler, the last of which the RIE also sets as _HANDLER. Check runs
// the same client in its check mode, which loads the handler as INIT does
// and stops there: a broken function is refused before any load.
package runtimes

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Language is the language of a runtime.
type Language string

// The languages coldbench runs.
const (
	Node     Language = "nodejs"
	Python   Language = "python"
	Provided Language = "provided" // an executable bootstrap of its own
)

// Runtime is one of Lambda's runtimes, as runtimes.json describes it.
type Runtime struct {
	Name          string   `json:"name"` // Lambda's name, e.g. nodejs22.x
	Language      Language `json:"language"`
	Version       string   `json:"version"`        // the language's version Lambda runs, e.g. 22
	Interpreter   string   `json:"interpreter"`    // the program that runs it here: node, python3
	DebianPackage string   `json:"debian_package"` // what installs it
	// PublishedInitMs is the published Init Duration of a hello-world
	// zip, ms by memory size in MB, or null where the source has none.
	PublishedInitMs map[string]float64 `json:"published_init_ms"`
	Note            string             `json:"note,omitempty"`
}

// Data is runtimes.json.
type Data struct {
	Version         string `json:"version"`
	Description     string `json:"description"`
	PublishedSource struct {
		Measured string `json:"measured"`
		Source   string `json:"source"`
		URL      string `json:"url"`
		Date     string `json:"date"`
	} `json:"published_source"`
	Runtimes []Runtime `json:"runtimes"`
}

// dataJSON is runtimes.json, a string so that nothing can change it.
//
//go:embed runtimes.json
var dataJSON string

// clients holds the runtime clients, one per language.
//
//go:embed client/node.mjs client/python.py
var clients embed.FS

// Published returns runtimes.json. It panics if the embedded file is
// broken, which its test rules out.
func Published() Data {
	var d Data
	if err := json.Unmarshal([]byte(dataJSON), &d); err != nil {
		panic(fmt.Sprintf("runtimes: runtimes.json: %v", err))
	}
	return d
}

// Lookup returns the runtime of Lambda's name name.
func Lookup(name string) (Runtime, bool) {
	for _, r := range Published().Runtimes {
		if r.Name == name {
			return r, true
		}
	}
	return Runtime{}, false
}

// Names returns the names of the runtimes that take a handler, in
// runtimes.json's order.
func Names() []string {
	var names []string
	for _, r := range Published().Runtimes {
		if r.TakesHandler() {
			names = append(names, r.Name)
		}
	}
	return names
}

// TakesHandler reports whether r runs a handler in a language's code, not
// a bootstrap of its own.
func (r Runtime) TakesHandler() bool { return r.Language == Node || r.Language == Python }

// PublishedInit returns the published Init Duration for memoryMB: the
// figure of the nearest memory size published. ok is false where none is.
func (r Runtime) PublishedInit(memoryMB int) (d time.Duration, sizeMB int, ok bool) {
	var sizes []int
	for k := range r.PublishedInitMs {
		var mb int
		if _, err := fmt.Sscan(k, &mb); err == nil {
			sizes = append(sizes, mb)
		}
	}
	if len(sizes) == 0 {
		return 0, 0, false
	}
	slices.Sort(sizes)
	best := sizes[0]
	for _, s := range sizes {
		if abs(s-memoryMB) < abs(best-memoryMB) {
			best = s
		}
	}
	ms := r.PublishedInitMs[fmt.Sprint(best)]
	return time.Duration(ms * float64(time.Millisecond)), best, true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ClientFile is the file name of r's runtime client.
func (r Runtime) ClientFile() string {
	if r.Language == Python {
		return "python.py"
	}
	return "node.mjs"
}

// WriteClient writes r's runtime client into dir and returns its path.
func (r Runtime) WriteClient(dir string) (string, error) {
	src, err := clients.ReadFile("client/" + r.ClientFile())
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, r.ClientFile())
	return path, os.WriteFile(path, src, 0o644)
}

// ExecutionEnv is the value Lambda gives AWS_EXECUTION_ENV in r's
// environments, such as AWS_Lambda_nodejs22.x; the runtime clients read
// it to behave as that runtime where runtimes differ.
func (r Runtime) ExecutionEnv() string { return "AWS_Lambda_" + r.Name }

// Env is what r's environments get besides the function's variables:
// AWS_EXECUTION_ENV, and for Python PYTHONDONTWRITEBYTECODE, since
// Lambda's /var/task is read-only and a run must not write __pycache__
// into the user's code (what is cached there already is still read).
func (r Runtime) Env() map[string]string {
	env := map[string]string{"AWS_EXECUTION_ENV": r.ExecutionEnv()}
	if r.Language == Python {
		env["PYTHONDONTWRITEBYTECODE"] = "1"
	}
	return env
}

// Command is what the RIE runs: the interpreter, its flags, the client
// and the handler, which the RIE takes, as the last of its arguments, for
// the handler (_HANDLER).
func (r Runtime) Command(interpreter, client, handler string) []string {
	return append(append([]string{interpreter}, r.flags()...), client, handler)
}

// flags are the interpreter's flags. Python runs with -S, without the
// site module: this machine's site-packages are not Lambda's (Lambda's
// hold boto3; a machine's may hold anything, and its .pth files cost
// tens of ms at every start), and a function brings what it imports in
// its code. An image holds no site-packages at all.
func (r Runtime) flags() []string {
	if r.Language == Python {
		return []string{"-S"}
	}
	return nil
}
