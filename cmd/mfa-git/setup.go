package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/doctor"
	"github.com/mfa-git/mfa-git/gitconfig"
	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/profile"
)

func (c *cli) setup(ctx context.Context, _ []string) error {
	scope := "global"
	switch {
	case c.f.system && c.f.local:
		return usage("--system and --local cannot be used together", "choose one")
	case c.f.system:
		scope = "system"
	case c.f.local:
		scope = "local"
	}
	g := gitconfig.File{Scope: scope, StateDir: setupStateDir()}
	if c.f.undo {
		changes, err := g.Unconfigure()
		report(c, changes, err, "git was not set up by mfa-git; nothing to remove")
		if errors.Is(err, gitconfig.ErrSyntax) {
			return hint.Wrap(err, fmt.Sprintf("fix that line (git config --%s --list shows git's own complaint), then run setup --undo again", scope))
		}
		return err
	}
	if c.f.url != "" && c.f.region == "" {
		return usage("--url needs --region", "add the AWS region the repositories are in, e.g. --region eu-west-1")
	}
	if err := c.checkSetupValues(); err != nil {
		return err
	}

	name := c.chooseProfile(c.f.url)
	// Before git is touched: a helper line naming a profile the AWS files
	// do not define would turn a working git into a failing one.
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	if err := checkDefined(files, name); err != nil {
		return err
	}
	// git runs helpers through the shell: the profile is one quoted word.
	helper := "mfa-git"
	if name != "default" {
		helper += " --profile " + profile.ShellQuote(name)
	}
	entries := gitconfig.Entries(helper)
	if c.f.url != "" {
		entries = append(entries, gitconfig.Entry{Pattern: strings.TrimRight(c.f.url, "/"), Helper: helper + " --ignore-host-check --region " + c.f.region})
	}
	changes, err := g.Configure(entries)
	report(c, changes, err, fmt.Sprintf("git (%s config) is already set up for CodeCommit", scope))
	if errors.Is(err, gitconfig.ErrSyntax) {
		return hint.Wrap(err, fmt.Sprintf("fix that line (git config --%s --list shows git's own complaint), then run setup again", scope))
	}
	if err != nil {
		return err
	}
	if err := recordSetupProfile(name); err != nil {
		c.warn(fmt.Errorf("could not record profile %s as the one setup configured last: %w", name, err))
	}
	if rh := doctor.RemoteHelper(); rh.Status == doctor.Warn { // another git-remote-codecommit is first on PATH
		c.warn(hint.New(nil, rh.Detail, rh.Fix))
	}
	// The git side is done; now the profile.
	if err := c.setupProfile(ctx, name); err != nil {
		c.warn(err)
	}
	if c.f.moveKeys {
		return c.moveKeys(ctx, name)
	}
	return nil
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

// checkDefined refuses a profile that neither AWS file defines, naming
// the profiles that are there. Any profile the files define will do: an
// IAM user's, a role, or one with only credential_process.
func checkDefined(files profile.Files, name string) error {
	names := profile.Names(files)
	if slices.Contains(names, name) {
		return nil
	}
	there := "they define no profile"
	if len(names) > 0 {
		quoted := make([]string, len(names))
		for i, n := range names {
			quoted[i] = profile.ShellQuote(n)
		}
		there = "they define: " + strings.Join(quoted, ", ")
	}
	return hint.New(profile.ErrNoProfile,
		fmt.Sprintf("profile %q is not defined in %s or %s (%s); nothing was changed", name, files.Config, files.Credentials, there),
		"choose one of those with --profile, or "+profile.NoProfileHint(name))
}

// setupStateDir is the folder of setup's records (what it changed in git
// config files, for --undo): the mfa-git config folder.
func setupStateDir() string {
	dir, err := userdir.Config()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "mfa-git", "setup")
}

