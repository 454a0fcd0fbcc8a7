package lambdakind

import (
	"reflect"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/targets/lambda"
)

// TestCountersCoverStats checks that every field of lambda.Stats is a
// counter, once, under its JSON name, with its value: a field added to
// Stats must be added here too, which the reflection-based merge of old
// did by itself.
func TestCountersCoverStats(t *testing.T) {
	var s lambda.Stats
	v := reflect.ValueOf(&s).Elem()
	want := map[string]int64{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		v.Field(i).SetInt(int64(i + 1))
		want[key] = int64(i + 1)
	}
	got := map[string]int64{}
	for _, c := range Counters(s) {
		if _, dup := got[c.Key]; dup {
			t.Errorf("counter %s twice", c.Key)
		}
		if c.Label == "" || c.Merge == "" {
			t.Errorf("counter %s without a label or a merge rule: %+v", c.Key, c)
		}
		got[c.Key] = c.Value
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counters %v, want every field of lambda.Stats by its JSON name: %v", got, want)
	}
}
