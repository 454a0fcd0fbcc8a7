package cost

import (
	"fmt"
	"math"
	"strings"
)

// Defaults of Config.
const (
	DefaultArchitecture      = X86_64
	DefaultInstance          = "t4g.small"
	DefaultMinInstances      = 1
	DefaultTargetUtilization = 0.6
)

// Config is how a scenario wants its run priced. The zero value is the
// defaults: an x86_64 function behind a Function URL, the server on
// t4g.small instances reached directly, at least one of them, each run at
// 60% of its CPU, the price file's prices.
type Config struct {
	Architecture Architecture `json:"architecture,omitempty"` // of the Lambda function
	Instance     string       `json:"instance,omitempty"`     // the server's instance type
	// MinInstances is the fewest server instances, however low the
	// traffic; at least 1.
	MinInstances int `json:"min_instances,omitempty"`
	// TargetUtilization is the share of its CPU an instance runs at, at
	// the peak rate, leaving the rest as headroom; in (0, 1].
	TargetUtilization float64 `json:"target_utilization,omitempty"`
	// LambdaFrontDoor is what the function sits behind (one of
	// LambdaFrontDoors), ServerFrontDoor what the server does (one of
	// ServerFrontDoors).
	LambdaFrontDoor FrontDoor `json:"lambda_front_door,omitempty"`
	ServerFrontDoor FrontDoor `json:"server_front_door,omitempty"`
	Prices          Overrides `json:"prices,omitzero"`
}

// WithDefaults returns c with its zero fields set to the defaults.
func (c Config) WithDefaults() Config {
	if c.Architecture == "" {
		c.Architecture = DefaultArchitecture
	}
	if c.Instance == "" {
		c.Instance = DefaultInstance
	}
	if c.MinInstances == 0 {
		c.MinInstances = DefaultMinInstances
	}
	if c.TargetUtilization == 0 {
		c.TargetUtilization = DefaultTargetUtilization
	}
	if c.LambdaFrontDoor == "" {
		c.LambdaFrontDoor = DefaultLambdaFrontDoor
	}
	if c.ServerFrontDoor == "" {
		c.ServerFrontDoor = DefaultServerFrontDoor
	}
	return c
}

// Check returns an error if c, with its defaults, cannot be priced with p:
// an unknown architecture or instance type, or a value out of range.
func (c Config) Check(p Prices) error {
	c = c.WithDefaults()
	if _, err := ParseArchitecture(string(c.Architecture)); err != nil {
		return err
	}
	if _, err := p.Instance(c.Instance); err != nil {
		return err
	}
	if c.MinInstances < 1 {
		return fmt.Errorf("min_instances must be at least 1, not %d", c.MinInstances)
	}
	if u := c.TargetUtilization; !(u > 0 && u <= 1) {
		return fmt.Errorf("target_utilization must be above 0 and at most 1, not %g", u)
	}
	if _, err := ParseFrontDoor(string(c.LambdaFrontDoor), LambdaFrontDoors()); err != nil {
		return fmt.Errorf("the function's %w", err)
	}
	if _, err := ParseFrontDoor(string(c.ServerFrontDoor), ServerFrontDoors()); err != nil {
		return fmt.Errorf("the server's %w", err)
	}
	for _, k := range OverrideKeys() {
		if v := c.Prices.field(k); *v != nil && !validPrice(**v) {
			return fmt.Errorf("prices.%s must be a finite number of at least 0, not %g", k, **v)
		}
	}
	return nil
}

// ParseArchitecture reads x86_64 or arm64.
func ParseArchitecture(s string) (Architecture, error) {
	switch a := Architecture(s); a {
	case X86_64, ARM64:
		return a, nil
	}
	return "", fmt.Errorf("architecture must be x86_64 or arm64, not %q", s)
}

// ParseFrontDoor reads one of the front doors allowed.
func ParseFrontDoor(s string, allowed []FrontDoor) (FrontDoor, error) {
	names := make([]string, len(allowed))
	for i, f := range allowed {
		if string(f) == s {
			return f, nil
		}
		names[i] = string(f)
	}
	return "", fmt.Errorf("front_door must be %s, not %q", strings.Join(names, ", "), s)
}

func validPrice(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) && v >= 0 }

