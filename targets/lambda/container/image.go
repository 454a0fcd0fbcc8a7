package container

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/build"
	"github.com/coldbench/coldbench/targets/internal/docker"
)

// ImageRepo is the repository of the images BuildImage builds.
const ImageRepo = "coldbench-lambda"

// Paths inside the image.
const (
	riePath       = "/usr/local/bin/aws-lambda-rie"
	taskRoot      = "/var/task"
	bootstrapPath = taskRoot + "/bootstrap"
)

// dockerfile describes the image: nothing but the two static binaries, so
// that nothing has to be pulled. The RIE is the entrypoint; Start passes it
// its flags and the bootstrap.
const dockerfile = `FROM scratch
LABEL ` + LabelApp + `="1"
COPY aws-lambda-rie ` + riePath + `
COPY bootstrap ` + bootstrapPath + `
WORKDIR ` + taskRoot + `
EXPOSE 8080
ENTRYPOINT ["` + riePath + `"]
CMD ["` + bootstrapPath + `"]
`

// BuildImage builds the image of the function, FROM scratch, holding the
// static RIE rieBin as its entrypoint and the function's bootstrap
// bootstrapBin (see targets/build), through testcontainers-go from a
// temporary build context, and returns its tag,
// coldbench-lambda:<the first 12 hex digits of a SHA-256 over the
// Dockerfile and both binaries>. If an image with that tag exists it
// returns at once: the tag names its content. The image is labelled
// org.coldbench=1 and kept. Nothing is pulled.
func BuildImage(ctx context.Context, rieBin, bootstrapBin string) (string, error) {
	files := []contextFile{
		{"aws-lambda-rie", rieBin},
		{"bootstrap", bootstrapBin},
	}
	// FROM scratch has no C library or loader: a dynamically linked
	// binary would fail in every container with a bare "no such file".
	for _, f := range files {
		if err := build.Static(f.src); err != nil {
			return "", fmt.Errorf("the container image needs static binaries: %w; %s", err, build.StaticHint)
		}
	}
	return buildHashed(ctx, ImageRepo, dockerfile, files, func(f contextFile) (string, error) { return f.name, nil })
}

// contextFile is a file of a build context: its name there and its source.
type contextFile struct{ name, src string }

// buildHashed builds repo:<the first 12 hex digits of a SHA-256 over
// dockerfile and each file's content under the name hashName gives it>
// from dockerfile and files, unless it exists, and returns that tag.
func buildHashed(ctx context.Context, repo, dockerfile string, files []contextFile, hashName func(contextFile) (string, error)) (string, error) {
	h := sha256.New()
	hashPart(h, "Dockerfile", strings.NewReader(dockerfile), int64(len(dockerfile)))
	for _, f := range files {
		name, err := hashName(f)
		if err != nil {
			return "", err
		}
		if err := hashFile(h, name, f.src); err != nil {
			return "", err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))[:12]

	tc, err := docker.Connect(ctx)
	if err != nil {
		return "", err
	}
	defer tc.Close()
	return buildTagged(ctx, tc, repo, sum, dockerfile, files)
}

// buildTagged builds repo:tag from dockerfile and files unless it exists, and
// returns repo:tag.
func buildTagged(ctx context.Context, tc *testcontainers.DockerProvider, repo, sum, dockerfile string, files []contextFile) (string, error) {
	tag := repo + ":" + sum
	if _, err := tc.Client().ImageInspect(ctx, tag); err == nil {
		return tag, nil
	} else if !docker.IsNotFound(err) {
		return "", fmt.Errorf("inspect image %s: %w", tag, err)
	}

	dir, err := os.MkdirTemp("", "coldbench-image-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644); err != nil {
		return "", err
	}
	for _, f := range files {
		// With its modification time, which Python's bytecode cache checks.
		if err := build.CopyFile(f.src, filepath.Join(dir, f.name)); err != nil {
			return "", err
		}
	}
	var buildLog bytes.Buffer
	built, err := tc.BuildImage(ctx, &testcontainers.ContainerRequest{
		FromDockerfile: testcontainers.FromDockerfile{
			Context:        dir,
			Repo:           repo,
			Tag:            sum,
			KeepImage:      true,
			BuildLogWriter: &buildLog,
		},
	})
	if err != nil {
		return "", fmt.Errorf("build image %s: %w\n%s", tag, err, bytes.TrimSpace(buildLog.Bytes()))
	}
	if built != tag {
		return "", fmt.Errorf("build image %s: built %s instead", tag, built)
	}
	return tag, nil
}

// hashPart adds a named part to h, framed so that parts cannot run into
// each other.
func hashPart(h hash.Hash, name string, r io.Reader, size int64) error {
	io.WriteString(h, name)
	h.Write([]byte{0})
	binary.Write(h, binary.BigEndian, size)
	_, err := io.Copy(h, r)
	return err
}

func hashFile(h hash.Hash, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := hashPart(h, name, f, fi.Size()); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
