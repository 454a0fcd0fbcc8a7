package report

import (
	"strconv"

	"github.com/coldbench/coldbench/bench/record"
)

// fleetRow is one count of one function's fleet, as the local router
// counted it and as Lambda's rules give it for the same schedule.
type fleetRow struct {
	Target      string
	FirstTarget bool
	What        string
	Router      string // counted on this machine
	Rules       string // simulated: Lambda's rules, service times less host wait
}

// fleetRows sets each function's local counts beside those of its
// schedule run through Lambda's rules (record.Target.Schedule).
func fleetRows(targets []*record.Target) []fleetRow {
	var rows []fleetRow
	for _, t := range targets {
		st, sim := t.Counters, t.Schedule
		if st == nil || sim == nil {
			continue
		}
		get := func(key string) int64 { n, _ := st.Get(key); return n }
		tt := sim.Total
		for i, r := range []struct {
			what          string
			router, rules int64
		}{
			{"requests", requests(t), tt.Requests},
			{"cold starts (on-demand environments started)", coldCount(t), tt.ColdStarts},
			{"requests throttled (429)", get("throttled") + get("scale_throttled"), tt.Throttled + tt.ScaleThrottled},
			{"most environments busy at once", get("peak_busy"), int64(tt.PeakConcurrency)},
			{"most environments live at once", get("peak_live"), int64(tt.PeakLive)},
		} {
			rows = append(rows, fleetRow{Target: t.Name, FirstTarget: i == 0, What: r.what,
				Router: strconv.FormatInt(r.router, 10), Rules: strconv.FormatInt(r.rules, 10)})
		}
	}
	return rows
}

// coldCount returns how many requests started an environment of t.
func coldCount(t *record.Target) int64 {
	if s := t.Classes[record.Cold]; s != nil {
		return s.Counts.Requests
	}
	return int64(len(t.ColdStarts))
}
