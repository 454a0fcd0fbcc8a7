package container

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/lambda/runtimes"
)

// RuntimeImageRepo is the repository of the images BuildRuntimeImage
// builds.
const RuntimeImageRepo = "coldbench-lambda-runtime"

// RuntimeDir is where a runtime image holds its runtime client, as
// Lambda's managed runtimes hold theirs.
const RuntimeDir = "/var/runtime"

// RuntimeImage is what an image of a function on a managed runtime holds
// besides the RIE: the interpreter's tree, copied from this machine to
// the same paths (runtimes.Interpreter.Files), the runtime client, in
// RuntimeDir, and the function's folder, as /var/task.
type RuntimeImage struct {
	Interpreter []runtimes.File
	Client      string // the client's file here
	TaskRoot    string // the function's folder here
}

// runtimeDockerfile lays the parts out in layers from the one that
// changes least: the interpreter's layer is the same for every function
// of an interpreter, and the engine keeps one copy of it.
const runtimeDockerfile = `FROM scratch
LABEL ` + LabelApp + `="1"
COPY rootfs/ /
COPY aws-lambda-rie ` + riePath + `
COPY runtime/ ` + RuntimeDir + `/
COPY task/ ` + taskRoot + `/
WORKDIR ` + taskRoot + `
EXPOSE 8080
ENTRYPOINT ["` + riePath + `"]
`

// BuildRuntimeImage builds the image of ri FROM scratch with the static
// RIE rieBin as its entrypoint, and returns its tag,
// coldbench-lambda-runtime:<the first 12 hex digits of a SHA-256 over
// the Dockerfile and every file's path and content, and the interpreter's
// files' modification times>. An image of that tag
// is used as it is. Run it with WithBootstrap(Command(...)), the
// interpreter at its path here and the client in RuntimeDir. Nothing is
// pulled.
func BuildRuntimeImage(ctx context.Context, rieBin string, ri RuntimeImage) (string, error) {
	if err := build.Static(rieBin); err != nil {
		return "", fmt.Errorf("the container image needs a static RIE: %w; %s", err, build.StaticHint)
	}
	var files []contextFile
	for _, f := range ri.Interpreter {
		files = append(files, contextFile{name: filepath.Join("rootfs", f.Dst), src: f.Src})
	}
	files = append(files,
		contextFile{name: "aws-lambda-rie", src: rieBin},
		contextFile{name: filepath.Join("runtime", filepath.Base(ri.Client)), src: ri.Client})
	task, err := treeFiles(ri.TaskRoot, "task")
	if err != nil {
		return "", err
	}
	files = append(files, task...)
	slices.SortFunc(files, func(a, b contextFile) int { return strings.Compare(a.name, b.name) })

	return buildHashed(ctx, RuntimeImageRepo, runtimeDockerfile, files, func(f contextFile) (string, error) {
		if !strings.HasPrefix(f.name, "rootfs/") {
			return f.name, nil
		}
		// The interpreter's files with their modification times, which the
		// image keeps (build.CopyFile) and Python's bytecode cache checks; the
		// code's and the client's, extracted or written afresh for each
		// run, by content only, so that the same code is the same image.
		fi, err := os.Stat(f.src)
		if err != nil {
			return "", err
		}
		return f.name + "@" + fi.ModTime().UTC().Format(time.RFC3339Nano), nil
	})
}

// treeFiles lists the regular files under dir, each named under prefix.
// A link is refused: the image would hold what it points to here, or
// nothing.
func treeFiles(dir, prefix string) ([]contextFile, error) {
	var out []contextFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file (a link?); copy the file itself into the function's folder", path)
		}
		out = append(out, contextFile{name: filepath.Join(prefix, rel), src: path})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no files", dir)
	}
	return out, nil
}
