package build

import (
	"debug/elf"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
)

// StaticHint says how to get a static coldbench.
const StaticHint = "install coldbench with CGO_ENABLED=0 go install " + CommandPackage + "@latest, or run with -sandbox process"

// selfExecutable is self, or else the running executable, which must be the
// coldbench command.
func selfExecutable(self string) (string, error) {
	if self != "" {
		return filepath.Abs(self)
	}
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding coldbench's own executable: %w", err)
	}
	if bi, ok := debug.ReadBuildInfo(); !ok || bi.Path != CommandPackage {
		return "", fmt.Errorf("%s is %w (%s), so it cannot run as the built-in function and server outside a coldbench checkout; run the installed coldbench (go install %s@latest) or run inside a checkout", exe, errNotColdbench, buildPath(bi, ok), CommandPackage)
	}
	return exe, nil
}

func buildPath(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return "no build information"
	}
	return bi.Path
}

// place makes dst the executable src: a hard link if it can, else a copy,
// either through a temporary name and a rename, so that a process running
// the old dst keeps it and one starting gets the whole new one. A dst that
// already is src is left alone.
func place(src, dst string) error {
	if a, err := os.Stat(src); err != nil {
		return err
	} else if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
		return nil
	}
	tmp := fmt.Sprintf("%s.%d.tmp", dst, os.Getpid())
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		if err := CopyExecutable(src, tmp); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// CopyExecutable copies src to a new file dst, executable; dst must not
// exist.
func CopyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// CopyFile copies the regular file src to a new file dst, making dst's
// folder, with src's permissions and modification time: a copy that a
// cache keyed on times (Python's bytecode, a build's) takes for the
// original. dst must not exist.
func CopyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm()|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(dst, fi.ModTime(), fi.ModTime())
}

// Static checks that path is a statically linked Linux (ELF) executable,
// one that runs in a FROM scratch image: no program interpreter (the
// dynamic loader) and no dynamic section.
func Static(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("%s is not a Linux executable: %w", path, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			interp, _ := io.ReadAll(io.LimitReader(p.Open(), 256))
			return fmt.Errorf("%s is dynamically linked (it needs the loader %s)", path, trimNUL(interp))
		}
		if p.Type == elf.PT_DYNAMIC {
			return fmt.Errorf("%s is dynamically linked (it has a dynamic section)", path)
		}
	}
	return nil
}

// Arch is the GOARCH of the Linux executable at path: amd64, arm64, or
// the ELF machine's name for others.
func Arch(path string) (string, error) {
	f, err := elf.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s is not a Linux executable: %w", path, err)
	}
	defer f.Close()
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64", nil
	case elf.EM_AARCH64:
		return "arm64", nil
	}
	return f.Machine.String(), nil
}

func trimNUL(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
