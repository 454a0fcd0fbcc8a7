package container

import (
	"context"

	"github.com/testcontainers/testcontainers-go"
)

// Connect returns a testcontainers-go Docker provider as this package
// uses it (Ryuk off, no logging), for other containers coldbench starts:
// a user's server image (targets/userserver). Close it when done.
func Connect(ctx context.Context) (*testcontainers.DockerProvider, error) { return connect(ctx) }

// OwnerLabels returns the labels that make a container coldbench's and
// this process's (LabelApp, LabelOwner): Sweep removes it once this
// process is gone, whoever started it.
func OwnerLabels() (map[string]string, error) {
	o, err := self()
	if err != nil {
		return nil, err
	}
	return map[string]string{LabelApp: "1", LabelOwner: o.String()}, nil
}
