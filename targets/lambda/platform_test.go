package lambda

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestDelayDraw(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draws := func(d Delay, n int) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = d.Draw(rng)
		}
		slices.Sort(out)
		return out
	}
	if got := draws(Delay{}, 3); got[0] != 0 || got[2] != 0 {
		t.Errorf("zero Delay drew %v", got)
	}
	if got := draws(Delay{Min: 7 * time.Millisecond}, 3); got[0] != 7*time.Millisecond || got[2] != 7*time.Millisecond {
		t.Errorf("fixed 7ms drew %v", got)
	}
	u := draws(Delay{Min: 10 * time.Millisecond, Max: 20 * time.Millisecond}, 10000)
	if u[0] < 10*time.Millisecond || u[len(u)-1] > 20*time.Millisecond {
		t.Errorf("uniform 10-20ms drew %v … %v", u[0], u[len(u)-1])
	}
	if m := u[len(u)/2]; m < 14500*time.Microsecond || m > 15500*time.Microsecond {
		t.Errorf("uniform 10-20ms: median %v, want about 15ms", m)
	}
	// Log-normal: the sample median and p99 of 100,000 draws are within a
	// few per cent of the parameters (their standard errors are below 1%).
	d := Delay{P50: 80 * time.Millisecond, P99: 160 * time.Millisecond}
	ln := draws(d, 100000)
	near := func(got, want time.Duration) bool { return got > want*97/100 && got < want*103/100 }
	if p50, p99 := ln[len(ln)/2], ln[len(ln)*99/100]; !near(p50, d.P50) || !near(p99, d.P99) {
		t.Errorf("log-normal p50 80ms p99 160ms: drew p50 %v p99 %v", p50, p99)
	}
	capped := draws(Delay{P50: 80 * time.Millisecond, P99: 160 * time.Millisecond, Max: 100 * time.Millisecond}, 1000)
	if capped[len(capped)-1] != 100*time.Millisecond {
		t.Errorf("log-normal at most 100ms: max %v", capped[len(capped)-1])
	}
}

func TestDelayValidate(t *testing.T) {
	for _, d := range []Delay{
		{Min: -time.Millisecond},
		{P50: 80 * time.Millisecond, P99: 40 * time.Millisecond},
		{Min: 20 * time.Millisecond, Max: 10 * time.Millisecond},
		{P50: 80 * time.Millisecond, P99: 160 * time.Millisecond, Max: 50 * time.Millisecond},
	} {
		if d.Validate() == nil {
			t.Errorf("%+v: no error", d)
		}
	}
}

// TestPublished checks the data file: it parses, its default is the
// log-normal its text says, and every figure has a source and a date.
func TestPublished(t *testing.T) {
	d := Published()
	if got := d.Delay(); got != (Delay{P50: 80 * time.Millisecond, P99: 160 * time.Millisecond}) {
		t.Errorf("default %v", got)
	}
	if d.Version == "" || d.Default.Derivation == "" || len(d.Figures) == 0 {
		t.Errorf("data file without version, derivation or figures: %+v", d)
	}
	for _, f := range d.Figures {
		if f.ID == "" || f.Source == "" || f.URL == "" || f.Date == "" || f.Value == "" {
			t.Errorf("figure %+v lacks a field", f)
		}
	}
}
