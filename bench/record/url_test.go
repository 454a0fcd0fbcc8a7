package record_test

import (
	"net/http"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/coldbench/coldbench/bench/record"
	"github.com/coldbench/coldbench/bench/scenario"
	"github.com/coldbench/coldbench/targets/lambda"
)

// TestRecorderURLColdHeader checks that a url target tells cold from warm
// by the header it names and by no other, that it has no anatomy or router
// waits unless that header is the router's, and that without a header it
// records all only, whatever the responses carry.
func TestRecorderURLColdHeader(t *testing.T) {
	began := time.Now()
	res := func(at time.Duration, h ...string) *vegeta.Result {
		r := &vegeta.Result{Timestamp: began.Add(at), Latency: time.Millisecond, Code: 200, Headers: http.Header{}}
		for i := 0; i+1 < len(h); i += 2 {
			r.Headers.Set(h[i], h[i+1])
		}
		return r
	}
	// A url target as its kind reads it (urlkind): cold and warm only
	// with a cold header.
	url := func(header string) scenario.Target {
		t := scenario.Target{Name: "ext", Kind: "url", Classes: []string{"all"}}
		if header != "" {
			t.Classes, t.ColdHeader = []string{"all", "cold", "warm"}, header
			t.Routed = header == lambda.HeaderCold // coldbench's own service
		}
		return t
	}

	rec := record.New(url("X-Fn-Cold"), phases, began, nil)
	rec.Add(0, res(0, "X-Fn-Cold", "true", lambda.HeaderCold, "false"), time.Time{})
	rec.Add(0, res(time.Millisecond, "X-Fn-Cold", "false", lambda.HeaderCold, "true"), time.Time{})
	rec.Add(0, res(2*time.Millisecond), time.Time{})
	tg, _ := rec.Close()
	if len(tg.Classes) != 3 || tg.Classes[record.Cold].Counts.Requests != 1 || tg.Classes[record.Warm].Counts.Requests != 1 || tg.Classes[record.All].Counts.Requests != 3 {
		t.Errorf("X-Fn-Cold: classes %v, want all 3, cold 1, warm 1", summaries(tg))
	}
	if len(tg.ColdStarts) != 1 || tg.Anatomy != nil || tg.Queue != nil {
		t.Errorf("X-Fn-Cold: %d cold starts, anatomy %v, queue %v; want 1, none, none", len(tg.ColdStarts), tg.Anatomy, tg.Queue)
	}

	rec = record.New(url(lambda.HeaderCold), phases, began, nil)
	rec.Add(0, res(0, lambda.HeaderCold, "true"), time.Time{})
	tg, _ = rec.Close()
	if tg.Classes[record.Cold].Counts.Requests != 1 || tg.Anatomy == nil || tg.Queue == nil {
		t.Errorf("router's header: classes %v, anatomy %v, queue %v; want a cold start with its anatomy and waits", summaries(tg), tg.Anatomy, tg.Queue)
	}

	rec = record.New(url(""), phases, began, nil)
	rec.Add(0, res(0, lambda.HeaderCold, "true"), time.Time{})
	tg, _ = rec.Close()
	if len(tg.Classes) != 1 || len(tg.ColdStarts) != 0 || rec.Live().Cold != 0 {
		t.Errorf("no header: classes %v, %d cold starts, want only all and none", summaries(tg), len(tg.ColdStarts))
	}
}

func summaries(tg *record.Target) map[record.Class]record.Stats {
	m := map[record.Class]record.Stats{}
	for c, s := range tg.Classes {
		m[c] = record.Summarize(s)
	}
	return m
}
