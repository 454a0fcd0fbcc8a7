package schedstat

import (
	"testing"
	"time"
)

func TestHostWait(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name string
		d    Delta
		wall time.Duration
		want time.Duration
	}{
		{"alone", Delta{CPU: 50 * ms, Wait: ms / 2}, 51 * ms, ms / 2},
		// Ten single-threaded INITs of 50 ms on 2 cores: the last waits 200 ms.
		{"queued behind others", Delta{CPU: 50 * ms, Wait: 200 * ms}, 250 * ms, 200 * ms},
		// Two threads of one environment waiting at once for 100 ms: not 200.
		{"threads waiting at once", Delta{CPU: 60 * ms, Wait: 200 * ms}, 160 * ms, 100 * ms},
		// Sleeping is not waiting: the wait stays what the kernel counted.
		{"sleeps", Delta{CPU: 20 * ms, Wait: 10 * ms}, 130 * ms, 10 * ms},
		// A container alone held back by its own quota: no host wait.
		{"throttled alone", Delta{CPU: 50 * ms, Wait: 160 * ms, Throttled: 142 * ms}, 214 * ms, 18 * ms},
		{"throttled, more than it waited", Delta{CPU: 50 * ms, Wait: 100 * ms, Throttled: 150 * ms}, 214 * ms, 0},
		// Throttled and queued: 300 ms for 50 ms of work, 150 of them the quota's.
		{"throttled and queued", Delta{CPU: 50 * ms, Wait: 400 * ms, Throttled: 150 * ms}, 300 * ms, 100 * ms},
		{"parallel threads", Delta{CPU: 90 * ms, Wait: 5 * ms}, 50 * ms, 0},
		{"no wall", Delta{Wait: 5 * ms}, 0, 0},
	} {
		if got := HostWait(c.d, c.wall); got != c.want {
			t.Errorf("%s: HostWait(%+v, %v) = %v, want %v", c.name, c.d, c.wall, got, c.want)
		}
	}
}

func TestSub(t *testing.T) {
	before := Usage{Threads: map[int]Thread{1: {CPU: 10, Wait: 5}, 2: {CPU: 7, Wait: 7}}, Throttled: 3}
	after := Usage{Threads: map[int]Thread{1: {CPU: 30, Wait: 65}, 3: {CPU: 5, Wait: 20}}, Throttled: 10}
	// Thread 2 ended (its last part is lost), thread 3 was born. Thread 1
	// is the busiest and counts in full; thread 3 did a quarter of its
	// work and counts at a quarter.
	want := Delta{CPU: 20 + 5, Wait: 60 + 5, Throttled: 7}
	if got := after.Sub(before); got != want {
		t.Errorf("Sub = %+v, want %+v", got, want)
	}
}

// A Go process under contention: the worker and the runtime's monitor,
// as a probe measured them (8 INITs on 2 cores).
func TestSubWeighsByWork(t *testing.T) {
	ms := time.Millisecond
	after := Usage{Threads: map[int]Thread{1: {CPU: 40700 * time.Microsecond, Wait: 104 * ms}, 2: {CPU: 600 * time.Microsecond, Wait: 39 * ms}, 3: {CPU: 100 * time.Microsecond, Wait: 4 * ms}}}
	d := after.Sub(Usage{})
	if d.Wait < 104*ms || d.Wait > 105*ms {
		t.Errorf("Wait = %v, want the worker's 104 ms and a little", d.Wait)
	}
	if w := HostWait(d, 175*ms); w != d.Wait {
		t.Errorf("HostWait = %v, want %v", w, d.Wait)
	}
}

func TestParse(t *testing.T) {
	got, err := parse([]byte("123456 7890 42\n"))
	if err != nil || got != (Thread{CPU: 123456, Wait: 7890}) {
		t.Errorf("parse = %+v, %v", got, err)
	}
	for _, bad := range []string{"", "12", "a b c"} {
		if _, err := parse([]byte(bad)); err == nil {
			t.Errorf("parse(%q): no error", bad)
		}
	}
}

func TestParseThrottled(t *testing.T) {
	v1 := "nr_periods 10\nnr_throttled 4\nthrottled_time 142000000\n"
	if d, err := ParseThrottled([]byte(v1), false); err != nil || d != 142*time.Millisecond {
		t.Errorf("v1: %v, %v", d, err)
	}
	v2 := "usage_usec 1\nuser_usec 1\nsystem_usec 0\nnr_periods 3\nnr_throttled 1\nthrottled_usec 2500\n"
	if d, err := ParseThrottled([]byte(v2), true); err != nil || d != 2500*time.Microsecond {
		t.Errorf("v2: %v, %v", d, err)
	}
	if d, err := ParseThrottled([]byte("usage_usec 5\n"), true); err != nil || d != 0 {
		t.Errorf("no quota: %v, %v", d, err)
	}
}

func TestSelf(t *testing.T) {
	u, err := Self()
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Threads) == 0 {
		t.Fatal("no thread of this process read")
	}
	var cpu time.Duration
	for _, th := range u.Threads {
		cpu += th.CPU
	}
	if cpu <= 0 {
		t.Errorf("threads ran %v", cpu)
	}
}

// BenchmarkSelf is what one reading costs the router, twice per invoke:
// go test -run '^$' -bench Self ./targets/internal/schedstat
func BenchmarkSelf(b *testing.B) {
	for b.Loop() {
		if _, err := Self(); err != nil {
			b.Fatal(err)
		}
	}
}
