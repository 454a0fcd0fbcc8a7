package runs

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"

	"github.com/coldbench/coldbench/bench/record"
)

// TargetDir returns the folder of the target called name in the run folder
// run, which holds the files only its kind writes (a Lambda function's
// InvocationsFile, FunctionLogFile and EnvironmentsFile). Target names are
// letters, digits, - and _ (scenario.checkName), so they never clash with
// the run folder's own files. The kinds that write files make it.
func TargetDir(run, name string) string { return filepath.Join(run, name) }

// WriteEnvironments writes a Lambda function's fleet timeline as
// EnvironmentsFile in dir, its target's folder: one row per event with
// seconds from the start of the schedule, environment, event, whether it
// is provisioned, environments live after it and, for a started on-demand
// environment of a pool, hit (a pooled sandbox) or miss (started on
// demand).
func WriteEnvironments(dir string, events []record.EnvEvent) error {
	f, err := os.Create(filepath.Join(dir, EnvironmentsFile))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"time_s", "env", "event", "provisioned", "live", "pool"})
	for _, ev := range events {
		w.Write([]string{strconv.FormatFloat(ev.Offset.Seconds(), 'f', 3, 64), ev.Env, ev.Kind, strconv.FormatBool(ev.Provisioned), strconv.Itoa(ev.Live), ev.Pool})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
