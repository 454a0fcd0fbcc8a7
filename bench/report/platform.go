package report

import (
	"strconv"

	"github.com/coldbench/coldbench/bench/record"
)

// countTable is the table of what each target's kind counted: a column
// per target that has counters, a row per counter.
type countTable struct {
	Targets []string
	Rows    []countRow
}

// countRow is one counter of the table, one value per target.
type countRow struct {
	What   string
	Counts []string // "–" where a target has no such counter
}

// platformTable lists the counters of the targets that have them
// (record.Target.Counters), in the order their kinds report them: for a
// Lambda function, what its emulated service did (environments started
// and ended, throttles, faults by kind). Rows that are zero for every
// target, but a kind's first, and counters not meant for the report are
// left out. It returns nil when no target has counters.
func platformTable(targets []*record.Target) *countTable {
	tb := &countTable{}
	var with []*record.Target
	var keys []record.Counter // each counter the report shows, once, in order
	first := map[string]bool{}
	for _, t := range targets {
		if len(t.Counters) == 0 {
			continue
		}
		with = append(with, t)
		tb.Targets = append(tb.Targets, t.Name)
		first[t.Counters[0].Key] = true
		for _, c := range t.Counters {
			if c.Report && !containsKey(keys, c.Key) {
				keys = append(keys, c)
			}
		}
	}
	if len(with) == 0 {
		return nil
	}
	for _, k := range keys {
		row := countRow{What: k.Label}
		show := first[k.Key]
		for _, t := range with {
			n, ok := t.Counters.Get(k.Key)
			v := none
			if ok {
				v = strconv.FormatInt(n, 10)
			}
			row.Counts = append(row.Counts, v)
			show = show || n != 0
		}
		if show {
			tb.Rows = append(tb.Rows, row)
		}
	}
	return tb
}

func containsKey(cs []record.Counter, key string) bool {
	for _, c := range cs {
		if c.Key == key {
			return true
		}
	}
	return false
}
