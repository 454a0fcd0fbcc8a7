package serverkind

import (
	"context"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/scenario"
)

// prepareImage will check a server image; until images run, it says so.
func prepareImage(ctx context.Context, t scenario.Target) error {
	return &kinds.InputError{Target: t.Name, Msg: "image: server images do not run yet; use command"}
}

func startImage(ctx context.Context, t scenario.Target, env kinds.Env) (kinds.Running, error) {
	return nil, prepareImage(ctx, t)
}
