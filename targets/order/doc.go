// Package order is the benchmark's business logic, written once and served
// by both targets: the always-on HTTP server (targets/httpserver)
// and the Lambda function (targets/function).
//
// POST /order with a JSON object body answers 201 "Order created!". Any
// request to /echo or below it answers 200 with what arrived as JSON (an
// Echo), for tests and for scenarios that send requests of their own. The
// Work knobs add a fixed amount of CPU computation at start-up (modelling a
// heavy SDK or framework init) and per request to either route, so that
// both targets do the same computation and CPU limits matter.
package order
