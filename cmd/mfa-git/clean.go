package main

import (
	"context"
	"fmt"
	"os/exec"
	"runtime"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/keystore"
)

func (c *cli) clean(ctx context.Context, args []string) error {
	if err := noArgs("clean", args); err != nil {
		return err
	}
	home, err := userdir.Home()
	if err != nil {
		return err
	}
	match := gitcred.IsCodeCommitHost
	var removed []string
	var failed []error
	add := func(r []string, err error) {
		removed = append(removed, r...)
		if err != nil {
			failed = append(failed, err)
		}
	}
	for _, f := range gitcred.StoreFiles(home, userdir.AbsEnv("XDG_CONFIG_HOME")) {
		add(gitcred.CleanStoreFile(f, c.f.dryRun))
	}
	if runtime.GOOS == "darwin" {
		if security, err := exec.LookPath("security"); err == nil {
			add(keystore.CleanMacKeychain(security, match, c.f.dryRun))
		}
	}
	add(keystore.CleanLibsecret(match, c.f.dryRun))
	add(keystore.CleanWinCred(match, c.f.dryRun))

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
		return hintErr{fmt.Errorf("%d store(s) could not be cleaned", len(failed)), "see the warnings above; entries already listed were handled"}
	}
	return nil
}
