package lambdakind

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/record"
)

func TestLambdaUsage(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "invocations.csv")
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
	}
	timeline := []record.EnvEvent{
		{Env: "env-1", Kind: "started", Provisioned: true},
		{Env: "env-2", Kind: "started"},
	}
	u, b, notes, err := usage(tg, timeline, FunctionConfig{MemoryMB: 512, Provisioned: 1}, dir)
	if err != nil {
		t.Fatal(err)
	}
	// On demand: env-2's 41 + 4 ms; provisioned: env-1's 7 + 10 ms.
	if u.Requests != 6 || u.Throttled != 2 || u.Invocations != 4 || u.ColdStarts != 1 || u.InitMs != 30 ||
		u.BilledMs != 45 || u.BilledRows != 2 || u.ProvisionedBilledMs != 17 || u.ProvisionedRows != 2 ||
		u.MemoryMB != 512 || u.Provisioned != 1 || !u.InitInBilled {
		t.Errorf("usage = %+v", u)
	}
	// Cold: env-2's first line, 41 ms; env-1 is provisioned.
	if b.coldMs != 41 || b.coldRows != 1 {
		t.Errorf("cold billing = %+v, want 41 ms over 1 line", b)
	}
	if len(notes) != 0 {
		t.Errorf("notes %v: the lines match the invocations", notes)
	}
	if _, _, _, err := usage(tg, timeline, FunctionConfig{}, t.TempDir()); err == nil {
		t.Error("no invocations file: no error")
	}

	// Host wait measured: billed less the wait inside invokes, INIT less
	// its own; host_wait: keep bills them raw.
	tg.HostWait = true
	tg.ColdStarts[0].InitWait = 20 * time.Millisecond
	tg.BilledWait = record.BilledWait{OnDemand: 25 * time.Millisecond, Cold: 21 * time.Millisecond, Provisioned: 2 * time.Millisecond}
	u, b, _, err = usage(tg, timeline, FunctionConfig{MemoryMB: 512, Provisioned: 1}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if u.BilledMs != 20 || u.ProvisionedBilledMs != 15 || u.InitMs != 10 || b.coldMs != 20 {
		t.Errorf("net usage = %+v, cold %+v; want billed 20, provisioned 15, INIT 10, cold 20 ms", u, b)
	}
	tg.KeepHostWait = true
	if u, _, _, _ = usage(tg, timeline, FunctionConfig{MemoryMB: 512, Provisioned: 1}, dir); u.BilledMs != 45 || u.InitMs != 30 {
		t.Errorf("host_wait: keep: usage = %+v, want the raw figures", u)
	}
}
