package cost

import (
	"fmt"
	"strings"
)

// FrontDoor is what a target's HTTP traffic comes in through, which the
// bill must count: a function answers HTTP behind a Function URL, an API
// Gateway HTTP or REST API, or an Application Load Balancer; a server
// behind an Application Load Balancer or directly.
type FrontDoor string

// The front doors, as a scenario names them (cost.front_door).
const (
	FunctionURL FrontDoor = "function_url" // free
	HTTPAPI     FrontDoor = "http_api"     // API Gateway HTTP API, per request
	RESTAPI     FrontDoor = "rest_api"     // API Gateway REST API, per request
	ALB         FrontDoor = "alb"          // Application Load Balancer: per hour and per LCU-hour
	Direct      FrontDoor = "none"         // a server that clients reach directly
)

// The front door of each kind of target when a scenario names none: a
// function behind its free Function URL, which is how coldbench's
// emulated Lambda is reached, and a server reached directly, as the
// benchmark reaches it. The verdict states which each target assumed.
const (
	DefaultLambdaFrontDoor = FunctionURL
	DefaultServerFrontDoor = Direct
)

// ALBRequestsPerConnection is how many requests the model assumes each
// connection to an Application Load Balancer carries: one, as from many
// distinct clients that do not keep connections open, so that new
// connections are the LCU dimension that counts. It is an assumption, not
// a measurement: the benchmark's own client keeps its connections alive.
const ALBRequestsPerConnection = 1

// LambdaFrontDoors returns the front doors a function can sit behind,
// the default first.
func LambdaFrontDoors() []FrontDoor { return []FrontDoor{FunctionURL, HTTPAPI, RESTAPI, ALB} }

// ServerFrontDoors returns the front doors a server can sit behind, the
// default first.
func ServerFrontDoors() []FrontDoor { return []FrontDoor{Direct, ALB} }

// Label names f in a sentence: "an API Gateway HTTP API".
func (f FrontDoor) Label() string {
	switch f {
	case FunctionURL:
		return "a Function URL"
	case HTTPAPI:
		return "an API Gateway HTTP API"
	case RESTAPI:
		return "an API Gateway REST API"
	case ALB:
		return "an Application Load Balancer"
	case Direct:
		return "no front door"
	}
	return string(f)
}

// Behind says where a target behind f sits, for a verdict: "behind an API
// Gateway HTTP API", "reached directly, with no load balancer".
func (f FrontDoor) Behind() string {
	if f == Direct {
		return "reached directly, with no load balancer"
	}
	return "behind " + f.Label()
}

// FrontDoorPrices are the prices of the front doors of the price file.
type FrontDoorPrices struct {
	// FunctionURL says where it is written that a Function URL has no
	// charge of its own.
	FunctionURL Source     `json:"function_url"`
	HTTPAPI     APIGateway `json:"http_api"`
	RESTAPI     APIGateway `json:"rest_api"`
	ALB         ALBPrices  `json:"alb"`
}

// APIGateway is how an API Gateway API bills: per request received.
type APIGateway struct {
	// RequestPerMillion holds for the first FirstTierRequests requests of
	// a month; above them AWS charges NextTier, which the model does not
	// apply (it says so in a caveat).
	RequestPerMillion Price   `json:"request_per_million"`
	FirstTierRequests float64 `json:"first_tier_requests_per_month"`
	NextTier          Price   `json:"next_tier_request_per_million"`
	// MeteringKB is the size in which requests are metered (a request of
	// more counts as several), when AWS states one.
	MeteringKB int `json:"metering_kb,omitempty"`
}

// ALBPrices is how an Application Load Balancer bills: per hour it runs
// and per LCU-hour.
type ALBPrices struct {
	Hourly    Price `json:"hourly"`
	LCUHourly Price `json:"lcu_hourly"`
	LCU       LCU   `json:"lcu"`
}

