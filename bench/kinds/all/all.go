// Package all lists coldbench's kinds of target: the one place a new
// kind's package is named. The scenario parser learns the kinds from it
// (Specs), and the harness runs them (Kinds).
package all

import (
	"fmt"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/lmikind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/kinds/urlkind"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Options are the command line's choices for the kinds of one run.
type Options struct {
	// Sandbox, if not empty, overrides where every Lambda function's
	// environments run: auto, container or process (coldbench run
	// -sandbox).
	Sandbox string
}

// Kinds returns the kinds for one run, in the order messages name them;
// an error says what is wrong with o.
func Kinds(o Options) (kinds.Registry, error) {
	var sandbox lambdakind.Sandbox
	if o.Sandbox != "" {
		var err error
		if sandbox, err = lambdakind.ParseSandbox(o.Sandbox); err != nil {
			return nil, fmt.Errorf("-sandbox must be auto, container or process, not %q", o.Sandbox)
		}
	}
	return kinds.Registry{
		lambdakind.New(sandbox),
		lmikind.New(string(sandbox)),
		serverkind.Kind{},
		urlkind.Kind{},
	}, nil
}

// Specs returns what the scenario parser knows of the kinds.
func Specs() scenario.Specs {
	r, _ := Kinds(Options{})
	return r.Specs()
}
