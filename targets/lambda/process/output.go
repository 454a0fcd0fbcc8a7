package process

import (
	"io"

	"github.com/coldbench/coldbench/targets/lambda/internal/envlog"
)

// copyLines copies r to w line by line, each line prefixed with prefix and
// written in one Write, and keeps the tail of what it copied in t. It
// returns at EOF, once every process holding the pipe has closed it.
func copyLines(w io.Writer, prefix string, r io.ReadCloser, t *envlog.Tail) {
	defer r.Close()
	lw := envlog.NewLineWriter(w, prefix, t)
	io.Copy(lw, r)
	lw.Flush()
}
