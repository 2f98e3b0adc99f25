package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/session"
)

func (c *cli) setup(ctx context.Context, args []string) error {
	if err := noArgs("setup", args); err != nil {
		return err
	}
	scope := "global"
	switch {
	case c.f.system && c.f.local:
		return usageError{msg: "--system and --local cannot be used together", hint: "choose one"}
	case c.f.system:
		scope = "system"
	case c.f.local:
		scope = "local"
	}
	g := gitcred.GitConfig{Scope: scope}
	if c.f.undo {
		changes, err := g.Unconfigure()
		report(c, changes, err, "git was not set up by mfa-git; nothing to remove")
		return err
	}
	if c.f.url != "" && c.f.region == "" {
		return usageError{msg: "--url needs --region", hint: "add the AWS region the repositories are in, e.g. --region eu-west-1"}
	}

	name := session.ProfileName(c.f.profile)
	helper := "mfa-git"
	if name != "default" {
		helper += " --profile " + name
	}
	entries := gitcred.Entries(helper)
	if c.f.url != "" {
		entries = append(entries, gitcred.Entry{Pattern: strings.TrimRight(c.f.url, "/"), Helper: helper + " --ignore-host-check --region " + c.f.region})
	}
	changes, err := g.Configure(entries)
	report(c, changes, err, fmt.Sprintf("git (%s config) is already set up for CodeCommit", scope))
	if err != nil {
		return err
	}
	// The git side is done; say what the profile still needs.
	if _, err := session.LoadProfile(ctx, name, session.DefaultFiles()); err != nil {
		fmt.Fprintf(c.stderr, "mfa-git: warning: %v\n", err)
		if h := session.Hint(err); h != "" {
			fmt.Fprintf(c.stderr, "mfa-git: hint: %s\n", h)
		}
	}
	return nil
}

func report(c *cli, changes []string, err error, none string) {
	for _, ch := range changes {
		fmt.Fprintln(c.stdout, "mfa-git: "+ch)
	}
	if err == nil && len(changes) == 0 {
		fmt.Fprintln(c.stdout, "mfa-git: "+none)
	}
}
