package harness

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
)

func TestProcCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	hz, how := clockTicks()
	if hz != 100 || how == "" { // USER_HZ is 100 on every Linux Go runs on
		t.Errorf("clockTicks() = %d (%s), want 100", hz, how)
	}
	before, err := procCPU(os.Getpid(), hz)
	if err != nil {
		t.Fatal(err)
	}
	// Spin until /proc has counted at least two ticks more; a process
	// whose CPU time never grows fails after a bounded amount of work.
	x := 0
	for n, after := 0, before; after-before < 20*time.Millisecond; after, err = procCPU(os.Getpid(), hz) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n > 100_000 {
			t.Fatalf("CPU time stuck at %v after 1e11 additions", after-before)
		}
		for i := range 1_000_000 {
			x += i
		}
	}
	_ = x
	if _, err := procCPU(-1, hz); err == nil {
		t.Error("procCPU of no process: no error")
	}
}

func TestTraffic(t *testing.T) {
	phases := []scenario.Phase{
		{Name: "c", Duration: 10 * time.Second, Shape: scenario.Constant, Rate: 5},
		{Name: "r", Duration: 10 * time.Second, Shape: scenario.Ramp, From: 10, To: 30},
		{Name: "i", Duration: 20 * time.Second, Shape: scenario.Idle},
		{Name: "s", Duration: 8 * time.Second, Shape: scenario.Sine, Mean: 20, Amplitude: 10, Period: 8 * time.Second},
	}
	tr := traffic(phases, nil)
	// 5 × 10 + (10 + 30) / 2 × 10 + 0 + 20 × 8 (whole periods) = 50 + 200 + 160 = 410
	// requests in 48 s; the peak is the sine's 20 + 10 = 30 (the ramp's end too).
	if tr.Seconds != 48 || math.Abs(tr.Requests-410) > 1e-9 || math.Abs(tr.AverageRate-410.0/48) > 1e-9 || tr.PeakRate != 30 {
		t.Errorf("traffic = %+v", tr)
	}
	// A sine cut short before its top: 20 + 10 sin(2π × 1/8) = 27.07.
	short := scenario.Phase{Duration: time.Second, Shape: scenario.Sine, Mean: 20, Amplitude: 10, Period: 8 * time.Second}
	if got, want := peakRate(short), 20+10*math.Sin(math.Pi/4); math.Abs(got-want) > 1e-9 {
		t.Errorf("peakRate(short sine) = %g, want %g", got, want)
	}
	// A rate: max phase counts what the busiest target was sent.
	closed := []scenario.Phase{{Name: "m", Duration: 10 * time.Second, Shape: scenario.Constant, Max: true, Workers: 4}}
	tg := func(n int64) *record.Target {
		return &record.Target{Phases: []*record.Phase{{Classes: map[record.Class]*record.Series{record.All: {Counts: record.Counts{Requests: n}}}}}}
	}
	if tr := traffic(closed, []*record.Target{tg(300), tg(500)}); tr.Requests != 500 || tr.PeakRate != 50 {
		t.Errorf("rate: max traffic = %+v, want 500 requests, peak 50", tr)
	}
}

func TestLambdaUsage(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "invocations.csv")
	// env-1 is provisioned: its first line is its warm-up, left out.
	err := os.WriteFile(csv, []byte(`env,request_id,duration_ms,billed_duration_ms,init_duration_ms,memory_size_mb,max_memory_used_mb
env-1,a,87.4,88,1.7,512,512
env-2,b,40.2,41,0.02,512,512
env-1,c,6.8,7,0,512,512
env-2,d,3.1,4,0,512,512
env-1,e,9.2,10,0,512,512
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	series := func(n int64, codes map[int]int64) *record.Series {
		return &record.Series{Counts: record.Counts{Requests: n, Codes: codes}}
	}
	tg := &record.Target{
		Name: "lambda",
		Classes: map[record.Class]*record.Series{
			record.All: series(6, map[int]int64{200: 4, 429: 2}), record.Cold: series(1, nil), record.Warm: series(3, nil),
		},
		ColdStarts: []record.ColdStart{{Init: 30 * time.Millisecond}},
		Timeline: []record.EnvEvent{
			{Env: "env-1", Kind: "started", Provisioned: true},
			{Env: "env-2", Kind: "started"},
		},
	}
	u, notes, err := lambdaUsage(tg, scenario.FunctionConfig{MemoryMB: 512, Provisioned: 1}, csv)
	if err != nil {
		t.Fatal(err)
	}
	// On demand: env-2's 41 + 4 ms; provisioned: env-1's 7 + 10 ms.
	if u.Requests != 6 || u.Throttled != 2 || u.Invocations != 4 || u.ColdStarts != 1 || u.InitMs != 30 ||
		u.BilledMs != 45 || u.BilledRows != 2 || u.ProvisionedBilledMs != 17 || u.ProvisionedRows != 2 ||
		u.MemoryMB != 512 || u.Provisioned != 1 || !u.InitInBilled {
		t.Errorf("usage = %+v", u)
	}
	if len(notes) != 0 {
		t.Errorf("notes %v: the lines match the invocations", notes)
	}
	if _, _, err := lambdaUsage(tg, scenario.FunctionConfig{}, filepath.Join(t.TempDir(), "none.csv")); err == nil {
		t.Error("no invocations file: no error")
	}
}
