package build_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/build"
)

func TestTargets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "new", "bin")
	var log bytes.Buffer
	b, err := build.Build(ctx, build.Config{Dir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(b.Bootstrap) != "bootstrap" {
		t.Errorf("bootstrap named %q", filepath.Base(b.Bootstrap))
	}
	for _, p := range []string{b.RIE, b.Bootstrap, b.Server} {
		if !filepath.IsAbs(p) || filepath.Dir(p) != dir {
			t.Errorf("%q is not an absolute path in %s", p, dir)
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s: not an executable (%v)", p, err)
		}
		// Container images are built FROM scratch from these.
		if err := build.Static(p); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(log.String(), "rie: built from the module") {
		t.Errorf("Build did not say where the RIE came from: %q", log.String())
	}
	root, err := build.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("ModuleRoot() = %q: %v", root, err)
	}
}

// TestRIEVersionMatchesGoMod keeps RIEVersion the version go.mod pins.
func TestRIEVersionMatchesGoMod(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var found string
	for line := range strings.SplitSeq(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == build.RIEModule {
			found = f[1]
		}
	}
	if found != build.RIEVersion {
		t.Errorf("go.mod pins %s at %q, build.RIEVersion is %q: make them the same", build.RIEModule, found, build.RIEVersion)
	}
}

// TestStatic tells a static Go binary from a dynamically linked one.
func TestStatic(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "static")
	cmd := exec.Command("go", "build", "-o", static, "../cmd/server")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := build.Static(static); err != nil {
		t.Error(err)
	}
	if arch, err := build.Arch(static); err != nil || arch == "" {
		t.Errorf("Arch(%s) = %q, %v", static, arch, err)
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to try a dynamic binary on")
	}
	sh, _ = filepath.EvalSymlinks(sh)
	if err := build.Static(sh); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
		t.Errorf("Static(%s) = %v, want dynamically linked", sh, err)
	}
	text := filepath.Join(dir, "text")
	os.WriteFile(text, []byte("#!/bin/sh\n"), 0o755)
	if err := build.Static(text); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("Static(script) = %v", err)
	}
}

// TestBuildOutsideModule checks that outside the module Build provides the
// bootstrap and the server from the executable it is given, and the RIE
// from -rie, PATH or the cache, in that order, and says which.
func TestBuildOutsideModule(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	self := filepath.Join(tmp, "coldbench")
	os.WriteFile(self, []byte("self"), 0o755)
	mkRIE := func(dir string) string {
		os.MkdirAll(dir, 0o755)
		p := filepath.Join(dir, build.RIEName)
		os.WriteFile(p, []byte("rie in "+dir), 0o755)
		return p
	}
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	cached, err := build.RIECache()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(tmp, "cache", "coldbench", build.RIEVersion, build.RIEName); cached != want {
		t.Errorf("RIECache() = %s, want %s", cached, want)
	}
	mkRIE(filepath.Dir(cached))
	onPath := mkRIE(filepath.Join(tmp, "path"))
	flag := mkRIE(filepath.Join(tmp, "flag"))
	elsewhere := filepath.Join(tmp, "elsewhere") // no go.mod: not the module
	os.MkdirAll(elsewhere, 0o755)
	bin := filepath.Join(tmp, "bin")
	for _, tc := range []struct {
		flag, path, want, how string
	}{
		{flag, filepath.Dir(onPath), flag, "(-rie)"},
		{"", filepath.Dir(onPath) + string(os.PathListSeparator) + os.Getenv("PATH"), onPath, "(found on PATH)"},
		{"", os.Getenv("PATH"), cached, "(from the cache)"},
	} {
		t.Setenv("PATH", tc.path)
		var log bytes.Buffer
		b, err := build.Build(ctx, build.Config{Dir: bin, RIE: tc.flag, Self: self, WorkDir: elsewhere, Log: &log})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log.String(), "rie: "+tc.want+" "+tc.how) {
			t.Errorf("log %q does not say rie: %s %s", log.String(), tc.want, tc.how)
		}
		for file, from := range map[string]string{b.RIE: tc.want, b.Bootstrap: self, b.Server: self} {
			got, _ := os.ReadFile(file)
			want, _ := os.ReadFile(from)
			if !bytes.Equal(got, want) || filepath.Dir(file) != bin {
				t.Errorf("%s holds %q, want %q (from %s)", file, got, want, from)
			}
		}
		if !strings.Contains(log.String(), "is not a Linux executable") {
			t.Errorf("no note that %s is not static: %q", self, log.String())
		}
	}
	if _, ok, err := build.Checkout(ctx, elsewhere); ok || err != nil {
		t.Errorf("Checkout(%s) = %v, %v: want not the module", elsewhere, ok, err)
	}
	other := filepath.Join(tmp, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.com/other\n\ngo 1.22\n"), 0o644)
	if _, ok, err := build.Checkout(ctx, other); ok || err != nil {
		t.Errorf("Checkout(%s), another module, = %v, %v: want not the module", other, ok, err)
	}
}
