package harness

import (
	"context"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coldbench/coldbench/bench/attack"
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
)

// cpuUsage is the CPU time a server process used while the schedule ran.
type cpuUsage struct {
	used time.Duration
	tick time.Duration // what /proc counts it in
	how  string        // how it was measured, or why it could not be
	err  error
}

// meterCPU reads the CPU time of the process pid now, before the load, and
// returns stop wrapped so that it reads it again, after the load, and keeps
// the difference in r.serverCPU before it stops the process.
func (r *runner) meterCPU(pid int, stop func(context.Context) error) func(context.Context) error {
	hz, hzHow := clockTicks()
	before, errBefore := procCPU(pid, hz)
	done := false
	return func(ctx context.Context) error {
		if !done {
			done = true
			after, errAfter := procCPU(pid, hz)
			u := &cpuUsage{used: after - before, err: errors.Join(errBefore, errAfter), tick: time.Second / time.Duration(hz),
				how: fmt.Sprintf("utime+stime of /proc/%d/stat before and after the load, %d ticks a second (%s)", pid, hz, hzHow)}
			r.mu.Lock()
			r.serverCPU = u
			r.mu.Unlock()
		}
		return stop(ctx)
	}
}

// procCPU returns the user and system CPU time the process pid has used,
// from /proc/<pid>/stat, whose times count clock ticks of hz a second.
func procCPU(pid int, hz int64) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// pid (comm) state ppid …: comm may hold spaces and parentheses, so
	// the fields are counted from the last ')'. After it, utime and stime
	// are the 12th and 13th (fields 14 and 15 of proc(5)).
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no ')' in %q", pid, s)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the command name, want at least 13", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * time.Second / time.Duration(hz), nil
}

// atClkTck is the key of the clock-tick rate in the auxiliary vector, the
// value sysconf(_SC_CLK_TCK) returns (AT_CLKTCK in <elf.h>).
const atClkTck = 17

// clockTicks returns the rate of the clock ticks /proc counts CPU time in,
// and how it knows: from the auxiliary vector the kernel gave this process
// (/proc/self/auxv), as C's sysconf(_SC_CLK_TCK) does, or else Linux's
// USER_HZ, 100, which every architecture Go runs on uses.
func clockTicks() (int64, string) {
	b, err := os.ReadFile("/proc/self/auxv")
	if err == nil {
		word := strconv.IntSize / 8
		read := func(p []byte) uint64 {
			if word == 4 {
				return uint64(binary.NativeEndian.Uint32(p))
			}
			return binary.NativeEndian.Uint64(p)
		}
		for i := 0; i+2*word <= len(b); i += 2 * word {
			key, val := read(b[i:]), read(b[i+word:])
			if key == 0 {
				break
			}
			if key == atClkTck && val > 0 && val < 1e6 {
				return int64(val), "AT_CLKTCK of /proc/self/auxv"
			}
		}
	}
	return 100, "Linux's USER_HZ: /proc/self/auxv had no AT_CLKTCK"
}

