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
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/build"
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
	fc := Settings(t).Code
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
	case ZipCode:
		dir, err := extractCode(t.Name, fc.Path)
		if err != nil {
			return err
		}
		c.tmp = append(c.tmp, dir)
		h.taskRoot = dir
	case FolderCode:
		switch fi, err := os.Stat(fc.Path); {
		case os.IsNotExist(err):
			return &kinds.InputError{Target: t.Name, Msg: fc.Path + ": no such folder; put the function's code there or fix the path, which is relative to the scenario file"}
		case err != nil:
			return err
		case !fi.IsDir():
			return &kinds.InputError{Target: t.Name, Msg: fc.Path + ": not a folder; code: is the folder Lambda would unpack the code into (its /var/task), and zip: a deployment package"}
		}
		// Copied, as a zip is extracted: the function sees its folder and
		// nothing above it (a package.json or node_modules of a parent,
		// which Lambda would not have), and a run writes nothing into it.
		dir, err := copyCode(t.Name, fc.Path)
		if dir != "" {
			c.tmp = append(c.tmp, dir)
		}
		if err != nil {
			return err
		}
		h.taskRoot = dir
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
	where := Settings(t).Code.Path
	fix := map[string]string{
		"Runtime.ImportModuleError":    "check the module's name in the handler and that the file is in the code (for " + h.handler + ", " + moduleFiles(h) + ")",
		"Runtime.HandlerNotFound":      "export a function of that name from the module, or fix the handler's name",
		"Runtime.UserCodeSyntaxError":  "fix the syntax error",
		"Runtime.MalformedHandlerName": "name the handler as module.function, such as index.handler",
	}[ie.Type]
	if fix == "" {
		fix = "the module threw while it was loaded; fix its INIT"
	}
	if dep := missingDependency(ie, h); dep != "" {
		fix = "the handler's module imports " + dep + ", which is not in the code: bundle it there. Lambda's own runtimes come with boto3 (Python) and the AWS SDK for JavaScript v3 (Node.js); coldbench's do not"
	}
	return &kinds.InputError{Target: t.Name, Msg: fmt.Sprintf("%s: handler %s on %s fails its INIT, as Lambda would report it: %s: %s\n%s",
		where, h.handler, h.runtime.Name, ie.Type, firstLine(ie.Message), fix)}
}

// missingDependency returns the module an ImportModuleError names when it
// is not the handler's own module (a dependency the code does not hold),
// or "".
func missingDependency(ie *runtimes.InitError, h *handlerCode) string {
	if ie.Type != "Runtime.ImportModuleError" {
		return ""
	}
	for _, mark := range []string{"No module named '", "Cannot find module '", "Cannot find package '"} {
		_, rest, ok := strings.Cut(ie.Message, mark)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(rest, "'")
		mod := h.handler[:strings.LastIndex(h.handler, ".")]
		own := strings.ReplaceAll(mod, "/", ".")
		if name == "" || name == mod || name == own || strings.HasSuffix(name, "/"+filepath.Base(mod)) || strings.HasSuffix(own, "."+name) {
			return ""
		}
		return name
	}
	return ""
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

// copyCode copies the folder src into a new temporary folder and returns
// it. A link whose target lies inside src is copied as what it points to
// (npm's node_modules/.bin, pnpm's store); one that points outside src, a
// broken one, a loop of links or more than maxUnzipped bytes is a
// *kinds.InputError. On error the folder made so far is returned too, for
// the caller to remove.
func copyCode(target, src string) (string, error) {
	root, err := filepath.EvalSymlinks(src)
	if err != nil {
		return "", &kinds.InputError{Target: target, Msg: src + ": " + err.Error() + "; fix the path, which is relative to the scenario file"}
	}
	dst, err := os.MkdirTemp("", "coldbench-code-")
	if err != nil {
		return "", err
	}
	bad := func(path, format string, args ...any) error {
		rel, _ := filepath.Rel(root, path)
		return &kinds.InputError{Target: target, Msg: fmt.Sprintf("%s: %s %s", src, rel, fmt.Sprintf(format, args...))}
	}
	var total int64
	var walk func(from, to string, open []string) error
	walk = func(from, to string, open []string) error {
		entries, err := os.ReadDir(from)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p, q := filepath.Join(from, e.Name()), filepath.Join(to, e.Name())
			real := p
			if e.Type()&fs.ModeSymlink != 0 {
				if real, err = filepath.EvalSymlinks(p); err != nil {
					return bad(p, "is a broken link; remove it or copy the file it meant")
				}
				if rel, err := filepath.Rel(root, real); err != nil || !filepath.IsLocal(rel) {
					return bad(p, "links to %s, outside the folder: Lambda would get only the folder; copy what it links to into it", real)
				}
			}
			fi, err := os.Stat(real)
			if err != nil {
				return err
			}
			switch {
			case fi.IsDir():
				if slices.Contains(open, real) {
					return bad(p, "links back to a folder it is in; remove the link")
				}
				if err := os.Mkdir(q, 0o755); err != nil {
					return err
				}
				if err := walk(real, q, append(open, real)); err != nil {
					return err
				}
			case fi.Mode().IsRegular():
				if total += fi.Size(); total > maxUnzipped {
					return bad(from, "and the rest hold more than Lambda's %d MB of code", maxUnzipped>>20)
				}
				if err := build.CopyFile(real, q); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return dst, walk(root, dst, []string{root})
}

// handlerRecord is how the summary and the report name a handler's code:
// its form and path, a SHA-256 over the zip or the folder's files, the
// handler, the runtime asked for and the interpreter that ran.
func handlerRecord(fc FunctionCode, h *handlerCode) (*record.Code, error) {
	var sum string
	var err error
	if fc.Form == FolderCode {
		sum, err = treeSHA(h.taskRoot) // the copy: links resolved
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