// Overrides replace prices of the price file, in US dollars; nil keeps the
// file's.
type Overrides struct {
	LambdaRequestPerMillion            *float64 `json:"lambda_request_per_million,omitempty"`
	LambdaGBSecond                     *float64 `json:"lambda_gb_second,omitempty"`
	LambdaProvisionedGBSecond          *float64 `json:"lambda_provisioned_gb_second,omitempty"`
	LambdaProvisionedExecutionGBSecond *float64 `json:"lambda_provisioned_execution_gb_second,omitempty"`
	InstanceHourly                     *float64 `json:"instance_hourly,omitempty"`
	HTTPAPIRequestPerMillion           *float64 `json:"http_api_request_per_million,omitempty"`
	RESTAPIRequestPerMillion           *float64 `json:"rest_api_request_per_million,omitempty"`
	ALBHourly                          *float64 `json:"alb_hourly,omitempty"`
	ALBLCUHourly                       *float64 `json:"alb_lcu_hourly,omitempty"`
}

// The keys of the prices a scenario can override, as in its cost.prices.
const (
	KeyLambdaRequestPerMillion            = "lambda_request_per_million"
	KeyLambdaGBSecond                     = "lambda_gb_second"
	KeyLambdaProvisionedGBSecond          = "lambda_provisioned_gb_second"
	KeyLambdaProvisionedExecutionGBSecond = "lambda_provisioned_execution_gb_second"
	KeyInstanceHourly                     = "instance_hourly"
	KeyHTTPAPIRequestPerMillion           = "http_api_request_per_million"
	KeyRESTAPIRequestPerMillion           = "rest_api_request_per_million"
	KeyALBHourly                          = "alb_hourly"
	KeyALBLCUHourly                       = "alb_lcu_hourly"
)

// OverrideKeys returns the keys of the prices a scenario can override, in
// the order the report lists them.
func OverrideKeys() []string {
	return []string{
		KeyLambdaRequestPerMillion, KeyLambdaGBSecond,
		KeyLambdaProvisionedGBSecond, KeyLambdaProvisionedExecutionGBSecond,
		KeyInstanceHourly,
		KeyHTTPAPIRequestPerMillion, KeyRESTAPIRequestPerMillion, KeyALBHourly, KeyALBLCUHourly,
	}
}

// Set overrides the price called key (one of OverrideKeys) with usd.
func (o *Overrides) Set(key string, usd float64) error {
	f := o.field(key)
	if f == nil {
		return fmt.Errorf("unknown price %q", key)
	}
	*f = &usd
	return nil
}

// Get returns the override of the price called key, if there is one.
func (o Overrides) Get(key string) (float64, bool) {
	if f := o.field(key); f != nil && *f != nil {
		return **f, true
	}
	return 0, false
}

// field returns the field of o called key, or nil.
func (o *Overrides) field(key string) **float64 {
	switch key {
	case KeyLambdaRequestPerMillion:
		return &o.LambdaRequestPerMillion
	case KeyLambdaGBSecond:
		return &o.LambdaGBSecond
	case KeyLambdaProvisionedGBSecond:
		return &o.LambdaProvisionedGBSecond
	case KeyLambdaProvisionedExecutionGBSecond:
		return &o.LambdaProvisionedExecutionGBSecond
	case KeyInstanceHourly:
		return &o.InstanceHourly
	case KeyHTTPAPIRequestPerMillion:
		return &o.HTTPAPIRequestPerMillion
	case KeyRESTAPIRequestPerMillion:
		return &o.RESTAPIRequestPerMillion
	case KeyALBHourly:
		return &o.ALBHourly
	case KeyALBLCUHourly:
		return &o.ALBLCUHourly
	}
	return nil
}

// PriceKeys returns the keys of the prices that priced r's targets, in the
// order of OverrideKeys: a function's Lambda prices, a server's instance
// price, and the prices of their front doors.
func (r *Result) PriceKeys() []string {
	var keys []string
	for _, k := range OverrideKeys() {
		if _, ok := r.Prices[k]; !ok {
			continue
		}
		switch k {
		case KeyLambdaRequestPerMillion, KeyLambdaGBSecond, KeyLambdaProvisionedGBSecond, KeyLambdaProvisionedExecutionGBSecond:
			if r.Lambda == nil {
				continue
			}
		case KeyInstanceHourly:
			if r.Server == nil {
				continue
			}
		}
		keys = append(keys, k)
	}
	return keys
}
