package lambdakind

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/bench/scenario"
)

// function reads the settings of a Lambda function from f, the fields of
// its section (p.sec in messages), which may be empty.
func parseFunction(p *scenario.Parser, f map[string]scenario.Field) FunctionConfig {
	c := defaults()
	var lang FunctionCode
	if e := f["runtime"].Value; e != nil {
		if rt, ok := runtimeKey(p, e, &lang); ok {
			c.Runtime = rt
		}
	}
	if e := f["sandbox"].Value; e != nil {
		if r, ok := p.Str(e, p.Sec+".sandbox"); ok {
			switch rt, err := ParseSandbox(r); {
			case err != nil:
				p.Errorf(e, "%s.sandbox must be auto, container or process, not %q", p.Sec, r)
			case c.Runtime != Auto:
				p.Errorf(f["sandbox"].Key, "%s.sandbox: runtime: %s already says where environments run (its old name); keep sandbox: and give runtime: a Lambda runtime, such as nodejs22.x, or nothing", p.Sec, c.Runtime)
			default:
				c.Runtime = rt
			}
		}
	}
	if e := f["memory"].Value; e != nil {
		if m, ok := p.Integer(e, p.Sec+".memory"); ok && (m < minMemoryMB || m > maxMemoryMB) {
			p.Errorf(e, "%s.memory must be between %d and %d (MB), not %d", p.Sec, minMemoryMB, maxMemoryMB, m)
		} else if ok {
			c.MemoryMB = m
		}
	}
	if e := f["timeout"].Value; e != nil {
		if d, ok := p.Duration(e, p.Sec+".timeout"); ok {
			switch {
			case d%time.Second != 0:
				p.Errorf(e, "%s.timeout must be a whole number of seconds, not %s", p.Sec, scenario.Resolve(e).Value)
			case d < time.Second || d > maxTimeout:
				p.Errorf(e, "%s.timeout must be between 1s and %s, not %s", p.Sec, fmtSeconds(maxTimeout), scenario.Resolve(e).Value)
			default:
				c.Timeout = d
			}
		}
	}
	if e := f["keepalive"].Value; e != nil {
		c.Keepalive, c.KeepaliveMax = parseKeepalive(p, e)
	}
	if e := f["max_lifetime"].Value; e != nil {
		if d, ok := p.Duration(e, p.Sec+".max_lifetime"); ok && d <= 0 {
			p.Errorf(e, "%s.max_lifetime must be > 0, not %s", p.Sec, scenario.Resolve(e).Value)
		} else if ok {
			c.MaxLifetime = d
		}
	}
	if e := f["scaling"].Value; e != nil {
		c.ScaleRate, c.ScaleWindow = parseScaling(p, e)
	}
	if e := f["concurrency"].Value; e != nil {
		if k, ok := p.Integer(e, p.Sec+".concurrency"); ok && k < 1 {
			p.Errorf(e, "%s.concurrency must be at least 1, not %d", p.Sec, k)
		} else if ok {
			c.Concurrency = k
		}
	}
	if e := f["provisioned"].Value; e != nil {
		if k, ok := p.Integer(e, p.Sec+".provisioned"); ok && (k < 0 || k > c.Concurrency) {
			p.Errorf(e, "%s.provisioned must be between 0 and the concurrency (%d), not %d", p.Sec, c.Concurrency, k)
		} else if ok {
			c.Provisioned = k
		}
	}
	if e := f["faults"].Value; e != nil {
		c.Faults = parseFaults(p, e)
	}
	if e := f["pool"].Value; e != nil {
		c.Pool = parsePool(p, e)
	}
	resolvePool(&c)
	if e := f["platform"].Value; e != nil {
		if d, model, ok := parsePlatform(p, e); ok {
			c.Platform, c.PlatformModel = d, model
		}
	}
	c.Work = p.Work(f, p.Sec)
	c.Code = parseCode(p, f, lang)
	if e := f["env"].Value; e != nil {
		c.Env = p.Env(e, p.Sec+".env", func(name string) string {
			if strings.HasPrefix(name, "AWS_") {
				return name + " is reserved (Lambda sets the AWS_ variables); rename it"
			}
			return ""
		})
	}
	return c
}