// LCU is what one Load Balancer Capacity Unit covers, in each of its
// dimensions; an hour is billed on the dimension with the highest usage.
type LCU struct {
	NewConnectionsPerSecond    float64 `json:"new_connections_per_second"`
	ActiveConnectionsPerMinute float64 `json:"active_connections_per_minute"`
	GBPerHourInstances         float64 `json:"processed_gb_per_hour_instances"` // EC2 instances, containers, IP targets
	GBPerHourLambda            float64 `json:"processed_gb_per_hour_lambda"`    // Lambda targets
	RuleEvaluationsPerSecond   float64 `json:"rule_evaluations_per_second"`
	FreeRules                  int     `json:"free_rules"` // rules processed free of charge
	Source
}

// check reports, through bad, what the front doors of a price file lack;
// price checks one price.
func (f FrontDoorPrices) check(price func(string, *Price, bool), bad func(string, ...any)) {
	if strings.TrimSpace(f.FunctionURL.Source) == "" {
		bad("front_doors.function_url needs a source saying it is free")
	}
	for name, a := range map[string]APIGateway{"http_api": f.HTTPAPI, "rest_api": f.RESTAPI} {
		w := "front_doors." + name + "."
		price(w+"request_per_million", &a.RequestPerMillion, true)
		price(w+"next_tier_request_per_million", &a.NextTier, true)
		if !(a.FirstTierRequests > 0) {
			bad("%sfirst_tier_requests_per_month must be above 0", w)
		}
	}
	price("front_doors.alb.hourly", &f.ALB.Hourly, true)
	price("front_doors.alb.lcu_hourly", &f.ALB.LCUHourly, true)
	l := f.ALB.LCU
	if !(l.NewConnectionsPerSecond > 0 && l.ActiveConnectionsPerMinute > 0 && l.GBPerHourInstances > 0 &&
		l.GBPerHourLambda > 0 && l.RuleEvaluationsPerSecond > 0) || l.FreeRules < 0 || strings.TrimSpace(l.Source.Source) == "" {
		bad("front_doors.alb.lcu needs every dimension above 0 and a source")
	}
}

// door is what a front door adds to a bill: a price an hour, whatever the
// traffic, and a price a request, with the monthly parts that say so.
type door struct {
	hourly     float64 // USD an hour
	perRequest float64 // USD a request sent
	parts      []Figure
}

// run is what the door costs over a schedule of seconds that sent
// requests.
func (d door) run(seconds float64, requests int64) float64 {
	return d.hourly*seconds/3600 + d.perRequest*float64(requests)
}

