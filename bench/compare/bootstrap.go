package compare

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// MaxBlocks is the most blocks a run is cut into: a run of more one-second
// intervals is resampled in blocks of as many consecutive intervals as it
// takes, which keeps the bootstrap of a long run quick (and longer blocks
// keep slower fluctuations inside them).
const MaxBlocks = 200

// cell is the count of one bucket of an interval histogram: at is the
// bucket's index in the value table of its blocks.
type cell struct {
	at int32
	n  int64
}

// blocks are the interval histograms of one tag in two runs as compact
// bucket lists over one shared value table, the form the bootstrap
// resamples: adding an interval to a resample touches only its non-empty
// buckets, and a percentile is one scan of a dense array of len(values).
type blocks struct {
	values     []int64 // distinct bucket values, ascending, in µs
	base, next []block // non-empty intervals (consecutive ones merged past MaxBlocks), in time order
	// baseStrata and nextStrata group the blocks of each run by the phase
	// of the schedule they fall in (see strata): a resample draws each
	// group's blocks from that group, so that it keeps the run's mix of
	// phases, which the scenario fixes, instead of drawing, say, a run of
	// only burst seconds.
	baseStrata, nextStrata [][]int
	baseCounts             []int64 // counts of all the base intervals, by value index
	nextCounts             []int64 // counts of all the new intervals, by value index
	dense                  []int64 // scratch: the counts of one resample
	ranks                  []int64 // scratch: the ranks of the percentiles
	draws                  []int64 // scratch: how many times each block was drawn
}

// block is one interval histogram: its non-empty buckets and their total,
// and the phase it falls in.
type block struct {
	cells []cell
	total int64
	phase int
}

// MinStratum is the fewest blocks a stratum of the bootstrap holds:
// phases with fewer non-empty intervals are pooled with the next one (the
// last with the one before), so that no phase of one or two seconds is
// resampled from itself alone, which would make it look certain.
const MinStratum = 5

// strata groups the indices of run by phase, pooling phases of fewer than
// MinStratum blocks with their neighbours.
func strata(run []block) [][]int {
	var groups [][]int
	var cur []int
	for i, blk := range run {
		if i > 0 && blk.phase != run[i-1].phase && len(cur) >= MinStratum {
			groups = append(groups, cur)
			cur = nil
		}
		cur = append(cur, i)
	}
	if len(cur) > 0 {
		if len(cur) < MinStratum && len(groups) > 0 {
			groups[len(groups)-1] = append(groups[len(groups)-1], cur...)
		} else {
			groups = append(groups, cur)
		}
	}
	return groups
}

// newBlocks turns the interval histograms of one tag in the base and the
// new run into blocks. A bucket's value is the highest value equivalent to
// it, the value HdrHistogram's ValueAtQuantile returns, so the percentiles
// of all the blocks of a run are those of the run's merged histogram.
//
// basePhase and nextPhase, if not nil, give the phase of each interval of
// base and next (see phaseOf); nil puts every interval in one phase.
func newBlocks(base, next []*hdrhistogram.Histogram, basePhase, nextPhase []int) *blocks {
	type bar struct{ v, n int64 }
	bars := func(hs []*hdrhistogram.Histogram) [][]bar {
		out := make([][]bar, 0, len(hs))
		for _, h := range hs {
			var bs []bar
			for _, b := range h.Distribution() {
				if b.Count > 0 {
					bs = append(bs, bar{b.To, b.Count})
				}
			}
			out = append(out, bs)
		}
		return out
	}
	bb, nb := bars(base), bars(next)
	seen := map[int64]bool{}
	var values []int64
	for _, run := range [][][]bar{bb, nb} {
		for _, iv := range run {
			for _, b := range iv {
				if !seen[b.v] {
					seen[b.v] = true
					values = append(values, b.v)
				}
			}
		}
	}
	slices.Sort(values)
	index := make(map[int64]int32, len(values))
	for i, v := range values {
		index[v] = int32(i)
	}
	counts := make([]int64, len(values))
	toBlocks := func(all [][]bar, phase []int) []block {
		var run [][]bar
		var phases []int
		for i, iv := range all {
			if len(iv) > 0 {
				run = append(run, iv)
				if phase != nil {
					phases = append(phases, phase[i])
				}
			}
		}
		size := (len(run) + MaxBlocks - 1) / MaxBlocks
		if size > 1 {
			phases = nil // merged blocks may straddle phases: one stratum
		}
		out := make([]block, 0, min(len(run), MaxBlocks))
		for len(run) > 0 {
			n := min(size, len(run))
			var blk block
			if phases != nil {
				blk.phase = phases[len(out)]
			}
			for _, iv := range run[:n] {
				for _, b := range iv {
					counts[index[b.v]] += b.n
					blk.total += b.n
				}
			}
			for i, c := range counts {
				if c > 0 {
					blk.cells = append(blk.cells, cell{int32(i), c})
				}
			}
			clear(counts)
			out = append(out, blk)
			run = run[n:]
		}
		return out
	}
	b := &blocks{values: values, base: toBlocks(bb, basePhase), next: toBlocks(nb, nextPhase)}
	b.baseStrata, b.nextStrata = strata(b.base), strata(b.next)
	b.dense = make([]int64, len(values))
	b.baseCounts = b.sum(b.base)
	b.nextCounts = b.sum(b.next)
	return b
}

