package lambdakind_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/lambdakind"

	"github.com/coldbench/coldbench/bench/scenario"
)

// TestFunctionCode checks the three forms of a function's own code, in a
// named target and in the shorthand's function section: paths resolve
// against the scenario file's folder, an image is a name.
func TestFunctionCode(t *testing.T) {
	const phases = "phases: [{duration: 1s, shape: constant, rate: 1}]\n"
	dir := filepath.Join("some", "where")
	for _, tt := range []struct {
		src  string
		want lambdakind.FunctionCode
	}{
		{"targets: {fn: {kind: lambda}}\n", lambdakind.FunctionCode{}},
		{"targets: {fn: {kind: lambda, bootstrap: bin/bootstrap}}\n",
			lambdakind.FunctionCode{Form: lambdakind.BootstrapCode, Path: filepath.Join(dir, "bin/bootstrap"), Line: 1}},
		{"targets:\n  fn:\n    kind: lambda\n    zip: /abs/fn.zip\n",
			lambdakind.FunctionCode{Form: lambdakind.ZipCode, Path: "/abs/fn.zip", Line: 4}},
		{"targets: {fn: {kind: lambda, image: 'my-fn:1'}}\n",
			lambdakind.FunctionCode{Form: lambdakind.ImageCode, Image: "my-fn:1", Line: 1}},
		{"targets: [lambda]\nfunction:\n  bootstrap: ../fn/bootstrap\n",
			lambdakind.FunctionCode{Form: lambdakind.BootstrapCode, Path: filepath.Join("some", "fn", "bootstrap"), Line: 3}},
	} {
		s, err := scenario.Parse(filepath.Join(dir, "x.yaml"), []byte(tt.src+phases), all.Specs())
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if got := lambdakind.Settings(s.Targets[0]).Code; got != tt.want {
			t.Errorf("%q: code %+v, want %+v", tt.src, got, tt.want)
		}
	}
}

// TestFunctionCodeErrors checks that two forms at once, an empty path or
// image, and a code key on a server are errors at file:line.
func TestFunctionCodeErrors(t *testing.T) {
	const phases = "phases: [{duration: 1s, shape: constant, rate: 1}]\n"
	for _, tt := range []struct{ src, want string }{
		{"targets:\n  fn:\n    kind: lambda\n    zip: fn.zip\n    bootstrap: bootstrap\n",
			"x.yaml:5: targets.fn.bootstrap: a function runs one code, and zip already names it at line 4"},
		{"targets: {fn: {kind: lambda, image: a, zip: b}}\n", "x.yaml:1: targets.fn.zip: a function runs one code, and image already names it"},
		{"targets: {fn: {kind: lambda, bootstrap: ''}}\n", "x.yaml:1: targets.fn.bootstrap is empty"},
		{"targets: {fn: {kind: lambda, image: ' '}}\n", "x.yaml:1: targets.fn.image is empty"},
		{"targets: {fn: {kind: lambda, zip: [a]}}\n", "x.yaml:1: targets.fn.zip"},
		{"targets: {api: {kind: server, bootstrap: b}}\n", "x.yaml:1: unknown key"},
		{"function:\n  zip: a.zip\n  image: b\n", "x.yaml:3: function.image: a function runs one code, and zip already names it at line 2"},
	} {
		_, err := scenario.Parse("x.yaml", []byte(tt.src+phases), all.Specs())
		var se scenario.Errors
		if err == nil || !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one containing %q", tt.src, err, tt.want)
		}
	}
}
