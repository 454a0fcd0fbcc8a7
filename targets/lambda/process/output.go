package process

import (
	"bufio"
	"errors"
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

// copyLines copies r to w line by line, each line prefixed with prefix and
// written in one Write, and keeps the tail of what it copied in t. It
// returns at EOF, once every process holding the pipe has closed it.
func copyLines(w io.Writer, prefix string, r io.ReadCloser, t *tail) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	buf := make([]byte, 0, 256)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			t.add(line)
			buf = append(append(buf[:0], prefix...), line...)
			if buf[len(buf)-1] != '\n' {
				buf = append(buf, '\n') // a long line's piece, or the last line
			}
			w.Write(buf)
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return
		}
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
