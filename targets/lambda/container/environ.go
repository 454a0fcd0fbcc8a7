package container

import (
	"github.com/coldbench/coldbench/targets/lambda"
)

// environ is the container's environment, which the RIE passes on to the
// runtime: lambda.Environ's, with the task root /var/task.
func environ(spec lambda.Spec) map[string]string { return lambda.Environ(spec, taskRoot) }
