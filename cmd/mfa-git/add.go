package main

import (
	"context"
	"errors"
	"runtime"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
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
// keystore (see profile.MoveKeys). A key or passphrase that cannot be
// used is a usage error.
func (c *cli) moveKeys(ctx context.Context, name string) error {
	err := c.moveKeysOf(ctx, name)
	if errors.Is(err, profile.ErrUnusableInput) {
		return usage(err.Error(), hint.Of(err))
	}
	return err
}

func (c *cli) moveKeysOf(ctx context.Context, name string) error {
	// moveKeys writes credential_process for name: check it now, before
	// the keys move.
	if err := profile.CheckCredentialProcessName(runtime.GOOS, name); err != nil {
		return err
	}
	term := c.set.terminal()
	open, err := profile.KeepingOpener(c.storeConfig(ctx), openConfigured, func(dir string, isNew bool) (string, error) {
		return profile.FilePassphrase(ctx, c.set.filePassphrase, term, dir, isNew)
	})
	if err != nil {
		return err
	}
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	req := profile.KeyRequest{Name: name, Given: c.f.fromEnv, AccessKeyID: c.set.accessKeyID, SecretAccessKey: c.set.secretAccessKey}
	akid, secret, inFiles, err := profile.KeyToMove(ctx, req, files, term)
	if err != nil {
		return err
	}
	return profile.MoveKeys(open, files, name, akid, secret, inFiles, c.say)
}
