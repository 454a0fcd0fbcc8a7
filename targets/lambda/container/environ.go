package container

import (
	"math"
	"strconv"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

// maxConcurrencyVar switches the RIE to Lambda Managed Instances, several
// invokes per environment: never set for classic Lambda.
const maxConcurrencyVar = "AWS_LAMBDA_MAX_CONCURRENCY"

// environ is the container's environment, which the RIE passes on to the
// bootstrap: the Lambda variables, then spec.Env but maxConcurrencyVar, as
// the process provider sets them.
func environ(spec lambda.Spec) map[string]string {
	name := spec.Name
	if name == "" {
		name = "coldbench"
	}
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        name,
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     strconv.Itoa(timeoutSeconds(spec.Timeout)),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(spec.MemoryMB),
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"LAMBDA_TASK_ROOT":                taskRoot,
		"TZ":                              ":UTC",
	}
	for k, v := range spec.Env {
		if k != maxConcurrencyVar {
			env[k] = v
		}
	}
	return env
}

// timeoutSeconds is d in whole seconds, rounded up, at least 1: the RIE
// panics on anything but an integer.
func timeoutSeconds(d time.Duration) int {
	if d <= 0 {
		return 3 // Lambda's default
	}
	return max(1, int(math.Ceil(d.Seconds())))
}
