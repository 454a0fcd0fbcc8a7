package harness

import (
	"context"
	"errors"
	"io"

	"github.com/coldbench/coldbench/targets/lambda"
)

// dockerRuntime runs execution environments as containers.
type dockerRuntime struct{}

// newDockerRuntime returns a dockerRuntime if a Docker engine answers.
func newDockerRuntime(ctx context.Context) (*dockerRuntime, error) {
	return nil, errors.New("container runtime not built yet")
}

func (d *dockerRuntime) provider(ctx context.Context, rie, bootstrap string, out io.Writer) (lambda.Provider, func(context.Context) error, error) {
	return nil, nil, errors.New("container runtime not built yet")
}
