package main

import (
	"io"
	"os"
	"time"
)

// defaultBinDir is where target binaries are built unless -bin says
// otherwise: bin/ of the checkout (ignored by git), so that each checkout
// measures its own code.
const defaultBinDir = "bin"

// progressEvery prints progress more often to a terminal than to a log.
func progressEvery(w io.Writer) time.Duration {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return 2 * time.Second
		}
	}
	return 5 * time.Second
}
