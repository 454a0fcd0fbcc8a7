package cost

import "testing"

// TestView checks what every reader sees of a price, whatever the kind:
// a function's and a server's, an unpriced function, and no result.
func TestView(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	traffic := Traffic{Seconds: 60, Requests: 600, AverageRate: 10, PeakRate: 20}
	fn, err := Compute(p, Config{}, Input{Traffic: traffic, Lambda: &LambdaUsage{MemoryMB: 512, Requests: 600, Invocations: 600, BilledMs: 6000, BilledRows: 600, Provisioned: 2}})
	if err != nil {
		t.Fatal(err)
	}
	v := fn.View()
	if v.Unpriced != "" || v.Monthly.Value <= 0 || v.AlwaysOn || v.Short != "x86_64, 512 MB" || v.As != "x86_64, 512 MB, 2 provisioned, behind a Function URL" || v.DefaultFrontDoor != DefaultLambdaFrontDoor {
		t.Errorf("function's view: %+v", v)
	}
	if m, ok := fn.Priced(); !ok || m != v.Monthly.Value {
		t.Errorf("Priced = %v, %v", m, ok)
	}
	srv, err := Compute(p, Config{}, Input{Traffic: traffic, Server: &ServerUsage{Requests: 600, Served: 600, CPUSeconds: 1.2}})
	if err != nil {
		t.Fatal(err)
	}
	if v := srv.View(); !v.AlwaysOn || v.Monthly.Value <= 0 || len(v.Extras) != 3 || v.DefaultFrontDoor != DefaultServerFrontDoor {
		t.Errorf("server's view: %+v", v)
	}
	var none *Result
	if v := none.View(); v.Unpriced == "" {
		t.Errorf("no result's view: %+v", v)
	}
	if _, ok := none.Priced(); ok {
		t.Error("no result is priced")
	}
}
