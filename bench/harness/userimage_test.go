package harness_test

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/targets/testkit"
)

// buildUserImage builds, with the docker command as a user would, an image
// FROM scratch holding echofn at /var/task/bootstrap and no RIE, whose
// entrypoint is the bootstrap itself; it is removed at the end of t, with
// the thin images coldbench built over it.
func buildUserImage(t *testing.T) string {
	t.Helper()
	testkit.RequireDocker(t)
	if _, err := exec.LookPath("docker"); err != nil {
		testkit.NoDocker(t, err)
	}
	dir := t.TempDir()
	boot := testkit.BuildEchofn(t)
	if err := os.Rename(boot, filepath.Join(dir, "bootstrap")); err != nil {
		t.Fatal(err)
	}
	df := "FROM scratch\nCOPY bootstrap /var/task/bootstrap\nWORKDIR /var/task\nENTRYPOINT [\"/var/task/bootstrap\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	var id [4]byte
	rand.Read(id[:])
	tag := "coldbench-test-echofn:" + hex.EncodeToString(id[:])
	if out, err := exec.Command("docker", "build", "-q", "-t", tag, dir).CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		thin, _ := exec.Command("docker", "images", "-q", "--filter", "since="+tag, "coldbench-lambda-user").Output()
		args := append([]string{"rmi", "-f", tag}, strings.Fields(string(thin))...)
		if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
			t.Logf("docker rmi: %v\n%s", err, out)
		}
	})
	return tag
}

// imageID is the id of image, without sha256:.
func imageID(t *testing.T, image string) string {
	t.Helper()
	out, err := exec.Command("docker", "image", "inspect", "-f", "{{.Id}}", image).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "sha256:")
}

// TestUserImage runs echofn from a locally built image without an RIE, as
// containers: coldbench adds its RIE in a thin image over it.
func TestUserImage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real containers; skipped with -short")
	}
	image := buildUserImage(t)
	res, _, err := runUser(t, userScenario(t, "image: "+image), lambdakind.Container)
	if err != nil {
		t.Fatal(err)
	}
	checkUserRun(t, res, "image", image, imageID(t, image))
}

// TestUserImageErrors checks that an image that is not in the engine, and
// a bootstrap that is a script, in containers, are InputErrors before the
// run folder exists.
func TestUserImageErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real containers; skipped with -short")
	}
	testkit.RequireDocker(t)
	script := testkit.Script(t, "bootstrap", "exit 0")
	for _, tt := range []struct{ name, code, file, want string }{
		{"missing image", "image: coldbench-test-none:missing", "coldbench-test-none:missing", "not in the local Docker engine"},
		{"script in a container", "bootstrap: " + script, script, "runtime: process"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, reports, err := runUser(t, userScenario(t, tt.code), lambdakind.Container)
			checkInputError(t, err, reports, tt.file, tt.want)
		})
	}
}
