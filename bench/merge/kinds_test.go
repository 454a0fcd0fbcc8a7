package merge

import (
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// The kinds of the tests' targets: merge reads their names only.
const (
	lambdaKind scenario.Kind = "lambda"
	serverKind scenario.Kind = "server"
)

// target returns a target of kind k as its kind's Spec reads it: a Lambda
// function records cold, warm and provisioned requests from the emulated
// service's headers, a server all only.
func target(name string, k scenario.Kind) scenario.Target {
	t := scenario.Target{Name: name, Kind: k, Classes: []string{"all"}}
	if k == lambdaKind {
		t.Classes = []string{"all", "cold", "warm", "provisioned"}
		t.ColdHeader, t.Routed = lambda.HeaderCold, true
	}
	return t
}
