package testkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// Docker is a minimal client of the Docker Engine API for tests: it checks
// what the code under test did to the engine through another path than
// the code under test. It talks to DOCKER_HOST (unix:// or tcp:// without
// TLS) or else /var/run/docker.sock.
type Docker struct {
	client *http.Client
	base   string
}

// NewDocker returns a client of the engine at DOCKER_HOST or the default
// socket. It does not connect.
func NewDocker() (*Docker, error) {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		host = "unix:///var/run/docker.sock"
	}
	switch {
	case strings.HasPrefix(host, "unix://"):
		sock := strings.TrimPrefix(host, "unix://")
		tr := &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", sock)
			},
		}
		return &Docker{client: &http.Client{Transport: tr, Timeout: time.Minute}, base: "http://docker"}, nil
	case strings.HasPrefix(host, "tcp://") && os.Getenv("DOCKER_TLS_VERIFY") == "":
		tr := &http.Transport{Proxy: nil}
		return &Docker{client: &http.Client{Transport: tr, Timeout: time.Minute}, base: "http://" + strings.TrimPrefix(host, "tcp://")}, nil
	default:
		return nil, fmt.Errorf("DOCKER_HOST=%s: testkit speaks to unix:// and plain tcp:// engines only", host)
	}
}

// Ping checks that the engine answers.
func (d *Docker) Ping(ctx context.Context) error {
	var body []byte
	if err := d.do(ctx, http.MethodGet, "/_ping", &body); err != nil {
		return err
	}
	if string(body) != "OK" {
		return fmt.Errorf("docker /_ping answered %q", body)
	}
	return nil
}

// Get sends GET path (for instance /containers/ID/json) and decodes the
// JSON answer into out.
func (d *Docker) Get(ctx context.Context, path string, out any) error {
	return d.do(ctx, http.MethodGet, path, out)
}

// Post sends POST path without a body (for instance
// /containers/ID/kill).
func (d *Docker) Post(ctx context.Context, path string) error {
	return d.do(ctx, http.MethodPost, path, nil)
}

// Delete sends DELETE path (for instance /images/NAME?force=1).
func (d *Docker) Delete(ctx context.Context, path string) error {
	return d.do(ctx, http.MethodDelete, path, nil)
}

// ErrNotFound is Get's and Delete's error when the engine answers 404.
var ErrNotFound = errors.New("docker: not found")

// do sends a request; out is nil, a *[]byte for the raw body, or decoded
// from JSON.
func (d *Docker) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("%w: %s %s: %s", ErrNotFound, method, path, strings.TrimSpace(string(body)))
	case resp.StatusCode/100 != 2:
		return fmt.Errorf("docker %s %s: %s: %s", method, path, resp.Status, strings.TrimSpace(string(body)))
	}
	switch out := out.(type) {
	case nil:
		return nil
	case *[]byte:
		*out = body
		return nil
	default:
		return json.Unmarshal(body, out)
	}
}

// DockerContainer is a container as the engine lists it.
type DockerContainer struct {
	ID     string `json:"Id"`
	Image  string
	State  string
	Labels map[string]string
}

// Containers lists the containers, running or not, that carry every one
// of labels ("key=value" or "key").
func (d *Docker) Containers(ctx context.Context, labels ...string) ([]DockerContainer, error) {
	filters, err := json.Marshal(map[string][]string{"label": labels})
	if err != nil {
		return nil, err
	}
	var list []DockerContainer
	err = d.Get(ctx, "/containers/json?all=1&filters="+url.QueryEscape(string(filters)), &list)
	return list, err
}

// RequireDocker returns a client of the Docker engine, or ends t if none
// answers: see NoDocker.
func RequireDocker(t testing.TB) *Docker {
	t.Helper()
	d, err := NewDocker()
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = d.Ping(ctx)
	}
	if err != nil {
		NoDocker(t, err)
	}
	return d
}

// NoDocker ends t because no Docker engine answers (err says why): it
// skips t, unless the environment variable CI is "true", where an engine
// must be there and t fails instead.
func NoDocker(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("no Docker engine, and CI=true requires one: %v", err)
	}
	t.Skipf("skipped: no Docker engine answers (%v); with CI=true this fails instead", err)
}

// AwaitNoContainers fails t unless, within a generous deadline, no
// container carries every one of labels.
func AwaitNoContainers(t testing.TB, d *Docker, labels ...string) {
	t.Helper()
	var left []DockerContainer
	var err error
	cond := func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		left, err = d.Containers(ctx, labels...)
		return err == nil && len(left) == 0
	}
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("containers labelled %v left: %v (%v)", labels, left, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
