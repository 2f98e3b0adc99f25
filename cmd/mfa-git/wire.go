package main

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/source"
	"github.com/mfa-git/mfa-git/internal/userdir"
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
	if b := c.set.keyring; b != "" {
		return b
	}
	return "default"
}

// openStore opens the keystore the flags and environment select.
func (c *cli) openStore(ctx context.Context) (keystore.Store, error) {
	return keystore.Open(c.storeConfig(ctx))
}

// storeConfig is the keystore the flags and environment select; the file
// keyring's passphrase is MFA_GIT_FILE_PASSPHRASE, else asked on the
// terminal when first needed.
func (c *cli) storeConfig(ctx context.Context) keystore.Config {
	backend := c.backendName()
	if backend == "default" {
		backend = ""
	}
	return keystore.Config{
		Backend:  backend,
		Service:  c.set.keyringService,
		StateDir: stateDir(),
		Notice:   c.note,
		Trace:    c.trace,
		Passphrase: func(string) (string, error) {
			if p := c.set.filePassphrase; p != "" {
				return p, nil
			}
			p, err := c.set.terminal().AskSecret(ctx, "passphrase for the mfa-git file keyring")
			return p, hint.Or(err, "set MFA_GIT_FILE_PASSPHRASE, or run the command in a terminal")
		},
	}
}

// openConfigured opens cfg's keystore (keystore.Open, whose error names
// the choices).
func openConfigured(cfg keystore.Config) (keystore.Store, error) { return keystore.Open(cfg) }

// refreshMargin is --refresh-margin, else MFA_GIT_REFRESH_MARGIN, else 0
// (source.DefaultMargin), checked.
func (c *cli) refreshMargin() (time.Duration, error) {
	margin := c.f.margin
	if v := c.set.refreshMargin; margin == 0 && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return 0, usage(fmt.Sprintf("MFA_GIT_REFRESH_MARGIN=%q is not a duration", v), "use a Go duration such as 10m or 1h")
		}
		margin = d
	}
	if margin < 0 || margin >= profile.MinDuration {
		return 0, usage(fmt.Sprintf("refresh margin %s must be between 0 and %s", margin, profile.MinDuration), "use e.g. --refresh-margin 10m")
	}
	return margin, nil
}

// manager builds the session manager for a command that needs a session.
// The keystore opens on first use, so an answer from the agent never
// touches it; an agent that is not running is started.
func (c *cli) manager(ctx context.Context) (*source.Manager, error) {
	return c.newCommandManager(ctx, true)
}

// lookingManager is manager for commands that only look at or forget
// sessions (status, logout): they tell a running agent, and never start
// one.
func (c *cli) lookingManager(ctx context.Context) (*source.Manager, error) {
	return c.newCommandManager(ctx, false)
}

func (c *cli) newCommandManager(ctx context.Context, startAgent bool) (*source.Manager, error) {
	margin, err := c.refreshMargin()
	if err != nil {
		return nil, err
	}
	if _, err := stateDirErr(); err != nil {
		return nil, err
	}
	var broker session.Broker
	if c.useAgent() {
		broker = c.agentClient(startAgent)
	}
	store := keystore.OpenLazily(c.storeConfig(ctx))
	pr := prompt.New(prompt.Options{TokenCommand: c.f.tokenCommand, Driver: cmp.Or(c.f.prompt, c.set.prompt), NoTerminal: c.set.noTerminal})
	return c.newManager(store, pr, margin, broker), nil
}

// newManager is the one construction of a source.Manager, for every
// command and for the agent's refresh.
func (c *cli) newManager(store keystore.Store, pr prompt.Prompter, margin time.Duration, broker session.Broker) *source.Manager {
	return &source.Manager{
		Broker:   broker,
		Store:    store,
		STS:      awsapi.Client{Trace: c.trace},
		Prompter: pr,
		Margin:   margin,
		LockDir:  filepath.Join(stateDir(), "locks"),
		Warn:     c.warn,
		Tell:     c.tell,
		Trace:    c.trace,
		Waiting:  c.waitingNotice,
	}
}

// waitingNotice says, once per command, that it waits for a prompt that
// another process shows, so that nothing looks hung: on the terminal when
// there is one (git and the AWS CLI may hide stderr), else on stderr. It
// says so only after a second, and not for a profile whose code comes from
// a token command: thirty-two parallel git helpers should not print
// thirty-one lines.
func (c *cli) waitingNotice(name string) (done func()) {
	if c.quietWait {
		return func() {}
	}
	t := time.AfterFunc(time.Second, func() {
		c.waitSaid.Do(func() {
			prompt.Say(c.stderr, fmt.Sprintf("mfa-git: waiting for the MFA prompt in another window (profile %s)", name))
		})
	})
	return func() { t.Stop() }
}

// selectionAndManager builds the manager and loads the selected profile:
// an IAM user's profile, or, for a role profile, the role resolved to its
// source. The shared files are read once either way: the cached path does
// no more work.
func (c *cli) selectionAndManager(ctx context.Context) (source.Source, *source.Manager, error) {
	m, err := c.manager(ctx)
	if err != nil {
		return nil, nil, err
	}
	// The keystore opens only for a profile whose keys are kept there.
	files, err := profile.DefaultFiles()
	if err != nil {
		return nil, nil, err
	}
	p, r, err := profile.Resolve(ctx, c.chooseProfile(""), files, m.Store)
	if err != nil {
		return nil, nil, err
	}
	src := p
	if r != nil {
		src = r.Source
	}
	// Another process waiting for this profile runs the same token
	// command: no person's prompt to wait for, nothing to say.
	// Nor does one for a profile that asks no person at all.
	c.quietWait = c.f.tokenCommand != "" || src.TokenCommand != "" || src.Kind != profile.KindUser
	return source.For(p, r), m, nil
}

// session returns a fresh session for the selected profile, and the
// profile whose name and region its environment carries.
func (c *cli) session(ctx context.Context) (*session.Session, *profile.Profile, error) {
	sel, m, err := c.selectionAndManager(ctx)
	if err != nil {
		return nil, nil, err
	}
	s, err := m.Session(ctx, sel)
	return s, sel.Settings(), err
}
