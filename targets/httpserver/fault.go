package httpserver

import (
	"errors"
	"net/http"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
	"github.com/coldbench/coldbench/targets/order"
)

// withFaults wraps h so that it obeys a request's fault.Header before
// serving it, as the Lambda function does: sleep=DURATION waits that long
// (or until the client goes away), then h answers as usual. Only sleep is
// obeyed: alloc, exit and panic stand for a Lambda environment dying, which
// one request must not do to an always-on server; they, and values that do
// not parse, are answered 400.
func withFaults(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.Header.Get(fault.Header)
		if v == "" {
			h.ServeHTTP(w, r)
			return
		}
		f, err := fault.Parse(v)
		if err == nil && !f.SleepOnly() {
			err = errSleepOnly
		}
		if err != nil {
			w.Header().Set("Content-Type", order.TextPlain)
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte("Bad Request: " + fault.Header + ": " + err.Error()))
			return
		}
		if f.Sleep > 0 {
			t := time.NewTimer(f.Sleep)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return // nobody is left to answer
			}
		}
		h.ServeHTTP(w, r)
	})
}

// errSleepOnly answers the faults the server does not do.
var errSleepOnly = errors.New("the server obeys sleep=DURATION only")
