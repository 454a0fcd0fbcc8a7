package scenario

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/coldbench/coldbench/targets/lambda"
)

// Limits and defaults of the file format; see the package documentation.
const (
	defaultMemoryMB    = 512
	minMemoryMB        = 128
	maxMemoryMB        = 10240
	defaultTimeout     = 3 * time.Second
	maxTimeout         = 900 * time.Second
	defaultKeepalive   = 10 * time.Minute
	defaultConcurrency = 1000
	maxWork            = 10 * time.Second
	minRate            = 0.001 // one request every 1000 s
	maxRate            = 1e6   // far beyond what one machine sends
	maxWorkers         = 100_000
)

// scenario reads the top-level mapping n.
func (p *parser) scenario(n *yaml.Node) *Scenario {
	m := resolve(n)
	if m.Kind != yaml.MappingNode {
		p.errorf(n, "a scenario must be a mapping with keys such as targets and phases, not %s", describe(m))
		return nil
	}
	s := &Scenario{
		Name: strings.TrimSuffix(filepath.Base(p.path), filepath.Ext(p.path)),
		Path: p.path,
	}
	f := p.fields(m, "at the top level", "name", "description", "targets", "concurrent", "server", "function", "phases", "objectives", "cost", "request", "host_wait")
	if e := f["name"].value; e != nil {
		if name, ok := p.str(e, "name"); ok && name == "" {
			p.errorf(e, "name is empty; give one or remove the key to use the file name")
		} else if ok {
			s.Name = name
		}
	}
	if e := f["description"].value; e != nil {
		d, _ := p.str(e, "description")
		s.Description = strings.TrimSpace(d) // block scalars (>, |) end in a newline
	}
	if e := f["concurrent"].value; e != nil {
		s.Concurrent, _ = p.boolean(e, "concurrent")
	}
	if e := f["host_wait"].value; e != nil {
		if v, ok := p.str(e, "host_wait"); ok {
			switch v {
			case HostWaitSubtract:
			case HostWaitKeep:
				s.KeepHostWait = true
			default:
				p.errorf(e, "host_wait must be %q (judge latencies less the time the target waited for this machine's CPU, the default) or %q (judge them as measured), not %q", HostWaitSubtract, HostWaitKeep, v)
			}
		}
	}
	s.Cost = p.cost(f["cost"].value)
	s.Request = p.request(f["request"].value, "request")
	s.Targets = p.targets(f["targets"].value, f, *s)
	if e := f["objectives"].value; e != nil {
		s.Objectives = p.objectives(e)
		expandSweeps(s)
		p.checkObjectives(s)
	}
	if e := f["phases"].value; e != nil {
		s.Phases = p.phases(e)
		p.checkSpeeds(s, resolve(e).Content)
	} else {
		p.errorf(fileStart(), "missing phases; a scenario needs a list of at least one phase")
	}
	return s
}

// work reads init_work and request_work from the fields of section.
func (p *parser) work(f map[string]field, section string) Work {
	return Work{
		Init:    p.workTime(f["init_work"].value, section+".init_work"),
		Request: p.workTime(f["request_work"].value, section+".request_work"),
		Wait:    p.workTime(f["request_wait"].value, section+".request_wait"),
	}
}

func (p *parser) workTime(n *yaml.Node, what string) time.Duration {
	if n == nil {
		return 0
	}
	d, ok := p.duration(n, what)
	if ok && (d < 0 || d >= maxWork) {
		p.errorf(n, "%s must be at least 0 and below %s, not %s", what, maxWork, resolve(n).Value)
		return 0
	}
	return d
}

