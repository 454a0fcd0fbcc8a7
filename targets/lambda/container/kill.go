package container

import (
	"context"
	"fmt"
	"time"

	"github.com/moby/moby/client"

	"github.com/coldbench/coldbench/targets/internal/docker"
	"github.com/coldbench/coldbench/targets/lambda"
)

var _ lambda.Killer = (*Environment)(nil)

// killTimeout bounds the engine's answer to a kill.
const killTimeout = 10 * time.Second

// Kill kills the container abruptly, as a host failure would: SIGKILL to
// its processes through the engine, no graceful stop. It returns once the
// engine has sent the signal; Done is closed once the container has
// exited, and it is removed then, as when it exits on its own. Killing a
// container that has exited or is gone is no error.
func (e *Environment) Kill() error {
	select {
	case <-e.done:
		return nil
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), killTimeout)
	defer cancel()
	_, err := e.p.tc.Client().ContainerKill(ctx, e.containerID, client.ContainerKillOptions{Signal: "KILL"})
	if err == nil || docker.IsNotFound(err) || docker.IsConflict(err) { // conflict: not running
		return nil
	}
	return fmt.Errorf("environment %s: kill container %.12s: %w", e.id, e.containerID, err)
}