// price computes the cost of the run from its targets, its
// invocations.csv (which must be flushed) and the server's CPU time, and
// prints one line about it. What cannot be priced becomes a note of the
// summary; nil means nothing could be.
func (r *runner) price(targets []*record.Target) *cost.Result {
	sc := r.cfg.Scenario
	in := cost.Input{Traffic: traffic(sc.Phases, targets)}
	if r.summary.Interrupted {
		in.Notes = append(in.Notes, "The run was interrupted: the usage covers part of the schedule, so these figures are too low.")
	}
	if sc.Concurrent && len(targets) > 1 {
		in.Notes = append(in.Notes, "The targets ran at the same time, competing for the cores: the server's CPU time and the function's durations include that contention.")
	}
	for _, t := range targets {
		switch scenario.Target(t.Name) {
		case scenario.Lambda:
			u, notes, err := lambdaUsage(t, sc.Function, filepath.Join(r.dir.path, runs.InvocationsFile))
			if err != nil {
				r.summary.Notes = append(r.summary.Notes, "Cost: Lambda not priced: "+err.Error())
				continue
			}
			in.Lambda = u
			in.Notes = append(in.Notes, notes...)
		case scenario.Server:
			r.mu.Lock()
			cpu := r.serverCPU
			r.mu.Unlock()
			in.Server = serverUsage(t, cpu)
			if cpu != nil && cpu.err == nil && cpu.used > 0 && cpu.used < 100*cpu.tick {
				in.Notes = append(in.Notes, fmt.Sprintf("The server used %v of CPU, which /proc counts in ticks of %v: its capacity is known to ±%.0f%%; a longer schedule measures it better.",
					cpu.used, cpu.tick, 100*float64(cpu.tick)/float64(cpu.used)))
			}
		}
	}
	if in.Lambda == nil && in.Server == nil {
		return nil
	}
	prices, err := cost.Default()
	if err != nil {
		r.summary.Notes = append(r.summary.Notes, "Cost: not priced: "+err.Error())
		return nil
	}
	res, err := cost.Compute(prices, sc.Cost, in)
	if err != nil {
		r.summary.Notes = append(r.summary.Notes, fmt.Sprintf("Cost: not priced: %v (the scenario's cost section)", err))
		return nil
	}
	printCost(r.out, res)
	return res
}

// printCost prints the monthly costs and the break-even in one line.
func printCost(w io.Writer, res *cost.Result) {
	var parts []string
	if l := res.Lambda; l != nil {
		if l.Unpriced != "" {
			parts = append(parts, "lambda not priced ("+l.Unpriced+")")
		} else {
			parts = append(parts, fmt.Sprintf("lambda $%.2f/month ($%.3g per million requests)", l.Monthly.Value, l.PerMillion.Value))
		}
	}
	if s := res.Server; s != nil {
		parts = append(parts, fmt.Sprintf("server $%.2f/month on %g × %s ($%.3g per million requests)",
			s.Monthly.Value, s.Instances.Value, s.Instance, s.PerMillion.Value))
	}
	if be := res.BreakEven; be != nil && be.Found {
		parts = append(parts, fmt.Sprintf("break-even %.3g requests/s on average", be.Rate.Value))
	}
	fmt.Fprintf(w, "cost (%s, this pattern all month): %s\n", res.Region, strings.Join(parts, "; "))
}

// traffic returns the shape of the schedule: its expected requests, from
// attack.Expected, and its peak rate. A rate: max phase has no schedule:
// what the busiest target was sent in it stands for it.
func traffic(phases []scenario.Phase, targets []*record.Target) cost.Traffic {
	var t cost.Traffic
	closed := false
	for i, p := range phases {
		d := p.Duration.Seconds()
		t.Seconds += d
		n, peak := attack.Expected(p), peakRate(p)
		if p.Max {
			closed = true
			for _, tg := range targets {
				if i < len(tg.Phases) && tg.Phases[i] != nil {
					if s := tg.Phases[i].Classes[record.All]; s != nil {
						n = max(n, float64(s.Counts.Requests))
					}
				}
			}
			peak = n / d
		}
		t.Requests += n
		t.PeakRate = max(t.PeakRate, peak)
	}
	if t.Seconds > 0 {
		t.AverageRate = t.Requests / t.Seconds
	}
	t.Source = "the scenario's phases: requests expected from each phase's rate (attack.Expected), peak the highest rate of any phase"
	if closed {
		t.Source += "; rate: max phases count what the busiest target was sent"
	}
	return t
}

// peakRate returns the highest request rate of phase p.
func peakRate(p scenario.Phase) float64 {
	switch p.Shape {
	case scenario.Constant:
		return p.Rate
	case scenario.Ramp:
		return max(p.From, p.To)
	case scenario.Sine:
		// It starts at the mean going up and reaches the top a quarter
		// period in.
		if T := p.Period.Seconds(); p.Duration.Seconds() < T/4 {
			return p.Mean + p.Amplitude*math.Sin(2*math.Pi*p.Duration.Seconds()/T)
		}
		return p.Mean + p.Amplitude
	}
	return 0
}

