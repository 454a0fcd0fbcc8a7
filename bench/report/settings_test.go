package report

import "github.com/coldbench/coldbench/bench/scenario"

// The kinds of the tests' targets: the report reads their names only.
const (
	lambdaKind scenario.Kind = "lambda"
	serverKind scenario.Kind = "server"
)

// settings stands for a kind's settings (scenario.Target.Settings), which
// the report's tests cannot import (a kind's package imports report): what
// the report reads of them, a description (Describer) and, for a Lambda
// function, how its cold starts are modelled (PlatformModeller).
type settings struct {
	describe, model, pool string
	published             bool
}

var (
	_ Describer        = settings{}
	_ PlatformModeller = settings{}
)

func (s settings) Describe() string { return s.describe }

func (s settings) ColdStartModel() (model, pool string, published bool) {
	return s.model, s.pool, s.published
}
