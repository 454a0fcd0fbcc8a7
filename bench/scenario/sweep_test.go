package scenario_test

import (
	"slices"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"

	"github.com/coldbench/coldbench/bench/scenario"
)

func TestParseSweep(t *testing.T) {
	tests := []struct {
		name, entry string
		want        []int
		weight      float64
	}{
		{"default", "sweep: default", []int{128, 256, 512, 1024, 1536, 3008}, 0.5},
		{"list", "sweep: [128, 1769, 512]", []int{128, 1769, 512}, 0.5},
		{"mapping", "sweep: {memory: [256, 10240], weight: 0.25}", []int{256, 10240}, 0.25},
		{"mapping default", "sweep: {weight: 1}", []int{128, 256, 512, 1024, 1536, 3008}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "targets:\n  fn: {kind: lambda, request_work: 4ms, " + tt.entry + "}\n  api: {kind: server}\n" +
				"objectives: [fn/warm p99 < 100ms, api p99 < 10ms]\n" + idle
			s, err := scenario.Parse("x.yaml", []byte(src), all.Specs())
			if err != nil {
				t.Fatal(err)
			}
			var names, objectives []string
			for i, mb := range tt.want {
				tg := s.Targets[i]
				names = append(names, tg.Name)
				if lambdakind.Settings(tg).MemoryMB != mb || tg.Sweep != (scenario.Sweep{Base: "fn", MemoryMB: mb, Weight: tt.weight}) || tg.Line != 2 || lambdakind.Settings(tg).Work.Request == 0 {
					t.Errorf("target %d: %s, %d MB, sweep %+v, line %d, work %v; want %d MB of fn, weight %g, line 2",
						i, tg.Name, lambdakind.Settings(tg).MemoryMB, tg.Sweep, tg.Line, lambdakind.Settings(tg).Work, mb, tt.weight)
				}
				objectives = append(objectives, scenario.SweptName("fn", mb)+"/warm p99 < 100ms")
			}
			names = append(names, "api")
			objectives = append(objectives, "api p99 < 10ms")
			if got := s.Names(); !slices.Equal(got, names) {
				t.Errorf("targets %v, want %v", got, names)
			}
			var got []string
			for _, o := range s.Objectives {
				got = append(got, o.Text)
				if o.Line != 4 {
					t.Errorf("objective %q at line %d, want 4", o.Text, o.Line)
				}
				if want := map[bool]string{true: "", false: "fn"}[o.Target == "api"]; o.Sweep != want {
					t.Errorf("objective %q: sweep %q, want %q", o.Text, o.Sweep, want)
				}
			}
			if !slices.Equal(got, objectives) {
				t.Errorf("objectives %q, want %q", got, objectives)
			}
			bases, sizes := s.Sweeps()
			if !slices.Equal(bases, []string{"fn"}) || len(sizes["fn"]) != len(tt.want) {
				t.Errorf("Sweeps() = %v, %d sizes of fn; want [fn], %d", bases, len(sizes["fn"]), len(tt.want))
			}
			if s.Target("api").Sweep.Base != "" {
				t.Errorf("api has sweep %+v", s.Target("api").Sweep)
			}
		})
	}
}

func TestParseSweepErrors(t *testing.T) {
	entry := func(lines string) string { return "targets:\n  fn:\n    kind: lambda\n" + lines + idle }
	tests := []struct{ name, src, want string }{
		{"too small", entry("    sweep: [64, 512]\n"),
			"x.yaml:4: targets.fn.sweep: 64 MB is outside Lambda's memory sizes; sweep sizes from 128 to 10240 MB"},
		{"too large", entry("    sweep: {memory: [512, 20480]}\n"),
			"x.yaml:4: targets.fn.sweep: 20480 MB is outside Lambda's memory sizes; sweep sizes from 128 to 10240 MB"},
		{"twice", entry("    sweep:\n      - 512\n      - 1024\n      - 512\n"),
			"x.yaml:7: targets.fn.sweep lists 512 MB twice; remove one"},
		{"not a number", entry("    sweep: [512, 1GB]\n"),
			`x.yaml:4: a memory size of targets.fn.sweep must be a whole number, not the string "1GB"`},
		{"empty", entry("    sweep: []\n"),
			"x.yaml:4: targets.fn.sweep lists no memory size; list at least one, such as [128, 512, 1769], or write sweep: default"},
		{"a word", entry("    sweep: all\n"),
			`x.yaml:4: targets.fn.sweep must be default or a list of memory sizes in MB, such as [128, 512, 1769], not the string "all"`},
		{"with memory", entry("    memory: 512\n    sweep: default\n"),
			"x.yaml:4: targets.fn: sweep sets the memory of each of its targets; remove memory: 512, or the sweep"},
		{"weight", entry("    sweep: {weight: 2}\n"),
			"x.yaml:4: targets.fn.sweep.weight is the balanced strategy's weight of cost, from 0 (only speed) to 1 (only cost), not 2"},
		{"unknown key", entry("    sweep: {sizes: [128]}\n"),
			`x.yaml:4: unknown key "sizes" in targets.fn.sweep; valid keys are memory and weight`},
		{"on a server", "targets:\n  api:\n    kind: server\n    sweep: default\n" + idle,
			"x.yaml:4: targets.api: only a lambda target sweeps its memory; remove sweep, or make api kind: lambda"},
		{"name too long", "targets:\n  a-function-with-a-long-name-xx:\n    kind: lambda\n    sweep: [1024]\n" + idle,
			`x.yaml:2: targets.a-function-with-a-long-name-xx: the sweep names its targets a-function-with-a-long-name-xx-<MB>, and a target's name is 1 to 32 characters, not "a-function-with-a-long-name-xx-1024"; shorten the target's name`},
		{"name taken", "targets:\n  fn: {kind: lambda, sweep: [128, 256]}\n  fn-256: {kind: server}\n" + idle,
			`x.yaml:2: target "fn-256" (256 MB of sweep fn) is named twice (also at line 3); give the other target another name, or sweep other sizes`},
		{"too many", "targets:\n  a: {kind: lambda, sweep: default}\n  b: {kind: lambda, sweep: default}\n  c: {kind: lambda, sweep: default}\n" + idle,
			"x.yaml:2: targets makes 18 targets with its sweeps; a scenario runs at most 16, so sweep fewer memory sizes or split it in two"},
		{"objective on a size not swept", "targets:\n  fn: {kind: lambda, sweep: [128]}\nobjectives: [fn-256 p99 < 1s]\n" + idle,
			`x.yaml:3: objective "fn-256 p99 < 1s": the scenario has no target "fn-256"; its targets are fn-128`},
		{"sweep in the shorthand", "function: {sweep: default}\n" + idle,
			`x.yaml:1: unknown key "sweep" in function; valid keys are runtime, sandbox, handler, memory, timeout, keepalive, max_lifetime, concurrency, provisioned, scaling, init_work, request_work, request_wait, env, faults, pool, platform, bootstrap, zip, image and code`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tt.src), all.Specs())
			if err == nil {
				t.Fatalf("no error; got %+v", s)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
