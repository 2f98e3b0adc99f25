package profile

import (
	"context"
	"errors"
	"strings"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
)

// ErrUnusableInput is matched (errors.Is) by the errors that say a key
// or passphrase a person gave cannot be used, as opposed to a file or
// keyring that failed: running the command again with other input is
// the way on.
var ErrUnusableInput = errors.New("unusable input")

// Asker asks a person on the terminal (prompt.Terminal): a line echoed
// as typed, or a secret that is not.
type Asker interface {
	AskLine(ctx context.Context, prompt string) (string, error)
	AskSecret(ctx context.Context, prompt string) (string, error)
}

// CheckLongTermKey refuses what cannot be an IAM user's long-term access
// key: an id that is not AKIA and 16 more characters, or no secret.
func CheckLongTermKey(accessKeyID, secret string) error {
	if !strings.HasPrefix(accessKeyID, "AKIA") || len(accessKeyID) != 20 || secret == "" {
		return hint.New(ErrUnusableInput, "that is not an IAM user's long-term access key (AKIA... and its secret)", "copy both from the IAM console or the credentials file")
	}
	return nil
}

// KeyRequest names the long-term key to move into the keystore.
type KeyRequest struct {
	// Name is the profile.
	Name string
	// Given says the key is AccessKeyID and SecretAccessKey (for mfa-git
	// add --env, the environment's); else the key in the shared files is
	// taken, or, when they hold none, asked for.
	Given                        bool
	AccessKeyID, SecretAccessKey string
}

// KeyToMove returns the key r names, trimmed and checked
// (CheckLongTermKey), and whether it is in the shared files (and so is
// to be removed from them once it is kept: see MoveKeys).
func KeyToMove(ctx context.Context, r KeyRequest, files Files, ask Asker) (accessKeyID, secret string, inFiles bool, err error) {
	accessKeyID, secret = r.AccessKeyID, r.SecretAccessKey
	if !r.Given {
		// No store: these are the keys still in the files, to be moved.
		p, err := LoadKeys(ctx, r.Name, files, nil)
		switch {
		case err == nil:
			accessKeyID, secret, inFiles = p.AccessKeyID, p.SecretAccessKey, true
		case !errors.Is(err, ErrNoKeys) && !errors.Is(err, ErrNoProfile):
			return "", "", false, err
		default:
			orEnv := "or run with --env and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY set"
			if accessKeyID, err = ask.AskLine(ctx, "access key id for profile "+r.Name); err != nil {
				return "", "", false, hint.Wrap(err, orEnv)
			}
			if secret, err = ask.AskSecret(ctx, "secret access key for profile "+r.Name); err != nil {
				return "", "", false, hint.Wrap(err, orEnv)
			}
		}
	}
	accessKeyID, secret = strings.TrimSpace(accessKeyID), strings.TrimSpace(secret)
	if err := CheckLongTermKey(accessKeyID, secret); err != nil {
		return "", "", false, err
	}
	return accessKeyID, secret, inFiles, nil
}

// KeepingOpener returns how to open the keystore that is to keep a
// long-term key: each call a fresh open with open (keystore.Open, with
// the caller's hints), the way the next command opens it. The backend cfg
// selects is resolved once, so that a fresh open cannot fall back to
// another; the kernel keyring, which forgets at reboot, is refused. For
// the file keyring the passphrase is fixed first, as the next command
// will have it (passphrase gets the keyring's folder and whether it is
// new), and it must open the entries already there, or nothing is
// written.
func KeepingOpener(cfg keystore.Config, open func(keystore.Config) (keystore.Store, error), passphrase func(dir string, isNew bool) (string, error)) (Opener, error) {
	s, err := open(cfg) // asks nothing yet
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
		pass, err := passphrase(dir, len(keys) == 0)
		if err != nil {
			return nil, err
		}
		cfg.Passphrase = func(string) (string, error) { return pass, nil }
		if err := keystore.CheckFilePassphrase(cfg); err != nil {
			return nil, err
		}
	}
	return func() (keystore.Store, error) { return open(cfg) }, nil
}

// FilePassphrase is the file keyring's passphrase for a key to keep: set
// (MFA_GIT_FILE_PASSPHRASE) when it is not "", else asked; for a new
// keyring twice, so that a typo does not lock the key away.
func FilePassphrase(ctx context.Context, set string, ask Asker, dir string, isNew bool) (string, error) {
	if set != "" {
		return set, nil
	}
	orSet := "set MFA_GIT_FILE_PASSPHRASE, or run the command in a terminal"
	p, err := ask.AskSecret(ctx, "passphrase for the mfa-git file keyring at "+dir)
	if err != nil {
		return "", hint.Or(err, orSet)
	}
	if p == "" {
		return "", hint.New(ErrUnusableInput, "the file keyring's passphrase is empty; nothing was written", "run the command again and give a passphrase")
	}
	if !isNew {
		return p, nil
	}
	again, err := ask.AskSecret(ctx, "the same passphrase again (a new keyring)")
	if err != nil {
		return "", hint.Or(err, orSet)
	}
	if again != p {
		return "", hint.New(ErrUnusableInput, "the two passphrases differ; nothing was written or removed", "run the command again and type the same passphrase twice")
	}
	return p, nil
}
