package runs_test

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/runs"
)

// TestFunctionLogInit checks that an environment's first REPORT row
// carries the INIT REPORT logged before it, later rows none, and that
// the RIE's info lines stay out of function.log.
func TestFunctionLogInit(t *testing.T) {
	dir := t.TempDir()
	l, err := runs.OpenFunctionLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"[env-1] 07 Dec 2026 05:33:03,704 [INFO] (rapid) INIT REPORT(durationMs: 40.500000)\n",
		"[env-1] REPORT RequestId: a\tInit Duration: 0.05 ms\tDuration: 41.00 ms\tBilled Duration: 42 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t\n",
		"[env-1] 07 Dec 2026 05:33:03,713 [INFO] (rapid) INVOKE START(requestId: b)\n",
		"[env-1] hello from the handler\n",
		"[env-1] REPORT RequestId: b\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 512 MB\tMax Memory Used: 512 MB\t\n",
	} {
		io.WriteString(l, line)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, runs.InvocationsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][4] != "40.5" || rows[2][4] != "0" {
		t.Errorf("invocations.csv = %q; want init_duration_ms 40.5 on the first row, 0 on the second", rows)
	}
	log, _ := os.ReadFile(filepath.Join(dir, runs.FunctionLogFile))
	if got := string(log); strings.Contains(got, "(rapid)") || !strings.Contains(got, "hello from the handler") {
		t.Errorf("function.log = %q; want the handler's line and none of the RIE's info lines", got)
	}
}
