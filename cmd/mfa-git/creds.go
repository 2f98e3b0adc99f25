package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mfa-git/mfa-git/internal/agent"
	"github.com/mfa-git/mfa-git/internal/child"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

func (c *cli) credentialProcess(ctx context.Context, _ []string) error {
	s, _, err := c.session(ctx)
	if err != nil {
		return err
	}
	// Credentials without an expiration (a credential_process answer
	// that gave none) are handed on as they came: no Expiration.
	exp := ""
	if s.Keepable() {
		exp = s.Expiration.UTC().Format(time.RFC3339)
	}
	return json.NewEncoder(c.stdout).Encode(struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string `json:",omitempty"`
		Expiration      string `json:",omitempty"`
	}{1, s.AccessKeyID, s.SecretAccessKey, s.SessionToken, exp})
}

func (c *cli) env(ctx context.Context, _ []string) error {
	line, err := exportLine(c.f.shell)
	if err != nil {
		return err
	}
	s, p, err := c.session(ctx)
	if err != nil {
		return err
	}
	for _, kv := range s.Environ(p.Name, p.Region) {
		fmt.Fprintln(c.stdout, line(kv[0], kv[1]))
	}
	return nil
}

func (c *cli) exec(ctx context.Context, _ []string) error {
	dash := c.fs.ArgsLenAtDash()
	if dash < 0 || dash >= len(c.fs.Args()) {
		return usage("exec needs a command after --", "run: mfa-git exec --profile BASE -- aws s3 ls")
	}
	argv := c.fs.Args()[dash:]
	sel, m, err := c.selectionAndManager(ctx)
	if err != nil {
		return err
	}
	s, err := m.Session(ctx, sel)
	if err != nil {
		return err
	}
	var endpoint []string
	if c.f.server {
		srv := &agent.Container{Session: func(ctx context.Context) (*session.Session, error) { return m.Session(ctx, sel) }}
		if err := srv.Start(); err != nil {
			return fmt.Errorf("start the credentials endpoint: %w", err)
		}
		defer srv.Close()
		endpoint = srv.Env()
	}
	environ := child.ForExec(os.Environ(), s.Environ(sel.Settings().Name, sel.Settings().Region), endpoint)
	code, err := child.Program(argv, environ, c.stdin, c.stdout, c.stderr)
	if errors.Is(err, child.ErrNotFound) {
		fmt.Fprintf(c.stderr, "mfa-git: error: command not found: %s\n", argv[0])
		return exitError{127}
	}
	if err != nil {
		return err
	}
	return exitStatus(code)
}

func (c *cli) login(ctx context.Context, _ []string) error {
	sel, m, err := c.selectionAndManager(ctx)
	if err != nil {
		return err
	}
	p := sel.Settings()
	// What login promises is a session the next command finds: one it
	// cannot keep is an error, not a warning.
	m.MustKeep = true
	s, fresh, err := m.Obtain(ctx, sel, c.f.force)
	if err != nil {
		return err
	}
	left := s.Remaining(time.Now()).Round(time.Minute)
	if fresh && !s.Keepable() {
		fmt.Fprintf(c.stdout, "mfa-git: profile %s got credentials without an expiration (from its credential_process): they serve one call, so nothing is cached and each command asks again\n", p.Name)
		return nil
	}
	if fresh {
		fmt.Fprintf(c.stdout, "mfa-git: new session for profile %s, valid until %s (%s)\n", p.Name, s.Expiration.Local().Format(time.DateTime), left)
	} else {
		fmt.Fprintf(c.stdout, "mfa-git: profile %s already has a session, valid until %s (%s); --force starts a new one\n", p.Name, s.Expiration.Local().Format(time.DateTime), left)
	}
	return nil
}

func (c *cli) status(ctx context.Context, _ []string) error {
	m, err := c.lookingManager(ctx)
	if err != nil {
		return err
	}
	// A keyring that cannot be read would make every profile look empty.
	if _, err := m.Store.List(); err != nil {
		return hint.Wrap(fmt.Errorf("read the %s keyring: %w", m.Store.Name(), err), keystore.Hint(err))
	}
	files, err := profile.DefaultFiles()
	if err != nil {
		return err
	}
	list := m.Statuses(ctx, files)
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "no profile has an mfa_serial; add one to a profile in ~/.aws/config")
		return nil
	}
	fmt.Fprintf(c.stdout, "keyring: %s\n%-16s %-8s %-20s %s\n", m.Store.Name(), "PROFILE", "SESSION", "EXPIRES", "MFA DEVICE")
	for _, st := range list {
		state, exp := "none", "-"
		switch {
		case st.Problem != "":
			state = "unusable"
			exp = st.Problem
		case !st.Expires.IsZero():
			state = time.Until(st.Expires).Round(time.Minute).String()
			exp = st.Expires.Local().Format(time.DateTime)
		}
		device := cmp.Or(st.From, st.MFASerial)
		if r := st.Role; r != nil {
			// Which session the role session hangs from.
			from := "MFA"
			if st.Kind != profile.KindUser {
				from = st.Kind.String()
			}
			device = fmt.Sprintf("role %s from %s's %s session", r.ARN, r.Source, from)
			if r.Clamped {
				device += "; duration_seconds clamped to 1h (AWS's limit for a role assumed from an MFA session)"
			}
		}
		fmt.Fprintf(c.stdout, "%-16s %-8s %-20s %s\n", st.Profile, state, exp, device)
	}
	return nil
}

func (c *cli) logout(ctx context.Context, _ []string) error {
	if c.f.all && c.f.profile != "" {
		return usage("--all and --profile cannot be used together", "choose one")
	}
	name := c.chooseProfile("")
	if c.f.all {
		name = ""
	}
	m, err := c.lookingManager(ctx)
	if err != nil {
		return err
	}
	n, err := m.Forget(name)
	if err != nil {
		return err
	}
	what := "profile " + name
	if name == "" {
		what = "all profiles"
	}
	fmt.Fprintf(c.stdout, "mfa-git: removed %d cached session(s) for %s\n", n, what)
	return nil
}
