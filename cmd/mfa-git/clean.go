package main

import (
	"context"
	"fmt"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/stale"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

func (c *cli) clean(ctx context.Context, _ []string) error {
	home, err := userdir.Home()
	if err != nil {
		return err
	}
	removed, failed := stale.Clean(stale.DefaultStores(home), c.f.dryRun)
	verb := "removed"
	if c.f.dryRun {
		verb = "would remove"
	}
	for _, r := range removed {
		fmt.Fprintf(c.stdout, "mfa-git: %s %s\n", verb, r)
	}
	if len(removed) == 0 {
		fmt.Fprintln(c.stdout, "mfa-git: no stale CodeCommit passwords found")
	}
	for _, err := range failed {
		fmt.Fprintf(c.stderr, "mfa-git: warning: %v\n", err)
	}
	if len(failed) > 0 {
		return hint.Wrap(fmt.Errorf("clean could not check or remove everything (%d problem(s))", len(failed)), "see the warnings above; the entries listed were handled, the others were kept")
	}
	return nil
}
