package report

import (
	"fmt"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
)

// anatomyRow is one line of the cold-start anatomy table: p50 and p90 of
// each part, in ms.
type anatomyRow struct {
	Label, Runtime                string
	Count                         int64
	Platform, Init, Invoke, Total string
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
			Platform: part(a.Parts[record.Platform]), Init: part(a.Parts[record.Init]),
			Invoke: part(a.Parts[record.Invoke]), Total: part(a.Total),
		})
	}
	for _, t := range in.Targets {
		add(t.Anatomy, t.Name+": cold starts under load", in.Runtime)
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
