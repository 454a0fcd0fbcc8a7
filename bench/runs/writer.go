package runs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// HistogramsComment is the comment in the header of HistogramsFile.
const HistogramsComment = "[coldbench: values in microseconds, so Interval_Max is in seconds; tags are <target>/<class>]"

// Writer is an open run folder: the streams a run writes while it goes on
// (ResultsFile, HistogramsFile). It is safe for concurrent use, so that
// targets running at once share it.
type Writer struct {
	dir string

	mu      sync.Mutex
	results *os.File
	resBuf  *bufio.Writer
	encode  vegeta.Encoder
	hlog    *os.File
	hlogBuf *bufio.Writer
	log     *hdrhistogram.HistogramLogWriter
}

// Create makes a new run folder under reports named after id (made unique
// with a suffix if a folder of that name exists, NewDir) and opens its
// streams, the interval log's header stamped with began. On error the
// Writer, if not nil, must still be closed.
func Create(reports, id string, began time.Time) (*Writer, error) {
	path, err := NewDir(reports, id)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: path}
	if w.results, err = os.Create(filepath.Join(path, ResultsFile)); err != nil {
		return w, err
	}
	w.resBuf = bufio.NewWriterSize(w.results, 1<<16)
	w.encode = vegeta.NewEncoder(w.resBuf)
	if w.hlog, err = os.Create(filepath.Join(path, HistogramsFile)); err != nil {
		return w, err
	}
	w.hlogBuf = bufio.NewWriter(w.hlog)
	w.log = hdrhistogram.NewHistogramLogWriter(w.hlogBuf)
	return w, WriteLogHeader(w.log, began, HistogramsComment)
}

// WriteLogHeader writes the header of an interval log of a run started at
// began: format version, comments, start and base time, legend.
func WriteLogHeader(lw *hdrhistogram.HistogramLogWriter, began time.Time, comments ...string) error {
	ms := began.UnixMilli()
	// A base time of whole seconds: the BaseTime line holds whole seconds
	// only and readers add it back, so milliseconds in the base would
	// shift every interval read back by them (hdrhistogram-go v1.4.0).
	lw.SetBaseTime(ms - ms%1000)
	errs := []error{lw.OutputLogFormatVersion()}
	for _, c := range comments {
		errs = append(errs, lw.OutputComment(c))
	}
	return errors.Join(append(errs,
		lw.OutputStartTime(ms),
		lw.OutputBaseTime(ms),
		lw.OutputLegend())...)
}

// Dir returns the run folder's path.
func (w *Writer) Dir() string { return w.dir }

// Encode appends res to ResultsFile.
func (w *Writer) Encode(res *vegeta.Result) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.encode(res)
}

// OutputIntervalHistogram appends h to HistogramsFile; a Writer is a
// record.IntervalWriter.
func (w *Writer) OutputIntervalHistogram(h *hdrhistogram.Histogram) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.OutputIntervalHistogram(h)
}

// Close flushes and closes the streams.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	if w.resBuf != nil {
		errs = append(errs, w.resBuf.Flush())
	}
	if w.results != nil {
		errs = append(errs, w.results.Close())
	}
	if w.hlogBuf != nil {
		errs = append(errs, w.hlogBuf.Flush())
	}
	if w.hlog != nil {
		errs = append(errs, w.hlog.Close())
	}
	return errors.Join(errs...)
}

// EncodeSummary writes s to w as SummaryFile holds it: indented JSON.
func EncodeSummary(w io.Writer, s *Summary) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteSummary writes s as SummaryFile in the run folder dir.
func WriteSummary(dir string, s *Summary) error {
	var b bytes.Buffer
	if err := EncodeSummary(&b, s); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, SummaryFile), b.Bytes(), 0o644)
}
