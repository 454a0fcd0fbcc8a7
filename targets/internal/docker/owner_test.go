package docker

import (
	"os"
	"testing"

	"github.com/coldbench/coldbench/targets/testkit"
)

func TestOwnerRoundTrip(t *testing.T) {
	for _, s := range []string{"vm:123:456", "host:with:colons:1:2", "h:1:0"} {
		o, ok := parseOwner(s)
		if !ok || o.String() != s {
			t.Errorf("parseOwner(%q) = %+v, %v", s, o, ok)
		}
	}
	for _, bad := range []string{"", "vm", "vm:1", ":1:2", "vm:x:2", "vm:1:y", "vm:0:2", "vm:-1:2"} {
		if o, ok := parseOwner(bad); ok {
			t.Errorf("parseOwner(%q) = %+v, want no owner", bad, o)
		}
	}
}

func TestParseStart(t *testing.T) {
	// Fields 3 (state) to 22 (starttime) after a comm with spaces and ')'.
	const stat = "42 (a) b) c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615"
	if start, ok := parseStart([]byte(stat)); !ok || start != 987654 {
		t.Errorf("parseStart = %d, %v; want 987654", start, ok)
	}
	zombie := "42 (a) Z 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 0 0"
	if _, ok := parseStart([]byte(zombie)); ok {
		t.Error("parseStart: a zombie counts as live")
	}
	if _, ok := parseStart([]byte("garbage")); ok {
		t.Error("parseStart parsed garbage")
	}
}

func TestOwnerAlive(t *testing.T) {
	me, err := self()
	if err != nil {
		t.Fatal(err)
	}
	if me.pid != os.Getpid() || !me.alive() {
		t.Errorf("self() = %+v, alive %v", me, me.alive())
	}
	reused := me
	reused.start++
	if reused.alive() {
		t.Error("a pid with another start time counts as alive")
	}
	gone := owner{host: me.host, pid: testkit.ExitedPID(t), start: me.start}
	if gone.alive() {
		t.Errorf("exited process %d counts as alive", gone.pid)
	}
}
