package main

import (
	"context"
	"errors"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/setup"
)

func (c *cli) setup(ctx context.Context, _ []string) error {
	in := setup.Input{Scope: "global", StateDir: setup.StateDir()}
	switch {
	case c.f.system && c.f.local:
		return usage("--system and --local cannot be used together", "choose one")
	case c.f.system:
		in.Scope = "system"
	case c.f.local:
		in.Scope = "local"
	}
	if c.f.undo {
		return setup.Undo(in, c.say)
	}
	if c.f.url != "" && c.f.region == "" {
		return usage("--url needs --region", "add the AWS region the repositories are in, e.g. --region eu-west-1")
	}
	in.Profile = c.chooseProfile(c.f.url)
	in.URL, in.Region, in.MFASerial, in.Yes, in.CredentialProcess = c.f.url, c.f.region, c.f.mfaSerial, c.f.yes, c.f.cpProfile
	if err := in.Check(); errors.Is(err, setup.ErrBadInput) {
		return usage(err.Error(), hint.Of(err))
	} else if err != nil {
		return err
	}
	var err error
	if in.Files, err = profile.DefaultFiles(); err != nil {
		return err
	}
	err = setup.Run(ctx, in, setup.Env{
		Store: func() (keystore.Store, error) {
			m, err := c.manager(ctx)
			if err != nil {
				return nil, err
			}
			return m.Store, nil
		},
		IAM:     awsapi.Client{},
		Confirm: c.set.terminal().Confirm,
		Say:     c.say,
		Warn:    c.warn,
	})
	if err != nil || !c.f.moveKeys {
		return err
	}
	return c.moveKeys(ctx, in.Profile)
}
