package harness

import "testing"

func TestParseAutogroup(t *testing.T) {
	for _, c := range []struct {
		in   string
		nice int
		ok   bool
	}{
		{"/autogroup-6 nice 0\n", 0, true},
		{"/autogroup-118 nice -10\n", -10, true},
		{"/autogroup-6 nice\n", 0, false},
		{"", 0, false},
		{"/autogroup-6 weight 5\n", 0, false},
	} {
		if n, ok := parseAutogroup([]byte(c.in)); n != c.nice || ok != c.ok {
			t.Errorf("parseAutogroup(%q) = %d, %v; want %d, %v", c.in, n, ok, c.nice, c.ok)
		}
	}
}
