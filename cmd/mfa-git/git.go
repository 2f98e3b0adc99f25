package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// forCodeCommit runs a git operation for a request that is ours: it
// parses git's request and does nothing, with no error, for hosts another
// helper should answer.
func forCodeCommit(name string, op func(c *cli, ctx context.Context, t gitcred.Target) error) func(*cli, context.Context, []string) error {
	return func(c *cli, ctx context.Context, _ []string) error {
		c.explainStdin(name)
		req, err := gitcred.Parse(c.stdin)
		if err != nil {
			return hint.Wrap(fmt.Errorf("read credential request from git: %w", err), "mfa-git get expects git's key=value lines on standard input")
		}
		t, err := gitcred.TargetFor(req, gitcred.Options{IgnoreHostCheck: c.f.ignoreHostCheck, Region: c.f.region})
		switch {
		case errors.Is(err, gitcred.ErrNotCodeCommit):
			return nil
		case err != nil:
			return err
		}
		return op(c, ctx, t)
	}
}

// explainStdin tells a person who ran a git operation by hand at a
// terminal what it is waiting for; git, which writes the request through
// a pipe, never sees this.
func (c *cli) explainStdin(name string) {
	if isTerminal(c.stdin) {
		fmt.Fprintf(c.stderr, "mfa-git: %s reads git's credential request from standard input: type lines such as protocol=https and host=git-codecommit.eu-west-1.amazonaws.com, then an empty line (or Ctrl-D to end, Ctrl-C to stop); git runs this for you\n", name)
	}
}

func (c *cli) gitGet(ctx context.Context, t gitcred.Target) error {
	s, _, err := c.session(ctx)
	if err != nil {
		// Stop git here: otherwise it falls back to asking for a username,
		// which no one can answer for CodeCommit.
		fmt.Fprintln(c.stdout, "quit=1")
		return err
	}
	a := gitcred.NewAnswer(gitcred.Credentials{
		AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey,
		SessionToken: s.SessionToken, Expires: s.Expiration,
	}, t, time.Now())
	if c.trace.On() {
		c.trace.Printf("answer: a git password for %s, the session's %s left", t.Host, time.Until(s.Expiration).Round(time.Second))
	}
	_, err = a.WriteTo(c.stdout)
	return err
}

func (c *cli) gitStore(context.Context, []string) error {
	// Drain the request so git's write never fails; nothing is kept.
	c.explainStdin("store")
	_, _ = gitcred.Parse(c.stdin)
	return nil
}

func (c *cli) gitErase(ctx context.Context, _ gitcred.Target) error {
	sel, m, err := c.selectionAndManager(ctx)
	if err != nil {
		return err
	}
	p := sel.Settings()
	dropped, err := m.Verify(ctx, sel)
	if err != nil {
		return hint.Wrap(fmt.Errorf("could not check the cached session, so it was kept: %w", err), "run \"mfa-git logout --profile "+profile.ShellQuote(p.Name)+"\" to drop it anyway")
	}
	if dropped {
		fmt.Fprintf(c.stderr, "mfa-git: AWS rejected the cached session for profile %q; it was dropped\n", p.Name)
	}
	return nil
}
