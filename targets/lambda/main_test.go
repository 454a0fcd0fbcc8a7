package lambda_test

import (
	"testing"

	"github.com/coldbench/coldbench/targets/order"
	"github.com/coldbench/coldbench/targets/testkit"
)

// What TestMain prepared: the binaries and this machine's work rate.
var (
	kit      *testkit.Kit
	workRate float64
)

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	workRate = order.Calibrate()
	m.Run()
}
