package lambdakind

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
)

// dockerRuntime runs execution environments as containers of an image built
// from the project's own binaries.
type dockerRuntime struct {
	swept int // leftover containers of dead runs removed at start

	mu     sync.Mutex
	images map[string]string // bootstrap file → its image, once built
}

// newDockerRuntime returns a dockerRuntime if a Docker engine answers. On
// the way it removes the containers that runs killed before they could
// clean up left behind.
func newDockerRuntime(ctx context.Context) (*dockerRuntime, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	removed, err := container.Sweep(ctx)
	if err != nil {
		return nil, fmt.Errorf("no Docker engine answered: %w", err)
	}
	return &dockerRuntime{swept: removed, images: map[string]string{}}, nil
}

// provider returns a container Provider of c whose environments' output
// goes to out, and what removes every container it started. For a
// bootstrap it builds the image FROM scratch with the RIE rie on first
// use (a no-op when an image of the same binaries exists); an image
// (PrepareUserImage's) runs as it is, its RIE finding its bootstrap.
func (d *dockerRuntime) provider(ctx context.Context, rie string, c *code, out io.Writer) (lambda.Provider, func(context.Context) error, error) {
	image := c.image
	opts := []container.Option{container.WithOutput(out)}
	switch {
	case c.handler != nil:
		var err error
		if image, err = d.runtimeImage(ctx, rie, c.handler); err != nil {
			return nil, nil, fmt.Errorf("building the function's image: %w", err)
		}
		client := container.RuntimeDir + "/" + filepath.Base(c.handler.client)
		opts = append(opts, container.WithBootstrap(c.handler.command(client)...))
	case image != "":
		opts = append(opts, container.WithBootstrap())
	default:
		var err error
		if image, err = d.bootstrapImage(ctx, rie, c.bootstrap); err != nil {
			return nil, nil, fmt.Errorf("building the function's image: %w", err)
		}
	}
	p, err := container.New(image, opts...)
	if err != nil {
		return nil, nil, err
	}
	return p, p.Close, nil
}

// runtimeImage returns the image of a handler's code, building it once:
// the interpreter's files from this machine, the runtime client and the
// function's folder.
func (d *dockerRuntime) runtimeImage(ctx context.Context, rie string, h *handlerCode) (string, error) {
	key := h.runtime.Name + "\x00" + h.taskRoot
	d.mu.Lock()
	defer d.mu.Unlock()
	if image, ok := d.images[key]; ok {
		return image, nil
	}
	files, err := h.interp.Files(ctx, h.runtime.Language)
	if err != nil {
		return "", err
	}
	image, err := container.BuildRuntimeImage(ctx, rie, container.RuntimeImage{Interpreter: files, Client: h.client, TaskRoot: h.taskRoot})
	if err == nil {
		d.images[key] = image
	}
	return image, err
}

// bootstrapImage returns the image of bootstrap, building it once.
func (d *dockerRuntime) bootstrapImage(ctx context.Context, rie, bootstrap string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if image, ok := d.images[bootstrap]; ok {
		return image, nil
	}
	image, err := container.BuildImage(ctx, rie, bootstrap)
	if err == nil {
		d.images[bootstrap] = image
	}
	return image, err
}

// resourceNote says what CPU a function of memoryMB gets in a container, and
// whether this machine's CPUs capped it.
func resourceNote(memoryMB int) string {
	mem, nano, capped := lambda.Resources(memoryMB, runtime.NumCPU())
	s := fmt.Sprintf("Each container gets %d MB of memory and %.2f vCPU (Lambda's 1,769 MB per vCPU)", mem>>20, float64(nano)/1e9)
	if capped {
		s += fmt.Sprintf(", capped by this machine's %d CPUs", runtime.NumCPU())
	}
	if init := lambda.InitCPUs(nano, runtime.NumCPU()); init > nano {
		s += fmt.Sprintf(", after its INIT, which runs with %.2f vCPU as measured on Lambda", float64(init)/1e9)
	}
	return s + "."
}
