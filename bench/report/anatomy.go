package report

import (
	"fmt"
	"strings"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/runtimes"
)

// anatomyRow is one line of the cold-start anatomy table: p50 and p90 of
// each part, in ms.
type anatomyRow struct {
	Label, Runtime                         string
	Count                                  int64
	Sandbox, Platform, Init, Invoke, Total string
	PoolMisses                             int64
	// Published is the published Init Duration of a hello world on the
	// code's runtime (runtimes.json), in ms, or "" where there is none.
	Published string
}

// anatomyRows lists the measured anatomies: the load's cold starts of each
// Lambda target, then the probes of each runtime.
func anatomyRows(in Input) []anatomyRow {
	var rows []anatomyRow
	add := func(a *record.Anatomy, label, runtime string, code *record.Code) {
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
			PoolMisses: a.PoolMisses, Published: publishedInit(code),
		})
	}
	for _, t := range in.Targets {
		runtime := t.Runtime
		if runtime == "" {
			runtime = in.Runtime
		}
		add(t.Anatomy, t.Name+": cold starts under load", runtime, t.Code)
		if t.HostWait {
			add(t.NetAnatomy, t.Name+": the same, less host wait", runtime, t.Code)
		}
	}
	code := map[string]*record.Code{}
	for _, t := range in.Targets {
		code[t.Name] = t.Code
	}
	for _, a := range in.Probes {
		add(a, a.Label, a.Runtime, code[a.Target]) // the code the probes ran
	}
	return rows
}

// codeRuntime is the Lambda runtime code ran on: the one a handler named,
// else provided.al2023, a bootstrap's; none for an image, whose runtime
// coldbench does not know.
func codeRuntime(c *record.Code) runtimes.Runtime {
	if c != nil && c.Form == record.ImageForm {
		return runtimes.Runtime{Name: "an image's own runtime"}
	}
	name := "provided.al2023"
	if c != nil && c.Runtime != "" {
		name = c.Runtime
	}
	r, _ := runtimes.Lookup(name)
	return r
}

// publishedInit is the published Init Duration of c's runtime, at 128 and
// 1,024 MB, in ms: "138 / 139", or "" where runtimes.json has none.
func publishedInit(c *record.Code) string {
	m := codeRuntime(c).PublishedInitMs
	if len(m) == 0 {
		return ""
	}
	return fmt.Sprintf("%g / %g", m["128"], m["1024"])
}

// publishedRow is the published Init Duration of a runtime, which
// coldbench did not measure.
type publishedRow struct {
	Runtime, Init string
}

// publishedView is the published Init Durations of the runtimes the run's
// functions ran on, from runtimes.json, and where they come from.
type publishedView struct {
	Rows   []publishedRow
	Source string // e.g. "maxday/lambda-perf, data/2026-08-22.json"
	What   string
}

// newPublishedView lists the runtimes of targets that have an anatomy,
// each once, in the order of the targets.
func newPublishedView(targets []*record.Target) publishedView {
	d := runtimes.Published()
	v := publishedView{Source: d.PublishedSource.Source, What: d.PublishedSource.Measured}
	seen := map[string]bool{}
	for _, t := range targets {
		if t.Anatomy == nil {
			continue
		}
		r := codeRuntime(t.Code)
		if seen[r.Name] {
			continue
		}
		seen[r.Name] = true
		init := publishedInit(t.Code)
		if init == "" {
			init = "not published by the source"
		}
		name := r.Name
		if r.Note != "" {
			name += " (" + r.Note + ")"
		}
		v.Rows = append(v.Rows, publishedRow{Runtime: name, Init: init})
	}
	return v
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

// PlatformModeller is a kind's settings (scenario.Target.Settings) that
// model the platform part of a cold start, which the report lists beside
// the anatomy: the model, the pool of sandboxes, and whether the model is
// the published one (lambda.Published), whose sources the report cites.
type PlatformModeller interface {
	ColdStartModel() (model, pool string, published bool)
}

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
		pm, ok := st.Settings.(PlatformModeller)
		if !ok {
			continue
		}
		m := platformModel{Target: t.Name}
		m.Model, m.Pool, m.Default = pm.ColdStartModel()
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
