package lambdakind

import (
	"testing"
	"time"
)

// TestConfigSpeed checks that a trace replayed at speed 60 divides the
// service's durations by 60 and leaves the function's own alone.
func TestConfigSpeed(t *testing.T) {
	fn := FunctionConfig{
		Timeout: 3 * time.Second, Keepalive: 10 * time.Minute, KeepaliveMax: 20 * time.Minute,
		MaxLifetime: time.Hour, ScaleRate: 5, ScaleWindow: 10 * time.Second,
	}
	c := config(fn, 60, 1, false)
	if c.Keepalive != 10*time.Second || c.KeepaliveMax != 20*time.Second || c.MaxLifetime != time.Minute || c.ScaleWindow != 10*time.Second/60 {
		t.Errorf("at speed 60: keepalive %s-%s, max lifetime %s, scaling window %s; want 10s-20s, 1m, 166.666666ms",
			c.Keepalive, c.KeepaliveMax, c.MaxLifetime, c.ScaleWindow)
	}
	if c.Function.Timeout != 3*time.Second || c.ScaleRate != 5 {
		t.Errorf("timeout %s, scale rate %d; want them as written, 3s and 5", c.Function.Timeout, c.ScaleRate)
	}
	if c := config(fn, 0, 1, false); c.Keepalive != 10*time.Minute || c.ScaleWindow != 10*time.Second {
		t.Errorf("without a trace: keepalive %s, window %s; want them as written", c.Keepalive, c.ScaleWindow)
	}
}
