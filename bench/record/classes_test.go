package record

import (
	"slices"
	"testing"
)

func TestSortClasses(t *testing.T) {
	if got := SortClasses([]Class{"zeta", Warm, All, "alpha", All, Cold}); !slices.Equal(got, []Class{All, Cold, Warm, "alpha", "zeta"}) {
		t.Errorf("SortClasses = %v: the known classes in their order, then the others sorted, each once", got)
	}
}
