package lambdakind

import (
	"github.com/coldbench/coldbench/bench/scenario"

	"time"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/targets/lambda"
)

// MaxAutoPool caps the sandbox pool that function.pool: auto fills:
// as many sandboxes as the function's concurrency, less its provisioned
// environments (the most cold starts that can be in flight at once), but
// no more than this, so that filling takes seconds, not minutes (a
// container starts in about 0.3 s here, two at a time).
const MaxAutoPool = 64

// maxPool caps an explicit function.pool.
const maxPool = 1000

// pool reads function.pool: auto, or a number of sandboxes (0: none). It
// returns -1 for auto, resolved by resolvePool once the concurrency is
// known.
func parsePool(p *scenario.Parser, n *yaml.Node) int {
	what := p.Sec + ".pool"
	if v := scenario.Resolve(n); v.Kind == yaml.ScalarNode && v.Value == "auto" {
		return -1
	}
	k, ok := p.Integer(n, what)
	switch {
	case !ok:
		return -1
	case k < 0 || k > maxPool:
		p.Errorf(n, "%s is auto or a number of sandboxes from 0 (no pool) to %d, not %s", what, maxPool, scenario.Resolve(n).Value)
		return -1
	}
	return k
}

// resolvePool sets c.Pool for auto (-1): one sandbox per on-demand
// environment the concurrency allows, at most MaxAutoPool.
func resolvePool(c *FunctionConfig) {
	c.PoolAuto = c.Pool < 0
	if c.PoolAuto {
		c.Pool = min(c.Concurrency-c.Provisioned, MaxAutoPool)
	}
}

// platform reads function.platform, the modelled platform part of a cold
// start: "model" (the published model, lambda.Published), 0 (none), a
// duration (fixed), a range [min, max] (uniform) or {p50, p99, max}
// (log-normal, max optional). ok is false after a mistake, reported.
func parsePlatform(p *scenario.Parser, n *yaml.Node) (d lambda.Delay, model, ok bool) {
	what := p.Sec + ".platform"
	v := scenario.Resolve(n)
	switch v.Kind {
	case yaml.ScalarNode:
		switch v.Value {
		case "model":
			return lambda.Published().Delay(), true, true
		case "0":
			return lambda.Delay{}, false, true
		}
		x, ok := p.Duration(n, what)
		if ok && x < 0 {
			p.Errorf(n, "%s must be model, 0 or a duration of at least 0, not %s", what, v.Value)
			return d, false, false
		}
		return lambda.Delay{Min: x}, false, ok
	case yaml.SequenceNode:
		if len(v.Content) != 2 {
			p.Errorf(n, "%s as a range is a list of two durations [min, max], not %d items", what, len(v.Content))
			return d, false, false
		}
		lo, ok1 := p.Duration(v.Content[0], what+" minimum")
		hi, ok2 := p.Duration(v.Content[1], what+" maximum")
		if !ok1 || !ok2 {
			return d, false, false
		}
		if lo < 0 || hi < lo {
			p.Errorf(n, "%s range must have 0 <= min <= max, not [%s, %s]", what, scenario.Resolve(v.Content[0]).Value, scenario.Resolve(v.Content[1]).Value)
			return d, false, false
		}
		return lambda.Delay{Min: lo, Max: hi}, false, true
	case yaml.MappingNode:
		f := p.Fields(v, "in "+what, "p50", "p99", "max")
		if f["p50"].Value == nil || f["p99"].Value == nil {
			p.Errorf(n, "%s as a log-normal distribution needs p50 and p99, such as {p50: 80ms, p99: 160ms}", what)
			return d, false, false
		}
		var out [3]time.Duration
		for i, k := range []string{"p50", "p99", "max"} {
			if e := f[k].Value; e != nil {
				x, ok := p.Duration(e, what+"."+k)
				if !ok {
					return d, false, false
				}
				out[i] = x
			}
		}
		d = lambda.Delay{P50: out[0], P99: out[1], Max: out[2]}
		switch err := d.Validate(); {
		case d.P50 <= 0:
			p.Errorf(n, "%s: p50 must be > 0, not %s", what, out[0])
			return d, false, false
		case err != nil:
			p.Errorf(n, "%s: %v", what, err)
			return d, false, false
		}
		return d, false, true
	}
	p.Errorf(n, "%s must be model, 0, a duration, a range [min, max] or {p50, p99}, not %s", what, scenario.Describe(v))
	return d, false, false
}
