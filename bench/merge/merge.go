// Package merge combines the run folders of several load generators that
// ran the same scenario at the same time into one run folder: its
// histograms, counts, summary, report and results.
//
// Histograms merge without loss (an HdrHistogram sum is exact), so the
// merged percentiles are those of one histogram fed every latency of every
// generator. The interval histograms of the generators' histograms.hlog
// are aligned by their offset from the start of each generator's schedule
// and summed interval by interval; the phase histograms come from each
// generator's phases.hlog, matched by phase order; the counts (requests,
// errors, status codes per class and phase), the cold-start counts and
// the Lambda platform's counters are the sums of the generators'
// summaries. Cold starts as events, the fleet's timeline, the invoke part
// of the cold-start anatomy and the probes exist per generator only; the
// merged report says so.
//
// Targets are matched by name, however many there are and of whatever
// kinds: each keeps its kind and runtime, and the counters of its kind's
// platform are summed. The merged run has them in the first generator's
// order (runs.TargetOrder). The files a target's kind writes in its own
// folder of a run folder (a Lambda function's invocations.csv,
// function.log and environments.csv, runs.TargetDir) stay in each
// generator's run folder: they describe that generator's own fleet of
// environments, whose ids and times are its own, so the merged run folder
// has no target folders, and its notes name the generators' ones.
package merge

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Options tune Merge.
type Options struct {
	// RunID names the merged run; default: the UTC time of the earliest
	// start, the scenario's name and "merged".
	RunID string
	// Interval is the length of the interval histograms; default
	// record.DefaultInterval, what the harness writes.
	Interval time.Duration
	// Kinds are the kinds the scenario file's targets may be of, to read
	// it for the report (bench/kinds/all); nil reads none, and the report
	// shows the phases' names and times only.
	Kinds scenario.Specs
}

// Merged is the merged run: what its run folder holds.
type Merged struct {
	Summary *runs.Summary
	// Targets are the merged targets, in the first generator's order of
	// its targets (runs.TargetOrder: the scenario's). They have no
	// ColdStarts and no Timeline.
	Targets []*record.Target
	// Intervals are the merged interval histograms, tagged and stamped as
	// in histograms.hlog, in time order.
	Intervals []*hdrhistogram.Histogram
	// Scenario is the scenario the generators ran, as its file says if it
	// is readable here, else its phases' names and times only.
	Scenario *scenario.Scenario
	// Sources are the merged run folders, in the order given.
	Sources []string
}

// Merge merges rs, the run folders of load generators that ran the same
// scenario at the same time. It returns a *MismatchError listing every
// problem if they did not, or if a run folder is incomplete.
func Merge(rs []*runs.Run, opts Options) (*Merged, error) {
	if opts.Interval <= 0 {
		opts.Interval = record.DefaultInterval
	}
	if err := check(rs); err != nil {
		return nil, err
	}
	m := &Merged{}
	for _, r := range rs {
		m.Sources = append(m.Sources, r.Dir)
	}
	names := slices.DeleteFunc(rs[0].TargetNames(), func(t string) bool { // those the summaries count
		_, ok := rs[0].Summary.Targets[t]
		return !ok
	})
	var notes []string
	for _, t := range names {
		mt, err := mergeTarget(rs, t, opts.Interval)
		if err != nil {
			return nil, err
		}
		m.Targets = append(m.Targets, mt.target)
		m.Intervals = append(m.Intervals, mt.intervals...)
		if mt.skew > 0 {
			notes = append(notes, fmt.Sprintf("The generators' %s schedules began up to %s apart; their intervals are aligned by their offset from each one's start of schedule.", t, mt.skew.Round(time.Millisecond)))
		}
	}
	slices.SortStableFunc(m.Intervals, func(a, b *hdrhistogram.Histogram) int {
		return int(a.StartTimeMs() - b.StartTimeMs())
	})
	var scNote string
	m.Scenario, scNote = scenarioOf(rs[0].Summary, m.Targets, opts.Kinds)
	m.Summary = summarize(rs, m.Targets, opts.RunID)
	m.Summary.Notes = append(m.Summary.Notes, notes...)
	if n := folderNote(rs, m.Targets); n != "" {
		m.Summary.Notes = append(m.Summary.Notes, n)
	}
	if scNote != "" {
		m.Summary.Notes = append(m.Summary.Notes, scNote)
	}
	m.Summary.Notes = append(m.Summary.Notes, generatorNotes(rs)...)
	return m, nil
}

// Report returns what the merged run's report shows.
func (m *Merged) Report() report.Input {
	return report.Input{
		RunID: m.Summary.RunID, Scenario: m.Scenario, Targets: m.Targets,
		Runtime: m.Summary.Runtime, Machine: m.Summary.Machine, Started: m.Summary.Started,
		Interrupted: m.Summary.Interrupted, Notes: m.Summary.Notes,
	}
}

// merged is one target merged.
type merged struct {
	target    *record.Target
	intervals []*hdrhistogram.Histogram
	skew      time.Duration // between the earliest and the latest start of schedule
}

