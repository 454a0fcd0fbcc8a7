package container

import (
	"context"

	"github.com/testcontainers/testcontainers-go"

	"github.com/coldbench/coldbench/targets/internal/docker"
)

// Labels of coldbench's images and containers. LabelApp and LabelOwner
// are every coldbench container's (targets/internal/docker); LabelEnv and
// LabelProvider are an execution environment's.
const (
	// LabelApp is "1" on every image and container of coldbench
	// (docker.LabelApp).
	LabelApp = docker.LabelApp
	// LabelOwner names the process that started a container,
	// "host:pid:start" (docker.LabelOwner): Sweep removes the containers
	// of processes that are gone.
	LabelOwner = docker.LabelOwner
	// LabelEnv is the id of the execution environment a container runs.
	LabelEnv = "org.coldbench.env"
	// LabelProvider is the random id of the Provider that started a
	// container: Provider.Close finds them by it.
	LabelProvider = "org.coldbench.provider"
)

// The engine plumbing below lives in targets/internal/docker, which only
// packages under targets may import; these forward to it for the others
// (the kinds, the harness's and the command's tests).

// Sweep removes the containers coldbench processes that are gone left,
// Lambda's and a user's server image's alike (docker.Sweep), and returns
// how many.
func Sweep(ctx context.Context) (removed int, err error) { return docker.Sweep(ctx) }

// Owner is the LabelOwner value of the containers this process starts
// (docker.Owner).
func Owner() (string, error) { return docker.Owner() }

// OwnerLabels returns the labels that make a container coldbench's and
// this process's, so that Sweep removes it once this process is gone
// (docker.OwnerLabels).
func OwnerLabels() (map[string]string, error) { return docker.OwnerLabels() }

// Connect returns a testcontainers-go Docker provider as this package
// uses it, Ryuk off and no logging (docker.Connect). Close it when done.
func Connect(ctx context.Context) (*testcontainers.DockerProvider, error) {
	return docker.Connect(ctx)
}
