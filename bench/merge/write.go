package merge

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/report"
	"github.com/coldbench/coldbench/bench/runs"
)

// Write writes the merged run folder into dir, which it creates, and which
// must be empty if it exists: results.bin, histograms.hlog, phases.hlog,
// summary.json, bench.txt and index.html, each written by package runs
// as a run writes it. It writes no target folders: those stay in the
// generators' run folders (see the package's doc). It stops with ctx's error, leaving dir
// incomplete, if ctx is cancelled while it copies the results.
func (m *Merged) Write(ctx context.Context, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if entries, err := os.ReadDir(dir); err != nil {
		return err
	} else if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: merge writes a new run folder; name another one", dir)
	}
	n, err := writeFile(filepath.Join(dir, runs.ResultsFile), func(w io.Writer) (int64, error) {
		return Results(ctx, w, m.Sources)
	})
	if err != nil {
		return err
	}
	var want int64
	for _, t := range m.Targets {
		if s := t.Classes[record.All]; s != nil {
			want += s.Counts.Requests
		}
	}
	if n != want {
		m.Summary.Notes = append(m.Summary.Notes, fmt.Sprintf("%s holds %d results, the summaries count %d requests.", runs.ResultsFile, n, want))
	}
	started := m.Summary.Started
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{runs.HistogramsFile, func(w io.Writer) error { return writeIntervals(w, started, m.Sources, m.Intervals) }},
		{runs.PhasesFile, func(w io.Writer) error { return runs.WritePhases(w, started, m.Targets) }},
		{runs.SummaryFile, func(w io.Writer) error { return runs.EncodeSummary(w, m.Summary) }},
		{runs.BenchFile, func(w io.Writer) error { return runs.WriteBench(w, m.Summary, runs.LocalMachine()) }},
		{runs.ReportFile, func(w io.Writer) error { return report.Write(w, m.Report()) }},
	} {
		if _, err := writeFile(filepath.Join(dir, f.name), func(w io.Writer) (int64, error) { return 0, f.write(w) }); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
	}
	return nil
}

// writeFile creates path and writes it with write, buffered.
func writeFile(path string, write func(io.Writer) (int64, error)) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	buf := bufio.NewWriterSize(f, 1<<16)
	n, err := write(buf)
	return n, errors.Join(err, buf.Flush(), f.Close())
}

// writeIntervals writes the interval log of the merged run: the header of
// the harness's histograms.hlog, a comment naming the merged run folders,
// and the interval histograms hs.
func writeIntervals(w io.Writer, started time.Time, sources []string, hs []*hdrhistogram.Histogram) error {
	lw := hdrhistogram.NewHistogramLogWriter(w)
	names := make([]string, len(sources))
	for i, s := range sources {
		names[i] = filepath.Base(s)
	}
	if err := runs.WriteLogHeader(lw, started, runs.HistogramsComment,
		fmt.Sprintf("[coldbench: merged from %d load generators: %v]", len(sources), names)); err != nil {
		return err
	}
	for _, h := range hs {
		if err := lw.OutputIntervalHistogram(h); err != nil {
			return err
		}
	}
	return nil
}

// Results writes to w, in vegeta's encoding, every result of the
// results.bin of each run folder in dirs, one folder after the other, and
// returns how many it wrote. It streams: each result is decoded and encoded
// again, since two encoded streams cannot simply be concatenated. It stops
// with ctx's error when ctx is cancelled.
func Results(ctx context.Context, w io.Writer, dirs []string) (int64, error) {
	enc := vegeta.NewEncoder(w)
	var n int64
	for _, dir := range dirs {
		path := filepath.Join(dir, runs.ResultsFile)
		f, err := os.Open(path)
		if err != nil {
			return n, err
		}
		dec := vegeta.NewDecoder(bufio.NewReaderSize(f, 1<<16))
		for i := 0; ; i++ {
			if i%4096 == 0 && ctx.Err() != nil {
				f.Close()
				return n, ctx.Err()
			}
			var r vegeta.Result // fresh each time: decoding leaves absent fields as they were
			err := dec.Decode(&r)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				f.Close()
				return n, fmt.Errorf("%s: result %d: %w (is the file cut short?)", path, i+1, err)
			}
			if err := enc.Encode(&r); err != nil {
				f.Close()
				return n, err
			}
			n++
		}
		f.Close()
	}
	return n, nil
}
