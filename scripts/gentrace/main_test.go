package main

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite scenarios/traces/azure-day.csv")

// TestCommittedTrace checks that scenarios/traces/azure-day.csv is what
// gentrace writes for its defaults and seed 1; -update rewrites it.
func TestCommittedTrace(t *testing.T) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := write(w, generate(1, 30, 6)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "scenarios", "traces", "azure-day.csv")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("%s differs from gentrace -seed 1 (go test ./scripts/gentrace -update rewrites it)", path)
	}
	days := generate(1, 30, 6)
	night, afternoon := 0, 0
	for m, c := range days[0].counts {
		switch {
		case m < 5*60:
			night += c
		case m >= 14*60 && m < 16*60:
			afternoon += c
		}
	}
	if night > afternoon/10 {
		t.Errorf("api: %d requests from 0:00 to 5:00, %d from 14:00 to 16:00; want quiet nights", night, afternoon)
	}
}
