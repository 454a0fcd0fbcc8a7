package container_test

import (
	"testing"

	"github.com/coldbench/coldbench/targets/lambda/container"
)

func TestCFSQuota(t *testing.T) {
	for _, tc := range []struct {
		nano          int64
		period, quota int64
	}{
		{1e9, 10_000, 10_000},        // one vCPU
		{289_428_999, 10_000, 2_894}, // 512 MB
		{72_357_263, 13_821, 1_000},  // 128 MB: the quota would be under the kernel's 1 ms
		{2e9, 10_000, 20_000},
	} {
		if p, q := container.CFSQuota(tc.nano); p != tc.period || q != tc.quota {
			t.Errorf("CFSQuota(%d) = %d, %d; want %d, %d", tc.nano, p, q, tc.period, tc.quota)
		}
	}
	// The forwarders give what package lambda's model gives.
	if _, nano, capped := container.Resources(10240, 2); nano != 2e9 || !capped {
		t.Errorf("Resources(10240, 2) = %d, %v; want 2 CPUs, capped", nano, capped)
	}
	if got := container.InitCPUs(289_428_999, 2); got != 2e9 {
		t.Errorf("InitCPUs(512 MB, 2 CPUs) = %d, want 2 CPUs", got)
	}
}
