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
// sends exactly the window's requests at their times.
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
// changes by Slope requests per second every second: its first request at
// once, request k (from 0, k ≥ 1) when the integral of the rate,
// From·t + Slope·t²/2, reaches k+1, the due time schedule.intended gives.
//
// vegeta's LinearPacer extrapolates the current rate over the wait instead,
// which at a low rate is far off: from 1 to 4.5 requests/s over 2 s it
// waits 2 s after the first request (two intervals at 1/s) and then sends
// the next four at once, due at 1.04 to 1.89 s. At the rates of the default
// scenario the two agree to within 0.3 ms.
type RampPacer struct {
	From  float64 // requests/s at 0
	Slope float64 // requests/s per second
}

// Pace implements vegeta.Pacer. It stops when the rate, going down, reaches
// 0 before request hits is due.
func (rp RampPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if hits == 0 {
		return 0, false
	}
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
// when the generator keeps up: the integral of its rate. A rate: max phase
// has no expected count: it returns 0. A trace phase expects exactly its
// window's requests.
func Expected(p scenario.Phase) float64 { return hitsAt(p, p.Duration) }

// hitsAt returns how many requests phase p has sent t into the phase when
// the generator keeps up: the integral of its rate from 0 to t.
func hitsAt(p scenario.Phase, t time.Duration) float64 {
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
