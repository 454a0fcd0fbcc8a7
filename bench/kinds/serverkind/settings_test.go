package serverkind_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/bench/kinds/all"
	"github.com/coldbench/coldbench/bench/kinds/serverkind"

	"github.com/coldbench/coldbench/bench/scenario"
)

const steady = "phases:\n  - {duration: 1s, shape: constant, rate: 1}\n"

func TestParseServerCommand(t *testing.T) {
	src := `targets:
  api:
    kind: server
    command: [node, app.js, --port, "{port}"]
    dir: app
    env: {NODE_ENV: production, EMPTY: }
    ready: /health
    start_timeout: 5s
  img:
    kind: server
    image: my-api:1
    port: 8080
    ready: {method: HEAD, path: /}
  plain:
    kind: server
` + steady
	s, err := scenario.Parse("cfg/x.yaml", []byte(src), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	api := serverkind.Settings(*s.Target("api"))
	want := serverkind.ServerConfig{
		Command: []string{"node", "app.js", "--port", "{port}"}, Dir: filepath.Join("cfg", "app"),
		Env: map[string]string{"NODE_ENV": "production", "EMPTY": ""}, Ready: &scenario.Request{Method: "GET", Path: "/health"},
		StartTimeout: 5 * time.Second,
	}
	if !reflect.DeepEqual(api, want) || !api.Own() {
		t.Errorf("api: got %+v, want %+v", api, want)
	}
	img := serverkind.Settings(*s.Target("img"))
	if img.Image != "my-api:1" || img.Port != 8080 || img.Ready == nil || img.Ready.Method != "HEAD" || img.StartTimeout != serverkind.DefaultStartTimeout {
		t.Errorf("img: %+v", img)
	}
	if p := serverkind.Settings(*s.Target("plain")); p.Own() || p.Dir != "" {
		t.Errorf("plain: %+v, want the built-in server", p)
	}
	// The shorthand's server section takes the keys too; dir defaults
	// to the scenario's folder.
	s, err = scenario.Parse("cfg/x.yaml", []byte("targets: [server]\nserver: {command: [./srv]}\n"+steady), all.Specs())
	if err != nil {
		t.Fatal(err)
	}
	if c := serverkind.Settings(*s.Target("server")); c.Dir != "cfg" || c.Ready != nil || c.StartTimeout != serverkind.DefaultStartTimeout {
		t.Errorf("shorthand: %+v", c)
	}
}

func TestParseServerCommandErrors(t *testing.T) {
	tests := []struct{ name, entry, want string }{
		{"both", "command: [a]\n    image: b\n    port: 1", "x.yaml:5: targets.api: command and image exclude each other"},
		{"no command", "dir: x", "x.yaml:4: targets.api.dir applies to your own server; add command"},
		{"work", "command: [a]\n    request_work: 1ms", "x.yaml:5: targets.api.request_work is the built-in server's simulated work"},
		{"empty", "command: []", "x.yaml:4: targets.api.command is empty"},
		{"string", "command: node app.js", "x.yaml:4: targets.api.command must be a list of a program and its arguments"},
		{"port with command", "command: [a]\n    port: 3", "x.yaml:5: targets.api.port is the container port of an image"},
		{"image without port", "image: b", "x.yaml:4: targets.api: an image needs port:"},
		{"bad port", "image: b\n    port: 70000", "x.yaml:5: targets.api.port must be 1 to 65535, not 70000"},
		{"PORT in env", "command: [a]\n    env: {PORT: 1}", "x.yaml:5: targets.api.env: PORT is set by coldbench"},
		{"bad ready", "command: [a]\n    ready: health", `x.yaml:5: targets.api.ready: "health" must start with /`},
		{"ready file", "command: [a]\n    ready: {targets_file: t.txt}", "targets.api.ready is one request"},
		{"timeout", "command: [a]\n    start_timeout: 0s", "x.yaml:5: targets.api.start_timeout must be above 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "targets:\n  api:\n    kind: server\n    " + tt.entry + "\n" + steady
			_, err := scenario.Parse("x.yaml", []byte(src), all.Specs())
			var es scenario.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v, want Errors", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got\n%v\nwant it to contain\n%s", err, tt.want)
			}
		})
	}
}
