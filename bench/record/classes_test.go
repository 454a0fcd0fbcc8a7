package record

import (
	"slices"
	"testing"
)

func TestClassesOf(t *testing.T) {
	for kind, want := range map[string][]Class{
		"lambda": {All, Cold, Warm, Provisioned},
		"server": {All},
		"":       {All, Cold, Warm, Provisioned}, // unknown: every kind's
		"future": {All, Cold, Warm, Provisioned},
	} {
		if got := ClassesOf(kind); !slices.Equal(got, want) {
			t.Errorf("ClassesOf(%q) = %v, want %v", kind, got, want)
		}
	}
	if got := SortClasses("server", []Class{"zeta", Warm, All, "alpha", All}); !slices.Equal(got, []Class{All, "alpha", Warm, "zeta"}) {
		t.Errorf("SortClasses = %v: the kind's classes, then the others sorted, each once", got)
	}
}
