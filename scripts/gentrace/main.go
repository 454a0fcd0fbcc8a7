// Command gentrace writes a made-up day of function invocations in the
// format of the Azure Functions 2019 trace (one row per function:
// HashOwner,HashApp,HashFunction,Trigger, then 1,440 per-minute counts),
// for coldbench's trace phases to replay (scenarios/replay.yaml).
//
// It writes three functions, the same ones for the same -seed:
//
//   - api (http), the busiest: a diurnal day, quiet nights of a request
//     every few minutes, a peak near -peak requests a minute in the
//     afternoon, and -bursts bursts of 1 to 3 minutes at 60 to 120
//     requests a minute during the day;
//   - cron (timer): one request every 5 minutes;
//   - hook (http): a request every 20 minutes or so, at random.
//
// Each minute's count is drawn from a Poisson distribution with that
// minute's mean. Run it with
//
//	go run ./scripts/gentrace -seed 1 > scenarios/traces/azure-day.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
)

const minutes = 1440 // a day

// day is what one function's row holds.
type day struct {
	function, trigger string
	counts            []int
}

func main() {
	seed := flag.Uint64("seed", 1, "the seed of every draw: the same seed writes the same file")
	peak := flag.Float64("peak", 30, "requests a minute at api's afternoon peak")
	bursts := flag.Int("bursts", 6, "bursts in api's day")
	flag.Parse()
	w := bufio.NewWriter(os.Stdout)
	if err := write(w, generate(*seed, *peak, *bursts)); err != nil {
		fmt.Fprintln(os.Stderr, "gentrace:", err)
		os.Exit(1)
	}
}

// generate returns the day's functions for seed: api with its peak and
// bursts, cron and hook.
func generate(seed uint64, peak float64, bursts int) []day {
	rng := rand.New(rand.NewPCG(seed, 0x7ace))
	api := make([]float64, minutes)
	for m := range api {
		h := float64(m) / 60
		// Quiet nights; from 6:00 to 22:00 a day peaking at 15:00.
		api[m] = 0.3
		if h > 6 && h < 22 {
			api[m] += peak * math.Pow(math.Sin(math.Pi*(h-6)/16), 2)
		}
	}
	for range bursts {
		at := 7*60 + rng.IntN(14*60) // between 7:00 and 21:00
		for m := at; m < min(at+1+rng.IntN(3), minutes); m++ {
			api[m] += 60 + 60*rng.Float64()
		}
	}
	cron, hook := make([]float64, minutes), make([]float64, minutes)
	for m := range cron {
		if m%5 == 0 {
			cron[m] = -1 // exactly one
		}
		hook[m] = 0.05
	}
	return []day{
		{"api", "http", draw(rng, api)},
		{"cron", "timer", draw(rng, cron)},
		{"hook", "http", draw(rng, hook)},
	}
}

// draw returns a Poisson count for each minute's mean; a mean of -1 is
// exactly one request.
func draw(rng *rand.Rand, means []float64) []int {
	counts := make([]int, len(means))
	for m, mean := range means {
		counts[m] = poisson(rng, mean)
		if mean == -1 {
			counts[m] = 1
		}
	}
	return counts
}

// poisson draws from a Poisson distribution of the given mean: Knuth's
// product of uniforms below 30, a rounded normal above.
func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean >= 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
	}
	limit, k, p := math.Exp(-mean), 0, rng.Float64()
	for p > limit {
		k++
		p *= rng.Float64()
	}
	return k
}

// write writes the days in the Azure format, with a header.
func write(w *bufio.Writer, days []day) error {
	fmt.Fprint(w, "HashOwner,HashApp,HashFunction,Trigger")
	for m := 1; m <= minutes; m++ {
		fmt.Fprintf(w, ",%d", m)
	}
	fmt.Fprintln(w)
	for _, d := range days {
		fmt.Fprintf(w, "gentrace,demo,%s,%s", d.function, d.trigger)
		for _, c := range d.counts {
			fmt.Fprintf(w, ",%d", c)
		}
		fmt.Fprintln(w)
	}
	return w.Flush()
}
