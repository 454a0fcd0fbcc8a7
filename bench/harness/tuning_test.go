package harness

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/tuning"
	"github.com/coldbench/coldbench/bench/verdict"
)

func TestSweepObjectivesGate(t *testing.T) {
	// fn/warm p99 < 50ms, written for the sweep fn, breaks at 128 MB and
	// is met at 512 MB; api p99 < 10ms is met.
	outcomes := []verdict.Outcome{
		{Objective: "fn-128/warm p99 < 50ms", Target: "fn-128", Sweep: "fn", Value: 90, Limit: 50, Unit: "ms"},
		{Objective: "fn-512/warm p99 < 50ms", Target: "fn-512", Sweep: "fn", Value: 20, Limit: 50, Unit: "ms", Met: true},
		{Objective: "api p99 < 10ms", Target: "api", Value: 5, Limit: 10, Unit: "ms", Met: true},
	}
	// A size meets every objective of the sweep: the gate passes.
	if err := objectivesError(outcomes, []verdict.BestSize{{Sweep: "fn", Target: "fn-512", MemoryMB: 512}}); err != nil {
		t.Errorf("gate with a size that meets them: %v", err)
	}
	// None does: the broken copies fail it.
	err := objectivesError(outcomes, []verdict.BestSize{{Sweep: "fn"}})
	if !errors.Is(err, ErrObjectivesBroken) || !strings.Contains(err.Error(), "fn-128/warm p99 < 50ms") {
		t.Errorf("gate without a size that meets them: %v", err)
	}
	// An objective naming one size gates as any other.
	outcomes[0].Sweep = ""
	if err := objectivesError(outcomes, []verdict.BestSize{{Sweep: "fn", Target: "fn-512"}}); !errors.Is(err, ErrObjectivesBroken) {
		t.Errorf("an objective naming fn-128 itself: %v, want it broken", err)
	}
}

func TestPrintSizes(t *testing.T) {
	var b bytes.Buffer
	printSizes(&b, []verdict.BestSize{{Sweep: "fn", Target: "fn-512", MemoryMB: 512, Monthly: 26.4, Priced: true}, {Sweep: "gn"}},
		[]tuning.Sweep{{Base: "fn", Weight: 0.5, Choices: []tuning.Choice{
			{Strategy: tuning.Cost, Target: "fn-512", MemoryMB: 512}, {Strategy: tuning.Speed, Target: "fn-1769", MemoryMB: 1769},
			{Strategy: tuning.Balanced, Target: "fn-1769", MemoryMB: 1769},
		}}})
	want := "best size of fn: 512 MB (fn-512), the cheapest of its sizes that meets every objective naming it, $26.40/month\n" +
		"best size of gn: none of its sizes meets every objective naming it\n" +
		"power tuning of fn (duration: corrected p99 of all requests): cost 512 MB, speed 1769 MB, balanced (weight 0.5) 1769 MB\n"
	if got := b.String(); got != want {
		t.Errorf("printSizes:\n%s\nwant\n%s", got, want)
	}
}