// function reads the settings of a Lambda function from f, the fields of
// its section (p.sec in messages), which may be empty.
func (p *parser) function(f map[string]field) FunctionConfig {
	c := FunctionConfig{
		MemoryMB:      defaultMemoryMB,
		Timeout:       defaultTimeout,
		Keepalive:     defaultKeepalive,
		Concurrency:   defaultConcurrency,
		Runtime:       Auto,
		Pool:          -1,
		Platform:      lambda.Published().Delay(),
		PlatformModel: true,
	}
	var lang FunctionCode
	if e := f["runtime"].value; e != nil {
		if rt, ok := p.runtimeKey(e, &lang); ok {
			c.Runtime = rt
		}
	}
	if e := f["sandbox"].value; e != nil {
		if r, ok := p.str(e, p.sec+".sandbox"); ok {
			switch rt, err := ParseRuntime(r); {
			case err != nil:
				p.errorf(e, "%s.sandbox must be auto, container or process, not %q", p.sec, r)
			case c.Runtime != Auto:
				p.errorf(f["sandbox"].key, "%s.sandbox: runtime: %s already says where environments run (its old name); keep sandbox: and give runtime: a Lambda runtime, such as nodejs22.x, or nothing", p.sec, c.Runtime)
			default:
				c.Runtime = rt
			}
		}
	}
	if e := f["memory"].value; e != nil {
		if m, ok := p.integer(e, p.sec+".memory"); ok && (m < minMemoryMB || m > maxMemoryMB) {
			p.errorf(e, "%s.memory must be between %d and %d (MB), not %d", p.sec, minMemoryMB, maxMemoryMB, m)
		} else if ok {
			c.MemoryMB = m
		}
	}
	if e := f["timeout"].value; e != nil {
		if d, ok := p.duration(e, p.sec+".timeout"); ok {
			switch {
			case d%time.Second != 0:
				p.errorf(e, "%s.timeout must be a whole number of seconds, not %s", p.sec, resolve(e).Value)
			case d < time.Second || d > maxTimeout:
				p.errorf(e, "%s.timeout must be between 1s and %s, not %s", p.sec, fmtSeconds(maxTimeout), resolve(e).Value)
			default:
				c.Timeout = d
			}
		}
	}
	if e := f["keepalive"].value; e != nil {
		c.Keepalive, c.KeepaliveMax = p.keepalive(e)
	}
	if e := f["max_lifetime"].value; e != nil {
		if d, ok := p.duration(e, p.sec+".max_lifetime"); ok && d <= 0 {
			p.errorf(e, "%s.max_lifetime must be > 0, not %s", p.sec, resolve(e).Value)
		} else if ok {
			c.MaxLifetime = d
		}
	}
	if e := f["scaling"].value; e != nil {
		c.ScaleRate, c.ScaleWindow = p.scaling(e)
	}
	if e := f["concurrency"].value; e != nil {
		if k, ok := p.integer(e, p.sec+".concurrency"); ok && k < 1 {
			p.errorf(e, "%s.concurrency must be at least 1, not %d", p.sec, k)
		} else if ok {
			c.Concurrency = k
		}
	}
	if e := f["provisioned"].value; e != nil {
		if k, ok := p.integer(e, p.sec+".provisioned"); ok && (k < 0 || k > c.Concurrency) {
			p.errorf(e, "%s.provisioned must be between 0 and the concurrency (%d), not %d", p.sec, c.Concurrency, k)
		} else if ok {
			c.Provisioned = k
		}
	}
	if e := f["faults"].value; e != nil {
		c.Faults = p.faults(e)
	}
	if e := f["pool"].value; e != nil {
		c.Pool = p.pool(e)
	}
	resolvePool(&c)
	if e := f["platform"].value; e != nil {
		if d, model, ok := p.platform(e); ok {
			c.Platform, c.PlatformModel = d, model
		}
	}
	c.Work = p.work(f, p.sec)
	c.Code = p.functionCode(f, lang)
	if e := f["env"].value; e != nil {
		c.Env = p.env(e)
	}
	return c
}

// fmtSeconds prints d in seconds, as "900s" rather than "15m0s".
func fmtSeconds(d time.Duration) string {
	return fmt.Sprintf("%gs", d.Seconds())
}