// frontDoor prices the front door f of a function (lambda) or a server
// that was sent requests over the schedule, a month being scale
// schedules, with the Result's prices and the price file's facts fp.
func (r *Result) frontDoor(f FrontDoor, lambda bool, requests int64, fp FrontDoorPrices) door {
	scale := 0.0 // a schedule of no time prices nothing a month
	if r.Input.Traffic.Seconds > 0 {
		scale = r.scale()
	}
	month := func(name string, run float64, src string) Figure {
		return Figure{Name: "front door: " + name, Value: run * scale, Unit: "USD/month", Source: src}
	}
	sent := fmt.Sprintf("%d requests sent (throttled ones too: the front door bills every request it receives)", requests)
	var d door
	switch f {
	case FunctionURL:
		d.parts = []Figure{month("Function URL", 0, "free: "+fp.FunctionURL.Source)}
	case HTTPAPI, RESTAPI:
		key, api, name := KeyHTTPAPIRequestPerMillion, fp.HTTPAPI, "API Gateway HTTP API"
		if f == RESTAPI {
			key, api, name = KeyRESTAPIRequestPerMillion, fp.RESTAPI, "API Gateway REST API"
		}
		pr := r.Prices[key]
		d.perRequest = pr.USD / 1e6
		src := fmt.Sprintf("%s × %s per million (%s), the price of the first %s requests a month", sent, usd(pr.USD), pr.Source.Source, g(api.FirstTierRequests))
		if api.MeteringKB > 0 {
			src += fmt.Sprintf("; each request counted as one: requests are metered in %d KB increments, and the run does not record sizes", api.MeteringKB)
		}
		d.parts = []Figure{month(name, d.perRequest*float64(requests), src)}
	case ALB:
		hourly, lcuHourly, l := r.Prices[KeyALBHourly], r.Prices[KeyALBLCUHourly], fp.ALB.LCU
		d.hourly = hourly.USD
		// Each request a new connection: an LCU-hour carries
		// NewConnectionsPerSecond × 3,600 connections.
		perLCUHour := l.NewConnectionsPerSecond * ALBRequestsPerConnection * 3600
		d.perRequest = lcuHourly.USD / perLCUHour
		gb, target := l.GBPerHourInstances, "EC2 or IP targets"
		if lambda {
			gb, target = l.GBPerHourLambda, "a Lambda target"
		}
		runSeconds := r.Input.Traffic.Seconds
		d.parts = []Figure{
			month("ALB hours", d.hourly*runSeconds/3600, fmt.Sprintf("one load balancer all month at %s per ALB-hour (%s), whatever the traffic",
				usd(hourly.USD), hourly.Source.Source)),
			month("ALB LCUs", d.perRequest*float64(requests), fmt.Sprintf(
				"%s ÷ (%s new connections/s per LCU × %d request per connection × 3,600 s) = %s LCU-hours × %s per LCU-hour (%s). "+
					"Assumed: every request opens a connection (from many clients; the benchmark's own client keeps its connections), "+
					"so new connections are the dimension billed; active connections (%s a minute per LCU) count less unless a connection lasts over %s s; "+
					"rule evaluations are free for a listener of at most %d rules; processed bytes, which the run does not record, count less "+
					"while a request and its response average under %s bytes (%s GB/h per LCU for %s)",
				sent, g(l.NewConnectionsPerSecond), ALBRequestsPerConnection, g(float64(requests)/perLCUHour), usd(lcuHourly.USD), lcuHourly.Source.Source,
				g(l.ActiveConnectionsPerMinute), g(l.ActiveConnectionsPerMinute/l.NewConnectionsPerSecond/ALBRequestsPerConnection),
				l.FreeRules, g(gb*1e9/perLCUHour), g(gb), target)),
		}
	case Direct:
		d.parts = []Figure{month("none", 0, "clients reach the server directly: no load balancer is priced (front_door: none)")}
	}
	return d
}

// frontDoorCaveats says what the model leaves out of the front doors of c
// for the targets in prices.
func frontDoorCaveats(fp FrontDoorPrices, c Config, in Input) []string {
	var cs []string
	if in.Lambda != nil {
		for f, api := range map[FrontDoor]APIGateway{HTTPAPI: fp.HTTPAPI, RESTAPI: fp.RESTAPI} {
			if c.LambdaFrontDoor != f {
				continue
			}
			cs = append(cs, fmt.Sprintf("%s is priced at its first tier's %s per million requests, which holds up to %s requests a month (%s requests/s on average); "+
				"above that AWS charges %s per million, which the model does not apply, so it overstates the front door at higher rates. "+
				"API Gateway's free tier (12 months, new accounts) is not applied.",
				upper(f.Label()), usd(api.RequestPerMillion.USD), g(api.FirstTierRequests), g(api.FirstTierRequests/Month.Seconds()), usd(api.NextTier.USD)))
		}
	}
	if (in.Lambda != nil && c.LambdaFrontDoor == ALB) || (in.Server != nil && c.ServerFrontDoor == ALB) {
		cs = append(cs, "The Application Load Balancer's LCUs are modelled from the request rate alone, one request per connection "+
			"(see its figure); with keep-alive clients they cost less, with large requests or responses more. One load balancer per target, no cross-zone data charges.")
	}
	if in.Server != nil && c.ServerFrontDoor == Direct {
		cs = append(cs, "The server is priced with no load balancer in front (front_door: none, the default): more than one instance needs one "+
			"to spread the load; set front_door: alb to price it.")
	}
	return cs
}

// upper returns s with its first letter in upper case.
func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
