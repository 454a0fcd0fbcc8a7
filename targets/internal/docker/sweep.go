package docker

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Sweep removes the containers left by coldbench processes that are gone,
// killed before they could clean up (kill -9): those labelled
// org.coldbench=1 whose owner label names a process of this host that does
// not run any more, or whose pid now belongs to a process started at
// another time. It keeps the containers of live processes, this one's
// included, and those of other hosts or without an owner label, which it
// cannot judge. It returns how many it removed.
func Sweep(ctx context.Context) (removed int, err error) {
	host, err := os.Hostname()
	if err != nil {
		return 0, err
	}
	tc, err := Connect(ctx)
	if err != nil {
		return 0, err
	}
	defer tc.Close()
	found, err := ListByLabel(ctx, tc.Client(), LabelApp+"=1")
	if err != nil {
		return 0, fmt.Errorf("list containers: %w", err)
	}
	var errs []error
	for id, labels := range found {
		o, ok := parseOwner(labels[LabelOwner])
		if !ok || o.host != host || o.alive() {
			continue
		}
		if err := Remove(ctx, tc.Client(), id); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}
