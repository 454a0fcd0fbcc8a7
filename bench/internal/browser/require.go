package browser

import (
	"os"
	"testing"
)

// Require returns the path of the Chromium that Check will run, or ends t
// if none is installed: it skips t, unless the environment variable CI is
// "true", where a browser must be there (.ci/run installs one) and t fails
// instead. It is the convention of targets/testkit's RequireDocker.
func Require(t testing.TB) string {
	t.Helper()
	path, err := Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v, and CI=true requires one (apt-get install chromium)", err)
		}
		t.Skipf("skipped: %v; with CI=true this fails instead", err)
	}
	return path
}
