package lmikind

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

// simulated is what the fleet's rules give over a whole trace on a
// virtual clock.
type simulated struct {
	requests, throttled         int64
	envSeconds, instanceSeconds float64
	peakEnvs, peakInstances     int
	peakInFlight                int
	span                        time.Duration
}

// simulate runs the whole trace tr at its own speed through s's fleet
// rules on a virtual clock: requests take a slot for a time drawn from
// rec's successful latencies (from when each was sent); every s.Period
// the scaling looks at the slots' saturation and starts environments
// (ready startup later, as the run measured) or stops one, as the
// running fleet does; per and least pack environments on instances.
// The CPU share the running fleet also reads is not simulated: the
// saturation alone scales.
func simulate(tr *scenario.TraceData, s Settings, rec *record.Target, startup time.Duration, per, least int) (simulated, error) {
	var out simulated
	all := rec.Classes[record.All]
	if all == nil {
		return out, errors.New("no request was recorded")
	}
	h, _ := rec.Sent(all)
	if h == nil || h.TotalCount() == 0 {
		return out, errors.New("no request succeeded, so there is no latency to draw service times from")
	}
	rng := rand.New(rand.NewPCG(uint64(tr.Seed), 2))
	draw := func() time.Duration { return drawLatency(h, rng) }

	envs, ready := s.MinEnvironments, []time.Duration{} // ready: when starting environments join
	var busy durations                                  // completion times of requests in flight
	period := s.Period
	next := period
	var area float64 // slot-seconds busy in the period
	last := time.Duration(0)
	var history []envCount
	low := 0
	mark := func(now time.Duration) {
		area += float64(busy.Len()) * (now - last).Seconds()
		e := float64(envs)
		out.envSeconds += e * (now - last).Seconds()
		inst := math.Max(float64(least), math.Ceil(e/float64(per)))
		out.instanceSeconds += inst * (now - last).Seconds()
		last = now
	}
	advance := func(to time.Duration) {
		for {
			// The next event before to: a completion, a start, a look.
			at, kind := to, 0
			if busy.Len() > 0 && busy[0] < at {
				at, kind = busy[0], 1
			}
			if len(ready) > 0 && ready[0] < at {
				at, kind = ready[0], 2
			}
			if next < at {
				at, kind = next, 3
			}
			if kind == 0 {
				mark(to)
				return
			}
			mark(at)
			switch kind {
			case 1:
				heap.Pop(&busy)
			case 2:
				ready = ready[1:]
				envs++
				out.peakEnvs = max(out.peakEnvs, envs)
			case 3:
				u := area / (period.Seconds() * float64(envs*s.MaxConcurrency))
				area = 0
				history = append(history, envCount{at, envs + len(ready)})
				want := int(math.Ceil(float64(envs) * u / s.TargetUtilization))
				have := envs + len(ready)
				cap := min(s.MaxEnvironments, 2*windowStart(history, at, s.MinEnvironments))
				switch {
				case want > have && have < cap:
					for range min(want, cap) - have {
						ready = append(ready, at+startup)
					}
					low = 0
				case u < s.TargetUtilization/2 && envs > s.MinEnvironments:
					if low++; low >= 3 {
						low = 0
						envs--
					}
				default:
					low = 0
				}
				next += period
			}
		}
	}
	out.peakEnvs = envs
	for at := range attack.TraceArrivals(tr) {
		advance(at)
		out.requests++
		if busy.Len() >= envs*s.MaxConcurrency {
			out.throttled++
			continue
		}
		heap.Push(&busy, at+draw())
		out.peakInFlight = max(out.peakInFlight, busy.Len())
	}
	out.span = tr.Length
	advance(tr.Length)
	out.peakInstances = max(least, int(math.Ceil(float64(out.peakEnvs)/float64(per))))
	return out, nil
}

// drawLatency draws a latency from h, in µs, as a duration.
func drawLatency(h *hdrhistogram.Histogram, rng *rand.Rand) time.Duration {
	return time.Duration(h.ValueAtQuantile(rng.Float64()*100)) * time.Microsecond
}

type envCount struct {
	at   time.Duration
	envs int
}

// windowStart returns the environments of doublingWindowMinutes before
// now, least when the trace is younger.
func windowStart(h []envCount, now time.Duration, least int) int {
	window := time.Duration(doublingWindowMinutes) * time.Minute
	at := least
	for _, s := range h {
		if now-s.at <= window {
			break
		}
		at = s.envs
	}
	return max(at, 1)
}

// durations is a min-heap of times.
type durations []time.Duration

func (d durations) Len() int           { return len(d) }
func (d durations) Less(i, j int) bool { return d[i] < d[j] }
func (d durations) Swap(i, j int)      { d[i], d[j] = d[j], d[i] }
func (d *durations) Push(x any)        { *d = append(*d, x.(time.Duration)) }
func (d *durations) Pop() any {
	old := *d
	x := old[len(old)-1]
	*d = old[:len(old)-1]
	return x
}

// traceNote says how the whole trace was worked out.
func traceNote(tr *scenario.TraceData, s Settings, sim simulated) string {
	return fmt.Sprintf("The whole trace (%s, %d requests) was simulated, not run: Lambda Managed Instances' rules as this target has them (%d to %d environments of %d slots, scaling every %s at %g%% of the slots, the fleet at most doubling in %d minutes), "+
		"each request holding a slot for a latency drawn from this run's; %d throttled, at most %d environments.",
		tr.Length, sim.requests, s.MinEnvironments, s.MaxEnvironments, s.MaxConcurrency, scenario.FormatDuration(s.Period), s.TargetUtilization*100, doublingWindowMinutes, sim.throttled, sim.peakEnvs)
}
