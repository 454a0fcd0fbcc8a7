package lmikind

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Settings are an lmi target's: a function whose execution environments
// run on EC2 instances of a chosen type and take many requests each.
type Settings struct {
	// Instance is the EC2 instance type the environments run on, one
	// that Lambda Managed Instances allows (prices.json).
	Instance string
	// MemoryMB is each environment's memory; MemoryPerVCPU its GiB per
	// vCPU (2, 4 or 8): an environment has MemoryMB/1024/MemoryPerVCPU
	// vCPUs.
	MemoryMB      int
	MemoryPerVCPU int
	// MaxConcurrency is how many requests one environment takes at once
	// (PerExecutionEnvironmentMaxConcurrency, 1 to 1600).
	MaxConcurrency int
	// MinEnvironments are kept running however idle; MaxEnvironments
	// bounds the scaling.
	MinEnvironments, MaxEnvironments int
	// TargetUtilization is the share of the environments' CPU, or of
	// their request slots, the scaling aims at.
	TargetUtilization float64
	// Period is how often the scaling looks.
	Period time.Duration
	// Timeout bounds one invoke.
	Timeout time.Duration
	Work    scenario.Work
	Sandbox string // auto, container or process
	Env     map[string]string
	// Bootstrap is the user's bootstrap (a Linux executable for
	// provided.al2023, resolved against the scenario file's folder);
	// empty runs the built-in order function. It should read
	// AWS_LAMBDA_MAX_CONCURRENCY and poll that many invokes at once, as
	// aws-lambda-go does; one that polls one at a time serves one.
	Bootstrap string
}

// Limits and defaults. Where AWS publishes no figure, docs/kinds.md's
// section on Lambda Managed Instances says which is coldbench's choice.
const (
	defaultInstance       = "m7g.large"
	defaultMemoryMB       = 2048 // AWS: a function has at least 2 GB and 1 vCPU
	minMemoryMB           = 2048
	maxMemoryMB           = 32768
	defaultMemoryPerVCPU  = 2 // not published; AWS allows 2, 4 or 8
	maxConcurrencyLimit   = 1600
	defaultPerVCPU        = 32 // not published for a bootstrap; Java's published default per vCPU
	defaultMinEnvs        = 3  // secondary sources; AWS starts three environments for a new version
	defaultMaxEnvs        = 10
	maxEnvsHere           = 64 // what this machine can start
	defaultTarget         = 0.5
	defaultPeriod         = time.Second
	defaultTimeout        = 3 * time.Second
	maxTimeout            = 900 * time.Second
	doublingWindowMinutes = 5 // AWS: traffic that more than doubles within 5 minutes may be throttled
)

// VCPUs returns an environment's vCPUs.
func (s Settings) VCPUs() float64 {
	return float64(s.MemoryMB) / 1024 / float64(s.MemoryPerVCPU)
}

// Describe says what s sets, for the report's list of targets.
func (s Settings) Describe() string {
	parts := []string{
		fmt.Sprintf("on %s", s.Instance),
		fmt.Sprintf("environments of %d MB and %g vCPU taking %d requests at once", s.MemoryMB, s.VCPUs(), s.MaxConcurrency),
		fmt.Sprintf("%d to %d environments, scaled at %g%% utilisation", s.MinEnvironments, s.MaxEnvironments, s.TargetUtilization*100),
	}
	if !s.Work.Zero() {
		parts = append(parts, s.Work.String())
	}
	return strings.Join(parts, ", ")
}

