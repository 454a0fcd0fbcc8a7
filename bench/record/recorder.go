package record

import (
	"net/http"
	"slices"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// DefaultInterval is the length of the intervals of the latency-over-time
// series and of the interval log.
const DefaultInterval = time.Second

// IntervalWriter receives each finished interval histogram, tagged
// "<target>/<class>" and stamped with its absolute start and end times.
// *hdrhistogram.HistogramLogWriter's OutputIntervalHistogram fits.
type IntervalWriter interface {
	OutputIntervalHistogram(h *hdrhistogram.Histogram) error
}

// Recorder records the results of one target's run of a schedule. Add and
// Close must be called from one goroutine; Live may be called from any.
type Recorder struct {
	t        *Target
	classes  []Class
	cold     string // the response header that marks cold starts (scenario.Target.ColdHeader), "" for none
	interval time.Duration
	out      IntervalWriter
	err      error // first error from out

	cur      map[Class]*hdrhistogram.Histogram // interval histograms
	curCorr  map[Class]*hdrhistogram.Histogram // interval histograms, corrected
	curNet   map[Class]*hdrhistogram.Histogram // interval histograms, less host wait
	curParts map[Part]*hdrhistogram.Histogram  // interval histograms of cold-start parts
	curQueue *hdrhistogram.Histogram           // interval histogram of router waits
	curLag   *hdrhistogram.Histogram           // interval histogram of the generator's lag
	paced    []bool                            // by phase: whether it has a schedule (not rate: max)
	curErrs  map[Class]int64
	curStart time.Duration // offset of the current interval
	live     Live
}

// New returns a Recorder for target t running phases from began. It
// records the classes of t (scenario.Target.Classes): All for every
// target; one that has Cold tells cold from warm by its cold header
// (scenario.Target.ColdHeader). A target behind the emulated Lambda
// service (scenario.Target.Routed) also gets the anatomy of its cold
// starts and the service's waits, from the service's other headers.
// Finished intervals go to out, if not nil.
func New(t scenario.Target, phases []scenario.Phase, began time.Time, out IntervalWriter) *Recorder {
	classes := []Class{All}
	for _, c := range t.Classes {
		if c == string(All) {
			continue
		}
		classes = append(classes, Class(c))
	}
	rt := &Target{Name: t.Name, Kind: string(t.Kind), Began: began, Lag: NewHistogram()}
	r := &Recorder{t: rt, interval: DefaultInterval, out: out, curLag: NewHistogram(),
		cur: map[Class]*hdrhistogram.Histogram{}, curCorr: map[Class]*hdrhistogram.Histogram{},
		curNet: map[Class]*hdrhistogram.Histogram{}, curErrs: map[Class]int64{}}
	if slices.Contains(classes, Cold) {
		r.cold = t.ColdHeader
	}
	if t.Routed {
		rt.Anatomy = NewAnatomy("load", "")
		rt.NetAnatomy = NewAnatomy("load, less host wait", "")
		rt.Queue, r.curQueue = NewHistogram(), NewHistogram()
		r.curParts = map[Part]*hdrhistogram.Histogram{}
		for _, p := range Parts {
			r.curParts[p] = NewHistogram()
		}
	}
	r.classes = classes
	net := rt.Anatomy != nil // behind the router: responses carry host waits
	rt.Classes = newClasses(classes, net)
	var offset time.Duration
	for _, p := range phases {
		rt.Phases = append(rt.Phases, &Phase{Name: p.Name, Start: offset, End: offset + p.Duration, Classes: newClasses(classes, net), Lag: NewHistogram()})
		r.paced = append(r.paced, !p.Max && p.Shape != scenario.Idle)
		offset += p.Duration
	}
	for _, c := range classes {
		r.cur[c], r.curCorr[c] = NewHistogram(), NewHistogram()
		if net {
			r.curNet[c] = NewHistogram()
		}
	}
	return r
}

// newClasses returns empty series of classes, with a Net histogram if
// net.
func newClasses(classes []Class, net bool) map[Class]*Series {
	m := make(map[Class]*Series, len(classes))
	for _, c := range classes {
		s := &Series{Histogram: NewHistogram(), Corrected: NewHistogram(), Counts: Counts{Codes: map[int]int64{}}}
		if net {
			s.Net, s.Outside = NewHistogram(), NewHistogram()
		}
		m[c] = s
	}
	return m
}

// Add records one result sent by the phase with index phase, which the
// schedule meant to send at intended (the zero time: when it was sent).
func (r *Recorder) Add(phase int, res *vegeta.Result, intended time.Time) {
	end := res.End().Sub(r.t.Began)
	for end >= r.curStart+r.interval {
		r.flush(r.curStart + r.interval)
	}
	if !intended.IsZero() && phase >= 0 && phase < len(r.paced) && r.paced[phase] {
		lag := min(max(res.Timestamp.Sub(intended).Microseconds(), 0), HighestUs)
		r.t.Lag.RecordValue(lag)
		r.t.Phases[phase].Lag.RecordValue(lag)
		r.curLag.RecordValue(lag)
	}

	ok := res.Error == "" && res.Code >= 200 && res.Code < 300
	us := clamp(res.Latency.Microseconds())
	corr := us
	if !intended.IsZero() {
		corr = max(us, clamp(res.End().Sub(intended).Microseconds()))
	}
	class, cold := classify(res.Headers, r.cold)
	var wait int64
	if v := res.Headers.Get(lambda.HeaderHostWait); v != "" {
		r.t.HostWait = true
		hw := headerUs(res.Headers, lambda.HeaderHostWait)
		wait = min(max(hw.Microseconds(), 0), us)
		r.billedWait(res.Headers, max(hw-headerUs(res.Headers, lambda.HeaderSandboxWait), 0), cold)
	}
	lat := latency{us: us, corr: corr, wait: wait, outside: -1}
	if v := res.Headers.Get(lambda.HeaderInvoke); v != "" {
		in := headerUs(res.Headers, lambda.HeaderInvoke) + headerUs(res.Headers, lambda.HeaderQueue) +
			headerUs(res.Headers, lambda.HeaderSandbox) + headerUs(res.Headers, lambda.HeaderPlatform)
		lat.outside = max(us-in.Microseconds(), 0)
	}

	r.live.add(ok, cold)
	classes := [3]Class{All, class}
	if res.Headers.Get(lambda.HeaderProvisioned) == "true" {
		classes[2] = Provisioned
	}
	for i, c := range classes {
		if c == "" || (i > 0 && r.t.Classes[c] == nil) {
			continue
		}
		r.count(r.t.Classes[c], res.Code, ok, lat)
		if phase >= 0 && phase < len(r.t.Phases) {
			r.count(r.t.Phases[phase].Classes[c], res.Code, ok, lat)
		}
		if ok {
			r.cur[c].RecordValue(us)
			r.curCorr[c].RecordValue(corr)
			if h := r.curNet[c]; h != nil {
				h.RecordValue(lat.net())
			}
		} else {
			r.curErrs[c]++
		}
	}
	if cold {
		r.coldStart(res)
	}
	if r.t.Queue != nil && class != "" {
		us := clamp(headerUs(res.Headers, lambda.HeaderQueue).Microseconds())
		r.t.Queue.RecordValue(us)
		r.curQueue.RecordValue(us)
	}
}

// coldStart keeps a cold start and splits its latency into its parts.
func (r *Recorder) coldStart(res *vegeta.Result) {
	cs := NewColdStart(res.Headers, res.Latency)
	cs.Offset = res.Timestamp.Sub(r.t.Began)
	r.t.ColdStarts = append(r.t.ColdStarts, cs)
	if r.t.Anatomy == nil || res.Code < 200 || res.Code >= 300 {
		return // a failed cold start has no INIT phase to split off
	}
	r.t.Anatomy.Add(cs)
	r.t.NetAnatomy.Add(cs.Net())
	for _, p := range Parts {
		r.curParts[p].RecordValue(clamp(cs.part(p).Microseconds()))
	}
}

// billedWait adds a response's host wait inside its invoke, w, to the
// target's BilledWait.
func (r *Recorder) billedWait(h http.Header, w time.Duration, cold bool) {
	bw := &r.t.BilledWait
	switch {
	case h.Get(lambda.HeaderProvisioned) == "true":
		bw.Provisioned += w
	case cold:
		bw.OnDemand += w
		bw.Cold += w
	default:
		bw.OnDemand += w
	}
}

// classify tells from the header called name whether a response was cold
// or warm; responses without it (for the router's header: throttles,
// transport errors, anything not relayed from an environment) and every
// response when name is "" have no class beyond All.
func classify(h http.Header, name string) (c Class, cold bool) {
	if name == "" {
		return "", false
	}
	switch h.Get(name) {
	case "true":
		return Cold, true
	case "false":
		return Warm, false
	}
	return "", false
}

// latency is one response's latency in µs: as measured, corrected for
// coordinated omission, its host wait, and its part outside the router
// (-1: unknown).
type latency struct{ us, corr, wait, outside int64 }

// net is the latency less its host wait.
func (l latency) net() int64 { return clamp(l.us - l.wait) }

func (r *Recorder) count(s *Series, code uint16, ok bool, l latency) {
	s.Counts.Requests++
	s.Counts.Codes[int(code)]++
	if !ok {
		s.Counts.Errors++
		return
	}
	s.Histogram.RecordValue(l.us)
	s.Corrected.RecordValue(l.corr)
	if s.Net != nil {
		s.Net.RecordValue(l.net())
	}
	if s.Outside != nil && l.outside >= 0 {
		s.Outside.RecordValue(clamp(l.outside))
	}
	s.LatencyUs += l.us
	s.WaitUs += l.wait
}

// clamp keeps a latency in µs inside the histograms' range.
func clamp(us int64) int64 {
	return min(max(us, LowestUs), HighestUs)
}

// flush ends the current interval at end: it adds a Point per class that saw
// anything, hands the interval histograms to the IntervalWriter and starts
// the next interval at end.
func (r *Recorder) flush(end time.Duration) {
	for _, c := range r.classes {
		h := r.cur[c]
		if h.TotalCount() == 0 && r.curErrs[c] == 0 {
			continue
		}
		r.t.Points = append(r.t.Points, Point{
			Class: c, Start: r.curStart, End: end,
			Count: h.TotalCount(), Errors: r.curErrs[c],
			P50: h.ValueAtQuantile(50), P99: h.ValueAtQuantile(99), Max: h.Max(),
		})
		if h.TotalCount() > 0 {
			r.output(h, string(c), end)
			r.output(r.curCorr[c], string(c)+"/corrected", end)
			if n := r.curNet[c]; n != nil { // behind the router
				r.output(n, string(c)+"/net", end)
			}
		}
		h.Reset()
		r.curCorr[c].Reset()
		if n := r.curNet[c]; n != nil {
			n.Reset()
		}
		r.curErrs[c] = 0
	}
	// The interval log also carries the sandbox, platform and init parts
	// of cold starts (lambda/sandbox, lambda/platform, lambda/init).
	for _, p := range []Part{Sandbox, Platform, Init} {
		if h := r.curParts[p]; h != nil && h.TotalCount() > 0 {
			r.output(h, string(p), end)
			h.Reset()
		}
	}
	if h := r.curQueue; h != nil && h.TotalCount() > 0 {
		r.output(h, "queue", end)
		h.Reset()
	}
	if h := r.curLag; h.TotalCount() > 0 {
		r.output(h, "lag", end)
		h.Reset()
	}
	r.curStart = end
}

// output hands interval histogram h, tagged <target>/<name>, to the
// IntervalWriter.
func (r *Recorder) output(h *hdrhistogram.Histogram, name string, end time.Duration) {
	if r.out == nil {
		return
	}
	h.SetTag(r.t.Name + "/" + name)
	h.SetStartTimeMs(r.t.Began.Add(r.curStart).UnixMilli())
	h.SetEndTimeMs(r.t.Began.Add(end).UnixMilli())
	if err := r.out.OutputIntervalHistogram(h); err != nil && r.err == nil {
		r.err = err
	}
}

// Close flushes the last interval and returns what was recorded, with the
// first error the IntervalWriter returned.
func (r *Recorder) Close() (*Target, error) {
	r.flush(r.curStart + r.interval)
	r.t.Ended = r.t.Began.Add(r.curStart)
	return r.t, r.err
}

// Live returns the counters of the run so far, for progress output.
func (r *Recorder) Live() LiveCounts { return r.live.load() }