// fmtSeconds prints d in seconds, as "900s" rather than "15m0s".
func fmtSeconds(d time.Duration) string {
	return fmt.Sprintf("%gs", d.Seconds())
}

// keepalive reads function.keepalive: one duration, or a range [min, max]
// from which each environment draws its own.
func parseKeepalive(p *scenario.Parser, n *yaml.Node) (lo, hi time.Duration) {
	what := p.Sec + ".keepalive"
	v := scenario.Resolve(n)
	if v.Kind == yaml.SequenceNode {
		if len(v.Content) != 2 {
			p.Errorf(n, "%s as a range is a list of two durations [min, max], not %d items", what, len(v.Content))
			return 0, 0
		}
		lo, ok1 := p.Duration(v.Content[0], what+" minimum")
		hi, ok2 := p.Duration(v.Content[1], what+" maximum")
		switch {
		case !ok1 || !ok2:
		case lo <= 0 || hi < lo:
			p.Errorf(n, "%s range must have 0 < min <= max, not [%s, %s]", what, scenario.Resolve(v.Content[0]).Value, scenario.Resolve(v.Content[1]).Value)
		default:
			return lo, hi
		}
		return 0, 0
	}
	d, ok := p.Duration(n, what)
	if ok && d <= 0 {
		p.Errorf(n, "%s must be > 0, not %s", what, v.Value)
		return 0, 0
	}
	if !ok {
		return 0, 0
	}
	return d, 0
}

// scaling reads function.scaling: {rate: N, per: DURATION}, at most N new
// environments in any window of that length.
func parseScaling(p *scenario.Parser, n *yaml.Node) (rate int, window time.Duration) {
	f := p.Fields(p.Mapping(n, p.Sec+".scaling"), "in "+p.Sec+".scaling", "rate", "per")
	if e := f["rate"].Value; e != nil {
		if k, ok := p.Integer(e, p.Sec+".scaling.rate"); ok && k < 1 {
			p.Errorf(e, "%s.scaling.rate must be at least 1 new environment, not %d", p.Sec, k)
		} else if ok {
			rate = k
		}
	} else {
		p.Errorf(n, "%s.scaling needs rate, the most new environments per window", p.Sec)
	}
	window = 10 * time.Second // Lambda's: 1,000 new environments every 10 s
	if e := f["per"].Value; e != nil {
		if d, ok := p.Duration(e, p.Sec+".scaling.per"); ok && d <= 0 {
			p.Errorf(e, "%s.scaling.per must be > 0, not %s", p.Sec, scenario.Resolve(e).Value)
		} else if ok {
			window = d
		}
	}
	return rate, window
}

// faults reads function.faults.
func parseFaults(p *scenario.Parser, n *yaml.Node) Faults {
	var fs Faults
	f := p.Fields(p.Mapping(n, p.Sec+".faults"), "in "+p.Sec+".faults", "crash", "panic", "timeout", "init_failure", "kill_every")
	for k, dst := range map[string]*float64{"crash": &fs.Crash, "panic": &fs.Panic, "timeout": &fs.Timeout, "init_failure": &fs.InitFailure} {
		e := f[k].Value
		if e == nil {
			continue
		}
		if x, ok := p.Number(e, p.Sec+".faults."+k); ok && (x < 0 || x > 1) {
			p.Errorf(e, "%s.faults.%s is a share of requests from 0 to 1 (0.01 is 1%%), not %s", p.Sec, k, scenario.Resolve(e).Value)
		} else if ok {
			*dst = x
		}
	}
	if sum := fs.Crash + fs.Panic + fs.Timeout; sum > 1 {
		p.Errorf(n, "%s.faults: crash, panic and timeout add up to %g of the requests; at most 1", p.Sec, sum)
	}
	if e := f["kill_every"].Value; e != nil {
		if d, ok := p.Duration(e, p.Sec+".faults.kill_every"); ok && d <= 0 {
			p.Errorf(e, "%s.faults.kill_every must be > 0, not %s", p.Sec, scenario.Resolve(e).Value)
		} else if ok {
			fs.KillEvery = d
		}
	}
	return fs
}
