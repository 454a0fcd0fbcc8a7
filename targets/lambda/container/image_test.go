package container_test

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coldbench/coldbench/targets/lambda"
	"github.com/coldbench/coldbench/targets/lambda/container"
	"github.com/coldbench/coldbench/targets/testkit"
)

// imageIDs lists the ids of the images labelled org.coldbench=1 that are
// tagged tag or dangling, which a rebuild under tag would leave: other
// packages' tests may build other images meanwhile.
func imageIDs(t *testing.T, d *testkit.Docker, tag string) []string {
	t.Helper()
	var ids []string
	for _, filter := range []string{`"reference":["` + tag + `"]`, `"dangling":["true"]`} {
		var list []struct {
			ID string `json:"Id"`
		}
		filters := url.QueryEscape(`{"label":["` + container.LabelApp + `=1"],` + filter + `}`)
		if err := d.Get(context.Background(), "/images/json?filters="+filters, &list); err != nil {
			t.Fatal(err)
		}
		for _, img := range list {
			ids = append(ids, img.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestBuildImageOnce builds an image of its own, from a bootstrap with a
// unique tail (an ELF file runs with bytes appended), so that the build
// really happens, then asks again: same tag, no new image.
func TestBuildImageOnce(t *testing.T) {
	d, _ := requireImage(t)
	b := kit.Binaries(t)
	bootstrap := filepath.Join(t.TempDir(), "bootstrap")
	appendCopy(t, bootstrap, b.Bootstrap, fmt.Sprintf("\ncoldbench test %d %d\n", os.Getpid(), time.Now().UnixNano()))

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	t0 := time.Now()
	tag, err := container.BuildImage(ctx, b.RIE, bootstrap)
	if tag != "" {
		t.Cleanup(func() {
			if err := d.Delete(context.Background(), "/images/"+tag+"?force=1"); err != nil {
				t.Errorf("remove image %s: %v", tag, err)
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first BuildImage: %s in %v", tag, time.Since(t0))
	if !regexp.MustCompile(`^coldbench-lambda:[0-9a-f]{12}$`).MatchString(tag) {
		t.Errorf("tag %q, want coldbench-lambda:<12 hex digits>", tag)
	}
	var img struct {
		ID     string `json:"Id"`
		Config struct {
			Labels     map[string]string
			Entrypoint []string
			Cmd        []string
		}
		RootFS   struct{ Layers []string }
		Metadata struct{ LastTagTime string } // a rebuild, even from the cache, tags again
	}
	if err := d.Get(ctx, "/images/"+tag+"/json", &img); err != nil {
		t.Fatal(err)
	}
	if img.Config.Labels[container.LabelApp] != "1" || len(img.Config.Entrypoint) != 1 || !strings.HasSuffix(img.Config.Entrypoint[0], "/aws-lambda-rie") || len(img.RootFS.Layers) == 0 || len(img.RootFS.Layers) > 3 {
		t.Errorf("image %s: labels %v, entrypoint %v, cmd %v, %d layers; want org.coldbench=1, the RIE, the COPY layers only (FROM scratch)",
			tag, img.Config.Labels, img.Config.Entrypoint, img.Config.Cmd, len(img.RootFS.Layers))
	}

	before := imageIDs(t, d, tag)
	t0 = time.Now()
	again, err := container.BuildImage(ctx, b.RIE, bootstrap)
	if err != nil || again != tag {
		t.Fatalf("second BuildImage: %q, %v; want %q", again, err, tag)
	}
	t.Logf("second BuildImage: %v", time.Since(t0))
	img2 := img
	if err := d.Get(ctx, "/images/"+tag+"/json", &img2); err != nil || img2.ID != img.ID || img2.Metadata != img.Metadata {
		t.Errorf("image %s tagged %s after the second BuildImage, was %s tagged %s: it built (%v)",
			img2.ID, img2.Metadata.LastTagTime, img.ID, img.Metadata.LastTagTime, err)
	}
	if after := imageIDs(t, d, tag); !slices.Equal(before, after) {
		t.Errorf("images before the second BuildImage %v, after %v: it built", before, after)
	}

	// Another bootstrap is another image.
	if _, shared := requireImage(t); shared == tag {
		t.Errorf("two bootstraps, one tag %s", tag)
	}

	// The image runs the function.
	p, err := container.New(tag)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
		owner, _ := container.Owner()
		testkit.AwaitNoContainers(t, d, container.LabelOwner+"="+owner)
	})
	env, err := p.Start(ctx, lambda.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	if status, body := testkit.Invoke(t, env.InvokeURL(), testkit.OrderEvent); status != 200 || !strings.Contains(body, "Order created!") {
		t.Errorf("invoke in the new image: %d %q", status, body)
	}
}

// appendCopy copies src to a new executable dst with extra appended.
func appendCopy(t *testing.T, dst, src, extra string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(out, extra); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBuildImageRefusesDynamic checks that a dynamically linked bootstrap,
// as a coldbench installed without CGO_ENABLED=0 would be, is refused with
// a message that says how to get a static one, before Docker is asked.
func TestBuildImageRefusesDynamic(t *testing.T) {
	b := kit.Binaries(t)
	sh, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		t.Skip("no /bin/sh to stand for a dynamic binary")
	}
	_, err = container.BuildImage(context.Background(), b.RIE, sh)
	if err == nil || !strings.Contains(err.Error(), "dynamically linked") || !strings.Contains(err.Error(), "CGO_ENABLED=0 go install") {
		t.Errorf("BuildImage with %s: %v, want a dynamically linked error that says how to install", sh, err)
	}
}
