package container

import (
	"context"
	"fmt"
	"os"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Labels of coldbench's images and containers.
const (
	// LabelApp is "1" on every image and container of coldbench.
	LabelApp = "org.coldbench"
	// LabelOwner names the process that started a container,
	// "host:pid:start" with the process's start time in clock ticks after
	// boot: Sweep removes the containers of processes that are gone.
	LabelOwner = "org.coldbench.owner"
	// LabelEnv is the id of the execution environment a container runs.
	LabelEnv = "org.coldbench.env"
	// LabelProvider is the random id of the Provider that started a
	// container: Provider.Close finds them by it.
	LabelProvider = "org.coldbench.provider"
)

// ryukDisabledVar turns off testcontainers-go's reaper, Ryuk: it runs as a
// container whose image would have to be pulled, and there may be no
// registry. Containers are removed by Stop, Close and Sweep instead.
const ryukDisabledVar = "TESTCONTAINERS_RYUK_DISABLED"

// connect returns a testcontainers-go Docker provider, whose client talks
// to the engine testcontainers-go finds (DOCKER_HOST,
// ~/.testcontainers.properties, the default socket). First, if
// TESTCONTAINERS_RYUK_DISABLED is unset, it sets it to true for the whole
// process: testcontainers-go reads its configuration once, at its first
// use, so this must come before any other testcontainers-go call.
func connect(ctx context.Context) (*testcontainers.DockerProvider, error) {
	if _, set := os.LookupEnv(ryukDisabledVar); !set {
		if err := os.Setenv(ryukDisabledVar, "true"); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tc, err := testcontainers.NewDockerProvider(testcontainers.WithLogger(tclog.NewNoopLogger()))
	if err != nil {
		return nil, fmt.Errorf("no Docker engine: %w", err)
	}
	return tc, nil
}

// remove removes container id, killing it first if it runs. A container
// that is gone already, or whose removal is under way, is no error.
func remove(ctx context.Context, c client.APIClient, id string) error {
	_, err := c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	if err == nil || isNotFound(err) || isConflict(err) {
		return nil
	}
	return fmt.Errorf("remove container %.12s: %w", id, err)
}

// isNotFound says whether the engine answered 404.
func isNotFound(err error) bool { return cerrdefs.IsNotFound(err) }

// isConflict says whether the engine answered 409, for instance "removal
// of container ... is already in progress".
func isConflict(err error) bool { return cerrdefs.IsConflict(err) }

// listByLabel lists the containers, running or not, that carry all the
// labels ("key=value"), as id → labels.
func listByLabel(ctx context.Context, c client.APIClient, labels ...string) (map[string]map[string]string, error) {
	res, err := c.ContainerList(ctx, client.ContainerListOptions{
		All:     true,
		Filters: make(client.Filters).Add("label", labels...),
	})
	if err != nil {
		return nil, err
	}
	found := make(map[string]map[string]string, len(res.Items))
	for _, s := range res.Items {
		found[s.ID] = s.Labels
	}
	return found, nil
}
