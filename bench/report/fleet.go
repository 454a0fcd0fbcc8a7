package report

import (
	"strconv"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/targets/lambda"
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
		// A count the target's counters do not have (a run from before
		// them) is "–", not a plausible 0.
		get := func(keys ...string) string {
			var sum int64
			for _, k := range keys {
				n, ok := st.Get(k)
				if !ok {
					return none
				}
				sum += n
			}
			return strconv.FormatInt(sum, 10)
		}
		tt := sim.Total
		itoa := func(n int64) string { return strconv.FormatInt(n, 10) }
		for i, r := range []struct {
			what, router string
			rules        int64
		}{
			{"requests", itoa(requests(t)), tt.Requests},
			{"cold starts (on-demand environments started)", itoa(coldCount(t)), tt.ColdStarts},
			{"requests throttled (429)", get(lambda.KeyThrottled, lambda.KeyScaleThrottled), tt.Throttled + tt.ScaleThrottled},
			{"most environments busy at once", get(lambda.KeyPeakBusy), int64(tt.PeakConcurrency)},
			{"most environments live at once", get(lambda.KeyPeakLive), int64(tt.PeakLive)},
		} {
			rows = append(rows, fleetRow{Target: t.Name, FirstTarget: i == 0, What: r.what, Router: r.router, Rules: itoa(r.rules)})
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
