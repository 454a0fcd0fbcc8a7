package scenario

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Sweep says that a target is one memory size of a lambda target swept
// over memory (sweep: in its entry): the scenario runs a copy of the
// target per size, named <Base>-<MB>, each with its memory set. The report
// and the verdict group a sweep's targets by Base, never by their names.
type Sweep struct {
	// Base is the name of the swept target in the scenario file; empty
	// for a target that is not part of a sweep.
	Base string
	// MemoryMB is the target's size in the sweep.
	MemoryMB int
	// Weight is the balanced strategy's weight of cost against speed,
	// from 0 (speed only) to 1 (cost only): DefaultBalancedWeight unless
	// the sweep sets weight.
	Weight float64
}

// DefaultBalancedWeight is the weight of cost in the balanced strategy,
// as in AWS Lambda Power Tuning (lambda/analyzer.js, defaultBalancedWeight).
const DefaultBalancedWeight = 0.5

// PowerTuningMemory returns the memory sizes, in MB, that sweep: default
// runs: AWS Lambda Power Tuning's default powerValues.
func PowerTuningMemory() []int { return []int{128, 256, 512, 1024, 1536, 3008} }

// SweptName returns the name of the target of base swept at memoryMB.
func SweptName(base string, memoryMB int) string { return base + "-" + strconv.Itoa(memoryMB) }

// Sweeps returns the names of the swept targets of s, in run order, each
// with the targets of its sizes in the order of the sweep.
func (s *Scenario) Sweeps() (bases []string, sizes map[string][]*Target) {
	sizes = map[string][]*Target{}
	for i := range s.Targets {
		t := &s.Targets[i]
		if b := t.Sweep.Base; b != "" {
			if sizes[b] == nil {
				bases = append(bases, b)
			}
			sizes[b] = append(sizes[b], t)
		}
	}
	return bases, sizes
}

// sweep reads the sweep n of the target t, named by key k, whose kind
// sizes it (sw), and returns a copy of t per memory size; memory is its
// memory key, if given.
//
//	sweep: default                    # PowerTuningMemory
//	sweep: [128, 512, 1769]
//	sweep: {memory: [128, 512], weight: 0.3}
func (p *Parser) sweep(t Target, sw Sweeper, k, n, memory *yaml.Node) []Target {
	sec := p.Sec + ".sweep"
	sizes, weight := PowerTuningMemory(), DefaultBalancedWeight
	list := Resolve(n)
	if list.Kind == yaml.MappingNode {
		f := p.Fields(list, "in "+sec, SweepKeys()...)
		if e := f["weight"].Value; e != nil {
			if w, ok := p.Number(e, sec+".weight"); ok && (w < 0 || w > 1) {
				p.Errorf(e, "%s.weight is the balanced strategy's weight of cost, from 0 (only speed) to 1 (only cost), not %s", sec, Resolve(e).Value)
			} else if ok {
				weight = w
			}
		}
		list = nil
		if e := f["memory"].Value; e != nil {
			list = Resolve(e)
		}
	}
	switch {
	case list == nil:
	case list.Kind == yaml.ScalarNode && list.Value == "default":
	case list.Kind == yaml.SequenceNode && len(list.Content) == 0:
		p.Errorf(list, "%s lists no memory size; list at least one, such as [128, 512, 1769], or write sweep: default", sec)
		return nil
	case list.Kind == yaml.SequenceNode:
		sizes = p.sweepSizes(list, sec, sw)
	default:
		p.KindError(list, sec, "default or a list of memory sizes in MB, such as [128, 512, 1769]")
		return nil
	}
	if memory != nil {
		p.Errorf(memory, "%s: sweep sets the memory of each of its targets; remove memory: %s, or the sweep", p.Sec, Resolve(memory).Value)
		return nil
	}
	var ts []Target
	for _, mb := range sizes {
		name := SweptName(t.Name, mb)
		if err := checkName(name); err != nil {
			p.Errorf(k, "%s: the sweep names its targets %s-<MB>, and %v; shorten the target's name", p.Sec, t.Name, err)
			return nil
		}
		c := sw.Sized(t, mb)
		c.Name, c.Sweep = name, Sweep{Base: t.Name, MemoryMB: mb, Weight: weight}
		ts = append(ts, c)
	}
	return ts
}

// sweepSizes reads a sweep's list of memory sizes.
func (p *Parser) sweepSizes(list *yaml.Node, sec string, sw Sweeper) []int {
	minMemoryMB, maxMemoryMB := sw.Sizes()
	var sizes []int
	for _, e := range list.Content {
		mb, ok := p.Integer(e, "a memory size of "+sec)
		switch {
		case !ok:
		case mb < minMemoryMB || mb > maxMemoryMB:
			p.Errorf(e, "%s: %d MB is outside Lambda's memory sizes; sweep sizes from %d to %d MB", sec, mb, minMemoryMB, maxMemoryMB)
		case slices.Contains(sizes, mb):
			p.Errorf(e, "%s lists %d MB twice; remove one", sec, mb)
		default:
			sizes = append(sizes, mb)
		}
	}
	return sizes
}

// expandSweeps makes an objective that names a swept target apply to
// each of its sizes: "fn/warm p99 < 100ms" becomes "fn-128/warm p99 <
// 100ms", "fn-256/warm p99 < 100ms" and so on, at the same line.
func expandSweeps(s *Scenario) {
	bases, sizes := s.Sweeps()
	var out []Objective
	for _, o := range s.Objectives {
		if !slices.Contains(bases, o.Target) {
			out = append(out, o)
			continue
		}
		for _, t := range sizes[o.Target] {
			c := o
			c.Target, c.Sweep = t.Name, o.Target
			c.Text = strings.Replace(o.Text, o.Target, t.Name, 1)
			out = append(out, c)
		}
	}
	s.Objectives = out
}

// checkSweepCount reports a targets section whose sweeps make more than
// MaxTargets targets; entries is how many it names.
func (p *Parser) checkSweepCount(m *yaml.Node, ts []Target, entries int) {
	if len(ts) > MaxTargets && entries <= MaxTargets {
		p.Errorf(m, "targets makes %d targets with its sweeps; a scenario runs at most %d, so sweep fewer memory sizes or split it in two", len(ts), MaxTargets)
	}
}

// describeSweep says what a target's sweep is, for messages.
func describeSweep(t Target) string {
	return fmt.Sprintf("%d MB of sweep %s", t.Sweep.MemoryMB, t.Sweep.Base)
}
