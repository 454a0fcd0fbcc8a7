package lmikind

import (
	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/scenario"
)

// Name is the kind's name in a scenario (kind: lmi).
const Name scenario.Kind = "lmi"

var (
	_ scenario.Spec      = (*Kind)(nil)
	_ scenario.Formatter = (*Kind)(nil)
	_ report.Describer   = Settings{}
)

// Kind is lmi.
func (k *Kind) Kind() scenario.Kind { return Name }

// Keys are an lmi target's.
func (k *Kind) Keys() []string {
	return []string{"instance", "memory", "memory_per_vcpu", "max_concurrency", "min_environments", "max_environments",
		"target_utilization", "scaling_period", "timeout", "sandbox", "env", "init_work", "request_work", "request_wait", "bootstrap"}
}

// Parse reads an lmi target's settings (Settings) into t, checking its
// instance type against the price file's: it records all its requests
// (no cold start is on a request's path).
func (k *Kind) Parse(p *scenario.Parser, f map[string]scenario.Field, t *scenario.Target) {
	prices, err := cost.Default()
	if err != nil {
		p.Errorf(p.Entry(), "%s: %v", p.Sec, err)
		return
	}
	lp, err := pricesOf(prices)
	if err != nil {
		p.Errorf(p.Entry(), "%s: %v", p.Sec, err)
		return
	}
	t.Settings = parse(p, f, prices, lp)
}

// Format writes an lmi target's settings back (scenario.Formatter).
func (k *Kind) Format(t scenario.Target) map[string]any {
	s := settings(t)
	m := scenario.FormatWork(s.Work)
	m["instance"], m["memory"], m["memory_per_vcpu"], m["max_concurrency"] = s.Instance, s.MemoryMB, s.MemoryPerVCPU, s.MaxConcurrency
	m["min_environments"], m["max_environments"], m["target_utilization"] = s.MinEnvironments, s.MaxEnvironments, s.TargetUtilization
	m["scaling_period"], m["timeout"], m["sandbox"] = s.Period.String(), s.Timeout.String(), s.Sandbox
	if s.Env != nil {
		m["env"] = s.Env
	}
	if s.Bootstrap != "" {
		m["bootstrap"] = s.Bootstrap
		delete(m, "init_work")
		delete(m, "request_work")
		delete(m, "request_wait")
	}
	return m
}

// settings returns t's settings.
func settings(t scenario.Target) Settings {
	s, _ := t.Settings.(Settings)
	return s
}
