package attack

import (
	"fmt"
	"math"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/scenario"
)

// Pacer returns the vegeta pacer that sends phase p's requests, or nil for an
// idle phase, which sends none.
func Pacer(p scenario.Phase) (vegeta.Pacer, error) {
	switch p.Shape {
	case scenario.Constant:
		if p.Max {
			return vegeta.ConstantPacer{}, nil // a zero rate is no pacing at all
		}
		return vegeta.ConstantPacer(rate(p.Rate)), nil
	case scenario.Ramp:
		return vegeta.LinearPacer{
			StartAt: rate(p.From),
			Slope:   (p.To - p.From) / p.Duration.Seconds(),
		}, nil
	case scenario.Sine:
		return vegeta.SinePacer{
			Period:  p.Period,
			Mean:    rate(p.Mean),
			Amp:     rate(p.Amplitude),
			StartAt: vegeta.MeanUp,
		}, nil
	case scenario.Idle:
		return nil, nil
	}
	return nil, fmt.Errorf("phase %q: unknown shape %q", p.Name, p.Shape)
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
// has no expected count: it returns 0.
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
	}
	return 0
}
