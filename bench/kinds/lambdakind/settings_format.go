package lambdakind

import (
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// Format writes a function's settings back as the keys of its entry
// (scenario.Formatter).
func (k *Kind) Format(t scenario.Target) map[string]any {
	c := Settings(t)
	m := scenario.FormatWork(c.Work)
	m["sandbox"] = string(c.Runtime)
	switch c.Code.Form {
	case BuiltIn:
	case ImageCode:
		m["image"] = c.Code.Image
	default:
		m[string(c.Code.Form)] = c.Code.Path
	}
	if c.Code.Handler != "" {
		m["handler"], m["runtime"] = c.Code.Handler, c.Code.Runtime
	}
	m["memory"] = c.MemoryMB
	m["timeout"] = c.Timeout.String()
	m["keepalive"] = c.Keepalive.String()
	if c.KeepaliveMax != 0 {
		m["keepalive"] = []string{c.Keepalive.String(), c.KeepaliveMax.String()}
	}
	if c.MaxLifetime != 0 {
		m["max_lifetime"] = c.MaxLifetime.String()
	}
	m["provisioned"] = c.Provisioned
	m["concurrency"] = c.Concurrency
	m["pool"] = c.Pool
	if c.PoolAuto {
		m["pool"] = "auto"
	}
	m["platform"] = formatPlatform(c.Platform, c.PlatformModel)
	if c.ScaleRate != 0 {
		m["scaling"] = map[string]any{"rate": c.ScaleRate, "per": c.ScaleWindow.String()}
	}
	if c.Env != nil {
		m["env"] = c.Env
	}
	f := c.Faults
	faults := map[string]any{"crash": f.Crash, "panic": f.Panic, "timeout": f.Timeout, "init_failure": f.InitFailure}
	if f.KillEvery != 0 {
		faults["kill_every"] = f.KillEvery.String()
	}
	m["faults"] = faults
	return m
}

// formatPlatform writes function.platform.
func formatPlatform(d lambda.Delay, model bool) any {
	switch {
	case model:
		return "model"
	case d.Zero():
		return "0"
	case d.LogNormal():
		m := map[string]any{"p50": d.P50.String(), "p99": d.P99.String()}
		if d.Max > 0 {
			m["max"] = d.Max.String()
		}
		return m
	case d.Max > d.Min:
		return []string{d.Min.String(), d.Max.String()}
	}
	return d.Min.String()
}
