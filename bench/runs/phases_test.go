package runs_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/kinds/lambdakind"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// TestWritePhases writes the phases of a recorded target to phases.hlog
// and reads them back: one histogram per phase and class, empty ones
// included, in phase order, stamped with the phase's absolute start and
// end to the millisecond, holding exactly the phase's values.
func TestWritePhases(t *testing.T) {
	started := time.Date(2026, 3, 1, 12, 0, 0, 987_654_321, time.UTC) // milliseconds matter
	began := started.Add(1234 * time.Millisecond)
	phases := []scenario.Phase{
		{Name: "steady", Duration: 1500 * time.Millisecond, Shape: scenario.Constant, Rate: 10},
		{Name: "gap", Duration: time.Second, Shape: scenario.Idle},
		{Name: "burst", Duration: 700 * time.Millisecond, Shape: scenario.Constant, Rate: 20},
	}
	rec := record.New(lambdakind.Target("lambda"), phases, began, nil)
	for i, off := range []time.Duration{0, 100 * time.Millisecond, 1400 * time.Millisecond, 2600 * time.Millisecond} {
		phase := 0
		if off >= 2500*time.Millisecond {
			phase = 2
		}
		h := http.Header{}
		h.Set(lambda.HeaderCold, map[bool]string{true: "true", false: "false"}[i == 0])
		rec.Add(phase, &vegeta.Result{Timestamp: began.Add(off), Latency: time.Duration(i+1) * time.Millisecond, Code: 200, Headers: h}, time.Time{})
	}
	tg, err := rec.Close()
	if err != nil {
		t.Fatal(err)
	}

	var buf bytes.Buffer
	if err := runs.WritePhases(&buf, started, []*record.Target{tg}); err != nil {
		t.Fatal(err)
	}
	got, err := runs.ReadIntervals(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []record.Class{record.All, record.Cold, record.Warm, record.Provisioned} {
		for _, tag := range []string{"lambda/" + string(c), "lambda/" + string(c) + "/corrected"} {
			hs := got[tag]
			if len(hs) != len(phases) {
				t.Fatalf("%s: %d phases, want %d", tag, len(hs), len(phases))
			}
			for i, p := range tg.Phases {
				h := hs[i]
				if start, end := began.Add(p.Start).UnixMilli(), began.Add(p.End).UnixMilli(); absMs(h.StartTimeMs()-start) > 1 || absMs(h.EndTimeMs()-end) > 1 {
					t.Errorf("%s phase %s: %d–%d, want %d–%d", tag, p.Name, h.StartTimeMs(), h.EndTimeMs(), start, end)
				}
				if want := p.Classes[c].Histogram; h.TotalCount() != want.TotalCount() || h.Max() != want.Max() {
					t.Errorf("%s phase %s: %d values, max %d; want %d, %d", tag, p.Name, h.TotalCount(), h.Max(), want.TotalCount(), want.Max())
				}
			}
		}
	}
	if n := got["lambda/all"][0].TotalCount(); n != 3 {
		t.Errorf("phase steady: %d values, want 3", n)
	}
	if len(got) != 9 {
		t.Errorf("tags %v, want the 4 classes, their corrected ones and lambda/lag", len(got))
	}
	if lag := got["lambda/lag"]; len(lag) != len(tg.Phases) {
		t.Errorf("lambda/lag: %d phases, want %d", len(lag), len(tg.Phases))
	}
}

func absMs(x int64) int64 { return max(x, -x) }
