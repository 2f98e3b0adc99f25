// Package setup is the workflow behind mfa-git setup: git's credential
// helper lines for CodeCommit (through gitconfig) and their undo, the
// record of the profile setup configured last, and the profile's side:
// its MFA device, found with IAM and written as mfa_serial, and a
// credential_process profile for the AWS CLI and SDKs. It asks and
// reports only through the functions it is given: cmd parses the flags,
// wires and prints.
package setup

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mfa-git/mfa-git/internal/doctor"
	"github.com/mfa-git/mfa-git/internal/gitconfig"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// Input is what setup is asked to do: mfa-git setup's flags.
type Input struct {
	// Profile is the profile git's helper lines name.
	Profile string
	// Scope is the git config file to edit: "global", "system" or
	// "local".
	Scope string
	// URL is a further URL pattern (a proxy or an alias of CodeCommit),
	// whose helper line names Region; "" for none.
	URL, Region string
	// MFASerial is the MFA device to write into the profile; when "" and
	// the profile has none, IAM lists the user's devices.
	MFASerial string
	// Yes takes the one device IAM lists without asking.
	Yes bool
	// CredentialProcess names a profile to write whose credential_process
	// gives Profile's session; "" writes none.
	CredentialProcess string
	// Files are the AWS shared files.
	Files profile.Files
	// StateDir holds setup's records: what it changed in git config
	// files, and the profile it configured last (see StateDir).
	StateDir string
}

// Env is what setup works with, and how it asks and tells.
type Env struct {
	// Store opens the keystore that may hold the profile's long-term key.
	Store func() (keystore.Store, error)
	// IAM lists the MFA devices of the IAM user who owns a profile's
	// long-term key (awsapi.Client).
	IAM interface {
		MFADevices(context.Context, *profile.Profile) ([]string, error)
	}
	// Confirm asks a person a yes/no question (prompt.Terminal.Confirm).
	Confirm func(ctx context.Context, question string) (bool, error)
	// Say reports a step done, one line each; Warn reports a problem
	// that does not stop setup.
	Say  func(format string, args ...any)
	Warn func(error)
}

// Run makes git use mfa-git with in.Profile for CodeCommit, records the
// profile as the one setup configured last, and then sees to the
// profile (mfa_serial, the credential_process profile). Nothing is
// written when a value fails Check, or for a profile the AWS files do
// not define. Once git's config is
// written, what goes wrong with the profile is a warning (git is set up,
// and the profile can be fixed and setup run again), except for what
// the input named (MFASerial, CredentialProcess): not done, it is
// Run's error.
func Run(ctx context.Context, in Input, env Env) error {
	if err := in.Check(); err != nil {
		return err
	}
	// Before git is touched: a helper line naming a profile the AWS files
	// do not define would turn a working git into a failing one.
	if err := checkDefined(in.Files, in.Profile); err != nil {
		return err
	}
	g := gitconfig.File{Scope: in.Scope, StateDir: in.StateDir}
	changes, err := g.Configure(entries(in))
	report(env.Say, changes, err, fmt.Sprintf("git (%s config) is already set up for CodeCommit", in.Scope))
	if errors.Is(err, gitconfig.ErrSyntax) {
		return hint.Wrap(err, fmt.Sprintf("fix that line (git config --%s --list shows git's own complaint), then run setup again", in.Scope))
	}
	if err != nil {
		return err
	}
	if err := RecordProfile(in.StateDir, in.Profile); err != nil {
		env.Warn(fmt.Errorf("could not record profile %s as the one setup configured last: %w", in.Profile, err))
	}
	if rh := doctor.RemoteHelper(); rh.Status == doctor.Warn { // another git-remote-codecommit is first on PATH
		env.Warn(hint.New(nil, rh.Detail, rh.Fix))
	}
	// The git side is done; now the profile. What the command line asked
	// for by name (--mfa-serial, --credential-process-profile) and was not
	// done makes setup fail, git set up or not: a script must not read
	// success. What setup only looked for (the device IAM lists) is a
	// warning.
	if err := setProfile(ctx, in, env); err != nil {
		if in.MFASerial != "" || in.CredentialProcess != "" {
			return fmt.Errorf("git is set up, but not the profile: %w", err)
		}
		env.Warn(err)
	}
	return nil
}

// Undo takes out of in.Scope's git config file what setup put there,
// giving the file back byte for byte.
func Undo(in Input, say func(format string, args ...any)) error {
	g := gitconfig.File{Scope: in.Scope, StateDir: in.StateDir}
	changes, err := g.Unconfigure()
	report(say, changes, err, "git was not set up by mfa-git; nothing to remove")
	if errors.Is(err, gitconfig.ErrSyntax) {
		return hint.Wrap(err, fmt.Sprintf("fix that line (git config --%s --list shows git's own complaint), then run setup --undo again", in.Scope))
	}
	return err
}

// entries are the helper lines for in: every CodeCommit host pattern,
// and in.URL with its region. git runs helpers through the shell: the
// profile is one quoted word.
func entries(in Input) []gitconfig.Entry {
	helper := "mfa-git"
	if in.Profile != "default" {
		helper += " --profile " + profile.ShellQuote(in.Profile)
	}
	es := gitconfig.Entries(helper)
	if in.URL != "" {
		es = append(es, gitconfig.Entry{Pattern: strings.TrimRight(in.URL, "/"), Helper: helper + " --ignore-host-check --region " + in.Region})
	}
	return es
}

// report says each change, or none when nothing changed and nothing
// failed.
func report(say func(format string, args ...any), changes []string, err error, none string) {
	for _, ch := range changes {
		say("%s", ch)
	}
	if err == nil && len(changes) == 0 {
		say("%s", none)
	}
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
