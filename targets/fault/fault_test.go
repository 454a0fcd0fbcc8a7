package fault_test

import (
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/fault"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want fault.Fault
	}{
		{"", fault.Fault{}},
		{"alloc=300", fault.Fault{AllocMB: 300}},
		{"sleep=1.5s", fault.Fault{Sleep: 1500 * time.Millisecond}},
		{"exit", fault.Fault{Exit: true}},
		{"panic", fault.Fault{Panic: true}},
		{" alloc=64 , sleep=10ms,panic", fault.Fault{AllocMB: 64, Sleep: 10 * time.Millisecond, Panic: true}},
	} {
		got, err := fault.Parse(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"alloc", "alloc=", "alloc=-1", "alloc=x", "alloc=10241", "sleep=5", "sleep=-1s", "exit=1", "crash", "Panic"} {
		if f, err := fault.Parse(bad); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", bad, f)
		}
	}
}

func TestSleepOnly(t *testing.T) {
	for in, want := range map[string]bool{
		"": true, "sleep=40ms": true, "sleep=1s,sleep=2s": true,
		"alloc=1": false, "sleep=1ms,exit": false, "panic": false,
	} {
		f, err := fault.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.SleepOnly(); got != want {
			t.Errorf("Parse(%q).SleepOnly() = %v, want %v", in, got, want)
		}
	}
}