// mergeTarget merges target t of rs.
func mergeTarget(rs []*runs.Run, t string, interval time.Duration) (*merged, error) {
	out := &merged{target: &record.Target{Name: t, Classes: map[record.Class]*record.Series{}}}
	mt := out.target
	var runtimes []string
	var counters []record.Counters
	mt.HostWait = true // if every run measured it
	for _, r := range rs {
		ts := r.Summary.Targets[t]
		mt.Kind = ts.Kind // the same in every run (check)
		mt.HostWait = mt.HostWait && ts.HostWait
		if ts.Runtime != "" {
			runtimes = appendNew(runtimes, ts.Runtime)
		}
		counters = append(counters, ts.Counters) // nil too: see MergeCounters
	}
	mt.Counters = record.MergeCounters(counters)
	mt.Runtime = strings.Join(runtimes, ", ")
	var latest time.Time
	for i, r := range rs {
		began, _ := schedule(r, t)
		if i == 0 || began.Before(mt.Began) {
			mt.Began = began
		}
		if began.After(latest) {
			latest = began
		}
	}
	out.skew = latest.Sub(mt.Began)

	// The interval histograms, summed by tag and by whole intervals from
	// each run's start of schedule.
	buckets := map[string]map[int64]*hdrhistogram.Histogram{}
	last := int64(-1)
	for _, r := range rs {
		began, _ := schedule(r, t)
		for tag, hs := range r.Intervals {
			if !strings.HasPrefix(tag, t+"/") {
				continue
			}
			if buckets[tag] == nil {
				buckets[tag] = map[int64]*hdrhistogram.Histogram{}
			}
			for _, h := range hs {
				k, err := bucket(r, h, began, interval)
				if err != nil {
					return nil, err
				}
				b := buckets[tag][k]
				if b == nil {
					b = record.NewHistogram()
					b.SetTag(tag)
					start := mt.Began.Add(time.Duration(k) * interval)
					b.SetStartTimeMs(start.UnixMilli())
					b.SetEndTimeMs(start.Add(interval).UnixMilli())
					buckets[tag][k] = b
				}
				if err := add(b, h, r, runs.HistogramsFile); err != nil {
					return nil, err
				}
				last = max(last, k)
			}
		}
	}
	mt.Ended = mt.Began.Add(time.Duration(last+1) * interval)
	for _, tag := range slices.Sorted(maps.Keys(buckets)) {
		for _, k := range slices.Sorted(maps.Keys(buckets[tag])) {
			out.intervals = append(out.intervals, buckets[tag][k])
		}
	}
	total := func(tag string) *hdrhistogram.Histogram {
		h := record.NewHistogram()
		for _, b := range buckets[tag] {
			h.Merge(b) // cannot drop: b holds values of the same range
		}
		return h
	}

	// The whole run, per class.
	first := rs[0].Summary.Targets[t]
	for _, c := range classes(rs, t, -1) {
		tag := t + "/" + string(c)
		s := &record.Series{Histogram: total(tag), Corrected: total(tag + "/corrected")}
		if mt.HostWait {
			s.Net = total(tag + "/net")
		}
		var err error
		if s.Counts, err = counts(rs, t, -1, c); err != nil {
			return nil, err
		}
		s.LatencyUs, s.WaitUs = waitSums(rs, t, -1, c)
		mt.Classes[c] = s
	}

	// The phases, matched by order.
	for i, ps := range first.Phases {
		p := &record.Phase{Name: ps.Name, Start: seconds(ps.StartS), End: seconds(ps.EndS), Classes: map[record.Class]*record.Series{}}
		for _, c := range classes(rs, t, i) {
			tag := t + "/" + string(c)
			s := &record.Series{Histogram: record.NewHistogram(), Corrected: record.NewHistogram()}
			if mt.HostWait {
				s.Net = record.NewHistogram()
			}
			for _, r := range rs {
				if err := add(s.Histogram, r.Phases[tag][i], r, runs.PhasesFile); err != nil {
					return nil, err
				}
				if err := add(s.Corrected, r.Phases[tag+"/corrected"][i], r, runs.PhasesFile); err != nil {
					return nil, err
				}
				if s.Net != nil {
					if err := add(s.Net, r.Phases[tag+"/net"][i], r, runs.PhasesFile); err != nil {
						return nil, err
					}
				}
			}
			var err error
			if s.Counts, err = counts(rs, t, i, c); err != nil {
				return nil, err
			}
			s.LatencyUs, s.WaitUs = waitSums(rs, t, i, c)
			p.Classes[c] = s
		}
		mt.Phases = append(mt.Phases, p)
	}

	// The latency over time, recomputed from the merged intervals.
	for k := int64(0); k <= last; k++ {
		for _, c := range classes(rs, t, -1) {
			h := buckets[t+"/"+string(c)][k]
			if h == nil || h.TotalCount() == 0 {
				continue
			}
			mt.Points = append(mt.Points, record.Point{
				Class: c, Start: time.Duration(k) * interval, End: time.Duration(k+1) * interval,
				Count: h.TotalCount(), P50: h.ValueAtQuantile(50), P99: h.ValueAtQuantile(99), Max: h.Max(),
			})
		}
	}

	// The cold-start anatomy and the router's waits, from the part tags.
	// The invoke part of a cold start is not logged per interval: it
	// stays empty. The total of the successful cold starts is the cold
	// class's histogram.
	if first.Anatomy != nil {
		a := record.NewAnatomy(first.Anatomy.Label, first.Anatomy.Runtime)
		for _, p := range []record.Part{record.Sandbox, record.Platform, record.Init} {
			a.Parts[p] = total(t + "/" + string(p))
		}
		a.Total = total(t + "/" + string(record.Cold))
		for _, r := range rs {
			if ra := r.Summary.Targets[t].Anatomy; ra != nil {
				a.PoolMisses += ra.PoolMisses
			}
		}
		mt.Anatomy = a
	}
	if first.Queue != nil {
		mt.Queue = total(t + "/queue")
	}
	return out, nil
}

