package scenario

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// azureMinutes is the number of per-minute counts of an Azure row: a day.
const azureMinutes = 1440

// traceReader reads one trace file into per-interval counts or offsets.
// Its err is the first mistake, "<file>:<line>: ..." as the scenario
// names the file.
type traceReader struct {
	t       *TraceData
	path    string
	counts  []int
	offsets []time.Duration
	err     string
}

// fail records the mistake at line of the trace file.
func (r *traceReader) fail(line int, format string, args ...any) {
	if r.err == "" {
		r.err = fmt.Sprintf("%s:%d: %s", r.t.File, line, fmt.Sprintf(format, args...))
	}
}

// open opens the trace file, recording why it cannot be read.
func (r *traceReader) open() *os.File {
	f, err := os.Open(r.path)
	if err != nil {
		r.err = fmt.Sprintf("cannot read the trace file %s: %v; it is looked up relative to the scenario file's folder, as %s",
			r.t.File, unwrapPath(err), r.path)
		return nil
	}
	return f
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// count parses a request count.
func (r *traceReader) count(s string, line int) (int, bool) {
	k, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || k < 0 {
		r.fail(line, "requests %q is not a whole number of requests (0 or more)", s)
		return 0, false
	}
	return k, true
}

// instant parses an RFC 3339 time or Unix seconds (with up to nine
// decimals, read exactly) as a time from the Unix epoch.
func instant(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return time.Duration(t.UnixNano()), true
	}
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || sec >= 1e10 || len(frac) > 9 {
		return 0, false
	}
	ns := uint64(0)
	if frac != "" {
		if ns, err = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 64); err != nil {
			return 0, false
		}
	}
	return time.Duration(sec)*time.Second + time.Duration(ns), true
}

// csv reads format csv: a header, then rows "<index or time>,<requests>",
// rising, missing intervals counting 0. Blank lines and lines starting with
// # are skipped.
func (r *traceReader) csv() {
	f := r.open()
	if f == nil {
		return
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comment = '#'
	cr.FieldsPerRecord = 2
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		r.readError(err, "a header time,requests, minute,requests or second,requests")
		return
	}
	line, _ := cr.FieldPos(0)
	kind := strings.ToLower(strings.TrimSpace(header[0]))
	switch {
	case strings.ToLower(strings.TrimSpace(header[1])) != "requests":
		r.fail(line, "the header's second column is %q; it must be requests", header[1])
		return
	case kind == "minute" || kind == "second":
		iv := map[string]time.Duration{"minute": time.Minute, "second": time.Second}[kind]
		if r.t.Interval != 0 && r.t.Interval != iv {
			r.fail(line, "the header says a %s per row but the phase's interval is %s; remove interval or make it %s", kind, r.t.Interval, iv)
			return
		}
		r.t.Interval = iv
	case kind == "time":
		if r.t.Interval == 0 {
			r.fail(line, "the header time,requests needs the phase's interval: 1s or 1m")
			return
		}
	default:
		r.fail(line, "the header's first column is %q; use time, minute or second%s", header[0],
			DidYouMean(kind, "", "time", "minute", "second"))
		return
	}
	var first, prev time.Duration
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			r.readError(err, "two columns")
			return
		}
		line, _ := cr.FieldPos(0)
		var at time.Duration
		if kind == "time" {
			t, ok := instant(rec[0])
			if !ok {
				r.fail(line, "time %q is neither RFC 3339 (2019-07-15T00:00:00Z) nor Unix seconds", rec[0])
				return
			}
			if row == 0 {
				first = t
			}
			at = t - first
			if at%r.t.Interval != 0 {
				r.fail(line, "time %q is not a whole number of intervals (%s) after the first row's", rec[0], r.t.Interval)
				return
			}
		} else {
			k, err := strconv.Atoi(strings.TrimSpace(rec[0]))
			if err != nil || k < 0 {
				r.fail(line, "%s %q is not an interval's index (0, 1, 2, ...)", kind, rec[0])
				return
			}
			at = time.Duration(k) * r.t.Interval
		}
		if row > 0 && at <= prev {
			r.fail(line, "%s %q is not after the row before; rows must rise", kind, rec[0])
			return
		}
		prev = at
		c, ok := r.count(rec[1], line)
		if !ok {
			return
		}
		for i := int(at / r.t.Interval); len(r.counts) <= i; {
			r.counts = append(r.counts, 0)
		}
		r.counts[at/r.t.Interval] = c
	}
	if len(r.counts) == 0 {
		r.fail(line, "no rows after the header; a trace needs at least one interval")
	}
}