// serverUsage returns what the server t used; cpu is nil if its CPU time
// was not measured.
func serverUsage(t *record.Target, cpu *cpuUsage) *cost.ServerUsage {
	u := &cost.ServerUsage{}
	if all := t.Classes[record.All]; all != nil {
		u.Requests, u.Served = all.Counts.Requests, all.Counts.Requests-all.Counts.Errors
	}
	switch {
	case cpu == nil:
		u.Source = "the server's CPU time was not read"
	case cpu.err != nil:
		u.Source = fmt.Sprintf("the server's CPU time could not be read: %v", cpu.err)
	case cpu.used <= 0:
		u.Source = fmt.Sprintf("the server used less CPU than /proc counts (%s)", cpu.how)
	default:
		u.CPUSeconds, u.Source = cpu.used.Seconds(), cpu.how
	}
	return u
}

// lambdaUsage returns what the function t used: requests from what was
// recorded, billed durations from the invocations file. The first REPORT
// line of each provisioned environment is its warm-up, the INIT the
// provisioned-concurrency price pays for: it is left out.
func lambdaUsage(t *record.Target, fn scenario.FunctionConfig, invocations string) (*cost.LambdaUsage, []string, error) {
	u := &cost.LambdaUsage{
		MemoryMB: fn.MemoryMB, Provisioned: fn.Provisioned, InitInBilled: true,
		Source: "requests and 429s as recorded, billed ms from invocations.csv, INIT from the function's X-Coldbench-Init-Us",
	}
	count := func(c record.Class) int64 {
		if s := t.Classes[c]; s != nil {
			return s.Counts.Requests
		}
		return 0
	}
	u.Requests, u.ColdStarts = count(record.All), count(record.Cold)
	u.Invocations = u.ColdStarts + count(record.Warm)
	if all := t.Classes[record.All]; all != nil {
		u.Throttled = all.Counts.Codes[429]
	}
	for _, cs := range t.ColdStarts {
		u.InitMs += float64(cs.Init) / float64(time.Millisecond)
	}

	provisioned := map[string]bool{}
	for _, ev := range t.Timeline {
		if ev.Kind == "started" && ev.Provisioned {
			provisioned[ev.Env] = true
		}
	}
	warmedUp := map[string]bool{}
	warmUps := 0
	err := readInvocations(invocations, func(env string, billedMs float64) {
		switch {
		case provisioned[env] && !warmedUp[env]:
			warmedUp[env] = true
			warmUps++
		case provisioned[env]:
			u.ProvisionedBilledMs += billedMs
			u.ProvisionedRows++
		default:
			u.BilledMs += billedMs
			u.BilledRows++
		}
	})
	if err != nil {
		return nil, nil, err
	}
	var notes []string
	if rows := u.BilledRows + u.ProvisionedRows; rows != u.Invocations {
		notes = append(notes, fmt.Sprintf("%s has %d REPORT lines (%d warm-ups of provisioned environments left out) for %d invocations that reached an environment: the billed duration covers those lines.",
			runs.InvocationsFile, rows, warmUps, u.Invocations))
	}
	return u, notes, nil
}

// readInvocations calls row with the environment and the billed duration
// of every line of the invocations file at path.
func readInvocations(path string, row func(env string, billedMs float64)) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is missing from the run folder", runs.InvocationsFile)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", runs.InvocationsFile, err)
	}
	envCol, billedCol := -1, -1
	for i, h := range header {
		switch h {
		case "env":
			envCol = i
		case "billed_duration_ms":
			billedCol = i
		}
	}
	if envCol < 0 || billedCol < 0 {
		return fmt.Errorf("%s: no env or billed_duration_ms column in %v", runs.InvocationsFile, header)
	}
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", runs.InvocationsFile, err)
		}
		ms, err := strconv.ParseFloat(rec[billedCol], 64)
		if err != nil {
			return fmt.Errorf("%s:%d: billed_duration_ms %q: %w", runs.InvocationsFile, line, rec[billedCol], err)
		}
		row(rec[envCol], ms)
	}
}
