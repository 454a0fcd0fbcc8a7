package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/verdict"
)

// verdictLines says, in a few plain sentences at the top of the report,
// which target meets the scenario's objectives and what the function's cold
// starts cost in latency. Every number links to the part of the report it
// comes from.
func verdictLines(in Input) []template.HTML {
	var lines []template.HTML
	if l := objectivesLine(in.Objectives, in.Targets); l != "" {
		lines = append(lines, l)
	}
	if tax := verdict.ColdStartTax(in.Targets); tax != nil {
		lines = append(lines, taxLine(tax))
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
		fmt.Fprintf(&b, "<strong>%s %s every objective.</strong>", strings.Join(meets, " and "), verb(len(meets), "meets", "meet"))
	case len(meets) > 0:
		fmt.Fprintf(&b, "<strong>Only %s %s every objective.</strong>", strings.Join(meets, " and "), verb(len(meets), "meets", "meet"))
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
		if o.Corrected {
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
	b.WriteString(" Latency objectives are judged on latencies corrected for coordinated omission, counted from when each request was due.")
	return template.HTML(b.String())
}

// taxLine says what the function's tail and cold starts cost against the
// server.
func taxLine(t *verdict.Tax) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `Cold-start tax: lambda's p99 is <a href="#table">%s ms</a> against the server's <a href="#table">%s ms</a>%s, and its p99.9 <a href="#table">%s ms</a> against <a href="#table">%s ms</a>%s.`,
		ms(t.LambdaP99), ms(t.ServerP99), times(t.LambdaP99, t.ServerP99),
		ms(t.LambdaP999), ms(t.ServerP999), times(t.LambdaP999, t.ServerP999))
	if t.Requests > 0 {
		fmt.Fprintf(&b, ` %s of %s requests relayed to an environment (<a href="#anatomy">%s</a>) started one`, num(float64(t.ColdStarts)), num(float64(t.Requests)), pct(t.ColdStarts, t.Requests))
		if t.ColdStarts > 0 {
			fmt.Fprintf(&b, `, with a median of <a href="#table">%s ms</a>`, ms(t.ColdP50))
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