// setupProfile makes sure the profile has an mfa_serial, finding the
// device with iam:ListMFADevices, and adds a credential_process profile
// when asked. It edits only the keys it writes.
func (c *cli) setupProfile(ctx context.Context, name string) error {
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	m, err := c.manager(ctx)
	if err != nil {
		return err
	}
	p, err := profile.LoadKeys(ctx, name, files, m.Store)
	region := ""
	if errors.Is(err, profile.ErrRoleProfile) {
		// A role profile: the MFA device is its source's (the IAM user's).
		r, rerr := profile.RoleSource(ctx, name, files, m.Store)
		if rerr != nil {
			return rerr
		}
		fmt.Fprintf(c.stdout, "mfa-git: role profile %s is assumed from profile %s's MFA session\n", name, r.Source.Name)
		p, err, region = r.Source, nil, r.Settings.Region
	}
	if err != nil {
		return err
	}
	// The credential_process line serves the profile asked for (the role);
	// the MFA device is looked up and written for the IAM user's profile.
	role, name := name, p.Name
	region = cmp.Or(region, p.Region)
	section := profile.ConfigSection(name)
	serial := c.f.mfaSerial
	if p.MFASerial == "" && serial == "" {
		devices, err := awsapi.Client{}.MFADevices(ctx, p)
		if err != nil {
			return err
		}
		// IAM's answer is shown and written: check it first.
		for _, d := range devices {
			if err := profile.CheckMFASerial(d); err != nil {
				return hint.Wrap(fmt.Errorf("IAM listed an MFA device for profile %q that mfa-git cannot use: %w", name, err), "give the device's ARN yourself: mfa-git setup --profile "+profile.ShellQuote(name)+" --mfa-serial ARN")
			}
		}
		switch {
		case len(devices) == 0:
			return hint.Wrap(fmt.Errorf("the IAM user of profile %q has no MFA device", name), "assign one in the IAM console (Security credentials), then run setup again")
		case len(devices) > 1:
			return hint.Wrap(fmt.Errorf("the IAM user of profile %q has %d MFA devices: %s", name, len(devices), strings.Join(devices, ", ")), "choose one: mfa-git setup --profile "+profile.ShellQuote(name)+" --mfa-serial ARN")
		case c.f.yes:
			serial = devices[0]
		default:
			ok, err := c.set.terminal().Confirm(ctx, fmt.Sprintf("use MFA device %s for profile %s?", devices[0], name))
			if err != nil {
				return hint.Wrap(fmt.Errorf("found MFA device %s for profile %q, but there is no terminal to confirm it", devices[0], name), "run again with --yes to use it")
			}
			if !ok {
				return hint.Wrap(fmt.Errorf("profile %q still has no mfa_serial", name), "run again with --mfa-serial ARN")
			}
			serial = devices[0]
		}
	}
	if serial != "" && serial != p.MFASerial {
		if err := profile.SetKeys(files.Config, section, [][2]string{{"mfa_serial", serial}}); err != nil {
			return fmt.Errorf("write mfa_serial to %s: %w", files.Config, err)
		}
		fmt.Fprintf(c.stdout, "mfa-git: wrote mfa_serial = %s to [%s] in %s\n", serial, section, files.Config)
	}
	if c.f.cpProfile != "" {
		cp, err := profile.CredentialProcess(role)
		if err != nil {
			return err
		}
		kv := [][2]string{{"credential_process", cp}}
		switch {
		case gitcred.ValidRegion(region):
			kv = append(kv, [2]string{"region", region})
		case region != "":
			fmt.Fprintf(c.stderr, "mfa-git: warning: the region %q of profile %s is not an AWS region; profile %s gets none\n", region, role, c.f.cpProfile)
		}
		if err := profile.SetKeys(files.Config, "profile "+c.f.cpProfile, kv); err != nil {
			return fmt.Errorf("write profile %s to %s: %w", c.f.cpProfile, files.Config, err)
		}
		fmt.Fprintf(c.stdout, "mfa-git: profile %s gets its credentials from mfa-git: aws --profile %s ...\n", c.f.cpProfile, profile.ShellQuote(c.f.cpProfile))
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
