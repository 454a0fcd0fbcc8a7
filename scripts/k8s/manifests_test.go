// Package k8s holds the Kubernetes manifests that run coldbench load
// generators as an Indexed Job and merge their runs; its test checks them.
package k8s

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The parts of the Kubernetes objects the test reads.
type (
	object struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec yaml.Node `yaml:"spec"`
		file string
	}
	jobSpec struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    *int   `yaml:"completions"`
		Parallelism    *int   `yaml:"parallelism"`
		BackoffLimit   *int   `yaml:"backoffLimit"`
		Template       struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	}
	podSpec struct {
		RestartPolicy string `yaml:"restartPolicy"`
		Volumes       []struct {
			Name                  string `yaml:"name"`
			PersistentVolumeClaim *struct {
				ClaimName string `yaml:"claimName"`
			} `yaml:"persistentVolumeClaim"`
		} `yaml:"volumes"`
		InitContainers []container `yaml:"initContainers"`
		Containers     []container `yaml:"containers"`
	}
	container struct {
		Name       string   `yaml:"name"`
		Image      string   `yaml:"image"`
		WorkingDir string   `yaml:"workingDir"`
		Command    []string `yaml:"command"`
		Args       []string `yaml:"args"`
		Env        []struct {
			Name      string `yaml:"name"`
			Value     string `yaml:"value"`
			ValueFrom *struct {
				FieldRef *struct {
					FieldPath string `yaml:"fieldPath"`
				} `yaml:"fieldRef"`
			} `yaml:"valueFrom"`
		} `yaml:"env"`
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	}
	pvcSpec struct {
		AccessModes []string `yaml:"accessModes"`
	}
)

// load parses every document of every manifest in this folder.
func load(t *testing.T) []object {
	t.Helper()
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	var objs []object
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(r)
		for {
			var o object
			err := dec.Decode(&o)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			o.file = f
			if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
				t.Errorf("%s: a document without apiVersion, kind or metadata.name", f)
			}
			objs = append(objs, o)
		}
		r.Close()
	}
	return objs
}

// flag returns the value after flag name in args.
func flagValue(args []string, name string) (string, bool) {
	i := slices.Index(args, name)
	if i < 0 || i+1 >= len(args) {
		return "", false
	}
	return args[i+1], true
}

// env returns the value of variable name of c, and whether c sets it.
func env(c container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil {
				return "fieldRef:" + e.ValueFrom.FieldRef.FieldPath, true
			}
			return e.Value, true
		}
	}
	return "", false
}

// mount returns where c mounts the volume named vol.
func mount(c container, vol string) string {
	for _, m := range c.VolumeMounts {
		if m.Name == vol {
			return m.MountPath
		}
	}
	return ""
}

// shared returns the name of the pod's volume backed by claim, and checks
// that every container mounts it at the same place, which it returns.
func shared(t *testing.T, what string, p podSpec, claim string) (string, string) {
	t.Helper()
	vol := ""
	for _, v := range p.Volumes {
		if v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName == claim {
			vol = v.Name
		}
	}
	if vol == "" {
		t.Fatalf("%s: no volume of the claim %s", what, claim)
	}
	at := ""
	for _, c := range append(slices.Clone(p.InitContainers), p.Containers...) {
		m := mount(c, vol)
		if m == "" || (at != "" && m != at) {
			t.Errorf("%s: container %s mounts the shared volume at %q, want it mounted, at one place (%q)", what, c.Name, m, at)
		}
		if at == "" {
			at = m
		}
	}
	return vol, at
}

