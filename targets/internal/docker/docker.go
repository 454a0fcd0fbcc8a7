// Package docker is the Docker engine plumbing that Lambda's execution
// environments (targets/lambda/container) and a user's server image
// (targets/userserver) share: connecting to the engine through
// testcontainers-go, the labels that mark coldbench's containers and the
// process that owns them, removing and listing containers, publishing a
// port on loopback, and sweeping the containers a killed coldbench left.
// What each kind of container does with the engine stays in its package.
//
// testcontainers-go's reaper, Ryuk, is not used: it is a container whose
// image may not be pullable (there may be no registry). Containers are
// removed by their owners and, for those of a coldbench that died
// (kill -9), by Sweep. The first Connect sets
// TESTCONTAINERS_RYUK_DISABLED=true for the process unless it is set.
package docker

import (
	"context"
	"fmt"
	"net/netip"
	"os"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Labels of every image and container coldbench makes.
const (
	// LabelApp is "1" on every image and container of coldbench.
	LabelApp = "org.coldbench"
	// LabelOwner names the process that started a container,
	// "host:pid:start" with the process's start time in clock ticks after
	// boot: Sweep removes the containers of processes that are gone.
	LabelOwner = "org.coldbench.owner"
)

// ryukDisabledVar turns off testcontainers-go's reaper, Ryuk: it runs as a
// container whose image would have to be pulled, and there may be no
// registry. Containers are removed by their owners and Sweep instead.
const ryukDisabledVar = "TESTCONTAINERS_RYUK_DISABLED"

// Connect returns a testcontainers-go Docker provider, whose client talks
// to the engine testcontainers-go finds (DOCKER_HOST,
// ~/.testcontainers.properties, the default socket), with no logging.
// First, if TESTCONTAINERS_RYUK_DISABLED is unset, it sets it to true for
// the whole process: testcontainers-go reads its configuration once, at
// its first use, so this must come before any other testcontainers-go
// call. Close the provider when done.
func Connect(ctx context.Context) (*testcontainers.DockerProvider, error) {
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

// Remove removes container id, killing it first if it runs. A container
// that is gone already, or whose removal is under way, is no error.
func Remove(ctx context.Context, c client.APIClient, id string) error {
	_, err := c.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	if err == nil || IsNotFound(err) || IsConflict(err) {
		return nil
	}
	return fmt.Errorf("remove container %.12s: %w", id, err)
}

// IsNotFound says whether the engine answered 404: no such image or
// container.
func IsNotFound(err error) bool { return cerrdefs.IsNotFound(err) }

// IsConflict says whether the engine answered 409, for instance "removal
// of container ... is already in progress" or, to a kill, "container ...
// is not running".
func IsConflict(err error) bool { return cerrdefs.IsConflict(err) }

// ListByLabel lists the containers, running or not, that carry all the
// labels ("key=value"), as id → labels.
func ListByLabel(ctx context.Context, c client.APIClient, labels ...string) (map[string]map[string]string, error) {
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

// PublishLoopback is the port bindings that publish the container's port
// ("8080/tcp") on a port of 127.0.0.1 the engine chooses (read it with
// MappedPort): never on the machine's other addresses.
func PublishLoopback(port string) network.PortMap {
	return network.PortMap{network.MustParsePort(port): {{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: "0"}}}
}
