package lambda

// Lambda's resource model: memory is what a function is configured with,
// CPU comes in proportion to it. It is pure arithmetic, with no engine
// behind it, so that what reads or reports a function's resources (the
// tuning analysis, the report) need not import the container runtime
// (targets/lambda/container) that enforces them.
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

// InitVCPUs is the CPU an execution environment's INIT runs with, whatever
// its memory: Luc van Donkersgoed measured that INIT code runs faster than
// handler code for memory sizes up to 3 GB, and that at 3,008 MB the
// handler gets "two unthrottled vCPUs" ("Lambda Cold Starts and Bootstrap
// Code", 2022-04-08, lucvandonkersgoed.com and bitesizedserverless.com).
// AWS documents no such boost; it is a measured behaviour, modelled.
const InitVCPUs = 2

// InitCPUs returns the CPU, in 10⁻⁹ CPUs, of INIT in an environment whose
// memory buys share: InitVCPUs, or share if that is more, and never more
// than the host's CPUs (when positive).
func InitCPUs(share int64, hostCPUs int) int64 {
	n := max(share, InitVCPUs*1e9)
	if hostCPUs > 0 {
		n = min(n, int64(hostCPUs)*1e9)
	}
	return max(n, share)
}

// Where execution environments run, as a Provider names itself (Name) and
// a run folder records it: a container per environment, with its memory
// and CPU capped (Resources), or a local process, uncapped.
const (
	ContainerSandbox = "container"
	ProcessSandbox   = "process"
)
