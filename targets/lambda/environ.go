package lambda

import (
	"math"
	"strconv"
	"time"
)

// MaxConcurrencyVar switches the RIE to Lambda Managed Instances, several
// invokes per environment: never set for classic Lambda.
const MaxConcurrencyVar = "AWS_LAMBDA_MAX_CONCURRENCY"

// Environ is an environment's whole environment, which the RIE passes on
// to the runtime, for the function in its folder taskRoot (/var/task in a
// container): the variables Lambda sets, then spec.Env but
// MaxConcurrencyVar, which only spec.MaxConcurrency sets. Every provider, and the check of a handler before the
// load, use it, so that a function sees the same variables wherever it
// runs. Nothing of the caller's is inherited.
func Environ(spec Spec, taskRoot string) map[string]string {
	name := spec.Name
	if name == "" {
		name = "coldbench"
	}
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":    name,
		"AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
		"AWS_LAMBDA_FUNCTION_TIMEOUT": strconv.Itoa(TimeoutSeconds(spec.Timeout)),
		"AWS_REGION":                  "us-east-1",
		"AWS_DEFAULT_REGION":          "us-east-1",
		"LAMBDA_TASK_ROOT":            taskRoot,
		"TZ":                          ":UTC",
	}
	if spec.MemoryMB > 0 {
		env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = strconv.Itoa(spec.MemoryMB)
	}
	for k, v := range spec.Env {
		if k != MaxConcurrencyVar {
			env[k] = v
		}
	}
	if spec.MaxConcurrency > 0 {
		env[MaxConcurrencyVar] = strconv.Itoa(spec.MaxConcurrency)
	}
	return env
}

// TimeoutSeconds is d in whole seconds, rounded up, at least 1: the RIE
// panics on anything but an integer.
func TimeoutSeconds(d time.Duration) int {
	if d <= 0 {
		return 3 // Lambda's default
	}
	return max(1, int(math.Ceil(d.Seconds())))
}