// sum returns the counts of all of run's blocks by value index.
func (b *blocks) sum(run []block) []int64 {
	counts := make([]int64, len(b.values))
	for _, blk := range run {
		for _, c := range blk.cells {
			counts[c.at] += c.n
		}
	}
	return counts
}

// quantiles returns the values of counts (by value index) at each of the
// percentiles ps, ascending, as HdrHistogram's ValueAtPercentile computes
// them, and 0s if counts is empty. out receives them if it is long enough.
func (b *blocks) quantiles(counts []int64, ps []float64, out []int64) []int64 {
	out = slices.Grow(out[:0], len(ps))[:len(ps)]
	var total int64
	for _, n := range counts {
		total += n
	}
	if total == 0 {
		clear(out)
		return out
	}
	b.ranks = slices.Grow(b.ranks[:0], len(ps))[:len(ps)]
	for i, p := range ps {
		b.ranks[i] = rank(p, total)
	}
	var cum int64
	k := 0
	for i, n := range counts {
		cum += n
		for k < len(ps) && cum >= b.ranks[k] {
			out[k] = b.values[i]
			k++
		}
		if k == len(ps) {
			break
		}
	}
	return out
}

// rank returns the rank in [1, total] of the value at percentile p of
// total values, as HdrHistogram computes it.
func rank(p float64, total int64) int64 {
	r := min(p, 100)/100*float64(total) + 0.5
	switch {
	case !(r >= 1):
		return 1
	case r >= float64(total):
		return total
	}
	return int64(r)
}

// max returns the largest value of counts, 0 if it is empty.
func (b *blocks) max(counts []int64) int64 {
	for i := len(counts) - 1; i >= 0; i-- {
		if counts[i] > 0 {
			return b.values[i]
		}
	}
	return 0
}

// resample draws len(run) blocks of run with replacement with rng, each
// stratum of groups as many from itself as it holds, and writes the
// percentiles ps of their merged values into out. It counts the draws of
// each block first, so a block drawn k times is added once, k times over.
func (b *blocks) resample(rng *rand.Rand, run []block, groups [][]int, ps []float64, out []int64) []int64 {
	b.draws = slices.Grow(b.draws[:0], len(run))[:len(run)]
	clear(b.draws)
	for _, g := range groups {
		for range len(g) {
			b.draws[g[rng.IntN(len(g))]]++
		}
	}
	clear(b.dense)
	for i, k := range b.draws {
		if k == 0 {
			continue
		}
		for _, c := range run[i].cells {
			b.dense[c.at] += k * c.n
		}
	}
	return b.quantiles(b.dense, ps, out)
}

