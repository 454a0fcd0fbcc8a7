package tuning_test

import (
	"math"
	"testing"

	"github.com/coldbench/coldbench/bench/tuning"
)

// sweep is a hand-made sweep of Power Tuning's six sizes, cost in USD per
// million requests and duration in ms, with a tie in cost (128 and 256 MB)
// and one in duration (1,536 and 3,008 MB):
//
//	MB     cost  duration
//	128    0.40  100
//	256    0.40   50
//	512    0.50   20
//	1024   0.80   10
//	1536   1.20    8
//	3008   2.00    8
//
// maxCost = 2.00, maxDuration = 100.
func sweep() []tuning.Point {
	return []tuning.Point{
		{CostPerMillion: 0.40, Duration: 100, Measured: true},
		{CostPerMillion: 0.40, Duration: 50, Measured: true},
		{CostPerMillion: 0.50, Duration: 20, Measured: true},
		{CostPerMillion: 0.80, Duration: 10, Measured: true},
		{CostPerMillion: 1.20, Duration: 8, Measured: true},
		{CostPerMillion: 2.00, Duration: 8, Measured: true},
	}
}

func TestBest(t *testing.T) {
	tests := []struct {
		name     string
		strategy tuning.Strategy
		weight   float64
		want     int
	}{
		// Cheapest: 0.40 at 128 and 256 MB; of the two, the faster,
		// 256 MB (50 < 100 ms).
		{"cost", tuning.Cost, 0.5, 1},
		// Fastest: 8 ms at 1,536 and 3,008 MB; of the two, the cheaper,
		// 1,536 MB (1.20 < 2.00).
		{"speed", tuning.Speed, 0.5, 4},
		// w = 0.5: value = 0.5·cost/2 + 0.5·duration/100
		//   128: 0.10 + 0.50 = 0.600   256: 0.10 + 0.25 = 0.350
		//   512: 0.125 + 0.10 = 0.225  1024: 0.20 + 0.05 = 0.250
		//   1536: 0.30 + 0.04 = 0.340  3008: 0.50 + 0.04 = 0.540
		// → 512 MB.
		{"balanced", tuning.Balanced, 0.5, 2},
		// w = 0.2: value = 0.2·cost/2 + 0.8·duration/100
		//   512: 0.05 + 0.16 = 0.210   1024: 0.08 + 0.08 = 0.160
		//   1536: 0.12 + 0.064 = 0.184 3008: 0.20 + 0.064 = 0.264
		//   (128: 0.84, 256: 0.44)
		// → 1,024 MB.
		{"balanced toward speed", tuning.Balanced, 0.2, 3},
		// w = 0.9: value = 0.9·cost/2 + 0.1·duration/100
		//   128: 0.18 + 0.10 = 0.280   256: 0.18 + 0.05 = 0.230
		//   512: 0.225 + 0.02 = 0.245  1024: 0.36 + 0.01 = 0.370
		// → 256 MB.
		{"balanced toward cost", tuning.Balanced, 0.9, 1},
		// w = 1: value = cost/2: 0.20 at 128 and 256 MB, a tie the
		// balanced strategy leaves in order (Power Tuning's stable
		// sort), so 128 MB, where Cost takes the faster 256 MB.
		{"balanced cost only", tuning.Balanced, 1, 0},
		// w = 0: value = duration/100: 0.08 at 1,536 and 3,008 MB, in
		// order: 1,536 MB.
		{"balanced speed only", tuning.Balanced, 0, 4},
		// Weights are clamped to [0, 1], as Power Tuning does.
		{"weight above 1", tuning.Balanced, 1.5, 0},
		{"weight below 0", tuning.Balanced, -1, 4},
		{"unknown strategy", tuning.Strategy("fastest"), 0.5, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tuning.Best(sweep(), tt.strategy, tt.weight); got != tt.want {
				t.Errorf("Best(%s, %g) = %d, want %d", tt.strategy, tt.weight, got, tt.want)
			}
		})
	}
}

func TestBestSkipsUnmeasured(t *testing.T) {
	// A size without a price or a duration is not considered, and its
	// figures do not count toward the maxima: with 3,008 MB unmeasured,
	// maxCost = 1.20 and, w = 0.5, value = 0.5·cost/1.2 + 0.5·duration/100:
	//   512: 0.2083 + 0.10 = 0.308   1024: 0.3333 + 0.05 = 0.383
	//   (256: 0.1667 + 0.25 = 0.417; 128: 0.667; 1536: 0.5 + 0.04 = 0.54)
	// → still 512 MB; and 0.01 USD at 1 ms would win every strategy.
	points := sweep()
	points[5] = tuning.Point{CostPerMillion: 0.01, Duration: 1}
	for s, want := range map[tuning.Strategy]int{tuning.Cost: 1, tuning.Speed: 4, tuning.Balanced: 2} {
		if got := tuning.Best(points, s, 0.5); got != want {
			t.Errorf("Best(%s) = %d, want %d", s, got, want)
		}
	}
	if v, want := tuning.Value(points, 2, 0.5), 0.5*0.5/1.2+0.5*20.0/100; math.Abs(v-want) > 1e-12 {
		t.Errorf("Value(512 MB) = %g, want %g", v, want)
	}
	if v := tuning.Value(points, 5, 0.5); v != 0 {
		t.Errorf("Value of an unmeasured size = %g, want 0", v)
	}
	// A measured size with no duration is not considered either.
	points[2].Duration = 0
	if got := tuning.Best(points, tuning.Balanced, 0.5); got != 3 {
		t.Errorf("Best(balanced) without 512 MB's duration = %d, want 3 (1024 MB: 0.383 against 256 MB's 0.417)", got)
	}
	if got := tuning.Best(nil, tuning.Cost, 0.5); got != -1 {
		t.Errorf("Best of no sizes = %d, want -1", got)
	}
}

func TestValue(t *testing.T) {
	// The values of the balanced test above, w = 0.5.
	want := []float64{0.600, 0.350, 0.225, 0.250, 0.340, 0.540}
	for i, w := range want {
		if v := tuning.Value(sweep(), i, 0.5); math.Abs(v-w) > 1e-12 {
			t.Errorf("Value(%d) = %.4f, want %.3f", i, v, w)
		}
	}
}

func TestBestWithoutCosts(t *testing.T) {
	// Every cost 0 (prices overridden to nothing): the balanced value is
	// (1 − w)·duration/maxDuration alone, and Cost falls back to the
	// fastest of the equally cheap: 1,536 MB, the first at 8 ms.
	points := sweep()
	for i := range points {
		points[i].CostPerMillion = 0
	}
	for _, s := range tuning.Strategies() {
		if got := tuning.Best(points, s, 0.5); got != 4 {
			t.Errorf("Best(%s) without costs = %d, want 4", s, got)
		}
	}
}
