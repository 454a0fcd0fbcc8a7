package container

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"strings"

	dcontainer "github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/lambda"
)

// UserImageRepo is the repository of the thin images UserImage builds
// over a user's image that has no RIE as its entrypoint.
const UserImageRepo = "coldbench-lambda-user"

// WithBootstrap sets the command the RIE starts in each container: a
// bootstrap, a path inside the image, and its arguments, the last of
// which the RIE takes for the handler (_HANDLER) when there are any (a
// runtime client on an interpreter, see BuildRuntimeImage). None lets
// the RIE look for a bootstrap where Lambda does: the working directory's
// bootstrap (/var/task/bootstrap), /opt/bootstrap and
// /var/runtime/bootstrap, which is what a user's image needs. The
// default is BuildImage's /var/task/bootstrap.
func WithBootstrap(cmd ...string) Option {
	return func(p *Provider) {
		p.cmd = []string{"--log-level", lambda.RIELogLevel}
		for _, c := range cmd {
			if c != "" {
				p.cmd = append(p.cmd, c)
			}
		}
	}
}

// MissingImageError is a user's image that is not in the Docker engine:
// it is never pulled.
type MissingImageError struct{ Image string }

func (e *MissingImageError) Error() string {
	return fmt.Sprintf("image %s is not in the local Docker engine (coldbench never pulls); build or load it first (docker build -t %s ., or docker load), or check its name with docker images", e.Image, e.Image)
}

// UserImage is a user's Lambda image, ready to run.
type UserImage struct {
	Name string // as the scenario names it
	ID   string // its content id, sha256:...
	// Run is the image environments start: Name itself when its
	// entrypoint is the RIE, else a thin image over it (AddedRIE says
	// whether that image adds coldbench's RIE, because the user's has
	// none at /usr/local/bin/aws-lambda-rie).
	Run      string
	AddedRIE bool
}

// PrepareUserImage finds the user's image name in the engine (a
// *MissingImageError if it is not there), checks that it is built for
// this machine's architecture, and returns what to run: the image itself
// if its entrypoint is the RIE, else a thin image built FROM it (tagged
// by the hash of its id and coldbench's inputs, so built once) whose
// entrypoint is the image's own RIE, or the static RIE rieBin that it
// adds when the image has none. Run with WithBootstrap() either way, so
// that the RIE finds the image's bootstrap where Lambda does.
func PrepareUserImage(ctx context.Context, name, rieBin string) (UserImage, error) {
	u := UserImage{Name: name}
	tc, err := docker.Connect(ctx)
	if err != nil {
		return u, err
	}
	defer tc.Close()
	c := tc.Client()
	info, err := c.ImageInspect(ctx, name)
	if err != nil {
		if docker.IsNotFound(err) {
			return u, &MissingImageError{Image: name}
		}
		return u, fmt.Errorf("inspect image %s: %w", name, err)
	}
	u.ID = info.ID
	if a := info.Architecture; a != "" && a != runtime.GOARCH {
		return u, fmt.Errorf("image %s is built for %s, this machine runs %s; build it for linux/%s (docker build --platform linux/%s)", name, a, runtime.GOARCH, runtime.GOARCH, runtime.GOARCH)
	}
	var entrypoint []string
	workdir := ""
	if info.Config != nil {
		entrypoint, workdir = info.Config.Entrypoint, info.Config.WorkingDir
	}
	if len(entrypoint) > 0 && entrypoint[0] == riePath {
		u.Run = name
		return u, nil
	}
	has, err := hasFile(ctx, c, info.ID, riePath)
	if err != nil {
		return u, fmt.Errorf("image %s: look for its RIE: %w", name, err)
	}
	u.AddedRIE = !has
	if workdir == "" {
		workdir = taskRoot
	}
	df := "FROM " + name + "\nLABEL " + LabelApp + "=\"1\"\n"
	var files []contextFile
	if u.AddedRIE {
		df += "COPY aws-lambda-rie " + riePath + "\n"
		files = append(files, contextFile{"aws-lambda-rie", rieBin})
	}
	df += "WORKDIR " + workdir + "\nENV LAMBDA_TASK_ROOT=" + taskRoot + "\nEXPOSE 8080\nENTRYPOINT [\"" + riePath + "\"]\nCMD []\n"
	h := sha256.New()
	hashPart(h, "image", strings.NewReader(info.ID), int64(len(info.ID)))
	hashPart(h, "Dockerfile", strings.NewReader(df), int64(len(df)))
	for _, f := range files {
		if err := hashFile(h, f.name, f.src); err != nil {
			return u, err
		}
	}
	u.Run, err = buildTagged(ctx, tc, UserImageRepo, hex.EncodeToString(h.Sum(nil))[:12], df, files)
	return u, err
}

// hasFile reports whether image holds a file at path: it creates a
// container of it, never started, and asks the engine.
func hasFile(ctx context.Context, c client.APIClient, image, path string) (bool, error) {
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config: &dcontainer.Config{Image: image, Entrypoint: []string{path}, Labels: map[string]string{LabelApp: "1"}},
	})
	if err != nil {
		return false, err
	}
	defer c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	st, err := c.ContainerStatPath(ctx, created.ID, client.ContainerStatPathOptions{Path: path})
	if docker.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !st.Stat.Mode.IsDir(), nil
}