// ratios bootstraps the ratio new/base of each percentile of ps: it
// resamples the blocks of each run resamples times with a generator seeded
// with seed and key, and returns the ratios, sorted, one slice per
// percentile. ps must be ascending.
func (b *blocks) ratios(ps []float64, resamples int, seed uint64, key string) [][]float64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	out := make([][]float64, len(ps))
	for i := range out {
		out[i] = make([]float64, resamples)
	}
	qb, qn := make([]int64, len(ps)), make([]int64, len(ps))
	for r := range resamples {
		qb = b.resample(rng, b.base, b.baseStrata, ps, qb)
		qn = b.resample(rng, b.next, b.nextStrata, ps, qn)
		for i := range ps {
			out[i][r] = ratio(qn[i], qb[i])
		}
	}
	for _, rs := range out {
		slices.Sort(rs)
	}
	return out
}

// ratio returns next/base, with 0/0 = 1 and x/0 = +Inf.
func ratio(next, base int64) float64 {
	switch {
	case base == next:
		return 1
	case base == 0:
		return math.Inf(1)
	}
	return float64(next) / float64(base)
}

// interval returns the central confidence interval of level conf of the
// sorted bootstrap replicates rs of a statistic of samples of n blocks:
// the expanded percentile interval of Hesterberg ("What Teachers Should
// Know About the Bootstrap", 2015). The plain percentile interval is too
// narrow for small samples: the bootstrap's spread is that of a sample of
// n/(n-1) times less variance, with normal rather than t tails. The
// expanded interval takes the percentiles of the replicates at
// Φ(−√(n/(n−1))·t(α/2, n−1)) instead of α/2; for n = 10 at 95%, 0.9%
// and 99.1% instead of 2.5% and 97.5%.
func interval(rs []float64, conf float64, n int) (lo, hi float64) {
	if len(rs) == 0 {
		return math.NaN(), math.NaN()
	}
	tail := (1 - conf) / 2
	if n >= 2 {
		t := tQuantile(1-tail, n-1) * math.Sqrt(float64(n)/float64(n-1))
		tail = 0.5 * math.Erfc(t/math.Sqrt2)
	}
	return bounds(rs, tail)
}

// bounds returns the values of the sorted rs at fractions tail and 1-tail.
func bounds(rs []float64, tail float64) (lo, hi float64) {
	n := len(rs)
	i := int(math.Floor(tail * float64(n)))
	j := int(math.Ceil((1-tail)*float64(n))) - 1
	i, j = max(0, min(i, n-1)), max(0, min(j, n-1))
	return rs[i], rs[j]
}

// tQuantile returns the quantile p of Student's t distribution with df
// degrees of freedom, from the normal quantile by the Cornish-Fisher
// expansion of Abramowitz and Stegun 26.7.5: within 0.3% for 4 degrees of
// freedom or more and p up to 0.995.
func tQuantile(p float64, df int) float64 {
	z := math.Sqrt2 * math.Erfinv(2*p-1)
	v := float64(df)
	z2 := z * z
	g1 := (z2 + 1) * z / 4
	g2 := ((5*z2+16)*z2 + 3) * z / 96
	g3 := (((3*z2+19)*z2+17)*z2 - 15) * z / 384
	g4 := ((((79*z2+776)*z2+1482)*z2-1920)*z2 - 945) * z / 92160
	return z + g1/v + g2/(v*v) + g3/(v*v*v) + g4/(v*v*v*v)
}

// phaseOf returns the phase of each interval of ivs, the index of the last
// phase of phases (a run's phases.hlog entries of one tag, stamped with
// each phase's start) that started at or before the interval; nil if
// there are no phases.
func phaseOf(ivs, phases []*hdrhistogram.Histogram) []int {
	if len(phases) == 0 {
		return nil
	}
	out := make([]int, len(ivs))
	for i, h := range ivs {
		k := 0
		for j, ph := range phases {
			if ph.StartTimeMs() <= h.StartTimeMs() {
				k = j
			}
		}
		out[i] = k
	}
	return out
}
