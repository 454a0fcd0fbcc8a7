package harness_test

import (
	"testing"

	"github.com/coldbench/coldbench/bench/kinds"
	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/targets/testkit"
)

var kit *testkit.Kit

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}

// sandboxed returns coldbench's kinds with every Lambda function's
// environments run in s (coldbench run -sandbox).
func sandboxed(t testing.TB, s lambdakind.Sandbox) kinds.Registry {
	t.Helper()
	r, err := all.Kinds(all.Options{Sandbox: string(s)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}
