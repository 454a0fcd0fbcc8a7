package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/verdict"
)

// verdictLines says, in a few plain sentences at the top of the report,
// which target meets the scenario's objectives and what the function's cold
// starts cost in latency. Every number links to the part of the report it
// comes from.
func verdictLines(in Input) []template.HTML {
	var lines []template.HTML
	if l := conclusion(in); l != "" {
		lines = append(lines, l)
	}
	if l := objectivesLine(in.Objectives, in.Targets); l != "" {
		lines = append(lines, l)
	}
	if l := costLine(in.Cost); l != "" {
		lines = append(lines, l)
	}
	for _, tax := range verdict.Judge(in.Targets, in.Objectives, in.Costs).Taxes {
		lines = append(lines, taxLine(tax))
	}
	return lines
}

// conclusion says which target this traffic shape favours: among the
// targets that meet every objective (all of them when none is set), the
// cheaper one a month at this pattern.
func conclusion(in Input) template.HTML {
	c := in.Cost
	if c == nil || c.Lambda == nil || c.Server == nil || c.Lambda.Unpriced != "" {
		return ""
	}
	ok := map[string]bool{"lambda": true, "server": true}
	for _, o := range in.Objectives {
		if o.Broken() {
			ok[o.Target] = false
		}
	}
	l, s := c.Lambda.Monthly.Value, c.Server.Monthly.Value
	shape := fmt.Sprintf("For this traffic shape (%s requests/s on average, %s at the peak)", sig(c.Input.Traffic.AverageRate), sig(c.Input.Traffic.PeakRate))
	objectives := ""
	if len(in.Objectives) > 0 {
		objectives = " and meets every objective"
	}
	switch {
	case !ok["lambda"] && !ok["server"]:
		return template.HTML(shape + ", <strong>neither target meets every objective</strong>: see which below.")
	case !ok["lambda"]:
		return template.HTML(fmt.Sprintf(`%s, <strong>the always-on server</strong>: only it meets every objective, at <a href="#cost">%s a month</a>.`, shape, dollars(s)))
	case !ok["server"]:
		return template.HTML(fmt.Sprintf(`%s, <strong>the Lambda function</strong>: only it meets every objective, at <a href="#cost">%s a month</a>.`, shape, dollars(l)))
	case l <= s:
		return template.HTML(fmt.Sprintf(`%s, <strong>the Lambda function</strong>: it costs <a href="#cost">%s a month</a> against the server's <a href="#cost">%s</a>%s.`, shape, dollars(l), dollars(s), objectives))
	}
	return template.HTML(fmt.Sprintf(`%s, <strong>the always-on server</strong>: it costs <a href="#cost">%s a month</a> against Lambda's <a href="#cost">%s</a>%s.`, shape, dollars(s), dollars(l), objectives))
}

// costLine gives both targets' monthly cost at this pattern and the
// break-even rate.
func costLine(c *cost.Result) template.HTML {
	if c == nil || c.Lambda == nil || c.Server == nil {
		return ""
	}
	var b strings.Builder
	if c.Lambda.Unpriced != "" {
		fmt.Fprintf(&b, "Cost: the function could not be priced (%s); ", html.EscapeString(c.Lambda.Unpriced))
	} else {
		fmt.Fprintf(&b, `Cost, if this pattern ran all month: Lambda <a href="#cost">%s</a> (<a href="#cost">%s per million requests</a>), `,
			dollars(c.Lambda.Monthly.Value), dollars(c.Lambda.PerMillion.Value))
	}
	fmt.Fprintf(&b, `the server <a href="#cost">%s</a> (%d × %s for the peak).`,
		dollars(c.Server.Monthly.Value), int(c.Server.Instances.Value), html.EscapeString(c.Server.Instance))
	if be := c.BreakEven; be != nil {
		if be.Found {
			fmt.Fprintf(&b, ` The server becomes the cheaper one above <a href="#cost">%s requests/s</a> on average.`, sig(be.Rate.Value))
		} else if be.Text != "" {
			fmt.Fprintf(&b, " %s", html.EscapeString(be.Text))
		}
	}
	return template.HTML(b.String())
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
		fmt.Fprintf(&b, "<strong>%s %s every objective.</strong>", capitalize(strings.Join(meets, " and ")), verb(len(meets), "meets", "meet"))
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
func taxLine(t verdict.Tax) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `Cold-start tax: %s's p99 is <a href="#table">%s ms</a> against %s's <a href="#table">%s ms</a>%s, and its p99.9 <a href="#table">%s ms</a> against <a href="#table">%s ms</a>%s.`,
		html.EscapeString(t.Target), ms(t.P99), html.EscapeString(t.Reference), ms(t.RefP99), times(t.P99, t.RefP99),
		ms(t.P999), ms(t.RefP999), times(t.P999, t.RefP999))
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

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
