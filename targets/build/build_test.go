package build_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/build"
)

func TestTargets(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "new", "bin")
	b, err := build.Targets(ctx, dir)
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
	}
	root, err := build.ModuleRoot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("ModuleRoot() = %q: %v", root, err)
	}
}
