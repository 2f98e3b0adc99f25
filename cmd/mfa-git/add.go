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
	store, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	if store.Name() == keystore.KeyCtl {
		return hint.Wrap(errors.New("the kernel keyring forgets everything at reboot, so it cannot keep long-term keys"), "choose a lasting keyring: MFA_GIT_KEYRING=keychain, secret-service, pass or file")
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
	return profile.MoveKeys(store, files, name, akid, secret, inFiles, say)
}