// parse reads an lmi target's settings from its fields f.
func parse(p *scenario.Parser, f map[string]scenario.Field, prices cost.Prices, lp lmiPrices) Settings {
	s := Settings{Instance: defaultInstance, MemoryMB: defaultMemoryMB, MemoryPerVCPU: defaultMemoryPerVCPU,
		MinEnvironments: defaultMinEnvs, MaxEnvironments: defaultMaxEnvs, TargetUtilization: defaultTarget,
		Period: defaultPeriod, Timeout: defaultTimeout, Sandbox: "auto"}
	sec := p.Sec
	if e := f["instance"].Value; e != nil {
		if name, ok := p.Str(e, sec+".instance"); ok {
			if msg := lp.allows(prices, name); msg != "" {
				p.Errorf(e, "%s.instance: %s", sec, msg)
			} else {
				s.Instance = name
			}
		}
	}
	if e := f["memory"].Value; e != nil {
		if m, ok := p.Integer(e, sec+".memory"); ok && (m < minMemoryMB || m > maxMemoryMB) {
			p.Errorf(e, "%s.memory is an environment's memory, %d to %d (MB), not %d", sec, minMemoryMB, maxMemoryMB, m)
		} else if ok {
			s.MemoryMB = m
		}
	}
	if e := f["memory_per_vcpu"].Value; e != nil {
		if r, ok := p.Integer(e, sec+".memory_per_vcpu"); ok && !slices.Contains([]int{2, 4, 8}, r) {
			p.Errorf(e, "%s.memory_per_vcpu is 2, 4 or 8 (GiB per vCPU), not %d", sec, r)
		} else if ok {
			s.MemoryPerVCPU = r
		}
	}
	s.MaxConcurrency = max(1, int(math.Round(defaultPerVCPU*s.VCPUs())))
	if e := f["max_concurrency"].Value; e != nil {
		if n, ok := p.Integer(e, sec+".max_concurrency"); ok && (n < 1 || n > maxConcurrencyLimit) {
			p.Errorf(e, "%s.max_concurrency is how many requests one environment takes at once, 1 to %d, not %d", sec, maxConcurrencyLimit, n)
		} else if ok {
			s.MaxConcurrency = n
		}
	}
	lo, hi := f["min_environments"].Value, f["max_environments"].Value
	if lo != nil {
		if n, ok := p.Integer(lo, sec+".min_environments"); ok && (n < 1 || n > maxEnvsHere) {
			p.Errorf(lo, "%s.min_environments must be 1 to %d, not %d", sec, maxEnvsHere, n)
			lo = nil
		} else if ok {
			s.MinEnvironments = n
		} else {
			lo = nil
		}
	}
	if hi != nil {
		if n, ok := p.Integer(hi, sec+".max_environments"); ok && (n < 1 || n > maxEnvsHere) {
			p.Errorf(hi, "%s.max_environments must be 1 to %d (what this machine can start), not %d", sec, maxEnvsHere, n)
			hi = nil
		} else if ok {
			s.MaxEnvironments = n
		} else {
			hi = nil
		}
	}
	if s.MinEnvironments > s.MaxEnvironments {
		at := hi
		if at == nil {
			at = lo
		}
		if at == nil {
			at = p.Entry()
		}
		p.Errorf(at, "%s: min_environments (%d) is above max_environments (%d); lower the minimum or raise the maximum", sec, s.MinEnvironments, s.MaxEnvironments)
	}
	if e := f["target_utilization"].Value; e != nil {
		if u, ok := p.Number(e, sec+".target_utilization"); ok && !(u > 0 && u <= 1) {
			p.Errorf(e, "%s.target_utilization is the share of the environments' CPU the scaling aims at, above 0 and at most 1, not %s", sec, scenario.Resolve(e).Value)
		} else if ok {
			s.TargetUtilization = u
		}
	}
	if e := f["scaling_period"].Value; e != nil {
		if d, ok := p.Duration(e, sec+".scaling_period"); ok && d <= 0 {
			p.Errorf(e, "%s.scaling_period must be above 0, not %s", sec, scenario.Resolve(e).Value)
		} else if ok {
			s.Period = d
		}
	}
	if e := f["timeout"].Value; e != nil {
		if d, ok := p.Duration(e, sec+".timeout"); ok && (d%time.Second != 0 || d < time.Second || d > maxTimeout) {
			p.Errorf(e, "%s.timeout must be a whole number of seconds from 1s to 900s, not %s", sec, scenario.Resolve(e).Value)
		} else if ok {
			s.Timeout = d
		}
	}
	if e := f["sandbox"].Value; e != nil {
		if v, ok := p.Str(e, sec+".sandbox"); ok && !slices.Contains([]string{"auto", "container", "process"}, v) {
			p.Errorf(e, "%s.sandbox must be auto, container or process, not %q", sec, v)
		} else if ok {
			s.Sandbox = v
		}
	}
	if e := f["env"].Value; e != nil {
		s.Env = p.Env(e, sec+".env", func(name string) string {
			if strings.HasPrefix(name, "AWS_") {
				return name + " is reserved (Lambda sets the AWS_ variables); rename it"
			}
			return ""
		})
	}
	s.Work = p.Work(f, sec)
	if e := f["bootstrap"].Value; e != nil {
		s.Bootstrap = p.File(e, sec+".bootstrap")
		for _, k := range []string{"init_work", "request_work", "request_wait"} {
			if w, given := f[k]; given {
				p.Errorf(w.Key, "%s.%s is the built-in function's simulated work; your bootstrap does its own work, so remove %s", sec, k, k)
			}
		}
	}
	if in, ok := prices.Instances[s.Instance]; ok && perInstance(s, in) < 1 {
		at := f["memory"].Value
		if at == nil {
			at = p.Entry()
		}
		p.Errorf(at, "%s: an environment of %d MB and %g vCPU does not fit on a %s (%d vCPU, %g GiB); choose a larger instance or a smaller environment",
			sec, s.MemoryMB, s.VCPUs(), s.Instance, in.VCPUs, in.MemoryGiB)
	}
	return s
}

// perInstance returns how many environments of s one instance in holds.
func perInstance(s Settings, in cost.Instance) int {
	byCPU := float64(in.VCPUs) / s.VCPUs()
	byMem := in.MemoryGiB * 1024 / float64(s.MemoryMB)
	return int(math.Floor(min(byCPU, byMem) + 1e-9))
}
