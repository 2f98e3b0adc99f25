package setup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// setProfile makes sure the profile (for a role profile, its source: the
// IAM user's) has an mfa_serial, finding the device with IAM (not for an
// IAM Identity Center, aws login or credential_process profile), and writes
// the credential_process profile when asked. It edits only the keys it
// writes.
func setProfile(ctx context.Context, in Input, env Env) error {
	store, err := env.Store()
	if err != nil {
		return err
	}
	p, err := profile.LoadKeys(ctx, in.Profile, in.Files, store)
	region := ""
	if errors.Is(err, profile.ErrRoleProfile) {
		// A role profile: the MFA device is its source's (the IAM user's).
		r, rerr := profile.RoleSource(ctx, in.Profile, in.Files, store)
		if rerr != nil {
			return rerr
		}
		env.Say("role profile %s is assumed from profile %s's MFA session", in.Profile, r.Source.Name)
		p, err, region = r.Source, nil, r.Settings.Region
	}
	if err != nil {
		return err
	}
	// The credential_process line serves the profile asked for (the role);
	// the MFA device is looked up and written for the IAM user's profile.
	// Other kinds sign in elsewhere: there is no device to find.
	switch {
	case p.Kind != profile.KindUser && in.MFASerial != "":
		return hint.New(nil, fmt.Sprintf("profile %q gets its credentials from %s: --mfa-serial is for IAM users' profiles", p.Name, p.Kind), "run setup again without --mfa-serial")
	case p.Kind != profile.KindUser:
		env.Say("profile %s gets its credentials from %s: mfa-git asks for no MFA code for it", p.Name, p.Kind)
	default:
		if err := setSerial(ctx, in, env, p); err != nil {
			return err
		}
	}
	if in.CredentialProcess == "" {
		return nil
	}
	return writeCredentialProcess(in, env, cmp.Or(region, p.Region))
}

// setSerial writes in.MFASerial, or the one device IAM lists for user p,
// as p's mfa_serial, unless p has one and none was given.
func setSerial(ctx context.Context, in Input, env Env, p *profile.Profile) error {
	serial := in.MFASerial
	if p.MFASerial == "" && serial == "" {
		var err error
		if serial, err = findDevice(ctx, in, env, p); err != nil {
			return err
		}
	}
	if serial == "" || serial == p.MFASerial {
		return nil
	}
	section := profile.ConfigSection(p.Name)
	if err := profile.SetProfileKeys(in.Files, p.Name, [][2]string{{"mfa_serial", serial}}); err != nil {
		return fmt.Errorf("write mfa_serial to %s: %w", in.Files.Config, err)
	}
	env.Say("wrote mfa_serial = %s to [%s] in %s", serial, section, in.Files.Config)
	return nil
}

// findDevice asks IAM for user p's MFA devices and returns the one there
// is, confirmed by a person unless in.Yes. None, several, or one that is
// not confirmed is an error that says what to do.
func findDevice(ctx context.Context, in Input, env Env, p *profile.Profile) (string, error) {
	name := p.Name
	devices, err := env.IAM.MFADevices(ctx, p)
	if err != nil {
		return "", err
	}
	// IAM's answer is shown and written: check it first.
	for _, d := range devices {
		if err := profile.CheckMFASerial(d); err != nil {
			return "", hint.Wrap(fmt.Errorf("IAM listed an MFA device for profile %q that mfa-git cannot use: %w", name, err), "give the device's ARN yourself: mfa-git setup --profile "+profile.ShellQuote(name)+" --mfa-serial ARN")
		}
	}
	switch {
	case len(devices) == 0:
		return "", hint.Wrap(fmt.Errorf("the IAM user of profile %q has no MFA device", name), "assign one in the IAM console (Security credentials), then run setup again")
	case len(devices) > 1:
		return "", hint.Wrap(fmt.Errorf("the IAM user of profile %q has %d MFA devices: %s", name, len(devices), strings.Join(devices, ", ")), "choose one: mfa-git setup --profile "+profile.ShellQuote(name)+" --mfa-serial ARN")
	case in.Yes:
		return devices[0], nil
	}
	ok, err := env.Confirm(ctx, fmt.Sprintf("use MFA device %s for profile %s?", devices[0], name))
	if err != nil {
		return "", hint.Wrap(fmt.Errorf("found MFA device %s for profile %q, but there is no terminal to confirm it", devices[0], name), "run again with --yes to use it")
	}
	if !ok {
		return "", hint.Wrap(fmt.Errorf("profile %q still has no mfa_serial", name), "run again with --mfa-serial ARN")
	}
	return devices[0], nil
}

// writeCredentialProcess writes the profile in.CredentialProcess, whose
// credential_process gives in.Profile's session, with region when it is
// an AWS region.
func writeCredentialProcess(in Input, env Env, region string) error {
	cp, err := profile.CredentialProcess(in.Profile)
	if err != nil {
		return err
	}
	kv := [][2]string{{"credential_process", cp}}
	switch {
	case gitcred.ValidRegion(region):
		kv = append(kv, [2]string{"region", region})
	case region != "":
		env.Warn(fmt.Errorf("the region %q of profile %s is not an AWS region; profile %s gets none", region, in.Profile, in.CredentialProcess))
	}
	if err := profile.SetProfileKeys(in.Files, in.CredentialProcess, kv); err != nil {
		return fmt.Errorf("write profile %s to %s: %w", in.CredentialProcess, in.Files.Config, err)
	}
	env.Say("profile %s gets its credentials from mfa-git: aws --profile %s ...", in.CredentialProcess, profile.ShellQuote(in.CredentialProcess))
	return nil
}
