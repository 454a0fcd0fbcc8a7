package report

import (
	"fmt"
	"strings"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// anatomyRow is one line of the cold-start anatomy table: p50 and p90 of
// each part, in ms.
type anatomyRow struct {
	Label, Runtime                         string
	Count                                  int64
	Sandbox, Platform, Init, Invoke, Total string
	PoolMisses                             int64
}

// anatomyRows lists the measured anatomies: the load's cold starts of each
// Lambda target, then the probes of each runtime.
func anatomyRows(in Input) []anatomyRow {
	var rows []anatomyRow
	add := func(a *record.Anatomy, label, runtime string) {
		if a == nil || a.Total.TotalCount() == 0 {
			return
		}
		part := func(h *hdrhistogram.Histogram) string {
			return fmt.Sprintf("%s / %s", ms(h.ValueAtQuantile(50)), ms(h.ValueAtQuantile(90)))
		}
		rows = append(rows, anatomyRow{
			Label: label, Runtime: runtime, Count: a.Total.TotalCount(),
			Sandbox: part(a.Parts[record.Sandbox]), Platform: part(a.Parts[record.Platform]),
			Init: part(a.Parts[record.Init]), Invoke: part(a.Parts[record.Invoke]), Total: part(a.Total),
			PoolMisses: a.PoolMisses,
		})
	}
	for _, t := range in.Targets {
		runtime := t.Runtime
		if runtime == "" {
			runtime = in.Runtime
		}
		add(t.Anatomy, t.Name+": cold starts under load", runtime)
		if t.HostWait {
			add(t.NetAnatomy, t.Name+": the same, less host wait", runtime)
		}
	}
	for _, a := range in.Probes {
		add(a, a.Label, a.Runtime)
	}
	return rows
}

// publishedRow is a cold-start figure of real AWS Lambda that coldbench
// did not measure.
type publishedRow struct {
	Runtime, Init string
}

// published returns the published figures of the brief: mean Init Duration
// of a hello-world function, maxday/lambda-perf, data of 2025-12-21.
func published() []publishedRow {
	return []publishedRow{
		{"Go on provided.al2023, x86_64", "52–55"},
		{"Go on provided.al2023, arm64", "39–42"},
		{"Node.js 22 (nodejs22.x), x86_64", "140–158"},
	}
}

// platformView says how the platform part of each function's cold starts
// was modelled and its sandbox pool, and the published figures behind
// the default model.
type platformView struct {
	Models  []platformModel
	Default bool // some function uses the published model of platform.json
	Version string
	Figures []figureRow
}

// platformModel is how one function's cold starts were modelled.
type platformModel struct {
	Target  string
	Model   string // e.g. "log-normal, p50 80ms, p99 160ms"
	Default bool   // the published model of platform.json
	Pool    string // the sandbox pool, e.g. "10 sandboxes (auto)"
}

// figureRow is a published figure, its source written out as text: the
// page fetches nothing, so addresses are not links.
type figureRow struct{ Measured, Value, Source string }

// newPlatformView describes the models of the targets that have a
// cold-start anatomy, from their settings in s.
func newPlatformView(s *scenario.Scenario, targets []*record.Target) platformView {
	var v platformView
	if s == nil {
		return v
	}
	for _, t := range targets {
		st := s.Target(t.Name)
		if t.Anatomy == nil || st == nil {
			continue
		}
		fn := st.Function
		m := platformModel{Target: t.Name, Model: fn.Platform.String(), Default: fn.PlatformModel}
		switch {
		case fn.Pool == 0:
			m.Pool = "none: every cold start started its sandbox on demand"
		case fn.PoolAuto:
			m.Pool = fmt.Sprintf("%d sandboxes (auto: the concurrency less provisioned environments, at most %d)", fn.Pool, scenario.MaxAutoPool)
		default:
			m.Pool = fmt.Sprintf("%d sandboxes", fn.Pool)
		}
		v.Models = append(v.Models, m)
		v.Default = v.Default || m.Default
	}
	if v.Default {
		d := lambda.Published()
		v.Version = d.Version
		for _, f := range d.Figures {
			url := strings.TrimPrefix(strings.TrimPrefix(f.URL, "https://"), "http://")
			v.Figures = append(v.Figures, figureRow{Measured: f.Measured, Value: f.Value, Source: f.Source + ", " + f.Date + ", " + url})
		}
	}
	return v
}
