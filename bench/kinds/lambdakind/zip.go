package lambdakind

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/coldbench/coldbench/bench/kinds"
)

// maxUnzipped bounds what a deployment package may extract to: Lambda's
// own limit for a zip function, 250 MB unzipped.
const maxUnzipped = 250 << 20

// extractZip extracts the deployment package zipPath into a new temporary
// folder, as Lambda does into /var/task, and returns the folder and its
// bootstrap. The package must hold an executable bootstrap at its root;
// entries that would land outside the folder, links and more than
// maxUnzipped bytes are refused. On error nothing is left behind.
func extractZip(target, zipPath string) (dir, bootstrap string, err error) {
	return extract(target, zipPath, true)
}

// extractCode extracts the deployment package of a handler's code, which
// holds no bootstrap, into a new temporary folder, as extractZip does.
func extractCode(target, zipPath string) (dir string, err error) {
	dir, _, err = extract(target, zipPath, false)
	return dir, err
}

// extract extracts zipPath, which must hold a bootstrap at its root if
// needBootstrap; bootstrap is its path then.
func extract(target, zipPath string, needBootstrap bool) (dir, bootstrap string, err error) {
	bad := func(format string, args ...any) error {
		return &kinds.InputError{Target: target, Msg: zipPath + ": " + fmt.Sprintf(format, args...)}
	}
	if _, err := os.Stat(zipPath); os.IsNotExist(err) {
		return "", "", bad("no such file; write the deployment package there (zip bootstrap.zip bootstrap) or fix the path, which is relative to the scenario file")
	}
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", "", bad("cannot read it as a zip file (%v); write it with zip bootstrap.zip bootstrap", err)
	}
	defer r.Close()
	var boot *zip.File
	var roots []string
	for _, f := range r.File {
		name := strings.TrimPrefix(f.Name, "./")
		if name == "bootstrap" {
			boot = f
		}
		if !strings.Contains(strings.TrimSuffix(name, "/"), "/") && len(roots) < 5 {
			roots = append(roots, name)
		}
	}
	if boot == nil && needBootstrap {
		hint := "it holds no files at its root"
		if len(roots) > 0 {
			hint = "its root holds " + strings.Join(roots, ", ")
		}
		if f := findNested(r.File); f != "" {
			hint = "it has " + f + ", not at the root; zip from inside that folder (cd folder && zip -r ../fn.zip .)"
		}
		return "", "", bad("no bootstrap at the root of the package (%s); Lambda's provided.al2023 runtime starts ./bootstrap", hint)
	}
	if needBootstrap && boot.Mode().IsDir() {
		return "", "", bad("bootstrap at its root is a folder, not the executable")
	}
	dir, err = os.MkdirTemp("", "coldbench-zip-")
	if err != nil {
		return "", "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
			dir, bootstrap = "", ""
		}
	}()
	var total int64
	for _, f := range r.File {
		name := filepath.FromSlash(strings.TrimPrefix(f.Name, "./"))
		dst := filepath.Join(dir, name)
		if !filepath.IsLocal(name) {
			return dir, "", bad("entry %q lands outside the package's folder; rebuild the zip from inside the folder", f.Name)
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return dir, "", err
			}
			continue
		case !mode.IsRegular():
			return dir, "", bad("entry %q is not a regular file (a link?); zip the files themselves", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return dir, "", err
		}
		n, err := extractFile(f, dst, maxUnzipped-total)
		total += n
		if err != nil {
			return dir, "", bad("entry %q: %v", f.Name, err)
		}
	}
	if needBootstrap {
		bootstrap = filepath.Join(dir, "bootstrap")
	}
	return dir, bootstrap, nil
}

// extractFile writes f to dst with f's permissions, at most limit bytes.
func extractFile(f *zip.File, dst string, limit int64) (int64, error) {
	in, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, f.Mode().Perm()|0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(in, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("the package unzips to more than Lambda's %d MB", maxUnzipped>>20)
	}
	return n, joinClose(err, out)
}

func joinClose(err error, c io.Closer) error {
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return err
}

// findNested returns the first bootstrap in a folder of files, or "".
func findNested(files []*zip.File) string {
	for _, f := range files {
		if filepath.Base(f.Name) == "bootstrap" {
			return f.Name
		}
	}
	return ""
}
