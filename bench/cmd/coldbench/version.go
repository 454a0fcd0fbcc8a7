package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/coldbench/coldbench/targets/build"
)

// versionCmd prints coldbench's version: the module version go install
// recorded, or (devel) and the VCS revision for a build from a checkout,
// then the Go version, the platform and whether the binary is static, and
// the RIE version it builds.
func versionCmd(stdout io.Writer, args []string) error {
	if len(args) > 0 {
		return &usageError{fmt.Sprintf("version takes no arguments, got %v", args)}
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fmt.Errorf("this coldbench has no build information (built without module support?)")
	}
	fmt.Fprintf(stdout, "coldbench %s\n", version(bi))
	fmt.Fprintf(stdout, "%s %s/%s%s\n", bi.GoVersion, runtime.GOOS, runtime.GOARCH, cgo(bi))
	fmt.Fprintf(stdout, "aws-lambda-rie %s@%s (pinned)\n", build.RIEModule, build.RIEVersion)
	return nil
}

// version is the main module's version, with the VCS revision (and
// "+dirty" for uncommitted changes) when it is not a release.
func version(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	rev := settings["vcs.revision"]
	if rev == "" || strings.Contains(v, shortRev(rev)) {
		return v
	}
	if settings["vcs.modified"] == "true" {
		rev += "+dirty"
	}
	if t := settings["vcs.time"]; t != "" {
		rev += " " + t
	}
	return v + " " + rev
}

func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// cgo says whether the binary was built with cgo: then it is dynamically
// linked and cannot run in containers' FROM scratch images.
func cgo(bi *debug.BuildInfo) string {
	for _, s := range bi.Settings {
		if s.Key == "CGO_ENABLED" && s.Value == "1" {
			return ", CGO_ENABLED=1 (dynamically linked: for containers, " + build.StaticHint + ")"
		}
	}
	return ", static"
}