// bucket returns the index of the interval of h, whole intervals from
// began, or an error if h is not aligned to them.
func bucket(r *runs.Run, h *hdrhistogram.Histogram, began time.Time, interval time.Duration) (int64, error) {
	tol := interval / 10
	off := time.UnixMilli(h.StartTimeMs()).Sub(began)
	k := int64(math.Round(float64(off) / float64(interval)))
	length := time.Duration(h.EndTimeMs()-h.StartTimeMs()) * time.Millisecond
	if d := off - time.Duration(k)*interval; d > tol || d < -tol || k < 0 {
		return 0, &MismatchError{[]string{fmt.Sprintf("%s: %s: the interval tagged %s at %s starts %s after the start of schedule, not a whole number of %s intervals",
			r.Dir, runs.HistogramsFile, h.Tag(), stamp(time.UnixMilli(h.StartTimeMs())), off, interval)}}
	}
	if d := length - interval; d > tol || d < -tol {
		return 0, &MismatchError{[]string{fmt.Sprintf("%s: %s: the interval tagged %s at %s lasts %s, not %s: it was not written by coldbench run, or with another interval",
			r.Dir, runs.HistogramsFile, h.Tag(), stamp(time.UnixMilli(h.StartTimeMs())), length, interval)}}
	}
	return k, nil
}

// add merges h into dst, or says which file held values out of range.
func add(dst, h *hdrhistogram.Histogram, r *runs.Run, file string) error {
	if dropped := dst.Merge(h); dropped > 0 {
		return fmt.Errorf("%s: %s: %d values of %s are outside %d–%d µs, the range coldbench records",
			r.Dir, file, dropped, h.Tag(), record.LowestUs, record.HighestUs)
	}
	return nil
}

// classes returns the classes of target t in the runs' summaries, of the
// whole run (phase -1) or of phase phase, in its kind's order
// (record.SortClasses).
func classes(rs []*runs.Run, t string, phase int) []record.Class {
	var seen []record.Class
	for _, r := range rs {
		seen = append(seen, slices.Collect(maps.Keys(classStats(r, t, phase)))...)
	}
	return record.SortClasses(seen)
}

// classStats returns the summary's stats of target t, of the whole run
// (phase -1) or of one phase.
func classStats(r *runs.Run, t string, phase int) map[record.Class]record.Stats {
	ts := r.Summary.Targets[t]
	if phase < 0 {
		return ts.Classes
	}
	return ts.Phases[phase].Classes
}

// counts sums the counts of class c of target t over rs.
func counts(rs []*runs.Run, t string, phase int, c record.Class) (record.Counts, error) {
	n := record.Counts{Codes: map[int]int64{}}
	for _, r := range rs {
		st := classStats(r, t, phase)[c]
		n.Requests += st.Requests
		n.Errors += st.Errors
		for code, k := range st.Codes {
			i, err := strconv.Atoi(code)
			if err != nil {
				return n, fmt.Errorf("%s: %s: status code %q of %s/%s is not a number", r.Dir, runs.SummaryFile, code, t, c)
			}
			n.Codes[i] += k
		}
	}
	return n, nil
}

// waitSums returns the sums of the latencies and of the host waits of
// class c of target t over rs, in µs, as each run's summary gives them
// (its mean latency times its responses, and its host-wait share of
// that): exact to the precision of the histograms' means.
func waitSums(rs []*runs.Run, t string, phase int, c record.Class) (latencyUs, waitUs int64) {
	for _, r := range rs {
		st := classStats(r, t, phase)[c]
		l := st.Mean * float64(st.OK)
		latencyUs += int64(math.Round(l))
		if st.WaitShare != nil {
			waitUs += int64(math.Round(l * *st.WaitShare))
		}
	}
	return latencyUs, waitUs
}

// seconds converts seconds to a Duration, rounded to the nanosecond.
func seconds(s float64) time.Duration { return time.Duration(math.Round(s * float64(time.Second))) }
