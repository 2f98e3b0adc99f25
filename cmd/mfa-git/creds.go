package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mfa-git/mfa-git/agent"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/keystore"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/session"
)

func noArgs(name string, args []string) error {
	if len(args) > 0 {
		return usage(fmt.Sprintf("%s takes no arguments, got %q", name, strings.Join(args, " ")), "run: mfa-git "+name+" --help")
	}
	return nil
}

func (c *cli) credentialProcess(ctx context.Context, args []string) error {
	if err := noArgs("credential-process", args); err != nil {
		return err
	}
	s, _, err := c.session(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(c.stdout).Encode(struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}{1, s.AccessKeyID, s.SecretAccessKey, s.SessionToken, s.Expiration.UTC().Format(time.RFC3339)})
}

// sessionEnv is the environment a program gets for s.
func sessionEnv(s *session.Session, p *profile.Profile) [][2]string {
	env := [][2]string{
		{"AWS_ACCESS_KEY_ID", s.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", s.SecretAccessKey},
		{"AWS_SESSION_TOKEN", s.SessionToken},
		{"AWS_CREDENTIAL_EXPIRATION", s.Expiration.UTC().Format(time.RFC3339)},
		// mfa-git run inside (git's helper) keeps using this profile.
		{"MFA_GIT_PROFILE", p.Name},
	}
	if p.Region != "" {
		env = append(env, [2]string{"AWS_REGION", p.Region}, [2]string{"AWS_DEFAULT_REGION", p.Region})
	}
	return env
}

func (c *cli) env(ctx context.Context, args []string) error {
	if err := noArgs("env", args); err != nil {
		return err
	}
	line, err := exportLine(c.f.shell)
	if err != nil {
		return err
	}
	s, p, err := c.session(ctx)
	if err != nil {
		return err
	}
	for _, kv := range sessionEnv(s, p) {
		fmt.Fprintln(c.stdout, line(kv[0], kv[1]))
	}
	return nil
}

func (c *cli) exec(ctx context.Context, args []string) error {
	dash := c.fs.ArgsLenAtDash()
	if dash < 0 || dash >= len(c.fs.Args()) {
		return usage("exec needs a command after --", "run: mfa-git exec --profile BASE -- aws s3 ls")
	}
	if len(args) > 0 {
		return usage(fmt.Sprintf("unexpected %q before --", strings.Join(args, " ")), "put the command after --")
	}
	argv := c.fs.Args()[dash:]
	p, m, err := c.profileAndManager(ctx)
	if err != nil {
		return err
	}
	s, err := m.Session(ctx, p)
	if err != nil {
		return err
	}
	environ := childEnviron(os.Environ())
	for _, kv := range sessionEnv(s, p) {
		if c.f.server && strings.HasPrefix(kv[0], "AWS_") && kv[0] != "AWS_REGION" && kv[0] != "AWS_DEFAULT_REGION" {
			continue // the endpoint serves the credentials
		}
		environ = append(environ, kv[0]+"="+kv[1])
	}
	if c.f.server {
		srv := &agent.Container{Session: func(ctx context.Context) (*session.Session, error) { return m.Session(ctx, p) }}
		if err := srv.Start(); err != nil {
			return fmt.Errorf("start the credentials endpoint: %w", err)
		}
		defer srv.Close()
		environ = append(environ, srv.Env()...)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr
	// Termination requests are forwarded; see forwardSignals.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(c.stderr, "mfa-git: error: command not found: %s\n", argv[0])
			return exitError{127}
		}
		return fmt.Errorf("start %s: %w", argv[0], err)
	}
	done := make(chan struct{})
	go forwardSignals(cmd.Process, sigs, done)
	err = cmd.Wait()
	close(done)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if st, ok := ee.Sys().(syscall.WaitStatus); ok && st.Signaled() {
			return exitError{128 + int(st.Signal())}
		}
		return exitError{ee.ExitCode()}
	}
	return err
}

// forwardedSignals are passed on to the child of exec.
var forwardedSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// forwardSignals passes on to the child the signals mfa-git receives,
// until done. SIGINT is the exception when it came from the terminal
// (Ctrl-C): the terminal sent it to the whole foreground process group,
// the child included, and a second one would be more than the person
// asked for (terraform takes two interrupts as "exit at once, state may
// be lost"; terragrunt and aws-vault had that bug). A SIGINT sent to
// mfa-git alone (kill -INT, a supervisor) is forwarded.
func forwardSignals(child *os.Process, sigs <-chan os.Signal, done <-chan struct{}) {
	for {
		select {
		case sig := <-sigs:
			if sig == os.Interrupt && terminalSentInterrupt() {
				continue
			}
			child.Signal(sig)
		case <-done:
			return
		}
	}
}

// keptForChild are the MFA_GIT_ variables a program run by exec keeps:
// those that tell an mfa-git run inside it (git's credential helper)
// where the sessions are. MFA_GIT_PROFILE is set by exec itself.
var keptForChild = map[string]bool{"MFA_GIT_KEYRING": true, "MFA_GIT_KEYRING_SERVICE": true, "MFA_GIT_AGENT": true, "MFA_GIT_AGENT_SOCK": true}

// droppedForChild are the AWS variables that would make the program use
// other credentials than the session exec gives it.
var droppedForChild = map[string]bool{"AWS_PROFILE": true, "AWS_DEFAULT_PROFILE": true, "AWS_SECURITY_TOKEN": true,
	"AWS_ACCESS_KEY_ID": true, "AWS_SECRET_ACCESS_KEY": true, "AWS_SESSION_TOKEN": true, "AWS_CREDENTIAL_EXPIRATION": true,
	"AWS_CONTAINER_CREDENTIALS_FULL_URI": true, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": true, "AWS_CONTAINER_AUTHORIZATION_TOKEN": true}

// childEnviron is environ without other credentials and without
// mfa-git's own settings and secrets (MFA_GIT_FILE_PASSPHRASE above all),
// except where sessions live.
func childEnviron(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if droppedForChild[k] || strings.HasPrefix(k, "MFA_GIT_") && !keptForChild[k] {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func (c *cli) login(ctx context.Context, args []string) error {
	if err := noArgs("login", args); err != nil {
		return err
	}
	p, m, err := c.profileAndManager(ctx)
	if err != nil {
		return err
	}
	s, fresh, err := m.Login(ctx, p, c.f.force)
	if err != nil {
		return err
	}
	left := s.Remaining(time.Now()).Round(time.Minute)
	if fresh {
		fmt.Fprintf(c.stdout, "mfa-git: new session for profile %s, valid until %s (%s)\n", p.Name, s.Expiration.Local().Format(time.DateTime), left)
	} else {
		fmt.Fprintf(c.stdout, "mfa-git: profile %s already has a session, valid until %s (%s); --force starts a new one\n", p.Name, s.Expiration.Local().Format(time.DateTime), left)
	}
	return nil
}

func (c *cli) status(ctx context.Context, args []string) error {
	if err := noArgs("status", args); err != nil {
		return err
	}
	m, err := c.manager(ctx)
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
		fmt.Fprintf(c.stdout, "%-16s %-8s %-20s %s\n", st.Profile, state, exp, st.MFASerial)
	}
	return nil
}

func (c *cli) logout(ctx context.Context, args []string) error {
	if err := noArgs("logout", args); err != nil {
		return err
	}
	if c.f.all && c.f.profile != "" {
		return usage("--all and --profile cannot be used together", "choose one")
	}
	name := c.set.profileName(c.f.profile)
	if c.f.all {
		name = ""
	}
	m, err := c.manager(ctx)
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
