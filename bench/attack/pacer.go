package attack

import (
	"fmt"
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// Pacer returns the vegeta pacer that sends phase p's requests, or nil for an
// idle phase, which sends none: vegeta's constant and sine pacers, for a
// ramp coldbench's own (RampPacer), which follows the integral of the rate
// where vegeta's linear pacer does not, and for a trace a TracePacer, which
// sends exactly the window's requests at their times. The constant, ramp
// and sine pacers release hit h when the integral of the rate reaches h+1,
// vegeta's convention; Run wraps them (phasePacer) so that a phase's
// request 0 leaves at its start and request k when the integral reaches k.
func Pacer(p scenario.Phase) (vegeta.Pacer, error) {
	switch p.Shape {
	case scenario.Constant:
		if p.Max {
			return vegeta.ConstantPacer{}, nil // a zero rate is no pacing at all
		}
		return vegeta.ConstantPacer(rate(p.Rate)), nil
	case scenario.Ramp:
		return RampPacer{From: p.From, Slope: (p.To - p.From) / p.Duration.Seconds()}, nil
	case scenario.Sine:
		return vegeta.SinePacer{
			Period:  p.Period,
			Mean:    rate(p.Mean),
			Amp:     rate(p.Amplitude),
			StartAt: vegeta.MeanUp,
		}, nil
	case scenario.Idle:
		return nil, nil
	case scenario.Trace:
		if p.Trace == nil {
			return nil, fmt.Errorf("phase %q: a trace phase without its trace", p.Name)
		}
		return NewTracePacer(p.Trace), nil
	}
	return nil, fmt.Errorf("phase %q: unknown shape %q", p.Name, p.Shape)
}

// RampPacer sends at a rate that starts at From requests per second and
// changes by Slope requests per second every second. It keeps vegeta's
// convention: hit h (from 0) is released when the integral of the rate,
// From·t + Slope·t²/2, reaches h+1. phasePacer shifts that by one, so that
// a ramp phase's request 0 leaves at its start and request k when the
// integral reaches k, the due time schedule.intended gives.
//
// vegeta's LinearPacer extrapolates the current rate over the wait instead,
// which at a low rate is far off: from 1 to 4.5 requests/s over 2 s it
// waits 2 s after its first hit (two intervals at 1/s) and then releases
// the next four at once, due at 1.04 to 1.89 s. At the rates of the default
// scenario the two agree to within 0.3 ms.
type RampPacer struct {
	From  float64 // requests/s at 0
	Slope float64 // requests/s per second
}

// Pace implements vegeta.Pacer. It stops when the rate, going down, reaches
// 0 before it would release hit number hits.
func (rp RampPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	// The positive root of Slope/2·t² + From·t - n, written so that it
	// holds for a zero Slope and loses no precision for a small one.
	n := float64(hits + 1)
	disc := rp.From*rp.From + 2*rp.Slope*n
	if disc < 0 || rp.From+math.Sqrt(disc) <= 0 {
		return 0, true
	}
	due := time.Duration(2 * n / (rp.From + math.Sqrt(disc)) * float64(time.Second))
	return due - elapsed, false
}

// Rate implements vegeta.Pacer: the rate at elapsed, in requests per second.
func (rp RampPacer) Rate(elapsed time.Duration) float64 {
	return rp.From + rp.Slope*elapsed.Seconds()
}

// rate turns requests per second into a vegeta.Rate, exactly for whole
// numbers and to the nanosecond of the interval otherwise.
func rate(perSecond float64) vegeta.Rate {
	if perSecond == math.Trunc(perSecond) && perSecond >= 1 {
		return vegeta.Rate{Freq: int(perSecond), Per: time.Second}
	}
	return vegeta.Rate{Freq: 1, Per: time.Duration(float64(time.Second) / perSecond)}
}

// Expected returns how many requests phase p sends over its whole duration
// when the generator keeps up: a count, the requests due before the
// phase's end (dueBefore), not the integral of its rate. For a rate that
// times the duration is a whole number that is the product (50/s for 12 s:
// 600); otherwise the integral rounded up (0.4/s for 9 s: 4). A trace phase
// expects exactly its window's requests. A rate: max phase has no expected
// count: it returns 0. The result is always a whole number.
func Expected(p scenario.Phase) float64 {
	if p.Max {
		return 0
	}
	return dueBefore(p, p.Duration)
}

// wholeTolerance is how close to a whole number a count of requests (an
// integral of a rate) must be to count as that number: float error puts
// an integral that should be whole, 0.28/s for 25 s, a sine over whole
// periods, some 1e-15 to 1e-10 either side of it, which is not a request
// more or less.
const wholeTolerance = 1e-6

// dueBefore returns how many requests of phase p are due before t into the
// phase. Request k (from 0) is due when the integral of the rate reaches k,
// request 0 at the phase's start, so those due before t are the k below
// integral(p, t): ceil of it, once snapped to a whole number within
// wholeTolerance. A trace's integral at its end is its window's count.
func dueBefore(p scenario.Phase, t time.Duration) float64 {
	x := integral(p, t)
	if r := math.Round(x); math.Abs(x-r) < wholeTolerance {
		return r
	}
	return math.Ceil(x)
}

// integral returns the integral of phase p's rate from its start to t into
// it: request k (from 0) is due when it reaches k. For a trace phase, whose
// due times are listed instead, it is traceHitsAt's count of the window's
// requests due before t (whole intervals' counts and a share of the one t
// is in); at the end, all of them.
func integral(p scenario.Phase, t time.Duration) float64 {
	d := t.Seconds()
	switch p.Shape {
	case scenario.Constant:
		return p.Rate * d
	case scenario.Ramp:
		slope := (p.To - p.From) / p.Duration.Seconds()
		return p.From*d + slope*d*d/2
	case scenario.Sine:
		// Starting at the mean going up: mean*d + amp*T/2π*(1-cos(2πd/T)).
		T := p.Period.Seconds()
		return p.Mean*d + p.Amplitude*T/(2*math.Pi)*(1-math.Cos(2*math.Pi*d/T))
	case scenario.Trace:
		if p.Trace != nil {
			return traceHitsAt(p.Trace, t)
		}
	}
	return 0
}
