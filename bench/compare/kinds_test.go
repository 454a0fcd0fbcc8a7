package compare

import "github.com/coldbench/coldbench/bench/scenario"

// The kinds of the tests' targets: compare reads their names only.
const (
	lambdaKind scenario.Kind = "lambda"
	serverKind scenario.Kind = "server"
)
