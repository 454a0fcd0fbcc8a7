package record

import (
	"reflect"
	"testing"
)

// TestMergeCounters checks each rule: sums add, maxima take the largest,
// snapshots and counters whose rules disagree are dropped, the order is
// the first run's.
func TestMergeCounters(t *testing.T) {
	a := Counters{{Key: "started", Value: 3, Merge: MergeSum}, {Key: "live", Value: 2, Merge: MergeNone}, {Key: "peak", Value: 5, Merge: MergeMax}, {Key: "odd", Value: 1, Merge: MergeSum}}
	b := Counters{{Key: "peak", Value: 7, Merge: MergeMax}, {Key: "started", Value: 4, Merge: MergeSum}, {Key: "odd", Value: 1, Merge: MergeMax}, {Key: "new", Value: 9, Merge: MergeSum}, {Key: "live", Value: 1, Merge: MergeNone}}
	got := MergeCounters([]Counters{a, b})
	// new is in one run only: a sum of one generator's would pass for all.
	want := Counters{{Key: "started", Value: 7, Merge: MergeSum}, {Key: "peak", Value: 7, Merge: MergeMax}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("MergeCounters = %+v, want %+v", got, want)
	}
	if n, ok := got.Get("peak"); !ok || n != 7 {
		t.Errorf("Get(peak) = %d, %v", n, ok)
	}
	// A run without counters (from before them) leaves none merged.
	if got := MergeCounters([]Counters{a, nil}); got != nil {
		t.Errorf("with a run without counters: %+v, want none", got)
	}
}
