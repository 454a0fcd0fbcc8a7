package container

import (
	"context"
	"runtime"
	"strconv"
	"strings"

	"github.com/moby/moby/client"
)

// Networking. A container with a published port costs the engine a
// network namespace, a veth pair, NAT rules and a userland proxy per
// port, and every invoke crosses that proxy. Where the engine runs on
// this machine's own kernel and network (a local Linux engine that is
// not rootless), a container on the host's network costs none of that:
// measured here, docker run plus docker rm took 217 ms instead of 447 ms.
// Its RIE then listens on a loopback port of its own, and its Runtime API
// on another, both claimed by the provider for the container's life (two
// RIEs in one network namespace need distinct values for both addresses;
// targets/internal/portclaim hands out ports outside the kernel's
// ephemeral range that no other coldbench listener is given). Elsewhere (Docker
// Desktop, a rootless or remote engine) the RIE's port 8080 is published
// on 127.0.0.1.

// hostNetworkUsable reports whether containers on the engine's host network
// share this machine's loopback: a local Linux engine reached through a
// unix socket, not Docker Desktop's VM, not rootless (whose host network is
// its own namespace).
func hostNetworkUsable(ctx context.Context, c client.APIClient) bool {
	if runtime.GOOS != "linux" || !strings.HasPrefix(c.DaemonHost(), "unix://") {
		return false
	}
	info, err := c.Info(ctx, client.InfoOptions{})
	if err != nil {
		return false
	}
	if strings.Contains(info.Info.OperatingSystem, "Docker Desktop") {
		return false
	}
	for _, o := range info.Info.SecurityOptions {
		if strings.Contains(o, "rootless") {
			return false
		}
	}
	return true
}

// hostCmd is the RIE's arguments cmd on the host network: its invoke and
// Runtime API addresses on the given loopback ports first.
func hostCmd(cmd []string, invokePort, apiPort int) []string {
	return append([]string{
		"--runtime-interface-emulator-address", loopbackIP + ":" + strconv.Itoa(invokePort),
		"--runtime-api-address", loopbackIP + ":" + strconv.Itoa(apiPort),
	}, cmd...)
}
