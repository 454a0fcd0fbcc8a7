package report

import (
	"fmt"
	"strconv"

	"github.com/coldbench/coldbench/bench/record"
)

// UncertainShare is the share of a series' latency above which it was
// mostly host wait: the machine was too busy for its net figures to be
// trusted either, because the rule that takes the wait out (schedstat.
// HostWait) is an estimate whose error grows with the wait.
const UncertainShare = 0.5

// hostWaitRow is one line of the raw-and-net table: one class of one
// target in one phase, or over the whole run (Phase "whole run").
type hostWaitRow struct {
	Target, Phase, Class string
	FirstTarget          bool
	Requests             int64
	RawP50, RawP99       string
	NetP50, NetP99       string
	Share                string // host wait as a share of the latency, "37%"
	OutsideP99           string // p99 of the part outside the router (Series.Outside), or none
	Uncertain            bool   // Share above UncertainShare
}

// hostWaitView is the raw-and-net section.
type hostWaitView struct {
	Rows      []hostWaitRow
	Uncertain []string // "lambda cold in burst (71%)": series mostly host wait
	Threshold string   // UncertainShare, "50%"
}

// hostWaitSection returns the raw-and-net table of every target whose
// host wait was measured; nil if none was.
func hostWaitSection(targets []*record.Target) *hostWaitView {
	v := &hostWaitView{Threshold: wholePercent(UncertainShare)}
	for _, t := range targets {
		if !t.HostWait {
			continue
		}
		first := true
		add := func(phase string, classes map[record.Class]*record.Series) {
			for _, c := range classOrder(classes) {
				s := classes[c]
				if s == nil || s.Net == nil || s.Histogram.TotalCount() == 0 {
					continue
				}
				share := s.WaitShare()
				row := hostWaitRow{
					Target: t.Name, Phase: phase, Class: string(c), FirstTarget: first,
					Requests: s.Histogram.TotalCount(),
					RawP50:   ms(s.Histogram.ValueAtQuantile(50)), RawP99: ms(s.Histogram.ValueAtQuantile(99)),
					NetP50: ms(s.Net.ValueAtQuantile(50)), NetP99: ms(s.Net.ValueAtQuantile(99)),
					Share: wholePercent(share), Uncertain: share > UncertainShare, OutsideP99: none,
				}
				if o := s.Outside; o != nil && o.TotalCount() > 0 {
					row.OutsideP99 = ms(o.ValueAtQuantile(99))
				}
				if row.Uncertain {
					v.Uncertain = append(v.Uncertain, fmt.Sprintf("%s %s in %s (%s)", t.Name, c, phase, row.Share))
				}
				v.Rows = append(v.Rows, row)
				first = false
			}
		}
		add("whole run", t.Classes)
		for _, p := range t.Phases {
			if p != nil {
				add(p.Name, p.Classes)
			}
		}
	}
	if len(v.Rows) == 0 {
		return nil
	}
	return v
}

// UncertainSeries lists, for the terminal, the series of targets whose
// latency was mostly host wait ("lambda cold in burst (71%)").
func UncertainSeries(targets []*record.Target) []string {
	if v := hostWaitSection(targets); v != nil {
		return v.Uncertain
	}
	return nil
}

// wholePercent formats a share from 0 to 1 as a whole percentage.
func wholePercent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }
