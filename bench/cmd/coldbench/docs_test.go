package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestFlagsDocumented checks docs/commands.md against every command's
// flags, as -h prints them: each is in its command's section.
func TestFlagsDocumented(t *testing.T) {
	data, err := os.ReadFile("../../../docs/commands.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	flag := regexp.MustCompile(`(?m)^  -([a-z0-9-]+)`)
	for _, cmd := range []string{"run", "merge", "compare", "trend", "package"} {
		var stdout, stderr bytes.Buffer
		run(context.Background(), &stdout, &stderr, []string{cmd, "-h"})
		flags := flag.FindAllStringSubmatch(stderr.String()+stdout.String(), -1)
		if len(flags) == 0 {
			t.Errorf("coldbench %s -h printed no flags:\n%s", cmd, stderr.String())
			continue
		}
		_, section, ok := strings.Cut(doc, "\n### coldbench "+cmd+" ")
		if !ok {
			t.Errorf("docs/commands.md has no section ### coldbench %s", cmd)
			continue
		}
		if i := strings.Index(section, "\n### "); i >= 0 {
			section = section[:i]
		}
		for _, f := range flags {
			if !strings.Contains(section, "`-"+f[1]+"`") {
				t.Errorf("docs/commands.md, coldbench %s: flag -%s is not documented; add a row", cmd, f[1])
			}
		}
	}
}
