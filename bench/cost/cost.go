// Package cost prices a run: what the Lambda function and the always-on
// server would cost in AWS for the traffic the scenario sent, from what the
// run measured (billed milliseconds, cold starts, the server's CPU time) and
// a versioned price file embedded in coldbench (prices.json).
//
// For each target the model gives the cost per million requests and the
// monthly cost if the scenario's traffic pattern ran all month; for the
// server, the instances it needs at the scenario's peak rate; and the
// average request rate above which the server is the cheaper of the two.
// Every figure carries where it comes from, so that a report can say it.
//
// Lambda is billed as AWS bills it: a price per request that reached an
// execution environment (429 throttles are not billed), and duration in
// GB-seconds, 1 ms granularity, INIT included; provisioned environments
// are billed while enabled, and their invocations at the provisioned
// duration price. The server is billed per instance-hour, with as many
// instances as its measured capacity (requests per CPU-second) needs to
// carry the peak rate at the target utilization.
//
// Compute prices a function, a server, or one of each: priced alone, a
// target's Result says how its monthly cost grows with the average rate
// (LambdaCost.Scaling, ServerCost.Scaling), from which Line draws it and
// BreakEvenOf solves where any server becomes cheaper than any function.
//
// The durations were measured on the machine that ran the bench, not in
// AWS: the figures approximate, and a Result says so.
package cost

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Month is the month the model prices: 730 hours, as AWS's price pages
// count it.
const Month = 730 * time.Hour

// Input is what a run measured that the model prices.
type Input struct {
	Traffic Traffic      `json:"traffic"`
	Lambda  *LambdaUsage `json:"lambda,omitempty"` // nil when the function did not run
	Server  *ServerUsage `json:"server,omitempty"` // nil when the server did not run
	// Notes are what whoever measured the input wants a reader to know;
	// they become caveats of the Result.
	Notes []string `json:"notes,omitempty"`
}

// Traffic is the shape of the scenario's schedule, which every target got.
type Traffic struct {
	Seconds     float64 `json:"duration_s"`        // length of the schedule
	Requests    float64 `json:"expected_requests"` // what the schedule sends
	AverageRate float64 `json:"average_rate"`      // Requests / Seconds, requests/s
	PeakRate    float64 `json:"peak_rate"`         // the highest rate of any phase, requests/s
	Source      string  `json:"source"`            // how they were worked out
	// Trace says the traffic is a whole trace's, priced from its span,
	// not the schedule's.
	Trace bool `json:"whole_trace,omitempty"`
}

// LambdaUsage is what the function used over the schedule.
type LambdaUsage struct {
	MemoryMB int `json:"memory_mb"`
	// Requests were sent to the function; Throttled of them were
	// answered 429 and are not billed; Invocations reached an execution
	// environment and are billed.
	Requests    int64 `json:"requests"`
	Throttled   int64 `json:"throttled"`
	Invocations int64 `json:"invocations"`
	// BilledMs is the sum of the Billed Duration of the invocations of
	// on-demand environments, over BilledRows REPORT lines.
	BilledMs   float64 `json:"billed_ms"`
	BilledRows int64   `json:"billed_rows"`
	// ColdStarts started an on-demand environment; InitMs is the sum of
	// their INIT phases as the function measured them.
	ColdStarts int64   `json:"cold_starts"`
	InitMs     float64 `json:"init_ms"`
	// InitInBilled says BilledMs already holds InitMs, as it does when
	// the RIE runs INIT inside the first invoke; otherwise the model
	// adds InitMs to the billed duration.
	InitInBilled bool `json:"init_in_billed"`
	// Provisioned environments were enabled for the whole schedule; their
	// invocations billed ProvisionedBilledMs over ProvisionedRows REPORT
	// lines.
	Provisioned         int     `json:"provisioned"`
	ProvisionedBilledMs float64 `json:"provisioned_billed_ms"`
	ProvisionedRows     int64   `json:"provisioned_rows"`
	Source              string  `json:"source"` // where the figures were read
}

// ServerUsage is what the server used over the schedule.
type ServerUsage struct {
	Requests int64 `json:"requests"` // sent to the server
	Served   int64 `json:"served"`   // answered 2xx
	// CPUSeconds is the CPU time (user and system) the server process
	// used while the schedule ran; 0 when it could not be measured.
	CPUSeconds float64 `json:"cpu_seconds"`
	Source     string  `json:"source"` // how CPUSeconds was measured, or why not
}

// Figure is one number of a Result, with its unit and where it comes from.
type Figure struct {
	Name   string  `json:"name,omitempty"` // what it is, where a list holds several
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
}

