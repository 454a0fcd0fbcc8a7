package runs

import (
	"bufio"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

// invocationsHeader returns the columns of invocations.csv.
func invocationsHeader() []string {
	return []string{"env", "request_id", "duration_ms", "billed_duration_ms", "init_duration_ms", "memory_size_mb", "max_memory_used_mb"}
}

// FunctionLog takes the environments' output, one "[env] line" per Write as
// providers write it: each REPORT line becomes a row of invocations.csv,
// its init_duration_ms the INIT REPORT the RIE logged before an
// environment's first REPORT (the REPORT line's own Init Duration is
// near zero, since the RIE starts the runtime inside the first invoke);
// START and END lines and the RIE's info lines are dropped, and every
// other line goes to function.log. It is safe for concurrent use.
type FunctionLog struct {
	mu       sync.Mutex
	inits    map[string]time.Duration // env → its INIT REPORT, until its first REPORT
	files    []*os.File
	csvBuf   *bufio.Writer
	csv      *csv.Writer
	log      *bufio.Writer
	writeErr error
}

// OpenFunctionLog creates InvocationsFile and FunctionLogFile in dir, a
// target's folder (TargetDir).
func OpenFunctionLog(dir string) (*FunctionLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l := &FunctionLog{}
	inv, err := os.Create(filepath.Join(dir, InvocationsFile))
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(dir, FunctionLogFile))
	if err != nil {
		inv.Close()
		return nil, err
	}
	l.files = []*os.File{inv, logf}
	l.csvBuf = bufio.NewWriter(inv)
	l.csv = csv.NewWriter(l.csvBuf)
	l.log = bufio.NewWriter(logf)
	l.csv.Write(invocationsHeader())
	return l, nil
}

// Write takes one line of an environment's output.
func (l *FunctionLog) Write(p []byte) (int, error) {
	env, text, ok := lambda.ParseLogLine(string(p))
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case !ok:
		l.keep(l.log.Write(p))
	case strings.HasPrefix(text, "START ") || strings.HasPrefix(text, "END "):
	case lambda.IsRIEChatter(text):
		if d, ok := lambda.ParseInitReport(text); ok {
			if l.inits == nil {
				l.inits = map[string]time.Duration{}
			}
			l.inits[env] = d
		}
	default:
		r, isReport := lambda.ParseReport(text)
		if !isReport {
			l.keep(l.log.Write(p))
			break
		}
		// Only an environment's first REPORT has an Init Duration; a
		// container's INIT REPORT comes on another stream than its
		// REPORT and may come after it, and must not land on a warm row.
		if d, ok := l.inits[env]; ok && r.InitDuration > 0 {
			r.InitDuration = d
		}
		delete(l.inits, env)
		l.keep(0, l.csv.Write([]string{env, r.RequestID, msString(r.Duration.Seconds()), msString(r.BilledDuration.Seconds()),
			msString(r.InitDuration.Seconds()), strconv.Itoa(r.MemorySizeMB), strconv.Itoa(r.MaxMemoryMB)}))
	}
	return len(p), nil
}

func (l *FunctionLog) keep(_ int, err error) {
	if err != nil && l.writeErr == nil {
		l.writeErr = err
	}
}

func msString(seconds float64) string { return strconv.FormatFloat(seconds*1000, 'f', -1, 64) }

// Close flushes and closes both files.
func (l *FunctionLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.csv.Flush()
	errs := []error{l.writeErr, l.csv.Error(), l.csvBuf.Flush(), l.log.Flush()}
	for _, f := range l.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}
