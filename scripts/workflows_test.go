// Package scripts holds the repository's shell scripts; its test checks
// them and the GitHub workflows that call them.
package scripts

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow file the test reads.
type workflow struct {
	Name        string
	On          map[string]yaml.Node `yaml:"on"`
	Permissions yaml.Node
	Jobs        map[string]job
}

// job is one job of a workflow.
type job struct {
	Needs       yaml.Node
	If          string
	Permissions map[string]string
	Environment yaml.Node
	Outputs     map[string]string
	Steps       []step
}

// step is one step of a job.
type step struct {
	ID   string
	Name string
	If   string
	Uses string
	Run  string
	With map[string]string
	Env  map[string]string
}

// root is the repository, the parent of this package's folder.
const root = ".."

// readWorkflow parses .github/workflows/name.
func readWorkflow(t *testing.T, name string) *workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(w.Jobs) == 0 {
		t.Fatalf("%s has no jobs", name)
	}
	return &w
}

// steps returns every step of w, with the name of its job.
func (w *workflow) steps() map[string][]step {
	out := map[string][]step{}
	for name, j := range w.Jobs {
		out[name] = j.Steps
	}
	return out
}

// uses returns the steps of w that use the action (owner/name, any version).
func (w *workflow) uses(action string) []step {
	var out []step
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, action+"@") {
				out = append(out, s)
			}
		}
	}
	return out
}

func TestCITriggersAndCommand(t *testing.T) {
	w := readWorkflow(t, "ci.yml")
	for _, ev := range []string{"push", "pull_request"} {
		if _, ok := w.On[ev]; !ok {
			t.Errorf("ci.yml does not run on %s", ev)
		}
	}
	setupGo(t, "ci.yml", w)
	var runs []string
	for _, j := range w.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, strings.TrimSpace(s.Run))
		}
	}
	if !slices.Contains(runs, "bash .ci/run") && !slices.Contains(runs, "make test") {
		t.Errorf("ci.yml runs neither bash .ci/run nor make test: %q", runs)
	}
}

func TestNightlyTriggers(t *testing.T) {
	w := readWorkflow(t, "nightly.yml")
	sched, ok := w.On["schedule"]
	if !ok {
		t.Fatal("nightly.yml has no schedule")
	}
	var crons []struct{ Cron string }
	if err := sched.Decode(&crons); err != nil || len(crons) == 0 || len(strings.Fields(crons[0].Cron)) != 5 {
		t.Errorf("nightly.yml schedule = %v (%v), want a list of 5-field crons", crons, err)
	}
	if _, ok := w.On["workflow_dispatch"]; !ok {
		t.Error("nightly.yml cannot be run by hand: no workflow_dispatch")
	}
	setupGo(t, "nightly.yml", w)
}

// setupGo checks that w installs the Go of go.mod.
func setupGo(t *testing.T, name string, w *workflow) {
	t.Helper()
	for _, s := range w.uses("actions/setup-go") {
		if s.With["go-version-file"] != "go.mod" {
			t.Errorf("%s: setup-go with %v, want go-version-file: go.mod", name, s.With)
		}
		return
	}
	t.Errorf("%s does not use actions/setup-go", name)
}

func TestNightlyPermissions(t *testing.T) {
	w := readWorkflow(t, "nightly.yml")
	if w.Permissions.Kind != yaml.MappingNode || len(w.Permissions.Content) != 0 {
		t.Error("nightly.yml: the workflow's permissions must be {}, each job saying what it needs")
	}
	// What a step does, by the action it uses or the command it runs, and
	// the permissions its job needs for that.
	want := []struct {
		does  func(s step) bool
		what  string
		perms map[string]string
	}{
		{usesAction("actions/deploy-pages"), "deploys to Pages", map[string]string{"pages": "write", "id-token": "write"}},
		{usesAction("actions/download-artifact"), "downloads an artifact of another run", map[string]string{"actions": "read"}},
		{runs("gh run list"), "lists runs", map[string]string{"actions": "read"}},
		{runs("nightly-history.sh push"), "pushes gh-pages", map[string]string{"contents": "write"}},
	}
	for _, wt := range want {
		found := false
		for name, j := range w.Jobs {
			if !slices.ContainsFunc(j.Steps, wt.does) {
				continue
			}
			found = true
			for perm, level := range wt.perms {
				if j.Permissions[perm] != level {
					t.Errorf("nightly.yml job %s %s but has %s: %q, want %q", name, wt.what, perm, j.Permissions[perm], level)
				}
			}
		}
		if !found {
			t.Errorf("no job of nightly.yml %s", wt.what)
		}
	}
	for name, j := range w.Jobs {
		if len(j.Permissions) == 0 {
			t.Errorf("nightly.yml job %s says nothing of its permissions", name)
		}
		for perm, level := range j.Permissions {
			if level == "write" && !slices.Contains([]string{"contents", "pages", "id-token"}, perm) {
				t.Errorf("nightly.yml job %s: %s: write is more than the nightly needs", name, perm)
			}
		}
		if slices.ContainsFunc(j.Steps, func(s step) bool { return strings.HasPrefix(s.Uses, "actions/deploy-pages@") }) {
			var env struct{ Name string }
			if err := j.Environment.Decode(&env); err != nil || env.Name != "github-pages" {
				t.Errorf("nightly.yml job %s deploys Pages outside the github-pages environment", name)
			}
		}
	}
}

