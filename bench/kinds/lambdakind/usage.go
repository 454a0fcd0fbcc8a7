package lambdakind

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/coldbench/coldbench/bench/cost"
	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/runs"
)

// usage returns what the function t used: requests from what was
// recorded, billed durations from the invocations file in dir, its
// target's folder, and which environments were provisioned from its
// timeline. The first REPORT
// line of each provisioned environment is its warm-up, the INIT the
// provisioned-concurrency price pays for: it is left out.
//
// It also returns the billed milliseconds and REPORT lines of the cold
// invocations, the first of each on-demand environment, INIT included, for
// a projection of the usage to a whole trace (wholeTrace).
func usage(t *record.Target, timeline []record.EnvEvent, fn FunctionConfig, dir string) (*cost.LambdaUsage, billing, []string, error) {
	u := &cost.LambdaUsage{
		MemoryMB: fn.MemoryMB, Provisioned: fn.Provisioned, InitInBilled: true,
		Source: "requests and 429s as recorded, billed ms from invocations.csv, INIT from the function's X-Coldbench-Init-Us",
	}
	count := func(c record.Class) int64 {
		if s := t.Classes[c]; s != nil {
			return s.Counts.Requests
		}
		return 0
	}
	u.Requests, u.ColdStarts = count(record.All), count(record.Cold)
	u.Invocations = u.ColdStarts + count(record.Warm)
	if all := t.Classes[record.All]; all != nil {
		u.Throttled = all.Counts.Codes[429]
	}
	net := t.Net()
	for _, cs := range t.ColdStarts {
		if net {
			cs = cs.Net()
		}
		u.InitMs += float64(cs.Init) / float64(time.Millisecond)
	}

	provisioned := map[string]bool{}
	for _, ev := range timeline {
		if ev.Kind == "started" && ev.Provisioned {
			provisioned[ev.Env] = true
		}
	}
	warmedUp, seen := map[string]bool{}, map[string]bool{}
	warmUps := 0
	var b billing
	err := readInvocations(filepath.Join(dir, runs.InvocationsFile), func(env string, billedMs float64) {
		if !provisioned[env] && !seen[env] {
			seen[env] = true
			b.coldMs += billedMs
			b.coldRows++
		}
		switch {
		case provisioned[env] && !warmedUp[env]:
			warmedUp[env] = true
			warmUps++
		case provisioned[env]:
			u.ProvisionedBilledMs += billedMs
			u.ProvisionedRows++
		default:
			u.BilledMs += billedMs
			u.BilledRows++
		}
	})
	if err != nil {
		return nil, b, nil, err
	}
	if net {
		// Billed durations less the host wait inside the invokes, which
		// an environment with vCPUs of its own would not have billed.
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		u.BilledMs = max(u.BilledMs-ms(t.BilledWait.OnDemand), 0)
		u.ProvisionedBilledMs = max(u.ProvisionedBilledMs-ms(t.BilledWait.Provisioned), 0)
		b.coldMs = max(b.coldMs-ms(t.BilledWait.Cold), 0)
		u.Source = "requests and 429s as recorded, billed ms from invocations.csv less the host wait inside each invoke (X-Coldbench-Host-Wait-Us), INIT from the function's X-Coldbench-Init-Us less its X-Coldbench-Init-Wait-Us"
	}
	var notes []string
	if rows := u.BilledRows + u.ProvisionedRows; rows != u.Invocations {
		notes = append(notes, fmt.Sprintf("%s has %d REPORT lines (%d warm-ups of provisioned environments left out) for %d invocations that reached an environment: the billed duration covers those lines.",
			runs.InvocationsFile, rows, warmUps, u.Invocations))
	}
	return u, b, notes, nil
}

// billing is the part of the billed duration of cold invocations.
type billing struct {
	coldMs   float64
	coldRows int64
}

// readInvocations calls row with the environment and the billed duration
// of every line of the invocations file at path.
func readInvocations(path string, row func(env string, billedMs float64)) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is missing from the run folder", runs.InvocationsFile)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	rd := csv.NewReader(f)
	header, err := rd.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", runs.InvocationsFile, err)
	}
	envCol, billedCol := -1, -1
	for i, h := range header {
		switch h {
		case "env":
			envCol = i
		case "billed_duration_ms":
			billedCol = i
		}
	}
	if envCol < 0 || billedCol < 0 {
		return fmt.Errorf("%s: no env or billed_duration_ms column in %v", runs.InvocationsFile, header)
	}
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", runs.InvocationsFile, err)
		}
		ms, err := strconv.ParseFloat(rec[billedCol], 64)
		if err != nil {
			return fmt.Errorf("%s:%d: billed_duration_ms %q: %w", runs.InvocationsFile, line, rec[billedCol], err)
		}
		row(rec[envCol], ms)
	}
}
