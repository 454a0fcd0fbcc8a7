package container

// Lambda's resource model: memory is what a function is configured with,
// CPU comes in proportion to it.
const (
	// MinMemoryMB and MaxMemoryMB bound a function's memory.
	MinMemoryMB = 128
	MaxMemoryMB = 10240
	// MBPerVCPU is the memory that buys one vCPU.
	MBPerVCPU = 1769
	// MaxVCPUs is the most vCPUs a function gets.
	MaxVCPUs = 6
)

// Resources is the container limits of a function with memoryMB megabytes
// on a host with hostCPUs CPUs: memBytes of memory and as much memory+swap
// (no swap), and a CPU quota of nanoCPUs (10⁻⁹ CPUs) in proportion to the
// memory, MBPerVCPU per vCPU, at most MaxVCPUs and at most hostCPUs (when
// positive). capped says that a cap, MaxVCPUs or the host's CPUs, cut the
// quota below Lambda's proportion. It does not check memoryMB's range.
func Resources(memoryMB, hostCPUs int) (memBytes, nanoCPUs int64, capped bool) {
	memBytes = int64(memoryMB) << 20
	nanoCPUs = int64(memoryMB) * 1e9 / MBPerVCPU
	limit := int64(MaxVCPUs)
	if hostCPUs > 0 {
		limit = min(limit, int64(hostCPUs))
	}
	if nanoCPUs > limit*1e9 {
		nanoCPUs, capped = limit*1e9, true
	}
	return memBytes, nanoCPUs, capped
}
