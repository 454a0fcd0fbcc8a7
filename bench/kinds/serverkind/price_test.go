package serverkind

import (
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/cost"
)

// TestScaled checks that a server's usage scales to a whole trace's
// requests by its measured capacity, and says why it cannot without one.
func TestScaled(t *testing.T) {
	u := serverUsageOf{cost.ServerUsage{Requests: 100, Served: 98, CPUSeconds: 2, Source: "proc"}}
	got, why := u.Scaled(1000)
	s, ok := got.(serverUsageOf)
	if !ok || s.u.Requests != 1000 || s.u.Served != 980 || s.u.CPUSeconds != 20 || !strings.Contains(s.u.Source, "scaled by 10") || why == "" {
		t.Errorf("Scaled(1000) = %+v, %q", got, why)
	}
	if got, why := (serverUsageOf{}).Scaled(1000); got != nil || why == "" {
		t.Errorf("Scaled of a run that sent nothing = %+v, %q; want nil and why", got, why)
	}
}
