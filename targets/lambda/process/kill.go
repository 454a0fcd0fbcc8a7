package process

import (
	"errors"
	"fmt"
	"syscall"

	"github.com/coldbench/coldbench/targets/lambda"
)

var _ lambda.Killer = (*Environment)(nil)

// Kill kills the environment abruptly, as a host failure would: SIGKILL to
// every process of its session, the RIE and the bootstrap, with no SIGTERM
// and no grace period. It returns once the signals are sent; the RIE is
// reaped, its ports freed and Done closed in the background, as when it
// exits on its own. Killing an environment that has exited is no error.
func (e *Environment) Kill() error {
	select {
	case <-e.done:
		return nil
	default:
	}
	// The RIE first, so that an invoke in flight fails at once; then the
	// rest of its session, the bootstrap in its own process group.
	err := syscall.Kill(-e.sid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		err = nil
	}
	killSession(e.sid, 0)
	if err != nil {
		return fmt.Errorf("environment %s: kill RIE pid %d: %w", e.id, e.sid, err)
	}
	return nil
}
