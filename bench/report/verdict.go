package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/verdict"
)

// rankRow is one row of the ranking table of the Verdict section.
type rankRow struct {
	Rank                    int
	Target, Kind, Color     string
	Best                    bool
	Monthly                 string
	P50, P99, P999          string // ms, corrected where the run has it
	Errors, Throttled, Cold string // shares
	Objectives              string // "2 of 2 met"
}

// verdictLines says, in a few plain sentences at the top of the report,
// which target this traffic shape favours, which targets meet the
// scenario's objectives, and where each function's break-even against the
// best server lies. Every number links to the part of the report it comes
// from.
func verdictLines(in Input, v verdict.Verdict) []template.HTML {
	var lines []template.HTML
	if l := conclusion(in, v); l != "" {
		lines = append(lines, l)
	}
	lines = append(lines, sizeLines(v)...)
	if l := objectivesLine(in.Objectives, in.Targets); l != "" {
		lines = append(lines, l)
	}
	if l := breakEvenLine(in, v); l != "" {
		lines = append(lines, l)
	}
	if l := cheapestLine(in); l != "" {
		lines = append(lines, l)
	}
	if l := frontDoorLine(in); l != "" {
		lines = append(lines, l)
	}
	return lines
}

// frontDoorLine says what each priced target was priced behind, its
// monthly cost including it, and which of them are the defaults; empty
// when no target is priced.
func frontDoorLine(in Input) template.HTML {
	var parts []string
	defaults := false
	for _, t := range in.Targets {
		c := in.Costs[t.Name]
		if c == nil {
			continue
		}
		cv := c.View()
		if cv.Unpriced != "" || cv.FrontDoor == "" {
			continue // not priced, or priced without a front door
		}
		f, def, monthly := cv.FrontDoor, cv.DefaultFrontDoor, cv.Monthly.Value
		p := fmt.Sprintf(`%s <a href="#cost">%s a month</a> %s`, html.EscapeString(t.Name), dollars(monthly), html.EscapeString(f.Behind()))
		if f == def {
			p, defaults = p+" (the default)", true
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	s := "Front doors: " + join(parts) + "."
	if defaults {
		s += " Set <code>front_door</code> in the scenario's cost section or a target's entry to price another."
	}
	return template.HTML(s)
}

// breakEvenLine says above which average rate the best server becomes
// cheaper than each function, in one sentence; empty without a server
// priced as one or a break-even in the charted range.
func breakEvenLine(in Input, v verdict.Verdict) template.HTML {
	ref := in.Costs[v.Reference]
	if ref == nil || !ref.View().AlwaysOn {
		return ""
	}
	var parts []string
	for _, t := range in.Targets {
		if be := cost.BreakEvenOf(in.Costs[t.Name], t.Name, ref, v.Reference); be != nil && be.Found {
			parts = append(parts, fmt.Sprintf(`than %s above <a href="#cost">%s requests/s</a>`, html.EscapeString(t.Name), sig(be.Rate.Value)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return template.HTML(fmt.Sprintf("Break-even: %s becomes cheaper %s on average.", html.EscapeString(v.Reference), join(parts)))
}

// conclusion says which target this traffic shape favours: the cheapest
// of the targets that meet every objective that names them (all of them
// when none is set), or that none does.
func conclusion(in Input, v verdict.Verdict) template.HTML {
	shape := "For this run"
	for _, tg := range in.Targets {
		if c := in.Costs[tg.Name]; c != nil && c.Input.Traffic.AverageRate > 0 {
			t := c.Input.Traffic
			shape = fmt.Sprintf("For this traffic shape (%s requests/s on average, %s at the peak)", sig(t.AverageRate), sig(t.PeakRate))
			break
		}
	}
	if len(v.Ranking) == 0 {
		return ""
	}
	if v.Best == "" {
		return template.HTML(shape + `, <strong>no target meets every objective</strong> that names it: the ranking below orders them by the objectives they meet, then by cost.`)
	}
	best := v.Ranking[0]
	name := html.EscapeString(best.Target)
	meets := " that meets every objective naming it"
	if len(in.Objectives) == 0 {
		meets = " (no objectives are set)"
	}
	if !best.Priced {
		if len(in.Objectives) == 0 {
			return ""
		}
		return template.HTML(fmt.Sprintf(`%s, <strong>%s</strong> meets every objective that names it; it could not be priced.`, shape, name))
	}
	s := fmt.Sprintf(`%s, <strong>%s</strong> is the cheapest target%s, at <a href="#cost">%s a month</a>`, shape, name, meets, dollars(best.Monthly))
	if len(v.Ranking) > 1 && v.Ranking[1].MeetsAll() && v.Ranking[1].Priced {
		next := v.Ranking[1]
		s += fmt.Sprintf(`; next is %s at <a href="#cost">%s</a>`, html.EscapeString(next.Target), dollars(next.Monthly))
	}
	return template.HTML(s + ".")
}

// rankRows returns the ranking of v as table rows.
func rankRows(v verdict.Verdict, objectives bool, pal palette) []rankRow {
	var rows []rankRow
	for i, s := range v.Ranking {
		r := rankRow{
			Rank: i + 1, Target: s.Target, Kind: s.Kind, Color: pal.css(s.Target), Best: s.Target == v.Best,
			Monthly: "not priced", P50: none, P99: none, P999: none,
			Errors: pct(s.Errors, s.Requests), Throttled: pct(s.Throttled, s.Requests), Cold: none,
			Objectives: none,
		}
		if s.Priced {
			r.Monthly = dollars(s.Monthly)
		}
		if s.Latency {
			r.P50, r.P99, r.P999 = ms(s.P50), ms(s.P99), ms(s.P999)
		}
		if s.HasCold {
			r.Cold = pct(s.ColdStarts, s.Relayed)
		}
		switch {
		case objectives && s.Judged == 0:
			r.Objectives = "none name it"
		case objectives:
			r.Objectives = fmt.Sprintf("%d of %d met", s.Met, s.Judged)
		}
		rows = append(rows, r)
	}
	return rows
}

// taxLines says what each target with cold starts pays in latency against
// the best server-like target.
func taxLines(v verdict.Verdict) []template.HTML {
	var lines []template.HTML
	for _, t := range v.Taxes {
		lines = append(lines, taxLine(t))
	}
	return lines
}

// objectivesLine says which targets meet every objective and which
// objectives are broken.
func objectivesLine(outcomes []verdict.Outcome, targets []*record.Target) template.HTML {
	if len(outcomes) == 0 {
		return "No objectives are set: add <code>objectives:</code> to the scenario (such as <code>lambda p99 &lt; 250ms</code>) to have each target judged."
	}
	var meets, fails []string
	for _, t := range targets {
		judged, broken := 0, 0
		for _, o := range outcomes {
			if o.Target != t.Name || o.NoData {
				continue
			}
			judged++
			if o.Broken() {
				broken++
			}
		}
		switch {
		case judged == 0:
		case broken == 0:
			meets = append(meets, t.Name)
		default:
			fails = append(fails, t.Name)
		}
	}
	var b strings.Builder
	switch {
	case len(meets) > 0 && len(fails) == 0:
		fmt.Fprintf(&b, "<strong>%s %s every objective that names %s.</strong>", list(meets), verb(len(meets), "meets", "meet"), verb(len(meets), "it", "them"))
	case len(meets) > 0:
		fmt.Fprintf(&b, "<strong>Only %s %s every objective that names %s.</strong>", list(meets), verb(len(meets), "meets", "meet"), verb(len(meets), "it", "them"))
	default:
		b.WriteString("<strong>No target meets every objective.</strong>")
	}
	for _, o := range outcomes {
		what := "met"
		switch {
		case o.NoData:
			what = "no data"
		case o.Broken():
			what = "<em>broken</em>"
		}
		anchor := "#table"
		switch {
		case o.Net:
			anchor = "#host-wait"
		case o.Corrected:
			anchor = "#corrected"
		}
		value := ms(int64(o.Value*1000+0.5)) + " ms"
		if o.Unit == "fraction" {
			value = fmt.Sprintf("%.3g%%", o.Value*100)
		}
		if o.NoData {
			fmt.Fprintf(&b, " <code>%s</code>: %s.", html.EscapeString(o.Objective), what)
			continue
		}
		fmt.Fprintf(&b, ` <code>%s</code>: <a href="%s">%s</a>, %s.`, html.EscapeString(o.Objective), anchor, value, what)
	}
	if slices.ContainsFunc(outcomes, func(o verdict.Outcome) bool { return o.Net }) {
		b.WriteString(" Latency objectives are judged on latencies less host wait where it was measured (the time a target waited for this machine's CPU; <code>host_wait: keep</code> judges them raw), else corrected for coordinated omission, counted from when each request was due.")
	} else {
		b.WriteString(" Latency objectives are judged on latencies corrected for coordinated omission, counted from when each request was due.")
	}
	return template.HTML(b.String())
}

// taxLine says what t's target pays in its tail and cold starts against
// its reference.
func taxLine(t verdict.Tax) template.HTML {
	var b strings.Builder
	anchor := func(net bool) string {
		if net {
			return "#host-wait"
		}
		return "#table"
	}
	at, ref := anchor(t.Net), anchor(t.RefNet)
	fmt.Fprintf(&b, `Cold-start tax of <strong>%s</strong> against %s: p99 <a href="%s">%s ms</a> against <a href="%s">%s ms</a>%s, p99.9 <a href="%s">%s ms</a> against <a href="%s">%s ms</a>%s.`,
		html.EscapeString(t.Target), html.EscapeString(t.Reference), at, ms(t.P99), ref, ms(t.RefP99), times(t.P99, t.RefP99),
		at, ms(t.P999), ref, ms(t.RefP999), times(t.P999, t.RefP999))
	if t.Net {
		b.WriteString(" Its latencies are less host wait.")
	}
	if t.Requests > 0 {
		fmt.Fprintf(&b, ` %s of %s requests relayed to an environment (<a href="#anatomy">%s</a>) started one`, num(float64(t.ColdStarts)), num(float64(t.Requests)), pct(t.ColdStarts, t.Requests))
		if t.ColdStarts > 0 {
			fmt.Fprintf(&b, `, with a median of <a href="%s">%s ms</a>`, at, ms(t.ColdP50))
		}
		b.WriteString(".")
	}
	return template.HTML(b.String())
}

// times says how many times a is b, when it is at least 1.5 times.
func times(a, b int64) string {
	if b <= 0 || float64(a) < 1.5*float64(b) {
		return ""
	}
	return fmt.Sprintf(" (%.3g×)", float64(a)/float64(b))
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// list joins names, escaped, as "a", "a and b" or "a, b and c". Names
// keep their case, even at the start of a sentence: they are what the
// scenario calls its targets.
func list(names []string) string {
	esc := make([]string, len(names))
	for i, n := range names {
		esc[i] = html.EscapeString(n)
	}
	return join(esc)
}

// join joins items as "a", "a and b" or "a, b and c".
func join(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// cheapestLine says which target is cheapest at each average rate of the
// cost chart, read off every priced target's cost line (cost.Result.Line)
// whatever its kind: where the answer changes as the traffic grows, to
// the lines' resolution (cost.LogRates). Empty with fewer than two lines.
func cheapestLine(in Input) template.HTML {
	var lo, hi float64
	for _, t := range in.Targets {
		if c := in.Costs[t.Name]; c != nil {
			if l, h, ok := cost.ChartRange(c.Input.Traffic); ok {
				lo, hi = l, h
				break
			}
		}
	}
	if lo == 0 {
		return ""
	}
	rates := cost.LogRates(lo, hi)
	monthly := map[string]map[int]float64{} // by target, by index of rates
	var names []string
	for _, t := range in.Targets {
		levels := in.Costs[t.Name].Line(lo, hi)
		if len(levels) == 0 {
			continue
		}
		at := map[int]float64{}
		for i, x := range rates {
			for _, l := range levels {
				if math.Abs(l.Rate-x) <= x*1e-9 {
					at[i] = l.Monthly
				}
			}
		}
		monthly[t.Name] = at
		names = append(names, t.Name)
	}
	if len(names) < 2 {
		return ""
	}
	type span struct {
		name     string
		from, to float64
	}
	var spans []span
	for i, x := range rates {
		best, cheapest := "", math.Inf(1)
		for _, n := range names {
			if m, ok := monthly[n][i]; ok && m < cheapest {
				best, cheapest = n, m
			}
		}
		switch {
		case best == "":
		case len(spans) > 0 && spans[len(spans)-1].name == best:
			spans[len(spans)-1].to = x
		default:
			spans = append(spans, span{best, x, x})
		}
	}
	if len(spans) == 0 {
		return ""
	}
	if len(spans) == 1 {
		return template.HTML(fmt.Sprintf(`Cheapest at every average rate the <a href="#cost">cost chart</a> shows (%s to %s requests/s): %s.`,
			sig(lo), sig(hi), html.EscapeString(spans[0].name)))
	}
	var parts []string
	for i, sp := range spans {
		name := html.EscapeString(sp.name)
		switch i {
		case 0:
			parts = append(parts, fmt.Sprintf("%s below about %s requests/s", name, sig(spans[1].from)))
		case len(spans) - 1:
			parts = append(parts, fmt.Sprintf("%s from about %s", name, sig(sp.from)))
		default:
			parts = append(parts, fmt.Sprintf("%s from about %s to %s", name, sig(sp.from), sig(spans[i+1].from)))
		}
	}
	return template.HTML(fmt.Sprintf(`Cheapest by average rate, on the <a href="#cost">cost chart</a>'s lines, each target with its own settings: %s.`, join(parts)))
}
