package scenario_test

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestLoadFull(t *testing.T) {
	s, err := scenario.Load("testdata/full.yaml", all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	costs := cost.Config{
		Architecture: cost.ARM64, Instance: "c7g.large", MinInstances: 2, TargetUtilization: 0.5,
		LambdaFrontDoor: cost.HTTPAPI, ServerFrontDoor: cost.ALB,
		Prices: cost.Overrides{
			LambdaRequestPerMillion: new(0.25), LambdaGBSecond: new(0.00002),
			LambdaProvisionedGBSecond: new(0.000004), LambdaProvisionedExecutionGBSecond: new(0.000009),
			InstanceHourly:           new(0.08),
			HTTPAPIRequestPerMillion: new(0.9), ALBHourly: new(0.0252), ALBLCUHourly: new(0.008),
		},
	}
	want := &scenario.Scenario{
		Name:        "full",
		Description: "Cold starts at start-up and after an idle gap.",
		Path:        "testdata/full.yaml",
		Concurrent:  true,
		Targets: []scenario.Target{
			{Name: "lambda", Kind: lambdakind.Name, Cost: costs,
				Classes: []string{"all", "cold", "warm", "provisioned"}, ColdHeader: lambda.HeaderCold, Routed: true,
				Settings: lambdakind.FunctionConfig{
					Runtime:      lambdakind.Process,
					MemoryMB:     1024,
					Timeout:      30 * time.Second,
					Keepalive:    10 * time.Second,
					KeepaliveMax: 20 * time.Second,
					MaxLifetime:  time.Hour,
					Provisioned:  2,
					ScaleRate:    5,
					ScaleWindow:  time.Second,
					Faults:       lambdakind.Faults{Crash: 0.01, Panic: 0.02, Timeout: 0.005, InitFailure: 0.1, KillEvery: 30 * time.Second},
					Concurrency:  20,
					Pool:         4,
					Platform:     lambda.Delay{P50: 50 * time.Millisecond, P99: 200 * time.Millisecond, Max: time.Second},
					Work:         scenario.Work{Init: 150 * time.Millisecond, Request: 2 * time.Millisecond},
					Env:          map[string]string{"LOG_LEVEL": "info", "RETRIES": "3", "DEBUG": "false", "EMPTY": ""},
				},
			},
			{Name: "server", Kind: serverkind.Name, Cost: costs, Classes: []string{"all"},
				Settings: serverkind.ServerConfig{
					Work: scenario.Work{Init: 50 * time.Millisecond, Request: time.Millisecond, Wait: 20 * time.Millisecond},
				},
			},
		},
		Phases: []scenario.Phase{
			{Name: "warm-up", Duration: 15 * time.Second, Shape: scenario.Constant, Rate: 100, Line: 30},
			{Name: "ramp", Duration: 10 * time.Second, Shape: scenario.Ramp, From: 100, To: 300, Line: 34},
			{Name: "gap", Duration: time.Minute, Shape: scenario.Idle, Line: 35},
			{Name: "wave", Duration: 20 * time.Second, Shape: scenario.Sine, Mean: 150, Amplitude: 100, Period: 10 * time.Second, Line: 36},
			{Name: "phase-5", Duration: 500 * time.Millisecond, Shape: scenario.Constant, Rate: 0.5, Line: 37},
		},
		Cost: costs,
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Load:\ngot  %+v\nwant %+v", s, want)
	}
	if got, want := s.Duration(), 105500*time.Millisecond; got != want {
		t.Errorf("Duration() = %v, want %v", got, want)
	}
	if s.Target("server") == nil || s.Target("lambda") == nil {
		t.Errorf("Has: want both targets")
	}
}

func TestParseDefaults(t *testing.T) {
	src := "phases:\n  - duration: 30s\n    shape: constant\n    rate: 5\n"
	s, err := scenario.Parse("scenarios/cold-start.yaml", []byte(src), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	want := &scenario.Scenario{
		Name: "cold-start",
		Path: "scenarios/cold-start.yaml",
		Targets: []scenario.Target{serverkind.Target("server"), {Name: "lambda", Kind: lambdakind.Name,
			Classes: []string{"all", "cold", "warm", "provisioned"}, ColdHeader: lambda.HeaderCold, Routed: true, Settings: lambdakind.FunctionConfig{
				Runtime:       lambdakind.Auto,
				MemoryMB:      512,
				Timeout:       3 * time.Second,
				Keepalive:     10 * time.Minute,
				Concurrency:   1000,
				Pool:          lambdakind.MaxAutoPool,
				PoolAuto:      true,
				Platform:      lambda.Published().Delay(),
				PlatformModel: true,
			}}},
		Phases: []scenario.Phase{
			{Name: "phase-1", Duration: 30 * time.Second, Shape: scenario.Constant, Rate: 5, Line: 2},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse:\ngot  %+v\nwant %+v", s, want)
	}
	if got := s.Duration(); got != 30*time.Second {
		t.Errorf("Duration() = %v, want 30s", got)
	}
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(*scenario.Scenario) bool
	}{
		{"one target", "targets: [lambda]\n" + idle,
			func(s *scenario.Scenario) bool { return s.Target("server") == nil && s.Target("lambda") != nil }},
		{"empty sections", "server:\nfunction:\n" + idle,
			func(s *scenario.Scenario) bool { return fn(s).MemoryMB == 512 && srv(s).Work == scenario.Work{} }},
		{"zero work without a unit", "server: {init_work: 0}\n" + idle,
			func(s *scenario.Scenario) bool { return srv(s).Work.Init == 0 }},
		{"aliases", "server: &w {init_work: 5ms}\nfunction: *w\n" + idle,
			func(s *scenario.Scenario) bool { return fn(s).Work.Init == 5*time.Millisecond }},
		{"named targets", "targets:\n  small-fn: {kind: lambda, memory: 512, architecture: arm64}\n  big-fn: {kind: lambda, memory: 1769}\n  api: {kind: server, request_work: 2ms, instance: c7g.large}\nobjectives: [small-fn/cold p99.9 < 2s, api p99 < 1s]\n" + idle,
			func(s *scenario.Scenario) bool {
				t := s.Targets
				return len(t) == 3 && t[0].Name == "small-fn" && t[0].Kind == lambdakind.Name && lambdakind.Settings(t[0]).MemoryMB == 512 && t[0].Cost.Architecture == cost.ARM64 &&
					t[1].Name == "big-fn" && lambdakind.Settings(t[1]).MemoryMB == 1769 && t[1].Cost.Architecture == "" && t[1].Line == 3 &&
					t[2].Kind == serverkind.Name && serverkind.Settings(t[2]).Work.Request == 2*time.Millisecond && t[2].Cost.Instance == "c7g.large" &&
					s.Objectives[0].Target == "small-fn" && s.Objectives[0].Class == "cold"
			}},
		{"a target's own request", "request: {method: GET, path: /echo/all}\ntargets:\n  fn: {kind: lambda}\n  api:\n    kind: server\n    request: {method: PUT, path: \"/echo/api?x=1\", body: hi}\n" + idle,
			func(s *scenario.Scenario) bool {
				fn, api := s.Target("fn").Request.First(), s.Target("api").Request.First()
				return fn.Method == "GET" && fn.Path == "/echo/all" && api.Method == "PUT" && api.Path == "/echo/api?x=1" && string(api.Body) == "hi"
			}},
		{"yml extension", idle,
			func(s *scenario.Scenario) bool { return s.Name == "x" }},
		{"numeric name", "name: 2024\n" + idle,
			func(s *scenario.Scenario) bool { return s.Name == "2024" }},
		{"folded description", "description: >\n  Two\n  lines.\n" + idle,
			func(s *scenario.Scenario) bool { return s.Description == "Two lines." }},
		{"timeout limits", "function: {timeout: 15m}\n" + idle,
			func(s *scenario.Scenario) bool { return fn(s).Timeout == 900*time.Second }},
		{"rate max", "phases: [{duration: 1s, shape: constant, rate: max, workers: 32}]\n",
			func(s *scenario.Scenario) bool { p := s.Phases[0]; return p.Max && p.Workers == 32 && p.Rate == 0 }},
		{"objectives", "objectives:\n  - lambda p99 < 250ms\n  - lambda/cold p99.9 <= 2s\n  - server error_rate < 0.1%\n" + idle,
			func(s *scenario.Scenario) bool {
				o := s.Objectives
				return len(o) == 3 && o[0].Target == "lambda" && o[0].Class == "all" && o[0].Metric == "p99" && o[0].Limit == 250*time.Millisecond &&
					o[1].Class == "cold" && o[1].Metric == "p99.9" && o[1].Limit == 2*time.Second && o[1].Line == 3 &&
					o[2].Metric == scenario.ErrorRate && o[2].MaxErrorRate == 0.001
			}},
		{"workers cap a paced phase", "phases: [{duration: 1s, shape: ramp, from: 1, to: 5, workers: 2}]\n",
			func(s *scenario.Scenario) bool { p := s.Phases[0]; return !p.Max && p.Workers == 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yml", []byte(tt.src), all.Specs())
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(s) {
				t.Errorf("got %+v", s)
			}
		})
	}
}

// idle is a valid phases list, for tests of the other keys.
const idle = "phases: [{duration: 1s, shape: idle}]\n"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// The file as a whole.
		{"empty", "", "x.yaml:1: empty scenario file; it needs at least a list of phases"},
		{"comments only", "# nothing\n", "x.yaml:1: empty scenario file; it needs at least a list of phases"},
		{"null document", "---\n", "x.yaml:1: empty scenario file; it needs at least a list of phases"},
		{"not a mapping", "- duration: 1s\n", "x.yaml:1: a scenario must be a mapping with keys such as targets and phases, not a list"},
		{"syntax", idle + "name: [a\n", "x.yaml:2: invalid YAML: did not find expected ',' or ']'"},
		{"syntax in block", "name: a\nphases:\n  - {duration: 1s, shape: idle}\n bad: 1\n", "x.yaml:4: invalid YAML: did not find expected key"},
		{"syntax on line 1", "name: a: b\n" + idle, "x.yaml:1: invalid YAML: mapping values are not allowed in this context"},
		{"unknown anchor", "name: *n\n" + idle, "x.yaml:1: invalid YAML: unknown anchor 'n' referenced"},
		{"unknown anchor below", idle + "  # *n\ndescription: \"*n-1\" # *n\nname: *n\n", "x.yaml:4: invalid YAML: unknown anchor 'n' referenced"},
		{"two documents", idle + "---\nname: b\n", "x.yaml:2: a scenario file holds one YAML document; remove this --- and what follows"},
		{"missing phases", "name: a\n", "x.yaml:1: missing phases; a scenario needs a list of at least one phase"},
		{"empty phases", "name: a\nphases: []\n", "x.yaml:2: phases is empty; list at least one phase"},
		{"null phases", "phases:\n", "x.yaml:1: phases is empty; list at least one phase"},
		{"phases not a list", "phases: {duration: 1s}\n", "x.yaml:1: phases must be a list of phases, not a mapping"},
		{"unknown key", "descripton: a\n" + idle, `x.yaml:1: unknown key "descripton" at the top level (did you mean "description"?)`},
		{"host_wait value", "host_wait: drop\n" + idle, `x.yaml:1: host_wait must be "subtract" (judge latencies less the time the target waited for this machine's CPU, the default) or "keep" (judge them as measured), not "drop"`},
		{"unknown key no match", "colour: red\n" + idle, `x.yaml:1: unknown key "colour" at the top level; valid keys are name, description, targets, concurrent, server, function, phases, objectives, cost, request and host_wait`},
		{"duplicate key", idle + "name: a\nname: b\n", `x.yaml:3: duplicate key "name" at the top level (first at line 2); remove one`},
		{"merge key", "<<: {name: a}\n" + idle, "x.yaml:1: merge keys (<<) are not supported at the top level; write the keys out"},
		{"name empty", "name: ''\n" + idle, "x.yaml:1: name is empty; give one or remove the key to use the file name"},
		{"name list", "name: [a]\n" + idle, "x.yaml:1: name must be a string, not a list"},
		{"description mapping", "description: {a: b}\n" + idle, "x.yaml:1: description must be a string, not a mapping"},
		{"concurrent", "concurrent: yes\n" + idle, `x.yaml:1: concurrent must be true or false, not the string "yes"`},

		// objectives
		{"objective form", "objectives: [lambda p99 250ms]\n" + idle,
			`x.yaml:1: objective "lambda p99 250ms": write <target>[/<class>] <metric> < <limit>, such as "lambda p99 < 250ms" or "server error_rate < 0.1%"`},
		{"objective metric", "objectives: [lambda p98 < 1s]\n" + idle,
			`x.yaml:1: objective "lambda p98 < 1s": unknown metric "p98" (did you mean "p90"?)`},
		{"objective class", "objectives: [server/cold p99 < 1s]\n" + idle,
			`x.yaml:1: objective "server/cold p99 < 1s": server is a server target, which records all, not cold; remove /cold`},
		{"objective limit", "objectives: [lambda p99 < 250]\n" + idle,
			`x.yaml:1: objective "lambda p99 < 250": the limit of p99 is a duration above 0, such as 250ms or 1.5s, not "250"`},
		{"objective rate", "objectives: [lambda error_rate < 0.1]\n" + idle,
			`x.yaml:1: objective "lambda error_rate < 0.1": the limit of error_rate is a percentage between 0% and 100%, such as 0.1%, not "0.1"`},
		{"objective target not run", "targets: [server]\nobjectives:\n  - lambda p99 < 1s\n" + idle,
			`x.yaml:3: objective "lambda p99 < 1s": the scenario has no target "lambda"; its targets are server`},
		{"objectives not a list", "objectives: lambda p99 < 1s\n" + idle,
			`x.yaml:1: objectives must be a list such as ["lambda p99 < 250ms", "server error_rate < 0.1%"], not the string "lambda p99 < 1s"`},

		// rate: max and workers
		{"rate max without workers", "phases: [{duration: 1s, shape: constant, rate: max}]\n",
			`x.yaml:1: phase "phase-1": rate: max needs workers, the number of requests kept in flight, such as workers: 32`},
		{"workers zero", "phases: [{duration: 1s, shape: constant, rate: 5, workers: 0}]\n",
			`x.yaml:1: phase "phase-1": workers must be between 1 and 100000 requests in flight, not 0`},
		{"workers on idle", "phases: [{duration: 1s, shape: idle, workers: 3}]\n",
			`x.yaml:1: phase "phase-1": shape idle sends no requests; remove workers`},
		{"max as a ramp bound", "phases: [{duration: 1s, shape: ramp, from: 1, to: max}]\n",
			`x.yaml:1: phase "phase-1": to must be a number, not the string "max"`},

		// targets
		{"target typo", "targets: [server, lamda]\n" + idle, `x.yaml:1: unknown target "lamda" (did you mean "lambda"?)`},
		{"target unknown", "targets:\n  - ec2\n" + idle, `x.yaml:2: unknown target "ec2"; a list of targets names server and lambda; to name your own, make targets a mapping such as {ec2: {kind: lambda}}`},
		{"target twice", "targets: [lambda, lambda]\n" + idle, "x.yaml:1: target lambda is listed twice; remove one"},
		{"targets empty", "targets: []\n" + idle, "x.yaml:1: targets is empty; name at least one target, or remove the key to run server and lambda"},
		{"targets string", "targets: lambda\n" + idle, `x.yaml:1: targets must be a mapping of names to targets, such as {small-fn: {kind: lambda}}, or a list such as [server, lambda], not the string "lambda"`},
		{"target not a string", "targets: [{a: b}]\n" + idle, "x.yaml:1: a target must be a string, not a mapping"},
		{"named target without kind", "targets:\n  small-fn: {memory: 512}\n" + idle, "x.yaml:2: targets.small-fn: missing kind; use " + scenario.Join(all.Specs().Names(), "or")},
		{"named target unknown kind", "targets:\n  small-fn: {kind: lambada}\n" + idle, `x.yaml:2: targets.small-fn: unknown kind "lambada" (did you mean "lambda"?)`},
		{"named target bad name", "targets:\n  small/fn: {kind: lambda}\n" + idle, `x.yaml:2: target name "small/fn": use letters, digits, - and _, starting with a letter, such as small-fn`},
		{"named target twice", "targets:\n  a: {kind: lambda}\n  a: {kind: server}\n" + idle, `x.yaml:3: target "a" is named twice (first at line 2); give each target its own name`},
		{"named target key of other kind", "targets:\n  api: {kind: server, memory: 512}\n" + idle, `x.yaml:2: unknown key "memory" in targets.api; valid keys are kind, request, init_work, request_work, request_wait, command, dir, env, ready, start_timeout, image, port, instance, min_instances, target_utilization and front_door`},
		{"named target bad memory", "targets:\n  fn:\n    kind: lambda\n    memory: 64\n" + idle, "x.yaml:4: targets.fn.memory must be between 128 and 10240 (MB), not 64"},
		{"named targets with function section", "targets:\n  fn: {kind: lambda}\nfunction: {memory: 256}\n" + idle, "x.yaml:3: function: with targets as a mapping, each target has its settings in its entry; move these under targets.<name>"},
		{"objective unknown named target", "targets:\n  small-fn: {kind: lambda}\nobjectives: [smal-fn p99 < 1s]\n" + idle, `x.yaml:3: objective "smal-fn p99 < 1s": the scenario has no target "smal-fn" (did you mean "small-fn"?)`},

		// server
		{"server list", "server: [a]\n" + idle, "x.yaml:1: server must be a mapping of keys to values, not a list"},
		{"server unknown key", "server:\n  init: 5ms\n" + idle, `x.yaml:2: unknown key "init" in server; valid keys are init_work, request_work, request_wait, command, dir, env, ready, start_timeout, image and port`},
		{"server work typo", "server:\n  request_wrk: 5ms\n" + idle, `x.yaml:2: unknown key "request_wrk" in server (did you mean "request_work"?)`},
		{"work bare number", "server:\n  init_work: 50\n" + idle, "x.yaml:2: server.init_work 50 has no unit; write 50s, 50ms or 50m"},
		{"work not a duration", "server: {request_work: fast}\n" + idle, `x.yaml:1: server.request_work "fast" is not a duration; write a number and a unit (ns, us, ms, s, m, h), such as 15s or 1m30s`},
		{"work negative", "server: {init_work: -1ms}\n" + idle, "x.yaml:1: server.init_work must be at least 0 and below 10s, not -1ms"},
		{"work too long", "function: {request_work: 10s}\n" + idle, "x.yaml:1: function.request_work must be at least 0 and below 10s, not 10s"},
		{"work list", "function: {init_work: [1s]}\n" + idle, "x.yaml:1: function.init_work must be a duration such as 15s, not a list"},

		// function
		{"function string", "function: big\n" + idle, `x.yaml:1: function must be a mapping of keys to values, not the string "big"`},
		{"function typo", "function:\n  memory: 512\n  conccurency: 20\n" + idle, `x.yaml:3: unknown key "conccurency" in function (did you mean "concurrency"?)`},
		{"memory low", "function: {memory: 64}\n" + idle, "x.yaml:1: function.memory must be between 128 and 10240 (MB), not 64"},
		{"memory high", "function: {memory: 20480}\n" + idle, "x.yaml:1: function.memory must be between 128 and 10240 (MB), not 20480"},
		{"memory fraction", "function: {memory: 512.5}\n" + idle, "x.yaml:1: function.memory must be a whole number, not the number 512.5"},
		{"memory quoted", "function: {memory: '512'}\n" + idle, `x.yaml:1: function.memory must be a whole number, not the string "512"; remove the quotes`},
		{"memory unit", "function: {memory: 512MB}\n" + idle, `x.yaml:1: function.memory must be a whole number, not the string "512MB"`},
		{"timeout fraction", "function: {timeout: 1500ms}\n" + idle, "x.yaml:1: function.timeout must be a whole number of seconds, not 1500ms"},
		{"timeout long", "function: {timeout: 901s}\n" + idle, "x.yaml:1: function.timeout must be between 1s and 900s, not 901s"},
		{"timeout zero", "function: {timeout: 0s}\n" + idle, "x.yaml:1: function.timeout must be between 1s and 900s, not 0s"},
		{"timeout bare", "function: {timeout: 3}\n" + idle, "x.yaml:1: function.timeout 3 has no unit; write 3s, 3ms or 3m"},
		{"keepalive zero", "function: {keepalive: 0s}\n" + idle, "x.yaml:1: function.keepalive must be > 0, not 0s"},
		{"concurrency zero", "function: {concurrency: 0}\n" + idle, "x.yaml:1: function.concurrency must be at least 1, not 0"},
		{"concurrency bool", "function: {concurrency: true}\n" + idle, "x.yaml:1: function.concurrency must be a whole number, not true"},
		{"env list", "function: {env: [A]}\n" + idle, "x.yaml:1: function.env must be a mapping of keys to values, not a list"},
		{"env bad name", "function:\n  env:\n    LOG-LEVEL: info\n" + idle, `x.yaml:3: function.env: "LOG-LEVEL" is not a valid variable name; use letters, digits and _, not starting with a digit`},
		{"env digit first", "function:\n  env: {1X: a}\n" + idle, `x.yaml:2: function.env: "1X" is not a valid variable name; use letters, digits and _, not starting with a digit`},
		{"env reserved", "function:\n  env:\n    AWS_REGION: eu-west-1\n" + idle, "x.yaml:3: function.env: AWS_REGION is reserved (Lambda sets the AWS_ variables); rename it"},
		{"env value list", "function:\n  env:\n    HOSTS: [a, b]\n" + idle, "x.yaml:3: function.env.HOSTS must be a string, not a list"},
		{"env duplicate", "function:\n  env:\n    A: 1\n    A: 2\n" + idle, `x.yaml:4: duplicate key "A" in function.env (first at line 3); remove one`},

		// phases
		{"phase string", "phases:\n  - warm-up\n", `x.yaml:2: phase 1 must be a mapping with a duration, a shape and the shape's fields, not the string "warm-up"`},
		{"phase no duration", "phases:\n  - name: a\n    shape: idle\n", `x.yaml:2: phase "a": missing duration, such as duration: 30s`},
		{"phase no shape", "phases:\n  - duration: 1s\n", `x.yaml:2: phase "phase-1": missing shape; use constant, ramp, sine, idle or trace`},
		{"phase shape typo", "phases:\n  - {duration: 1s, shape: rmap}\n", `x.yaml:2: phase "phase-1": unknown shape "rmap" (did you mean "ramp"?)`},
		{"phase shape unknown", "phases:\n  - {duration: 1s, shape: square}\n", `x.yaml:2: phase "phase-1": unknown shape "square"; use constant, ramp, sine, idle or trace`},
		{"phase shape list", "phases:\n  - {duration: 1s, shape: [idle]}\n", `x.yaml:2: phase "phase-1": shape must be a string, not a list`},
		{"duration bare", "phases:\n  - name: a\n    duration: 15\n    shape: idle\n", `x.yaml:3: phase "a": duration 15 has no unit; write 15s, 15ms or 15m`},
		{"duration zero", "phases:\n  - {duration: 0s, shape: idle}\n", `x.yaml:2: phase "phase-1": duration must be > 0, not 0s`},
		{"duration bare zero", "phases:\n  - {duration: 0, shape: idle}\n", `x.yaml:2: phase "phase-1": duration must be > 0, not 0`},
		{"duration negative", "phases:\n  - {duration: -5s, shape: idle}\n", `x.yaml:2: phase "phase-1": duration must be > 0, not -5s`},
		{"duration days", "phases:\n  - {duration: 1d, shape: idle}\n", `x.yaml:2: phase "phase-1": duration "1d" is not a duration; write a number and a unit (ns, us, ms, s, m, h), such as 15s or 1m30s`},
		{"name empty", "phases:\n  - {name: '', duration: 1s, shape: idle}\n", `x.yaml:2: phase "phase-1": name is empty; give one or remove the key`},
		{"name twice", "phases:\n  - {name: a, duration: 1s, shape: idle}\n  - {name: a, duration: 1s, shape: idle}\n", `x.yaml:3: phase "a": name already used by the phase at line 2; give each phase its own name`},
		{"name clashes with default", "phases:\n  - {duration: 1s, shape: idle}\n  - {name: phase-1, duration: 1s, shape: idle}\n", `x.yaml:3: phase "phase-1": name already used by the phase at line 2; give each phase its own name`},
		{"phase key typo", "phases:\n  - {duration: 1s, shape: sine, mean: 2, amplitud: 1, period: 1s}\n", `x.yaml:2: phase "phase-1": missing amplitude, which shape sine needs` + "\n" +
			`x.yaml:2: unknown key "amplitud" in phase "phase-1" (did you mean "amplitude"?)`},
		{"phase key unknown", "phases:\n  - name: a\n    duration: 1s\n    shape: idle\n    jitter: 5ms\n", `x.yaml:5: unknown key "jitter" in phase "a"; valid keys are name, duration, shape, rate, from, to, mean, amplitude, period, workers, file, format, function, rank, interval, spacing, seed and speed`},
		{"phase key twice", "phases:\n  - name: a\n    duration: 1s\n    shape: idle\n    duration: 2s\n", `x.yaml:5: duplicate key "duration" in phase "a" (first at line 3); remove one`},
		{"constant without rate", "phases:\n  - {duration: 1s, shape: constant}\n", `x.yaml:2: phase "phase-1": missing rate, which shape constant needs`},
		{"constant with from", "phases:\n  - {duration: 1s, shape: constant, rate: 1, from: 2}\n", `x.yaml:2: phase "phase-1": shape constant takes rate, not from`},
		{"ramp with rate", "\n\n\n\n\n\n\n\n\n\n\n\nphases:\n  - {name: ramp, duration: 10s, shape: ramp, from: 100, to: 300, rate: 5}\n",
			`x.yaml:14: phase "ramp": shape ramp takes from and to, not rate`},
		{"ramp without to", "phases:\n  - {name: r, duration: 10s, shape: ramp, from: 100}\n", `x.yaml:2: phase "r": missing to, which shape ramp needs`},
		{"ramp from zero", "phases:\n  - {duration: 10s, shape: ramp, from: 0, to: 5}\n", `x.yaml:2: phase "phase-1": from must be > 0 requests/s, not 0`},
		{"idle with rate", "phases:\n  - {name: gap, duration: 1s, shape: idle, rate: 0}\n", `x.yaml:2: phase "gap": shape idle sends no requests; remove rate`},
		{"sine without fields", "phases:\n  - {duration: 1s, shape: sine}\n", `x.yaml:2: phase "phase-1": missing mean, amplitude and period, which shape sine needs`},
		{"sine with rate", "phases:\n  - {duration: 1s, shape: sine, mean: 2, amplitude: 1, period: 1s, rate: 1}\n", `x.yaml:2: phase "phase-1": shape sine takes mean, amplitude and period, not rate`},
		{"sine amplitude above mean", "phases:\n  - name: w\n    duration: 1s\n    shape: sine\n    mean: 150\n    amplitude: 150\n    period: 10s\n",
			`x.yaml:6: phase "w": amplitude must be less than mean (150) so the rate stays above 0, not 150`},
		{"sine amplitude zero", "phases:\n  - {duration: 1s, shape: sine, mean: 2, amplitude: 0, period: 1s}\n", `x.yaml:2: phase "phase-1": amplitude must be > 0 requests/s, not 0`},
		{"sine period zero", "phases:\n  - {duration: 1s, shape: sine, mean: 2, amplitude: 1, period: 0s}\n", `x.yaml:2: phase "phase-1": period must be > 0, not 0s`},
		{"sine period bare", "phases:\n  - {duration: 1s, shape: sine, mean: 2, amplitude: 1, period: 10}\n", `x.yaml:2: phase "phase-1": period 10 has no unit; write 10s, 10ms or 10m`},
		{"rate zero", "phases:\n  - {duration: 1s, shape: constant, rate: 0}\n", `x.yaml:2: phase "phase-1": rate must be > 0 requests/s, not 0`},
		{"runtime unknown", "function:\n  runtime: docker\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.runtime: unknown runtime "docker"; use one of Lambda's nodejs20.x, nodejs22.x, nodejs24.x, python3.11, python3.12, python3.13, python3.14 or provided.al2023 (with handler:), or say where environments run with sandbox: container or process`},
		{"runtime misspelt", "function:\n  runtime: nodejs22\n  handler: index.handler\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.runtime: unknown runtime "nodejs22" (did you mean "nodejs22.x"?)`},
		{"runtime without handler", "function:\n  runtime: python3.13\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.runtime python3.13 runs a handler in the function's code; add handler:, such as index.handler, and the code as zip: or code: (a folder)`},
		{"handler without runtime", "function:\n  handler: index.handler\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.handler needs runtime:, one of nodejs20.x, nodejs22.x, nodejs24.x, python3.11, python3.12, python3.13 or python3.14`},
		{"handler with bootstrap", "function:\n  runtime: nodejs22.x\n  bootstrap: ./bootstrap\n  handler: index.handler\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:4: function.handler: a bootstrap runs itself and takes no handler; remove handler:, or give the handler's code as zip: or code: with runtime: (such as nodejs22.x)`},
		{"handler without code", "function:\n  runtime: nodejs22.x\n  handler: index.handler\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:3: function.handler needs the code it is in: zip: (a deployment package) or code: (a folder laid out as /var/task)`},
		{"handler malformed", "function:\n  runtime: nodejs22.x\n  handler: index\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:3: function.handler must be a module and the function it exports, such as index.handler or lambda_function.lambda_handler, not "index"`},
		{"code without handler", "function:\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.code is the folder of a handler's code; add handler: and runtime: (such as nodejs22.x), or give a bootstrap as bootstrap: or zip:`},
		{"handler with the old runtime", "function:\n  runtime: container\n  handler: index.handler\n  code: .\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.runtime: container says where environments run (sandbox:'s old name); a handler needs one of Lambda's runtimes here, nodejs20.x, nodejs22.x, nodejs24.x, python3.11, python3.12, python3.13 or python3.14, and sandbox: container`},
		{"sandbox twice", "function:\n  runtime: process\n  sandbox: container\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:3: function.sandbox: runtime: process already says where environments run (its old name); keep sandbox: and give runtime: a Lambda runtime, such as nodejs22.x, or nothing`},
		{"sandbox unknown", "function:\n  sandbox: docker\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.sandbox must be auto, container or process, not "docker"`},
		{"keepalive range upside down", "function:\n  keepalive: [10m, 5m]\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.keepalive range must have 0 < min <= max, not [10m, 5m]`},
		{"pool negative", "function: {pool: -1}\n" + idle, "x.yaml:1: function.pool is auto or a number of sandboxes from 0 (no pool) to 1000, not -1"},
		{"pool word", "function: {pool: lots}\n" + idle, "x.yaml:1: function.pool must be a whole number, not the string \"lots\""},
		{"platform negative", "function: {platform: -5ms}\n" + idle, "x.yaml:1: function.platform must be model, 0 or a duration of at least 0, not -5ms"},
		{"platform range upside down", "function: {platform: [2s, 1s]}\n" + idle, "x.yaml:1: function.platform range must have 0 <= min <= max, not [2s, 1s]"},
		{"platform p99 below p50", "function: {platform: {p50: 80ms, p99: 10ms}}\n" + idle, "x.yaml:1: function.platform: p99 10ms below p50 80ms"},
		{"platform without p99", "function: {platform: {p50: 80ms}}\n" + idle, "x.yaml:1: function.platform as a log-normal distribution needs p50 and p99, such as {p50: 80ms, p99: 160ms}"},
		{"platform typo", "function: {platform: {p5: 80ms, p99: 1s}}\n" + idle, "x.yaml:1: function.platform as a log-normal distribution needs p50 and p99, such as {p50: 80ms, p99: 160ms}\nx.yaml:1: unknown key \"p5\" in function.platform (did you mean \"p50\"?)"},
		{"keepalive range of three", "function:\n  keepalive: [1m, 2m, 3m]\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.keepalive as a range is a list of two durations [min, max], not 3 items`},
		{"provisioned above concurrency", "function:\n  concurrency: 3\n  provisioned: 4\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:3: function.provisioned must be between 0 and the concurrency (3), not 4`},
		{"scaling without rate", "function:\n  scaling: {per: 10s}\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.scaling needs rate, the most new environments per window`},
		{"scaling typo", "function:\n  scaling: {rate: 5, pre: 1s}\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: unknown key "pre" in function.scaling (did you mean "per"?)`},
		{"fault share above 1", "function:\n  faults: {crash: 2}\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.faults.crash is a share of requests from 0 to 1 (0.01 is 1%), not 2`},
		{"fault shares add up past 1", "function:\n  faults: {crash: 0.6, timeout: 0.6}\nphases:\n  - {duration: 1s, shape: idle}\n", `x.yaml:2: function.faults: crash, panic and timeout add up to 1.2 of the requests; at most 1`},
		{"rate too high", "phases:\n  - {duration: 1s, shape: constant, rate: 2e6}\n", `x.yaml:2: phase "phase-1": rate must be between 0.001 and 1e+06 requests/s, not 2e6`},
		{"rate quoted", "phases:\n  - {duration: 1s, shape: constant, rate: '100'}\n", `x.yaml:2: phase "phase-1": rate must be a number, not the string "100"; remove the quotes`},
		{"rate with unit", "phases:\n  - {duration: 1s, shape: constant, rate: 100/s}\n", `x.yaml:2: phase "phase-1": rate must be a number, not the string "100/s"`},
		{"rate infinite", "phases:\n  - {duration: 1s, shape: constant, rate: .inf}\n", `x.yaml:2: phase "phase-1": rate must be a finite number, not .inf`},
		{"rate empty", "phases:\n  - duration: 1s\n    shape: constant\n    rate:\n", `x.yaml:4: phase "phase-1": rate must be a number, not empty`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("x.yaml", []byte(tt.src), all.Specs())
			if err == nil {
				t.Fatalf("no error; got %+v", s)
			}
			if s != nil {
				t.Errorf("got a scenario with an error")
			}
			var es scenario.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T is not a non-empty Errors", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestGolden checks the whole list of mistakes in testdata/bad.yaml against
// testdata/bad.golden. Run with -update to rewrite the golden file.
func TestGolden(t *testing.T) {
	_, err := scenario.Load("testdata/bad.yaml", all.Specs())
	if err == nil {
		t.Fatal("no error")
	}
	got := []byte(err.Error() + "\n")
	golden := filepath.Join("testdata", "bad.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("errors differ from %s (run go test -update to accept them):\ngot\n%s\nwant\n%s", golden, got, want)
	}
}

func TestErrors(t *testing.T) {
	_, err := scenario.Parse("x.yaml", []byte("name: [a]\nphases: []\n"), all.Specs())
	var e *scenario.Error
	if !errors.As(err, &e) {
		t.Fatalf("errors.As(%T, *Error) = false", err)
	}
	if *e != (scenario.Error{Path: "x.yaml", Line: 1, Col: 7, Msg: "name must be a string, not a list"}) {
		t.Errorf("first error = %+v", *e)
	}
	if n := len(err.(scenario.Errors)); n != 2 {
		t.Errorf("got %d errors, want 2", n)
	}
	noLine := &scenario.Error{Path: "x.yaml", Msg: "invalid YAML"}
	if got := noLine.Error(); got != "x.yaml: invalid YAML" {
		t.Errorf("Error() without a line = %q", got)
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := scenario.Load("testdata/missing.yaml", all.Specs())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}

// fn returns the settings of the target lambda of s.
func fn(s *scenario.Scenario) lambdakind.FunctionConfig {
	return lambdakind.Settings(*s.Target("lambda"))
}

// srv returns the settings of the target server of s.
func srv(s *scenario.Scenario) serverkind.ServerConfig {
	return serverkind.Settings(*s.Target("server"))
}

func TestHostWait(t *testing.T) {
	for _, c := range []struct {
		yaml string
		keep bool
	}{{"", false}, {"host_wait: subtract\n", false}, {"host_wait: keep\n", true}} {
		s, err := scenario.Parse("x.yaml", []byte(c.yaml+idle), all.Specs())
		if err != nil {
			t.Fatalf("%q: %v", c.yaml, err)
		}
		if s.KeepHostWait != c.keep {
			t.Errorf("%q: KeepHostWait = %v, want %v", c.yaml, s.KeepHostWait, c.keep)
		}
	}
}
