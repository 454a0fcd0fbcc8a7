package lambdakind

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/runtimes"
)

// handlerCode is a handler's code on one of Lambda's managed runtimes,
// ready to run: the interpreter that runs it here, coldbench's runtime
// client for it, and the function's folder (Lambda's /var/task).
type handlerCode struct {
	runtime  runtimes.Runtime
	interp   runtimes.Interpreter
	client   string // the runtime client's file, in a folder of the code's own
	taskRoot string
	handler  string
}

// command is what the RIE runs, with the client at client.
func (h *handlerCode) command(client string) []string {
	return h.runtime.Command(h.interp.Path, client, h.handler)
}

// openHandler readies the handler code t names into c: it finds the
// runtime's interpreter, extracts a zip (or takes the folder) and writes
// the runtime client. What it makes goes into c.tmp, which c.close
// removes. A missing interpreter, zip or folder is a *kinds.InputError.
func openHandler(ctx context.Context, t scenario.Target, c *code) error {
	fc := t.Function.Code
	r, ok := runtimes.Lookup(fc.Runtime)
	if !ok {
		return fmt.Errorf("lambda kind: unknown runtime %q", fc.Runtime)
	}
	h := &handlerCode{runtime: r, handler: fc.Handler}
	interp, err := r.Find(ctx)
	var missing *runtimes.MissingError
	if errors.As(err, &missing) {
		return &kinds.InputError{Target: t.Name, Msg: err.Error()}
	} else if err != nil {
		return err
	}
	h.interp = interp
	switch fc.Form {
	case scenario.ZipCode:
		dir, err := extractCode(t.Name, fc.Path)
		if err != nil {
			return err
		}
		c.tmp = append(c.tmp, dir)
		h.taskRoot = dir
	case scenario.FolderCode:
		switch fi, err := os.Stat(fc.Path); {
		case os.IsNotExist(err):
			return &kinds.InputError{Target: t.Name, Msg: fc.Path + ": no such folder; put the function's code there or fix the path, which is relative to the scenario file"}
		case err != nil:
			return err
		case !fi.IsDir():
			return &kinds.InputError{Target: t.Name, Msg: fc.Path + ": not a folder; code: is the folder Lambda would unpack the code into (its /var/task), and zip: a deployment package"}
		}
		if h.taskRoot, err = filepath.Abs(fc.Path); err != nil {
			return err
		}
	default:
		return fmt.Errorf("lambda kind: a handler in %s code", fc.Form)
	}
	dir, err := os.MkdirTemp("", "coldbench-runtime-")
	if err != nil {
		return err
	}
	c.tmp = append(c.tmp, dir)
	if h.client, err = r.WriteClient(dir); err != nil {
		return err
	}
	c.handler = h
	return nil
}

// checkHandler loads the handler as INIT does, once, before the load: a
// function that cannot INIT is a *kinds.InputError saying what Lambda
// would report and how to fix it.
func checkHandler(ctx context.Context, t scenario.Target, h *handlerCode, spec lambda.Spec) error {
	err := h.runtime.Check(ctx, h.interp, h.client, h.taskRoot, h.handler, lambda.Environ(spec, h.taskRoot))
	var ie *runtimes.InitError
	if !errors.As(err, &ie) {
		return err
	}
	where := t.Function.Code.Path
	fix := map[string]string{
		"Runtime.ImportModuleError":    "check the module's name in the handler and that the file is in the code (for " + h.handler + ", " + moduleFiles(h) + ")",
		"Runtime.HandlerNotFound":      "export a function of that name from the module, or fix the handler's name",
		"Runtime.UserCodeSyntaxError":  "fix the syntax error",
		"Runtime.MalformedHandlerName": "name the handler as module.function, such as index.handler",
	}[ie.Type]
	if fix == "" {
		fix = "the module threw while it was loaded; fix its INIT"
	}
	return &kinds.InputError{Target: t.Name, Msg: fmt.Sprintf("%s: handler %s on %s fails its INIT, as Lambda would report it: %s: %s\n%s",
		where, h.handler, h.runtime.Name, ie.Type, firstLine(ie.Message), fix)}
}

// moduleFiles says which files the handler's module may be.
func moduleFiles(h *handlerCode) string {
	mod := h.handler[:strings.LastIndex(h.handler, ".")]
	if h.runtime.Language == runtimes.Python {
		return strings.ReplaceAll(mod, ".", "/") + ".py"
	}
	if i := strings.Index(mod[strings.LastIndex(mod, "/")+1:], "."); i >= 0 {
		mod = mod[:strings.LastIndex(mod, "/")+1+i]
	}
	return mod + ".js, " + mod + ".mjs or " + mod + ".cjs"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// handlerRecord is how the summary and the report name a handler's code:
// its form and path, a SHA-256 over the zip or the folder's files, the
// handler, the runtime asked for and the interpreter that ran.
func handlerRecord(fc scenario.FunctionCode, h *handlerCode) (*record.Code, error) {
	var sum string
	var err error
	if fc.Form == scenario.FolderCode {
		sum, err = treeSHA(fc.Path)
	} else {
		var rc *record.Code
		if rc, err = kinds.FileCode(string(fc.Form), fc.Path, fc.Path); rc != nil {
			sum = rc.SHA256
		}
	}
	if err != nil {
		return nil, err
	}
	return &record.Code{Form: string(fc.Form), Path: fc.Path, SHA256: sum,
		Handler: h.handler, Runtime: h.runtime.Name, Ran: h.runtime.Interpreter + " " + h.interp.Version}, nil
}

// treeSHA is a SHA-256 over the files under dir: each one's path and
// content, in WalkDir's (lexical) order.
func treeSHA(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil)), err
}
