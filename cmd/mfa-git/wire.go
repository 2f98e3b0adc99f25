package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/agent"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/userdir"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/session"
)

// stateDir holds non-secret state: lock files, one-time notices and the
// agent's log. It is "" when the user has no home folder; stateDirErr
// says why.
func stateDir() string {
	d, _ := stateDirErr()
	return d
}

// stateDirErr is mfa-git in the user cache folder (userdir.Cache: never
// relative, never a shared folder such as /tmp). It only names the folder;
// userdir.Private makes or checks it where a file is written there.
func stateDirErr() (string, error) {
	dir, err := userdir.Cache()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "mfa-git"), nil
}

// backendName is the keyring the flags and environment select, or
// "default".
func (c *cli) backendName() string {
	if c.f.keyring != "" {
		return c.f.keyring
	}
	if b := os.Getenv("MFA_GIT_KEYRING"); b != "" {
		return b
	}
	return "default"
}

// openStore opens the keystore the flags and environment select.
func (c *cli) openStore(ctx context.Context) (keystore.Store, error) {
	backend := c.backendName()
	if backend == "default" {
		backend = ""
	}
	s, err := keystore.Open(keystore.Config{
		Backend:  backend,
		Service:  os.Getenv("MFA_GIT_KEYRING_SERVICE"),
		StateDir: stateDir(),
		Notices:  c.stderr,
		Passphrase: func(prompt string) (string, error) {
			if p := os.Getenv("MFA_GIT_FILE_PASSPHRASE"); p != "" {
				return p, nil
			}
			return session.AskSecret(ctx, "passphrase for the mfa-git file keyring")
		},
	})
	if err != nil {
		return nil, hint.Or(err, "choose another store with --keyring or MFA_GIT_KEYRING (keychain, secret-service, kwallet, pass, keyctl, file)")
	}
	return s, nil
}

// manager builds the session manager for this invocation. The keystore
// opens on first use, so an answer from the agent never touches it.
func (c *cli) manager(ctx context.Context) (*session.Manager, error) {
	store := keystore.Lazy(c.backendName(), func() (keystore.Store, error) { return c.openStore(ctx) })
	margin := c.f.margin
	if margin == 0 {
		if v := os.Getenv("MFA_GIT_REFRESH_MARGIN"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return nil, usage(fmt.Sprintf("MFA_GIT_REFRESH_MARGIN=%q is not a duration", v), "use a Go duration such as 10m or 1h")
			}
			margin = d
		}
	}
	if margin < 0 || margin >= profile.MinDuration {
		return nil, usage(fmt.Sprintf("refresh margin %s must be between 0 and %s", margin, profile.MinDuration), "use e.g. --refresh-margin 10m")
	}
	state, err := stateDirErr()
	if err != nil {
		return nil, err
	}
	var broker session.Broker
	if agent.Enabled() {
		broker = c.agentClient(true)
	}
	return &session.Manager{
		Broker:   broker,
		Store:    store,
		STS:      session.AWS{},
		Prompter: session.NewPrompter(c.f.tokenCommand, cmp.Or(c.f.prompt, os.Getenv("MFA_GIT_PROMPT"))),
		Margin:   margin,
		LockDir:  filepath.Join(state, "locks"),
		Warn:     c.stderr,
	}, nil
}

// profileAndManager builds the manager and loads the selected profile.
func (c *cli) profileAndManager(ctx context.Context) (*profile.Profile, *session.Manager, error) {
	m, err := c.manager(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The keystore opens only for a profile whose keys are kept there.
	files, err := profile.DefaultFiles()
	if err != nil {
		return nil, nil, err
	}
	p, err := profile.LoadProfile(ctx, profile.ProfileName(c.f.profile), files, m.Store)
	return p, m, err
}

// session returns a fresh session for the selected profile.
func (c *cli) session(ctx context.Context) (*session.Session, *profile.Profile, error) {
	p, m, err := c.profileAndManager(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := m.Session(ctx, p)
	return s, p, err
}
