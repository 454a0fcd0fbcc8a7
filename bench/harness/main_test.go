package harness_test

import (
	"testing"

	"github.com/coldbench/coldbench/targets/testkit"
)

var kit *testkit.Kit

func TestMain(m *testing.M) {
	kit = testkit.Build()
	defer kit.Close()
	m.Run()
}