// Result is a run priced.
type Result struct {
	PriceVersion string `json:"price_version"`
	Region       string `json:"region"`
	Config       Config `json:"config"` // with its defaults
	Input        Input  `json:"input"`  // what was priced
	// Prices are the prices the model used, by the keys of
	// OverrideKeys, each with its source: the price file or the
	// scenario.
	Prices map[string]Price `json:"prices"`
	Lambda *LambdaCost      `json:"lambda,omitempty"`
	Server *ServerCost      `json:"server,omitempty"`
	// Model is the price of a kind whose model is its own rather than
	// one of this library's: it prices itself (kinds.Usage) and says
	// here, as every reader sees it, what it costs.
	Model     *View      `json:"model,omitempty"`
	BreakEven *BreakEven `json:"break_even,omitempty"`
	// Series is monthly cost against average request rate, log-spaced,
	// for a chart; empty without both targets priced.
	Series  []Point  `json:"series,omitempty"`
	Caveats []string `json:"caveats"`
}

// LambdaCost is what the function costs.
type LambdaCost struct {
	// Unpriced says why the function could not be priced; the figures
	// are then zero.
	Unpriced   string   `json:"unpriced,omitempty"`
	PerMillion Figure   `json:"per_million_requests"`
	Monthly    Figure   `json:"monthly"`
	Run        Figure   `json:"run"`           // the usage of this run, its front door included
	Parts      []Figure `json:"monthly_parts"` // what Monthly is made of, the front door's part(s) last
	// FrontDoor is what the function was priced behind.
	FrontDoor FrontDoor `json:"front_door,omitempty"`
	Init      Figure    `json:"monthly_init"` // the part of the duration that is INIT
	GBSeconds Figure    `json:"gb_seconds"`   // billed over the run, on-demand and provisioned
	// Scaling is how Monthly grows with the average request rate; nil
	// when the function was not priced or was sent no request.
	Scaling *Linear `json:"scaling,omitempty"`
}

// ServerCost is what the server costs.
type ServerCost struct {
	PerMillion Figure `json:"per_million_requests"`
	Monthly    Figure `json:"monthly"`
	Run        Figure `json:"run"`       // instance time over this run, and the front door
	Instances  Figure `json:"instances"` // needed at the peak rate
	// Parts are what Monthly is made of: the instances, then the front
	// door's part(s).
	Parts []Figure `json:"monthly_parts"`
	// FrontDoor is what the server was priced behind.
	FrontDoor FrontDoor `json:"front_door,omitempty"`
	// Capacity is the requests one CPU-second served, measured; zero
	// when it could not be measured, and then Instances is the minimum.
	Capacity Figure `json:"capacity_per_cpu_second"`
	// PerInstance is the peak rate one instance carries at the target
	// utilization.
	PerInstance Figure `json:"per_instance_rate"`
	Instance    string `json:"instance"`
	// Scaling is how Monthly grows with the average request rate.
	Scaling *Stepped `json:"scaling"`
}

// Compute prices in with the prices p and the configuration c. It fails
// only if c does not fit p (see Config.Check); what cannot be priced (such
// as arm64 provisioned concurrency without a price) is said in the Result.
func Compute(p Prices, c Config, in Input) (*Result, error) {
	c = c.WithDefaults()
	if err := c.Check(p); err != nil {
		return nil, err
	}
	inst, _ := p.Instance(c.Instance)
	r := &Result{
		PriceVersion: p.Version, Region: p.Region, Config: c, Input: in,
		Prices: prices(p, c, inst, in),
	}
	if in.Lambda != nil {
		r.Lambda = r.lambda(*in.Lambda, p.FrontDoors)
	}
	if in.Server != nil {
		r.Server = r.server(*in.Server, inst, c, p.FrontDoors)
	}
	if r.Lambda != nil && r.Lambda.Scaling != nil && r.Server != nil {
		r.chart(&model{Linear: *r.Lambda.Scaling, Stepped: *r.Server.Scaling})
	}
	r.Caveats = caveats(p, c, inst, in)
	return r, nil
}

