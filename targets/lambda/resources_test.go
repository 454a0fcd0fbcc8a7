package lambda_test

import (
	"testing"

	"github.com/coldbench/coldbench/targets/lambda"
)

func TestResources(t *testing.T) {
	for _, tc := range []struct {
		memoryMB, hostCPUs int
		nanoCPUs           int64
		capped             bool
	}{
		{128, 2, 72_357_263, false}, // 128/1769 of a vCPU
		{1769, 2, 1e9, false},       // one vCPU
		{3008, 2, 1_700_395_703, false},
		{3538, 2, 2e9, false},             // two vCPUs: all of this host
		{3539, 2, 2e9, true},              // more than the host has
		{10240, 2, 2e9, true},             // 5.79 vCPUs on 2 CPUs
		{10240, 64, 5_788_581_119, false}, // the most memory stays under 6 vCPUs
		{12000, 64, 6e9, true},            // beyond Lambda's range: at most 6
		{10240, 0, 5_788_581_119, false},  // unknown host: Lambda's caps only
	} {
		mem, nano, capped := lambda.Resources(tc.memoryMB, tc.hostCPUs)
		if mem != int64(tc.memoryMB)<<20 || nano != tc.nanoCPUs || capped != tc.capped {
			t.Errorf("Resources(%d, %d) = %d, %d, %v; want %d, %d, %v", tc.memoryMB, tc.hostCPUs,
				mem, nano, capped, int64(tc.memoryMB)<<20, tc.nanoCPUs, tc.capped)
		}
	}
}

func TestInitCPUs(t *testing.T) {
	if got := lambda.InitCPUs(289_428_999, 2); got != 2e9 {
		t.Errorf("InitCPUs(512 MB, 2 CPUs) = %d, want 2 CPUs", got)
	}
	if got := lambda.InitCPUs(289_428_999, 1); got != 1e9 {
		t.Errorf("InitCPUs(512 MB, 1 CPU) = %d, want 1 CPU", got)
	}
	if got := lambda.InitCPUs(4e9, 8); got != 4e9 {
		t.Errorf("InitCPUs(4 vCPUs, 8 CPUs) = %d, want the share", got)
	}
}
