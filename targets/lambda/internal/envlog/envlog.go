// Package envlog carries an execution environment's output to the
// provider's writer the way every provider writes it: one "[ENV-ID] line"
// per Write, Writes serialized, with the tail of the output kept for error
// messages.
package envlog

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
)

// LockedWriter serializes Writes to W.
type LockedWriter struct {
	mu sync.Mutex
	W  io.Writer
}

// Write writes p to W, one Write at a time.
func (l *LockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.W.Write(p)
}

// maxLine is the longest line lineWriter holds back; a longer one is
// written in pieces.
const maxLine = 64 << 10

// LineWriter cuts what is written to it, one output stream of an
// environment in pieces that need not end at a line's end, into lines and
// writes each to w in one Write, prefixed with prefix. It keeps the tail of
// what it copied in t. It is not safe for concurrent use; Flush writes an
// unfinished last line.
type LineWriter struct {
	w      io.Writer
	prefix string
	t      *Tail
	part   []byte // the start of a line whose end has not come yet
	buf    []byte
}

// NewLineWriter returns a LineWriter to w that prefixes every line with
// prefix and keeps the tail of the output in t.
func NewLineWriter(w io.Writer, prefix string, t *Tail) *LineWriter {
	return &LineWriter{w: w, prefix: prefix, t: t}
}

// Write takes the next piece of the stream.
func (l *LineWriter) Write(p []byte) (int, error) {
	n := len(p)
	l.t.add(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.part = append(l.part, p...)
			if len(l.part) >= maxLine {
				l.Flush()
			}
			break
		}
		l.emit(p[:i+1])
		p = p[i+1:]
	}
	return n, nil
}

// emit writes the held part and line as one line.
func (l *LineWriter) emit(line []byte) {
	l.buf = append(append(append(l.buf[:0], l.prefix...), l.part...), line...)
	l.part = l.part[:0]
	l.t.line(l.buf[len(l.prefix):])
	if l.buf[len(l.buf)-1] != '\n' {
		l.buf = append(l.buf, '\n') // a long line's piece, or the last line
	}
	l.w.Write(l.buf)
}

// Flush writes what is held of an unfinished line.
func (l *LineWriter) Flush() {
	if len(l.part) > 0 {
		l.emit(nil)
	}
}

// Tail keeps the last bytes of an environment's output for error messages,
// and the INIT duration the RIE reported in it (lambda.ParseInitReport). Its zero value
// is ready to use.
type Tail struct {
	mu   sync.Mutex
	buf  []byte
	init lambda.InitReport // the RIE's INIT RTDONE and INIT REPORT, once seen
	done bool              // INIT RTDONE seen
	seen chan struct{}     // closed once init is set; made on first use
}

// line notes a whole line of output; only the first INIT REPORT counts.
func (t *Tail) line(b []byte) {
	if !bytes.Contains(b, []byte("INIT ")) {
		return
	}
	if failed, ok := lambda.ParseInitDone(string(b)); ok {
		t.mu.Lock()
		defer t.mu.Unlock()
		if !t.done {
			t.done, t.init.Failed = true, failed
		}
		return
	}
	if !bytes.Contains(b, []byte(lambda.InitReportMark)) {
		return
	}
	d, ok := lambda.ParseInitReport(string(b))
	if !ok {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil {
		t.seen = make(chan struct{})
	}
	select {
	case <-t.seen:
	default:
		t.init.Duration = d
		close(t.seen)
	}
}

// Init returns what the RIE reported of INIT, waiting up to wait for its
// INIT REPORT line if it has not come yet (the output is copied by another
// goroutine, and a container's arrives through the engine). ok is false
// if no such line came: the RIE ran at a level that hides it, or INIT
// has not ended.
func (t *Tail) Init(wait time.Duration) (r lambda.InitReport, ok bool) {
	t.mu.Lock()
	if t.seen == nil {
		t.seen = make(chan struct{})
	}
	seen := t.seen
	t.mu.Unlock()
	select {
	case <-seen:
	default:
		if wait <= 0 {
			return lambda.InitReport{}, false
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-seen:
		case <-timer.C:
			return lambda.InitReport{}, false
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.init, true
}

const tailBytes = 4096

func (t *Tail) add(p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*tailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailBytes:]...)
	}
}

// String returns the last bytes kept, trimmed.
func (t *Tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	return strings.TrimSpace(string(b))
}