// prices returns the prices the model uses for c: the file's for the
// architecture and instance, and for the front doors of the targets in
// in, replaced by the scenario's overrides.
func prices(p Prices, c Config, inst Instance, in Input) map[string]Price {
	ap := p.Lambda.Architectures[c.Architecture]
	file := map[string]*Price{
		KeyLambdaRequestPerMillion:            ap.RequestPerMillion,
		KeyLambdaGBSecond:                     ap.GBSecond,
		KeyLambdaProvisionedGBSecond:          ap.ProvisionedGBSecond,
		KeyLambdaProvisionedExecutionGBSecond: ap.ProvisionedExecutionGBSecond,
		KeyInstanceHourly:                     &inst.Hourly,
	}
	fd := p.FrontDoors
	switch {
	case in.Lambda != nil && c.LambdaFrontDoor == HTTPAPI:
		file[KeyHTTPAPIRequestPerMillion] = &fd.HTTPAPI.RequestPerMillion
	case in.Lambda != nil && c.LambdaFrontDoor == RESTAPI:
		file[KeyRESTAPIRequestPerMillion] = &fd.RESTAPI.RequestPerMillion
	}
	if (in.Lambda != nil && c.LambdaFrontDoor == ALB) || (in.Server != nil && c.ServerFrontDoor == ALB) {
		file[KeyALBHourly], file[KeyALBLCUHourly] = &fd.ALB.Hourly, &fd.ALB.LCUHourly
	}
	out := map[string]Price{}
	for _, k := range OverrideKeys() {
		if _, ok := file[k]; !ok {
			continue // a front door's price that prices no target of in
		}
		if v, ok := c.Prices.Get(k); ok {
			out[k] = Price{USD: v, Source: Source{Source: "the scenario's cost.prices." + k}}
			continue
		}
		if f := file[k]; f != nil {
			pr := *f
			pr.Source.Source = fmt.Sprintf("price file %s: %s", p.Version, pr.Source.Source)
			out[k] = pr
		}
	}
	return out
}

// scale is how many times the schedule, or the whole trace, fits in a
// Month.
func (r *Result) scale() float64 { return r.Input.Traffic.Repeats() }

// Repeats is how many times the traffic's span fits in a Month: the
// factor from its figures to a month's.
func (t Traffic) Repeats() float64 { return Month.Seconds() / t.Seconds }

