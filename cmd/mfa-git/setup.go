package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/setup"
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
		return setup.Undo(in, c.note)
	}
	if c.f.url != "" && c.f.region == "" {
		return usage("--url needs --region", "add the AWS region the repositories are in, e.g. --region eu-west-1")
	}
	if err := c.checkSetupValues(); err != nil {
		return err
	}
	in.Profile = c.chooseProfile(c.f.url)
	in.URL, in.Region, in.MFASerial, in.Yes, in.CredentialProcess = c.f.url, c.f.region, c.f.mfaSerial, c.f.yes, c.f.cpProfile
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
		Say:     c.note,
		Warn:    c.warn,
	})
	if err != nil || !c.f.moveKeys {
		return err
	}
	return c.moveKeys(ctx, in.Profile)
}

// checkSetupValues refuses, before anything is written, values from the
// command line or environment that setup would write into a config file
// and that could change its structure or run as shell code there.
func (c *cli) checkSetupValues() error {
	if err := profile.CheckName(c.chooseProfile(c.f.url)); err != nil {
		return usage(err.Error(), hint.Of(err))
	}
	if c.f.cpProfile != "" {
		if err := profile.CheckName(c.f.cpProfile); err != nil {
			return usage("--credential-process-profile: "+err.Error(), "choose a name of letters, digits and - _ .")
		}
		// Its credential_process line names the source profile.
		if err := profile.CheckCredentialProcessName(runtime.GOOS, c.chooseProfile(c.f.url)); err != nil {
			return err
		}
	}
	if c.f.url != "" {
		if err := gitcred.CheckURLPattern(c.f.url); err != nil {
			return usage("--url: "+err.Error(), "give the https URL of the proxy or alias, e.g. --url https://git.example.com")
		}
	}
	if c.f.region != "" && !gitcred.ValidRegion(c.f.region) {
		return usage(fmt.Sprintf("--region: %q is not an AWS region", c.f.region), "give a region name such as eu-west-1 or us-gov-west-1")
	}
	if c.f.mfaSerial != "" {
		if err := profile.CheckMFASerial(c.f.mfaSerial); err != nil {
			return usage("--mfa-serial: "+err.Error(), hint.Of(err))
		}
	}
	return nil
}
