package lmikind_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lmikind"
	"github.com/coldbench/coldbench/bench/scenario"
)

const phases = "phases: [{duration: 1s, shape: idle}]\n"

func TestParseDefaults(t *testing.T) {
	s, err := scenario.Parse("x.yaml", []byte("targets:\n  mi: {kind: lmi}\n"+phases), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	got := s.Targets[0].Settings.(lmikind.Settings)
	want := lmikind.Settings{Instance: "m7g.large", MemoryMB: 2048, MemoryPerVCPU: 2, MaxConcurrency: 32, MinEnvironments: 3, MaxEnvironments: 10,
		TargetUtilization: 0.5, Period: time.Second, Timeout: 3 * time.Second, Sandbox: "auto"}
	if got.VCPUs() != 1 || got.Instance != want.Instance || got.MaxConcurrency != want.MaxConcurrency || got.MinEnvironments != 3 || got.Period != time.Second {
		t.Errorf("defaults %+v, want %+v", got, want)
	}
	if c := s.Targets[0].Classes; len(c) != 1 || c[0] != "all" {
		t.Errorf("classes %v, want all only: no cold start is on a request's path", c)
	}
}

// TestParseErrors checks the mistakes the kind reports at their line.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, entry, want string }{
		{"concurrency above 1600", "max_concurrency: 2000", `x.yaml:4: targets.mi.max_concurrency is how many requests one environment takes at once, 1 to 1600, not 2000`},
		{"concurrency 0", "max_concurrency: 0", `x.yaml:4: targets.mi.max_concurrency is how many requests one environment takes at once, 1 to 1600, not 0`},
		{"instance not allowed", "instance: c7g.large", `x.yaml:4: targets.mi.instance: Lambda Managed Instances do not run on c7g.large (C types from .xlarge, M types from .large, R types from .large); of the price file's types use c7g.xlarge, c7i.xlarge, m7g.large, m7i.large, r7g.large`},
		{"instance unknown", "instance: t4g.small", `x.yaml:4: targets.mi.instance: Lambda Managed Instances do not run on t4g.small`},
		{"min above max", "min_environments: 5\n    max_environments: 4", `x.yaml:5: targets.mi: min_environments (5) is above max_environments (4); lower the minimum or raise the maximum`},
		{"does not fit", "memory: 16384\n    instance: m7g.large", `x.yaml:4: targets.mi: an environment of 16384 MB and 8 vCPU does not fit on a m7g.large (2 vCPU, 8 GiB)`},
		{"ratio", "memory_per_vcpu: 3", `x.yaml:4: targets.mi.memory_per_vcpu is 2, 4 or 8 (GiB per vCPU), not 3`},
		{"misspelt", "max_concurency: 8", `x.yaml:4: unknown key "max_concurency" in targets.mi (did you mean "max_concurrency"?)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "targets:\n  mi:\n    kind: lmi\n    " + tc.entry + "\n" + phases
			_, err := scenario.Parse("x.yaml", []byte(src), all.Specs())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
}