// lambda prices the function's usage u behind its front door, whose
// facts fp has, with how its monthly cost grows with the average request
// rate when it can say.
func (r *Result) lambda(u LambdaUsage, fp FrontDoorPrices) *LambdaCost {
	lc := &LambdaCost{FrontDoor: r.Config.LambdaFrontDoor}
	if r.Input.Traffic.Seconds <= 0 {
		lc.Unpriced = "the schedule has no duration"
		return lc
	}
	req, gbs := r.Prices[KeyLambdaRequestPerMillion], r.Prices[KeyLambdaGBSecond]
	pc, hasPC := r.Prices[KeyLambdaProvisionedGBSecond]
	pcExec, hasPCExec := r.Prices[KeyLambdaProvisionedExecutionGBSecond]
	if u.Provisioned > 0 && (!hasPC || !hasPCExec) {
		lc.Unpriced = fmt.Sprintf("the price file %s has no %s provisioned-concurrency prices; "+
			"set cost.prices.%s and cost.prices.%s in the scenario to price its provisioned concurrency (%d environments)",
			r.PriceVersion, r.Config.Architecture, KeyLambdaProvisionedGBSecond, KeyLambdaProvisionedExecutionGBSecond, u.Provisioned)
		return lc
	}
	gb := float64(u.MemoryMB) / 1024
	scale := r.scale()

	onDemandMs, initNote := u.BilledMs, "INIT included: the RIE runs it inside the first invoke"
	if !u.InitInBilled {
		onDemandMs += u.InitMs
		initNote = fmt.Sprintf("plus %s ms of INIT the function measured", g(u.InitMs))
	}
	odGBs := onDemandMs / 1000 * gb
	pcExecGBs := u.ProvisionedBilledMs / 1000 * gb
	pcGBs := float64(u.Provisioned) * gb * r.Input.Traffic.Seconds

	reqRun := float64(u.Invocations) * req.USD / 1e6
	durRun := odGBs * gbs.USD
	initRun := u.InitMs / 1000 * gb * gbs.USD
	pcExecRun := pcExecGBs * pcExec.USD
	pcRun := pcGBs * pc.USD
	fd := r.frontDoor(r.Config.LambdaFrontDoor, true, u.Requests, fp)
	fdRun := fd.run(r.Input.Traffic.Seconds, u.Requests)
	run := reqRun + durRun + pcExecRun + pcRun + fdRun

	month := func(name string, v float64, what string) Figure {
		return Figure{Name: name, Value: v * scale, Unit: "USD/month", Source: what}
	}
	lc.Parts = []Figure{
		month("requests", reqRun, fmt.Sprintf("%d invocations (of %d sent; %d throttled, not billed) × %s per million (%s)",
			u.Invocations, u.Requests, u.Throttled, usd(req.USD), req.Source.Source)),
		month("duration", durRun, fmt.Sprintf("%s GB-s (%s billed ms from invocations.csv, %d REPORT lines, %s; × %d MB) × %s per GB-s (%s)",
			g(odGBs), g(onDemandMs), u.BilledRows, initNote, u.MemoryMB, usd(gbs.USD), gbs.Source.Source)),
	}
	lc.Init = month("INIT, a part of duration", initRun, fmt.Sprintf("%d cold starts, %s ms in all, the function's own INIT measurement (X-Coldbench-Init-Us) × %d MB × %s per GB-s",
		u.ColdStarts, g(u.InitMs), u.MemoryMB, usd(gbs.USD)))
	if u.Provisioned > 0 {
		lc.Parts = append(lc.Parts,
			month("provisioned concurrency", pcRun, fmt.Sprintf("%d environments × %d MB enabled all along, %s GB-s × %s per GB-s (%s)",
				u.Provisioned, u.MemoryMB, g(pcGBs), usd(pc.USD), pc.Source.Source)),
			month("provisioned duration", pcExecRun, fmt.Sprintf("%s GB-s (%s billed ms of %d REPORT lines of provisioned environments) × %s per GB-s (%s)",
				g(pcExecGBs), g(u.ProvisionedBilledMs), u.ProvisionedRows, usd(pcExec.USD), pcExec.Source.Source)))
	}
	lc.Parts = append(lc.Parts, fd.parts...)
	bill := fmt.Sprintf("the Lambda bill of this run's %d requests (%s), %s included", u.Requests, u.Source, r.Config.LambdaFrontDoor.Label())
	lc.Run = Figure{Value: run, Unit: "USD", Source: bill}
	lc.GBSeconds = Figure{Value: odGBs + pcExecGBs, Unit: "GB-s", Source: "billed ms from invocations.csv × memory"}
	lc.Monthly = Figure{Value: run * scale, Unit: "USD/month",
		Source: fmt.Sprintf("%s × %s (730 h ÷ the %s s %s)", bill, g(scale), g(r.Input.Traffic.Seconds), r.Input.Traffic.span())}
	lc.PerMillion = perMillion(run, u.Requests, bill)
	if u.Requests > 0 {
		rate := float64(u.Requests) / r.Input.Traffic.Seconds
		// A month of a fixed hourly price is Month.Hours() hours of it:
		// the same as the run's share × scale.
		fixed := pcRun*scale + fd.hourly*Month.Hours()
		lc.Scaling = &Linear{Fixed: fixed, PerRate: (run*scale - fixed) / rate}
	}
	return lc
}

// server prices the server's usage u on instances inst behind its front
// door, whose facts fp has, with how its monthly cost grows with the
// average request rate.
func (r *Result) server(u ServerUsage, inst Instance, c Config, fp FrontDoorPrices) *ServerCost {
	hourly := r.Prices[KeyInstanceHourly]
	fd := r.frontDoor(c.ServerFrontDoor, false, u.Requests, fp)
	m := &Stepped{MinInstances: c.MinInstances, Instance: hourly.USD * Month.Hours(),
		Fixed: fd.hourly * Month.Hours(), PerRate: fd.perRequest * Month.Seconds()}
	sc := &ServerCost{Instance: c.Instance, Scaling: m, FrontDoor: c.ServerFrontDoor}
	if r.Input.Traffic.AverageRate > 0 {
		m.PeakRatio = r.Input.Traffic.PeakRate / r.Input.Traffic.AverageRate
	}
	if u.CPUSeconds > 0 && u.Served > 0 {
		capacity := float64(u.Served) / u.CPUSeconds
		m.PerInstance = float64(inst.VCPUs) * capacity * c.TargetUtilization
		sc.Capacity = Figure{Value: capacity, Unit: "requests/CPU-s",
			Source: fmt.Sprintf("%d requests served ÷ %s CPU-s the server process used (%s)", u.Served, g(u.CPUSeconds), u.Source)}
		sc.PerInstance = Figure{Value: m.PerInstance, Unit: "requests/s",
			Source: fmt.Sprintf("%d vCPUs of %s (price file) × %s requests/CPU-s × target utilization %g",
				inst.VCPUs, c.Instance, g(capacity), c.TargetUtilization)}
	} else {
		sc.Capacity = Figure{Unit: "requests/CPU-s", Source: "not measured: " + u.Source}
		sc.PerInstance = Figure{Unit: "requests/s", Source: "not measured, so the server keeps its minimum of instances"}
	}
	n := m.Instances(r.Input.Traffic.AverageRate)
	how := fmt.Sprintf("max(min_instances %d, ⌈peak %s requests/s ÷ %s requests/s per instance⌉)",
		c.MinInstances, g(r.Input.Traffic.PeakRate), g(m.PerInstance))
	if m.PerInstance <= 0 {
		how = fmt.Sprintf("min_instances %d: the capacity was not measured", c.MinInstances)
	}
	sc.Instances = Figure{Value: float64(n), Unit: "instances", Source: how}
	price := fmt.Sprintf("%d × %s at %s/h (%s)", n, c.Instance, usd(hourly.USD), hourly.Source.Source)
	instRun := float64(n) * hourly.USD * r.Input.Traffic.Seconds / 3600
	run := instRun + fd.run(r.Input.Traffic.Seconds, u.Requests)
	door := ""
	if c.ServerFrontDoor != Direct {
		door = ", and " + c.ServerFrontDoor.Label()
	}
	sc.Parts = append([]Figure{{Name: "instances", Value: float64(n) * m.Instance, Unit: "USD/month", Source: price + " × 730 h"}}, fd.parts...)
	monthly := 0.0
	for _, p := range sc.Parts {
		monthly += p.Value
	}
	sc.Monthly = Figure{Value: monthly, Unit: "USD/month", Source: price + " × 730 h" + door}
	sc.Run = Figure{Value: run, Unit: "USD", Source: fmt.Sprintf("%s × the %s s schedule%s", price, g(r.Input.Traffic.Seconds), door)}
	sc.PerMillion = perMillion(run, u.Requests, fmt.Sprintf("%s over the schedule%s", price, door))
	return sc
}

