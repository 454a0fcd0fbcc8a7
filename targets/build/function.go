package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Function writes the built-in function's bootstrap for Linux on goarch
// (amd64 or arm64) to out, as coldbench package puts it into a deployment
// zip. Inside the coldbench module (as the go command run from workDir
// finds it) it builds it as Build does, cross-compiled if need be; outside,
// the running coldbench (or self, if not empty) is the bootstrap, which it
// copies if it is a static Linux executable for goarch. It returns what it
// did, to print.
func Function(ctx context.Context, workDir, self, out, goarch string) (string, error) {
	root, ok, err := Checkout(ctx, workDir)
	if err != nil {
		return "", err
	}
	if ok {
		tmp := out + ".tmp"
		defer os.Remove(tmp)
		cmd := []string{"GOOS=linux", "GOARCH=" + goarch}
		if err := goBuildEnv(ctx, root, tmp, BootstrapPackage, cmd, "-tags", "lambda.norpc"); err != nil {
			return "", err
		}
		if err := os.Rename(tmp, out); err != nil {
			return "", err
		}
		return fmt.Sprintf("built %s for linux/%s from the module in %s", BootstrapPackage, goarch, root), nil
	}
	exe, err := selfExecutable(self)
	if err != nil {
		return "", err
	}
	problem := ""
	if err := Static(exe); err != nil {
		problem = err.Error()
	} else if arch, _ := Arch(exe); arch != goarch {
		problem = fmt.Sprintf("%s is built for linux/%s", exe, arch)
	}
	if problem != "" {
		return "", fmt.Errorf("%s, and outside a coldbench checkout the function is coldbench itself, which must then be a static linux/%s executable: install one with CGO_ENABLED=0 GOOS=linux GOARCH=%s go install %s@latest and package with it (this machine is %s/%s), or run coldbench package inside a checkout, which builds for any -arch",
			problem, goarch, goarch, CommandPackage, runtime.GOOS, runtime.GOARCH)
	}
	if err := CopyExecutable(exe, out); err != nil {
		return "", err
	}
	return fmt.Sprintf("copied %s (coldbench runs as the function when named bootstrap)", filepath.Clean(exe)), nil
}