// readError records a CSV error at its line.
func (r *traceReader) readError(err error, want string) {
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		r.fail(1, "the file is empty; it needs %s", want)
	case errors.As(err, &pe):
		r.fail(pe.Line, "%v; each row needs %s", pe.Err, want)
	default:
		r.err = fmt.Sprintf("%s: %v", r.t.File, err)
	}
}

// timestamps reads format timestamps: one instant per line, relative to
// the earliest. Blank lines and lines starting with # are skipped.
func (r *traceReader) timestamps() {
	f := r.open()
	if f == nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var at []time.Duration
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		t, ok := instant(s)
		if !ok {
			r.fail(line, "%q is neither an RFC 3339 time (2019-07-15T08:00:00.250Z) nor Unix seconds (1563177600.25)", s)
			return
		}
		at = append(at, t)
	}
	if err := sc.Err(); err != nil {
		r.err = fmt.Sprintf("%s: %v", r.t.File, err)
		return
	}
	if len(at) == 0 {
		r.fail(1, "no timestamps; a trace needs at least one")
		return
	}
	slices.Sort(at)
	for _, t := range at {
		r.offsets = append(r.offsets, t-at[0])
	}
}

// azureRow is one function's row of an Azure file.
type azureRow struct {
	function string
	line     int
	total    int
	counts   []int
}

// azure reads format azure and keeps the row the phase chooses: function:
// <HashFunction>, rank: N (the N'th busiest by total, from 1, ties in file
// order), or the only row.
func (r *traceReader) azure(p *Parser, f map[string]Field, where string) {
	r.t.Interval = time.Minute
	var want string
	rank := 0
	if e := f["function"].Value; e != nil {
		want, _ = p.Str(e, where+": function")
	}
	if e := f["rank"].Value; e != nil {
		if k, ok := p.Integer(e, where+": rank"); ok && k < 1 {
			p.Errorf(e, "%s: rank counts from 1 (the busiest function), not %d", where, k)
			return
		} else if ok {
			rank = k
		}
	}
	fh := r.open()
	if fh == nil {
		return
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.FieldsPerRecord = 4 + azureMinutes
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		r.readError(err, "the columns HashOwner,HashApp,HashFunction,Trigger,1,...,1440")
		return
	}
	if header[2] != "HashFunction" || header[4] != "1" {
		r.fail(1, "the header is not Azure's HashOwner,HashApp,HashFunction,Trigger,1,...,1440; check the format")
		return
	}
	var rows []azureRow // every row's total; counts of the one wanted
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			r.readError(err, "HashOwner,HashApp,HashFunction,Trigger and 1440 counts")
			return
		}
		line, _ := cr.FieldPos(0)
		row := azureRow{function: rec[2], line: line}
		keep := want == "" || rec[2] == want
		for i, s := range rec[4:] {
			c, err := strconv.Atoi(s)
			if err != nil || c < 0 {
				r.fail(line, "minute %d: requests %q is not a whole number of requests (0 or more)", i+1, s)
				return
			}
			row.total += c
			if keep {
				row.counts = append(row.counts, c)
			}
		}
		if want != "" && rec[2] == want {
			r.counts, r.t.Function = row.counts, row.function
			return
		}
		if want == "" && rank == 0 && len(rows) > 0 {
			r.fail(line, "the file has more than one function; choose one with function: <HashFunction> or rank: N (1 the busiest)")
			return
		}
		if rank > 0 {
			row.counts = nil // found again below: a day is 1440 counts a row
		}
		rows = append(rows, row)
	}
	switch {
	case want != "":
		r.err = fmt.Sprintf("%s: no row has HashFunction %q; copy it from the file's third column", r.t.File, want)
	case len(rows) == 0:
		r.fail(1, "no rows after the header; a trace needs a function's row")
	case rank > len(rows):
		r.err = fmt.Sprintf("%s: rank %d, but the file has %d functions", r.t.File, rank, len(rows))
	case rank == 0:
		r.counts, r.t.Function = rows[0].counts, rows[0].function
	default:
		slices.SortStableFunc(rows, func(a, b azureRow) int { return cmp.Compare(b.total, a.total) })
		r.azureLine(rows[rank-1])
	}
}

// azureLine reads the counts of row, found by its line, again.
func (r *traceReader) azureLine(row azureRow) {
	fh := r.open()
	if fh == nil {
		return
	}
	defer fh.Close()
	cr := csv.NewReader(fh)
	cr.FieldsPerRecord = 4 + azureMinutes
	for {
		rec, err := cr.Read()
		if err != nil {
			r.err = fmt.Sprintf("%s: changed while read: %v", r.t.File, err)
			return
		}
		if line, _ := cr.FieldPos(0); line == row.line {
			for _, s := range rec[4:] {
				c, _ := strconv.Atoi(s)
				r.counts = append(r.counts, c)
			}
			r.t.Function = row.function
			return
		}
	}
}
