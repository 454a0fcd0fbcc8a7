package container

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// lockedWriter serializes Writes to w.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// maxLine is the longest line lineWriter holds back; a longer one is
// written in pieces.
const maxLine = 64 << 10

// lineWriter cuts what is written to it, one of a container's streams as
// the Docker logs API delivers it (in frames that need not end at a line's
// end), into lines and writes each to w in one Write, prefixed with prefix.
// It keeps the tail of what it copied in t. It is not safe for concurrent
// use.
type lineWriter struct {
	w      io.Writer
	prefix string
	t      *tail
	part   []byte // the start of a line whose end has not come yet
	buf    []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	l.t.add(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.part = append(l.part, p...)
			if len(l.part) >= maxLine {
				l.flush()
			}
			break
		}
		l.emit(p[:i+1])
		p = p[i+1:]
	}
	return n, nil
}

// emit writes the held part and line as one line.
func (l *lineWriter) emit(line []byte) {
	l.buf = append(append(append(l.buf[:0], l.prefix...), l.part...), line...)
	l.part = l.part[:0]
	if l.buf[len(l.buf)-1] != '\n' {
		l.buf = append(l.buf, '\n') // a long line's piece, or the last line
	}
	l.w.Write(l.buf)
}

// flush writes what is held of an unfinished line.
func (l *lineWriter) flush() {
	if len(l.part) > 0 {
		l.emit(nil)
	}
}

// tail keeps the last bytes of an environment's output for error messages.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailBytes = 4096

func (t *tail) add(p []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*tailBytes {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailBytes:]...)
	}
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	return strings.TrimSpace(string(b))
}
