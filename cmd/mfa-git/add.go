package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
)

func (c *cli) add(ctx context.Context, args []string) error {
	name := c.chooseProfile("")
	if len(args) == 1 {
		name = args[0]
	}
	if err := profile.CheckName(name); err != nil {
		return usage(err.Error(), hint.Of(err))
	}
	return c.moveKeys(ctx, name)
}

// moveKeys gets profile name's long-term key (from the environment with
// --env, else from the shared files, else asked for) and moves it into the
// keystore (see profile.MoveKeys).
func (c *cli) moveKeys(ctx context.Context, name string) error {
	// moveKeys writes credential_process for name: check it now, before
	// the keys move.
	if err := profile.CheckCredentialProcessName(runtime.GOOS, name); err != nil {
		return err
	}
	open, err := c.keysOpener(ctx)
	if err != nil {
		return err
	}
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	var akid, secret string
	inFiles := false
	switch {
	case c.f.fromEnv:
		akid, secret = c.set.accessKeyID, c.set.secretAccessKey
	default:
		// No store: these are the keys still in the files, to be moved.
		if p, err := profile.LoadKeys(ctx, name, files, nil); err == nil {
			akid, secret, inFiles = p.AccessKeyID, p.SecretAccessKey, true
		} else if !errors.Is(err, profile.ErrNoKeys) && !errors.Is(err, profile.ErrNoProfile) {
			return err
		} else {
			if akid, err = c.set.terminal().AskLine(ctx, "access key id for profile "+name); err != nil {
				return hint.Wrap(err, "or run with --env and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set")
			}
			if secret, err = c.set.terminal().AskSecret(ctx, "secret access key for profile "+name); err != nil {
				return hint.Wrap(err, "or run with --env and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set")
			}
		}
	}
	akid, secret = strings.TrimSpace(akid), strings.TrimSpace(secret)
	if !strings.HasPrefix(akid, "AKIA") || len(akid) != 20 || secret == "" {
		return usage("that is not an IAM user's long-term access key (AKIA... and its secret)", "copy both from the IAM console or the credentials file")
	}
	say := func(format string, args ...any) { fmt.Fprintf(c.stdout, "mfa-git: "+format+"\n", args...) }
	return profile.MoveKeys(open, files, name, akid, secret, inFiles, say)
}

// keysOpener returns how add opens the keyring that is to keep a
// long-term key: each call a fresh open, the way the next command opens
// it. The backend the settings select is resolved once, so that a fresh
// open cannot fall back to another. For the file keyring the passphrase
// is fixed first, as the next command will have it: MFA_GIT_FILE_PASSPHRASE,
// else asked on the terminal (twice for a new keyring, and the two must
// match); and it must open the entries already there, or nothing is
// written.
func (c *cli) keysOpener(ctx context.Context) (profile.Opener, error) {
	cfg := c.storeConfig(ctx)
	s, err := openConfigured(cfg) // asks nothing yet
	if err != nil {
		return nil, err
	}
	cfg.Backend = s.Name()
	switch cfg.Backend {
	case keystore.KeyCtl:
		return nil, hint.Wrap(errors.New("the kernel keyring forgets everything at reboot, so it cannot keep long-term keys"), "choose a lasting keyring: MFA_GIT_KEYRING=keychain, secret-service, pass or file")
	case keystore.File:
		dir, keys, err := keystore.FileEntries(cfg)
		if err != nil {
			return nil, err
		}
		pass, err := c.keysPassphrase(ctx, dir, len(keys) == 0)
		if err != nil {
			return nil, err
		}
		cfg.Passphrase = func(string) (string, error) { return pass, nil }
		if err := keystore.CheckFilePassphrase(cfg); err != nil {
			return nil, err
		}
	}
	return func() (keystore.Store, error) { return openConfigured(cfg) }, nil
}

// keysPassphrase is the file keyring's passphrase for add:
// MFA_GIT_FILE_PASSPHRASE, else asked on the terminal; for a new keyring
// twice, so that a typo does not lock the key away.
func (c *cli) keysPassphrase(ctx context.Context, dir string, isNew bool) (string, error) {
	if p := c.set.filePassphrase; p != "" {
		return p, nil
	}
	orSet := "set MFA_GIT_FILE_PASSPHRASE, or run the command in a terminal"
	p, err := c.set.terminal().AskSecret(ctx, "passphrase for the mfa-git file keyring at "+dir)
	if err != nil {
		return "", hint.Or(err, orSet)
	}
	if p == "" {
		return "", usage("the file keyring's passphrase is empty; nothing was written", "run the command again and give a passphrase")
	}
	if !isNew {
		return p, nil
	}
	again, err := c.set.terminal().AskSecret(ctx, "the same passphrase again (a new keyring)")
	if err != nil {
		return "", hint.Or(err, orSet)
	}
	if again != p {
		return "", usage("the two passphrases differ; nothing was written or removed", "run the command again and type the same passphrase twice")
	}
	return p, nil
}