// TestManifests checks the manifests: a ReadWriteMany claim, an Indexed Job
// of N generators each running coldbench run at 1/N of the rates into a
// run folder of its own on the claim, and a merge Job that merges exactly
// those run folders.
func TestManifests(t *testing.T) {
	var claim string
	var gen, merge *jobSpec
	for _, o := range load(t) {
		switch o.Kind {
		case "PersistentVolumeClaim":
			var s pvcSpec
			if err := o.Spec.Decode(&s); err != nil {
				t.Fatalf("%s: %v", o.file, err)
			}
			if o.APIVersion != "v1" || !slices.Contains(s.AccessModes, "ReadWriteMany") {
				t.Errorf("%s: %s %v, want v1 ReadWriteMany: every generator's pod writes to it", o.file, o.APIVersion, s.AccessModes)
			}
			claim = o.Metadata.Name
		case "Job":
			var s jobSpec
			if err := o.Spec.Decode(&s); err != nil {
				t.Fatalf("%s: %v", o.file, err)
			}
			if o.APIVersion != "batch/v1" || s.Template.Spec.RestartPolicy != "Never" || s.BackoffLimit == nil || *s.BackoffLimit != 0 {
				t.Errorf("%s: want batch/v1, restartPolicy Never and backoffLimit 0: a generator run again would not run with the others", o.file)
			}
			if len(s.Template.Spec.Containers) != 1 {
				t.Fatalf("%s: %d containers, want 1", o.file, len(s.Template.Spec.Containers))
			}
			switch cmd := s.Template.Spec.Containers[0].Args; {
			case len(cmd) > 0 && cmd[0] == "run":
				gen = &s
			case len(cmd) > 0 && cmd[0] == "merge":
				merge = &s
			default:
				t.Errorf("%s: runs %v, want coldbench run or merge", o.file, cmd)
			}
		default:
			t.Errorf("%s: unexpected kind %s", o.file, o.Kind)
		}
	}
	if claim == "" || gen == nil || merge == nil {
		t.Fatalf("want a claim, a generators Job and a merge Job; have %q, %v, %v", claim, gen != nil, merge != nil)
	}

	// The generators.
	if gen.CompletionMode != "Indexed" || gen.Completions == nil || gen.Parallelism == nil || *gen.Completions != *gen.Parallelism || *gen.Completions < 2 {
		t.Fatalf("generators: completionMode %q, completions %v, parallelism %v; want Indexed, completions = parallelism = N >= 2",
			gen.CompletionMode, gen.Completions, gen.Parallelism)
	}
	n := *gen.Completions
	_, at := shared(t, "generators", gen.Template.Spec, claim)
	g := gen.Template.Spec.Containers[0]
	if !slices.Equal(g.Command, []string{"coldbench"}) || g.WorkingDir == "" {
		t.Errorf("generator: command %v in %q, want coldbench in the module's folder (it builds its targets from it)", g.Command, g.WorkingDir)
	}
	if rt, _ := flagValue(g.Args, "-runtime"); rt != "process" {
		t.Errorf("generator: -runtime %q, want process: a pod has no Docker engine", rt)
	}
	scale, _ := flagValue(g.Args, "-rate-scale")
	if f, err := strconv.ParseFloat(scale, 64); err != nil || math.Abs(f*float64(n)-1) > 0.01 {
		t.Errorf("generator: -rate-scale %q, want 1/%d as a decimal", scale, n)
	}
	if id, _ := flagValue(g.Args, "-id"); id != "gen-$(JOB_COMPLETION_INDEX)" {
		t.Errorf("generator: -id %q, want gen-$(JOB_COMPLETION_INDEX)", id)
	}
	if v, _ := env(g, "JOB_COMPLETION_INDEX"); !strings.Contains(v, "batch.kubernetes.io/job-completion-index") {
		t.Errorf("generator: JOB_COMPLETION_INDEX is %q; $(JOB_COMPLETION_INDEX) in args needs it set from the completion index", v)
	}
	reports, _ := flagValue(g.Args, "-reports")
	if !strings.HasPrefix(reports, at+"/") {
		t.Errorf("generator: -reports %q is not on the shared volume, mounted at %q", reports, at)
	}
	if sc := g.Args[len(g.Args)-1]; !strings.HasSuffix(sc, ".yaml") {
		t.Errorf("generator: last argument %q, want the scenario file", sc)
	} else if _, err := os.Stat(filepath.Join("..", "..", sc)); err != nil {
		t.Errorf("generator: scenario %s: %v", sc, err)
	}
	for _, c := range gen.Template.Spec.InitContainers {
		if v, ok := env(c, "GENERATORS"); ok && v != strconv.Itoa(n) {
			t.Errorf("generators: init container %s waits for %s generators, the Job runs %d", c.Name, v, n)
		}
	}

	// The merge reads exactly what the generators write.
	if merge.CompletionMode == "Indexed" {
		t.Error("merge: one pod, not Indexed")
	}
	_, mat := shared(t, "merge", merge.Template.Spec, claim)
	m := merge.Template.Spec.Containers[0]
	out, _ := flagValue(m.Args, "-o")
	if !strings.HasPrefix(out, mat+"/") {
		t.Errorf("merge: -o %q is not on the shared volume, mounted at %q", out, mat)
	}
	var want []string
	for i := range n {
		want = append(want, filepath.Join(mat, strings.TrimPrefix(reports, at), fmt.Sprintf("gen-%d", i)))
	}
	if got := m.Args[slices.Index(m.Args, out)+1:]; !slices.Equal(got, want) {
		t.Errorf("merge: merges %v, the generators write %v", got, want)
	}
	for _, c := range merge.Template.Spec.InitContainers {
		if v, ok := env(c, "GENERATORS"); ok && v != strconv.Itoa(n) {
			t.Errorf("merge: init container %s waits for %s generators, the Job runs %d", c.Name, v, n)
		}
		if script := strings.Join(c.Args, " "); !strings.Contains(script, reports+"/gen-") {
			t.Errorf("merge: init container %s does not wait for the run folders under %s", c.Name, reports)
		}
	}
}
