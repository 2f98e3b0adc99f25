package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/doctor"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
)

func (c *cli) doctor(ctx context.Context, args []string) error {
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	sock, _ := c.agentSocket()
	repo := ""
	if len(args) == 1 {
		repo = args[0]
	}
	env := doctor.Env{
		Profile:     c.chooseProfile(repo),
		Files:       files,
		Store:       func() (keystore.Store, error) { return c.openStore(ctx) },
		AgentSocket: sock,
		Agent:       c.useAgent(),
	}
	if len(args) == 1 {
		env.URL = args[0]
	}
	env.SetupHint = "mfa-git setup --profile " + profile.ShellQuote(env.Profile)
	if u, err := url.Parse(env.URL); err == nil && env.URL != "" && !gitcred.IsCodeCommitHost(u.Host) {
		env.SetupHint += fmt.Sprintf(" --url %s://%s --region REGION", u.Scheme, u.Host)
	}
	if m, err := c.lookingManager(ctx); err == nil {
		m.Broker = nil // read the keyring itself; start nothing
		env.Manager = m
	}
	checks := doctor.Run(ctx, env)
	if c.f.json {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(checks); err != nil {
			return err
		}
	} else {
		for _, ch := range checks {
			fmt.Fprintf(c.stdout, "%-4s  %-16s %s\n", ch.Status, ch.Name, ch.Detail)
			if ch.Fix != "" && ch.Status != doctor.OK {
				fmt.Fprintf(c.stdout, "      %-16s fix: %s\n", "", ch.Fix)
			}
		}
	}
	if doctor.Failed(checks) {
		return exitError{1}
	}
	return nil
}
