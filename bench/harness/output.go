package harness

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/coldbench/coldbench/bench/runs"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// runDir is an open run folder: the streams a run writes while it goes on.
type runDir struct {
	path    string
	results *os.File
	resBuf  *bufio.Writer
	encode  vegeta.Encoder
	hlog    *os.File
	hlogBuf *bufio.Writer
	log     *hdrhistogram.HistogramLogWriter
	fnlog   *functionLog // nil when no Lambda function runs
}

// createRunDir makes a new run folder under reports named after id (made
// unique with a suffix if a folder of that name exists) and opens its
// streams, with the interval log's header stamped with began, and the
// function's log files if withFunction.
func createRunDir(reports, id string, began time.Time, withFunction bool) (*runDir, error) {
	path, err := runs.NewDir(reports, id)
	if err != nil {
		return nil, err
	}
	d := &runDir{path: path}
	if d.results, err = os.Create(filepath.Join(path, runs.ResultsFile)); err != nil {
		return d, err
	}
	d.resBuf = bufio.NewWriterSize(d.results, 1<<16)
	d.encode = vegeta.NewEncoder(d.resBuf)
	if d.hlog, err = os.Create(filepath.Join(path, runs.HistogramsFile)); err != nil {
		return d, err
	}
	if withFunction {
		if d.fnlog, err = openFunctionLog(path); err != nil {
			return d, err
		}
	}
	d.hlogBuf = bufio.NewWriter(d.hlog)
	d.log = hdrhistogram.NewHistogramLogWriter(d.hlogBuf)
	ms := began.UnixMilli()
	// A base time of whole seconds: the BaseTime line holds whole seconds
	// only and readers add it back, so milliseconds in the base would
	// shift every interval read back by them (hdrhistogram-go v1.4.0).
	d.log.SetBaseTime(ms - ms%1000)
	for _, err := range []error{
		d.log.OutputLogFormatVersion(),
		d.log.OutputComment("[coldbench: values in microseconds, so Interval_Max is in seconds; tags are <target>/<class>]"),
		d.log.OutputStartTime(ms),
		d.log.OutputBaseTime(ms),
		d.log.OutputLegend(),
	} {
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

// close flushes and closes the streams.
func (d *runDir) close() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	if d.resBuf != nil {
		keep(d.resBuf.Flush())
	}
	if d.results != nil {
		keep(d.results.Close())
	}
	if d.hlogBuf != nil {
		keep(d.hlogBuf.Flush())
	}
	if d.hlog != nil {
		keep(d.hlog.Close())
	}
	if d.fnlog != nil {
		keep(d.fnlog.Close())
	}
	return first
}

// writeJSON writes v as indented JSON to the file name in the run folder.
func (d *runDir) writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(d.path, name), append(b, '\n'), 0o644)
}
