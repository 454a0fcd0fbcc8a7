package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/runs"
	"github.com/coldbench/coldbench/targets/testkit"
)

// Every exit code of docs/commands.md's table is tested through the real built
// binary:
//
//	code  meaning       test
//	0     done          TestExitCodes/done (here): a short run of testdata/tiny.yaml
//	1     a failure     TestExitCodes/failure (here): the run folder cannot be written
//	2     bad input     TestExitCodes/bad_input/* (here): a scenario mistake, a folder,
//	                    an unreadable file (run as user nobody when the test is root),
//	                    an empty file, an unknown flag, a missing file;
//	                    TestBadInput (main_test.go) checks the same through run
//	3     a gate failed TestBrokenObjectiveExits3 (objectives_test.go): a broken
//	                    objective; TestCompareCommand (compare_test.go) checks
//	                    coldbench compare's gate through run
//	130   interrupted   TestInterrupt (interrupt_test.go): SIGINT; and
//	                    TestTerminateRemovesContainers: SIGTERM, where Docker answers
func TestExitCodes(t *testing.T) {
	c := buildCLI(t)

	t.Run("done", func(t *testing.T) {
		cmd, lines := c.start(t, "-id", "done", "-runtime", "process", "testdata/tiny.yaml")
		t.Cleanup(func() { testkit.AwaitNoProcesses(t, c.bin) })
		awaitExit(t, cmd, lines, 0)
		if _, err := os.Stat(filepath.Join(c.reports, "done", runs.ReportFile)); err != nil {
			t.Error("no report:", err)
		}
	})

	t.Run("failure", func(t *testing.T) {
		// A file where the reports folder should be: the run folder
		// cannot be made, after the targets were built and started.
		blocker := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(blocker, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd, lines := c.start(t, "-reports", filepath.Join(blocker, "reports"), "-runtime", "process", "testdata/tiny.yaml")
		t.Cleanup(func() { testkit.AwaitNoProcesses(t, c.bin) })
		var out strings.Builder
		for lines.Scan() {
			t.Log(lines.Text())
			out.WriteString(lines.Text() + "\n")
		}
		awaitExit(t, cmd, lines, 1)
		if !strings.Contains(out.String(), "creating the run folder") {
			t.Errorf("output does not say what failed")
		}
	})

	t.Run("bad input", func(t *testing.T) {
		dir := t.TempDir()
		write := func(name, text string, mode os.FileMode) string {
			p := filepath.Join(dir, name)
			if err := os.WriteFile(p, []byte(text), mode); err != nil {
				t.Fatal(err)
			}
			return p
		}
		bad := write("bad.yaml", "phases:\n  - {duration: 10, shape: constant, rate: 1}\n", 0o644)
		empty := write("empty.yaml", "", 0o644)
		comments := write("comments.yaml", "# only a comment\n", 0o644)
		unreadable := write("unreadable.yaml", "phases: [{duration: 1s, shape: idle}]\n", 0o000)
		folder := filepath.Join(dir, "scenarios")
		if err := os.Mkdir(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		write("scenarios/one.yaml", "phases: [{duration: 1s, shape: idle}]\n", 0o644)
		emptyFolder := filepath.Join(dir, "nothing")
		if err := os.Mkdir(emptyFolder, 0o755); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name string
			args []string
			want []string // in the message, in this order
		}{
			{"scenario mistake", []string{bad}, []string{bad + ":2: ", "has no unit"}},
			{"folder", []string{folder}, []string{"is a folder, not a file", filepath.Join(folder, "one.yaml")}},
			{"empty folder", []string{emptyFolder}, []string{"is a folder, not a file", "give the path of a scenario .yaml file"}},
			{"unreadable", []string{unreadable}, []string{"cannot be read: permission denied", "chmod a+r"}},
			{"empty", []string{empty}, []string{empty + ":1: empty scenario file; it needs at least a list of phases"}},
			{"only comments", []string{comments}, []string{comments + ":1: empty scenario file"}},
			{"missing", []string{filepath.Join(dir, "nope.yaml")}, []string{"nope.yaml: no such file"}},
			{"unknown flag", []string{"-no-such-flag"}, []string{"flag provided but not defined"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				run := c
				if tc.name == "unreadable" && os.Geteuid() == 0 {
					run = c.asNobody(t, dir)
				}
				bin := filepath.Join(dir, "bin")
				out := run.exit(t, 2, append([]string{"run", "-bin", bin, "-reports", filepath.Join(dir, "reports")}, tc.args...)...)
				rest := out
				for _, w := range tc.want {
					i := strings.Index(rest, w)
					if i < 0 {
						t.Fatalf("output lacks %q (in order):\n%s", w, out)
					}
					rest = rest[i+len(w):]
				}
				if _, err := os.Stat(bin); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s exists after bad input (%v): nothing should be built", bin, err)
				}
			})
		}
	})

	t.Run("bad code", func(t *testing.T) {
		// A target's code that cannot run is bad input too, found before
		// the run folder is made: exit 2, the file named, no run folder.
		dir := t.TempDir()
		notExec := filepath.Join(dir, "bootstrap")
		if err := os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, entry, want string }{
			{"missing bootstrap", "bootstrap: ./nope", filepath.Join(dir, "nope")},
			{"not executable", "bootstrap: ./bootstrap", notExec},
			{"server never starts", "kind: server\n    command: [./no-such-server]", "no-such-server"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				entry := "kind: lambda\n    runtime: process\n    " + tc.entry
				if strings.HasPrefix(tc.entry, "kind:") {
					entry = tc.entry
				}
				sc := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
				text := "targets:\n  mine:\n    " + entry + "\nphases: [{duration: 1s, shape: constant, rate: 1}]\n"
				if err := os.WriteFile(sc, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				reports := filepath.Join(dir, "reports-"+strings.ReplaceAll(tc.name, " ", "-"))
				out := c.exit(t, 2, "run", "-bin", c.bin, "-runtime", "process", "-reports", reports, sc)
				if !strings.Contains(out, "mine: ") || !strings.Contains(out, tc.want) {
					t.Errorf("output does not name the target and %s:\n%s", tc.want, out)
				}
				if entries, _ := os.ReadDir(reports); len(entries) > 0 {
					t.Errorf("%s holds %v after bad input: no run folder should be made", reports, entries)
				}
			})
		}
		testkit.AwaitNoProcesses(t, c.bin)
	})
}

// asNobody returns c running as user nobody through setpriv (util-linux),
// for a test running as root, which reads a file of mode 000 all the same;
// it makes the folders of c's binary and dir traversable for nobody. It
// skips t without setpriv.
func (c cli) asNobody(t *testing.T, dir string) cli {
	t.Helper()
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root, which reads a file of mode 000 all the same, and no setpriv to run as another user")
	}
	for _, d := range []string{filepath.Dir(c.exe), dir} {
		for ; d != "/" && d != "."; d = filepath.Dir(d) {
			if fi, err := os.Stat(d); err == nil && fi.Mode().Perm()&0o001 == 0 {
				if err := os.Chmod(d, fi.Mode().Perm()|0o011); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	c.wrap = []string{setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"}
	return c
}

// exit runs coldbench with args, checks that it exits with code, and
// returns what it wrote.
func (c cli) exit(t *testing.T, code int, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	argv := append(append(append([]string(nil), c.wrap...), c.exe), args...)
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	t.Logf("coldbench %v:\n%s", args, out)
	got := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		got = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if got != code {
		t.Fatalf("exit code %d, want %d", got, code)
	}
	return string(out)
}
