package lambdakind

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds"
)

// TestCopyCode checks that a function's folder is copied with the links
// that stay inside it resolved (npm's node_modules/.bin, pnpm's store),
// and that a link out of it or a loop of links is the user's mistake.
func TestCopyCode(t *testing.T) {
	mk := func(t *testing.T) string {
		src := t.TempDir()
		for _, d := range []string{"node_modules/.pnpm/x", "node_modules/.bin"} {
			os.MkdirAll(filepath.Join(src, d), 0o755)
		}
		os.WriteFile(filepath.Join(src, "index.mjs"), []byte("export const handler = async () => 1;\n"), 0o644)
		os.WriteFile(filepath.Join(src, "node_modules/.pnpm/x/main.js"), []byte("module.exports = 1;\n"), 0o755)
		os.Symlink("../.pnpm/x/main.js", filepath.Join(src, "node_modules/.bin/x"))
		os.Symlink(".pnpm/x", filepath.Join(src, "node_modules/x"))
		return src
	}
	t.Run("links inside", func(t *testing.T) {
		dir, err := copyCode("fn", mk(t))
		defer os.RemoveAll(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"index.mjs", "node_modules/.bin/x", "node_modules/x/main.js"} {
			fi, err := os.Lstat(filepath.Join(dir, f))
			if err != nil || !fi.Mode().IsRegular() {
				t.Errorf("%s: %v %v, want a regular file", f, fi, err)
			}
		}
	})
	for _, c := range []struct{ name, link, to, want string }{
		{"link outside", "leak", "/etc/hostname", "outside the folder"},
		{"loop", "node_modules/.pnpm/x/up", "../..", "links back to a folder it is in"},
		{"broken", "gone", "nowhere", "broken link"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := mk(t)
			os.Symlink(c.to, filepath.Join(src, c.link))
			dir, err := copyCode("fn", src)
			defer os.RemoveAll(dir)
			var ie *kinds.InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("copyCode = %v, want an InputError saying %q", err, c.want)
			}
		})
	}
}