func TestNightlyPublishes(t *testing.T) {
	w := readWorkflow(t, "nightly.yml")
	up := w.uses("actions/upload-artifact")
	if len(up) == 0 {
		t.Fatal("nightly.yml uploads no artifact")
	}
	down := w.uses("actions/download-artifact")
	if len(down) == 0 {
		t.Fatal("nightly.yml does not download the previous night")
	}
	if up[0].With["name"] != down[0].With["name"] || down[0].With["run-id"] == "" || down[0].With["github-token"] == "" {
		t.Errorf("nightly.yml downloads %v, uploads %v: want the same artifact, from another run (run-id, github-token)", down[0].With, up[0].With)
	}
	if !strings.Contains(up[0].If, "!cancelled()") {
		t.Errorf("the run folder is uploaded if %q: a failed night must be uploaded too", up[0].If)
	}
	if pages := w.uses("actions/upload-pages-artifact"); len(pages) == 0 {
		t.Error("nightly.yml does not publish to GitHub Pages")
	}
	// The job summary is written by the script the workflow runs.
	nightly, err := os.ReadFile(filepath.Join(root, "scripts", "nightly.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(nightly), `>>"$GITHUB_STEP_SUMMARY"`) {
		t.Error("scripts/nightly.sh does not append to $GITHUB_STEP_SUMMARY")
	}
	ran := false
	for _, steps := range w.steps() {
		for _, s := range steps {
			ran = ran || strings.Contains(s.Run, "scripts/nightly.sh")
		}
	}
	if !ran {
		t.Error("nightly.yml does not run scripts/nightly.sh")
	}
}

// usesAction returns whether a step uses action (owner/name, any version).
func usesAction(action string) func(s step) bool {
	return func(s step) bool { return strings.HasPrefix(s.Uses, action+"@") }
}

// runs returns whether a step runs command, itself or in the script it
// calls.
func runs(command string) func(s step) bool {
	return func(s step) bool {
		if strings.Contains(s.Run, command) {
			return true
		}
		for _, m := range scriptRef.FindAllStringSubmatch(s.Run, -1) {
			if m[1] == "" {
				continue
			}
			body, err := os.ReadFile(filepath.Join(root, m[1]))
			if err == nil && strings.Contains(string(body), command) {
				return true
			}
		}
		return false
	}
}

// scriptRef finds the repository's scripts and make targets in a command
// line: `scripts/x.sh`, `bash .ci/run`, `make target`.
var scriptRef = regexp.MustCompile(`(?:^|[\s;&|(])(?:bash\s+)?(\.?/?(?:scripts|\.ci)/[\w./-]+)|(?:^|[\s;&|(])make\s+((?:-\S+\s+)*)([\w.-]+)`)

func TestRunStepsReferToWhatExists(t *testing.T) {
	targets := makeTargets(t)
	for _, name := range []string{"ci.yml", "nightly.yml"} {
		w := readWorkflow(t, name)
		for jobName, steps := range w.steps() {
			for _, s := range steps {
				if s.Run == "" {
					continue
				}
				where := name + " job " + jobName + " step " + strings.TrimSpace(s.Name+" "+s.ID)
				refs := scriptRef.FindAllStringSubmatch(s.Run, -1)
				if len(refs) == 0 {
					t.Errorf("%s: run %q calls no script of the repository nor make target; keep the logic in scripts/ so it runs locally", where, s.Run)
				}
				for _, m := range refs {
					if m[1] != "" {
						script := filepath.Join(root, strings.TrimPrefix(m[1], "./"))
						info, err := os.Stat(script)
						switch {
						case err != nil:
							t.Errorf("%s: %s: %v", where, m[1], err)
						case !strings.HasPrefix(s.Run, "bash ") && info.Mode()&0o111 == 0:
							t.Errorf("%s: %s is not executable", where, m[1])
						}
						continue
					}
					if !targets[m[3]] {
						t.Errorf("%s: make %s: no such target in the Makefile", where, m[3])
					}
				}
			}
		}
	}
}

// makeTargets returns the targets the Makefile defines.
func makeTargets(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rule := regexp.MustCompile(`^([\w.-]+(?:\s+[\w.-]+)*)\s*:([^=]|$)`)
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := rule.FindStringSubmatch(sc.Text()); m != nil {
			for _, name := range strings.Fields(m[1]) {
				out[name] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if !out["test"] {
		t.Fatalf("found no test target in the Makefile (parsed %v)", out)
	}
	return out
}

func TestScriptsParse(t *testing.T) {
	scripts, err := filepath.Glob("*.sh")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts (%v)", err)
	}
	scripts = append(scripts, filepath.Join(root, ".ci", "run"))
	for _, s := range scripts {
		if out, err := exec.Command("bash", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s, err, out)
		}
	}
}

func TestActionsPinned(t *testing.T) {
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$`)
	for _, name := range []string{"ci.yml", "nightly.yml"} {
		w := readWorkflow(t, name)
		for jobName, steps := range w.steps() {
			for _, s := range steps {
				if s.Uses != "" && !pinned.MatchString(s.Uses) {
					t.Errorf("%s job %s: uses %q, want owner/name@vN or a commit", name, jobName, s.Uses)
				}
			}
		}
	}
}