// perMillion returns the cost per million of requests of a run that cost
// run, bill saying what run is.
func perMillion(run float64, requests int64, bill string) Figure {
	if requests <= 0 {
		return Figure{Unit: "USD/million requests", Source: "no requests were sent"}
	}
	return Figure{Value: run / float64(requests) * 1e6, Unit: "USD/million requests",
		Source: fmt.Sprintf("%s ÷ %d requests × 1,000,000", bill, requests)}
}

// caveats says what a reader must know about the figures.
func caveats(p Prices, c Config, inst Instance, in Input) []string {
	cs := []string{
		"Durations were measured on this machine, not in AWS: the function ran in the Lambda Runtime Interface Emulator on the local CPU " +
			"and the server's CPU time is this machine's, not an instance's vCPUs. The figures approximate.",
		fmt.Sprintf("Monthly figures repeat %s for 730 hours; the cost per million requests counts every request sent, throttled ones too. Prices: %s, %s.",
			repeated(in.Traffic), p.Version, p.Region),
		"Lambda's free tier (" + g(p.Lambda.FreeTier.RequestsPerMonth) + " requests and " + g(p.Lambda.FreeTier.GBSecondsPerMonth) +
			" GB-s a month) is not applied: it is shared by every function of an account.",
		"EC2 prices are from secondary sources of 2025-2026 (on-demand, Linux); no savings plan or reserved instance is applied. " +
			"The server's instances are sized on CPU alone, at the peak rate, as if load balanced evenly.",
	}
	if inst.Burstable && in.Server != nil {
		cs = append(cs, fmt.Sprintf("%s is a burstable instance: sustained CPU above its baseline spends CPU credits, which the model does not count.", c.Instance))
	}
	cs = append(cs, frontDoorCaveats(p.FrontDoors, c, in)...)
	return append(cs, in.Notes...)
}

// span names what Seconds is the length of.
func (t Traffic) span() string {
	if t.Trace {
		return "trace"
	}
	return "schedule"
}

// repeated says what a month repeats: the schedule, or the whole trace and
// how many times.
func repeated(t Traffic) string {
	if t.Trace {
		return fmt.Sprintf("the whole trace (%s s, %s times: a day of trace makes a month of %.3g days, a week %.3g weeks)",
			g(t.Seconds), g(t.Repeats()), Month.Hours()/24, Month.Hours()/(7*24))
	}
	return "the scenario's schedule, idle phases included,"
}

// g formats a number with four significant digits, or as a whole number
// with its thousands grouped from 1,000 up.
func g(v float64) string {
	if math.Abs(v) < 1000 || math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 {
		return "-" + s
	}
	return s
}

// usd formats a price in dollars with the digits it has.
func usd(v float64) string { return "$" + strconv.FormatFloat(v, 'f', -1, 64) }
