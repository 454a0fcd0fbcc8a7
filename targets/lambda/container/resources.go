package container

import "github.com/coldbench/coldbench/targets/lambda"

// Resources forwards to lambda.Resources, Lambda's resource model, which
// lives in package lambda so that what only reads it need not import
// Docker. It is kept for the callers that already import this package.
func Resources(memoryMB, hostCPUs int) (memBytes, nanoCPUs int64, capped bool) {
	return lambda.Resources(memoryMB, hostCPUs)
}

// InitCPUs forwards to lambda.InitCPUs, the CPU of INIT, for the same
// reason as Resources.
func InitCPUs(share int64, hostCPUs int) int64 { return lambda.InitCPUs(share, hostCPUs) }

// CFSPeriodUs is the period, in µs, over which a container's CPU quota is
// enforced: 10 ms, not the engine's default of 100 ms, so that a function
// that has used its share waits at most a few milliseconds for the next
// period rather than up to a tenth of a second. AWS publishes the share
// (lambda.MBPerVCPU), not the period. minQuotaUs is the kernel's smallest
// quota.
const (
	CFSPeriodUs = 10_000
	minQuotaUs  = 1_000
)

// CFSQuota returns the CFS period and quota, in µs, that give nanoCPUs:
// CFSPeriodUs, or longer where the share is so small (below 0.1 CPU,
// under 177 MB) that the quota would be under the kernel's minimum.
func CFSQuota(nanoCPUs int64) (periodUs, quotaUs int64) {
	periodUs = CFSPeriodUs
	quotaUs = nanoCPUs * periodUs / 1e9
	if quotaUs < minQuotaUs {
		quotaUs = minQuotaUs
		periodUs = (minQuotaUs*1e9 + nanoCPUs - 1) / nanoCPUs
	}
	return periodUs, quotaUs
}