// env reads the function's environment variables.
func (p *parser) env(n *yaml.Node) map[string]string {
	m := p.mapping(n, p.sec+".env")
	if m == nil {
		return nil
	}
	env := make(map[string]string)
	first := make(map[string]int)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, ok := p.str(k, "a name in "+p.sec+".env")
		if !ok {
			continue
		}
		if line, dup := first[name]; dup {
			p.errorf(k, "duplicate key %q in %s.env (first at line %d); remove one", name, p.sec, line)
			continue
		}
		first[name] = k.Line
		switch {
		case !isEnvName(name):
			p.errorf(k, "%s.env: %q is not a valid variable name; use letters, digits and _, not starting with a digit", p.sec, name)
			continue
		case strings.HasPrefix(name, "AWS_"):
			p.errorf(k, "%s.env: %s is reserved (Lambda sets the AWS_ variables); rename it", p.sec, name)
			continue
		}
		switch rv := resolve(v); {
		case isNull(rv):
			env[name] = ""
		case rv.Kind == yaml.ScalarNode:
			env[name] = rv.Value
		default:
			p.kindError(v, p.sec+".env."+name, "a string")
		}
	}
	return env
}

// isEnvName reports whether s matches [A-Za-z_][A-Za-z0-9_]*.
func isEnvName(s string) bool {
	for i, c := range s {
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return s != ""
}

// phases reads the list of phases.
func (p *parser) phases(n *yaml.Node) []Phase {
	l := resolve(n)
	if l.Kind != yaml.SequenceNode && !isNull(l) {
		p.kindError(n, "phases", "a list of phases")
		return nil
	}
	if len(l.Content) == 0 {
		p.errorf(n, "phases is empty; list at least one phase")
		return nil
	}
	ps := make([]Phase, len(l.Content))
	first := make(map[string]int)
	for i, e := range l.Content {
		ps[i] = p.phase(e, i)
		if line, dup := first[ps[i].Name]; dup {
			p.errorf(e, "phase %q: name already used by the phase at line %d; give each phase its own name", ps[i].Name, line)
		} else {
			first[ps[i].Name] = ps[i].Line
		}
	}
	return ps
}

// rateFields returns the fields that set the rate of shape s, in the order
// they are documented, and whether s is a shape at all.
func (s Shape) rateFields() ([]string, bool) {
	switch s {
	case Constant:
		return []string{"rate"}, true
	case Ramp:
		return []string{"from", "to"}, true
	case Sine:
		return []string{"mean", "amplitude", "period"}, true
	case Idle:
		return nil, true
	case Trace:
		return []string{"file", "format"}, true
	}
	return nil, false
}

// phase reads the i'th phase (from 0), n.
func (p *parser) phase(n *yaml.Node, i int) Phase {
	ph := Phase{Name: fmt.Sprintf("phase-%d", i+1), Line: n.Line}
	m := resolve(n)
	if m.Kind != yaml.MappingNode {
		p.kindError(n, fmt.Sprintf("phase %d", i+1), "a mapping with a duration, a shape and the shape's fields")
		return ph
	}
	// Messages name the phase, so the name comes first.
	if e := lookup(m, "name"); e != nil {
		if v := resolve(e); v.Kind == yaml.ScalarNode && !isNull(v) && v.Value != "" {
			ph.Name = v.Value
		}
	}
	where := fmt.Sprintf("phase %q", ph.Name)
	f := p.fields(m, "in "+where, append([]string{
		"name", "duration", "shape", "rate", "from", "to", "mean", "amplitude", "period", "workers"}, traceOnly()...)...)
	if e := f["name"].value; e != nil {
		if name, ok := p.str(e, where+": name"); ok && name == "" {
			p.errorf(e, "%s: name is empty; give one or remove the key", where)
		}
	}

	if e := f["duration"].value; e == nil && !isTrace(f) {
		p.errorf(n, "%s: missing duration, such as duration: 30s", where)
	} else if e == nil {
	} else if d, ok := p.duration(e, where+": duration"); ok && d <= 0 {
		p.errorf(e, "%s: duration must be > 0, not %s", where, resolve(e).Value)
	} else if ok {
		ph.Duration = d
	}

	var takes []string
	known := false
	if e := f["shape"].value; e == nil {
		p.errorf(n, "%s: missing shape; use constant, ramp, sine, idle or trace", where)
	} else if s, ok := p.str(e, where+": shape"); ok {
		if takes, known = Shape(s).rateFields(); known {
			ph.Shape = Shape(s)
		} else {
			p.errorf(e, "%s: unknown shape %q%s", where, s,
				didYouMean(s, "use constant, ramp, sine, idle or trace", string(Constant), string(Ramp), string(Sine), string(Idle), string(Trace)))
		}
	}

	var missing []string
	for _, k := range takes {
		if _, given := f[k]; !given {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		p.errorf(n, "%s: missing %s, which shape %s needs", where, join(missing, "and"), ph.Shape)
	}

	rates := map[string]*float64{"rate": &ph.Rate, "from": &ph.From, "to": &ph.To, "mean": &ph.Mean, "amplitude": &ph.Amplitude}
	for _, k := range []string{"rate", "from", "to", "mean", "amplitude", "period"} {
		e, given := f[k]
		switch {
		case !given:
			continue
		case known && ph.Shape == Trace && (k == "from" || k == "to"):
			continue // a window of the trace, read by p.trace
		case known && ph.Shape == Idle:
			p.errorf(e.key, "%s: shape idle sends no requests; remove %s", where, k)
			continue
		case known && !slices.Contains(takes, k):
			p.errorf(e.key, "%s: shape %s takes %s, not %s", where, ph.Shape, join(takes, "and"), k)
			continue
		}
		what := where + ": " + k
		if k == "period" {
			if d, ok := p.duration(e.value, what); ok && d <= 0 {
				p.errorf(e.value, "%s must be > 0, not %s", what, resolve(e.value).Value)
			} else if ok {
				ph.Period = d
			}
			continue
		}
		if k == "rate" && resolve(e.value).Kind == yaml.ScalarNode && resolve(e.value).Value == "max" {
			ph.Max = true
			continue
		}
		if x, ok := p.number(e.value, what); ok && x <= 0 {
			p.errorf(e.value, "%s must be > 0 requests/s, not %s", what, resolve(e.value).Value)
		} else if ok && (x < minRate || x > maxRate) {
			p.errorf(e.value, "%s must be between %g and %g requests/s, not %s", what, minRate, maxRate, resolve(e.value).Value)
		} else if ok {
			*rates[k] = x
		}
	}
	if e := f["workers"].value; e != nil {
		if known && ph.Shape == Idle {
			p.errorf(f["workers"].key, "%s: shape idle sends no requests; remove workers", where)
		} else if k, ok := p.integer(e, where+": workers"); ok && (k < 1 || k > maxWorkers) {
			p.errorf(e, "%s: workers must be between 1 and %d requests in flight, not %d", where, maxWorkers, k)
		} else if ok {
			ph.Workers = k
		}
	}
	if ph.Max && ph.Workers == 0 {
		p.errorf(f["rate"].value, "%s: rate: max needs workers, the number of requests kept in flight, such as workers: 32", where)
	}
	for _, k := range traceOnly() {
		if e, given := f[k]; given && known && ph.Shape != Trace {
			p.errorf(e.key, "%s: %s is a key of shape trace, not of %s; remove it", where, k, ph.Shape)
		}
	}
	if known && ph.Shape == Trace {
		ph.Trace = p.trace(n, f, where)
		p.traceDuration(&ph, f["duration"].value, where)
	}
	if ph.Shape == Sine && ph.Mean > 0 && ph.Amplitude >= ph.Mean {
		e := f["amplitude"].value
		p.errorf(e, "%s: amplitude must be less than mean (%s) so the rate stays above 0, not %s",
			where, resolve(f["mean"].value).Value, resolve(e).Value)
	}
	return ph
}

// isTrace reports whether the phase with fields f says shape: trace.
func isTrace(f map[string]field) bool {
	v := f["shape"].value
	return v != nil && resolve(v).Kind == yaml.ScalarNode && resolve(v).Value == string(Trace)
}

// keepalive reads function.keepalive: one duration, or a range [min, max]
// from which each environment draws its own.
func (p *parser) keepalive(n *yaml.Node) (lo, hi time.Duration) {
	what := p.sec + ".keepalive"
	v := resolve(n)
	if v.Kind == yaml.SequenceNode {
		if len(v.Content) != 2 {
			p.errorf(n, "%s as a range is a list of two durations [min, max], not %d items", what, len(v.Content))
			return 0, 0
		}
		lo, ok1 := p.duration(v.Content[0], what+" minimum")
		hi, ok2 := p.duration(v.Content[1], what+" maximum")
		switch {
		case !ok1 || !ok2:
		case lo <= 0 || hi < lo:
			p.errorf(n, "%s range must have 0 < min <= max, not [%s, %s]", what, resolve(v.Content[0]).Value, resolve(v.Content[1]).Value)
		default:
			return lo, hi
		}
		return 0, 0
	}
	d, ok := p.duration(n, what)
	if ok && d <= 0 {
		p.errorf(n, "%s must be > 0, not %s", what, v.Value)
		return 0, 0
	}
	if !ok {
		return 0, 0
	}
	return d, 0
}

// scaling reads function.scaling: {rate: N, per: DURATION}, at most N new
// environments in any window of that length.
func (p *parser) scaling(n *yaml.Node) (rate int, window time.Duration) {
	f := p.fields(p.mapping(n, p.sec+".scaling"), "in "+p.sec+".scaling", "rate", "per")
	if e := f["rate"].value; e != nil {
		if k, ok := p.integer(e, p.sec+".scaling.rate"); ok && k < 1 {
			p.errorf(e, "%s.scaling.rate must be at least 1 new environment, not %d", p.sec, k)
		} else if ok {
			rate = k
		}
	} else {
		p.errorf(n, "%s.scaling needs rate, the most new environments per window", p.sec)
	}
	window = 10 * time.Second // Lambda's: 1,000 new environments every 10 s
	if e := f["per"].value; e != nil {
		if d, ok := p.duration(e, p.sec+".scaling.per"); ok && d <= 0 {
			p.errorf(e, "%s.scaling.per must be > 0, not %s", p.sec, resolve(e).Value)
		} else if ok {
			window = d
		}
	}
	return rate, window
}

// faults reads function.faults.
func (p *parser) faults(n *yaml.Node) Faults {
	var fs Faults
	f := p.fields(p.mapping(n, p.sec+".faults"), "in "+p.sec+".faults", "crash", "panic", "timeout", "init_failure", "kill_every")
	for k, dst := range map[string]*float64{"crash": &fs.Crash, "panic": &fs.Panic, "timeout": &fs.Timeout, "init_failure": &fs.InitFailure} {
		e := f[k].value
		if e == nil {
			continue
		}
		if x, ok := p.number(e, p.sec+".faults."+k); ok && (x < 0 || x > 1) {
			p.errorf(e, "%s.faults.%s is a share of requests from 0 to 1 (0.01 is 1%%), not %s", p.sec, k, resolve(e).Value)
		} else if ok {
			*dst = x
		}
	}
	if sum := fs.Crash + fs.Panic + fs.Timeout; sum > 1 {
		p.errorf(n, "%s.faults: crash, panic and timeout add up to %g of the requests; at most 1", p.sec, sum)
	}
	if e := f["kill_every"].value; e != nil {
		if d, ok := p.duration(e, p.sec+".faults.kill_every"); ok && d <= 0 {
			p.errorf(e, "%s.faults.kill_every must be > 0, not %s", p.sec, resolve(e).Value)
		} else if ok {
			fs.KillEvery = d
		}
	}
	return fs
}
