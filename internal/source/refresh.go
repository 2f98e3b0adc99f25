package source

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/keystore"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
	"github.com/mfa-git/mfa-git/internal/trace"
)

// Refresher renews sessions for the agent, asking no person: an IAM
// Identity Center, aws login or credential_process profile's from its
// source (they ask no one; a sign-in only a person can renew is left for
// the next command, which says what to run), and MFA sessions with the
// profile's MFA source with a prompter that only runs its token command
// (mfa_process), detached, through the same obtain loop as every command
// (the profile's lock, the code-step record, a logout winning). The agent
// decides when (agent.Server's RefreshLead); a profile without a token
// command is left for the next command to ask, with an error wrapping
// session.ErrNeedsPerson.
type Refresher struct {
	// Store and LockDir are the agent's keystore and the lock folder.
	Store   keystore.Store
	LockDir string
	// Margin is the user's refresh margin (0: DefaultMargin).
	Margin time.Duration
	// Warn receives warnings, as Manager.Warn does.
	Warn func(error)
	// Trace, when on, gets a line for each decision.
	Trace trace.Func
}

// Refresh returns a new session for the profile old was made for, read
// from the shared files now (its key or device may have changed). Its
// margin is lead (the agent's) or the refresh margin, whichever is
// larger, so old counts as due, while a session another process renewed
// meanwhile is taken as it is, with no STS call.
func (r Refresher) Refresh(ctx context.Context, old *session.Session, lead time.Duration) (*session.Session, error) {
	files, err := profile.DefaultFiles()
	if err != nil {
		return nil, err
	}
	p, err := profile.Load(ctx, old.Profile, files, r.Store)
	if err != nil {
		return nil, err
	}
	if p.Kind != profile.KindUser {
		return r.other(ctx, p, old, lead)
	}
	if p.TokenCommand == "" {
		r.Trace.Printf("refresh: profile %s has no mfa_process; the next command asks a person", p.Name)
		return nil, fmt.Errorf("%w: profile %s has no mfa_process", session.ErrNeedsPerson, p.Name)
	}
	margin := max(r.Margin, DefaultMargin, lead)
	r.Trace.Printf("refresh: profile %s with its mfa_process, margin %s (%s left)", p.Name, margin, old.Remaining(time.Now()).Round(time.Second))
	m := &Manager{Store: r.Store, STS: awsapi.Client{Trace: r.Trace}, Prompter: prompt.TokenCommand{Command: p.TokenCommand, Detached: true},
		Margin: margin, LockDir: r.LockDir, Warn: r.Warn, Trace: r.Trace}
	s, _, err := m.Obtain(ctx, MFAUser{Profile: p}, false)
	if errors.Is(err, prompt.ErrNoPrompt) {
		err = fmt.Errorf("%w: %w", session.ErrNeedsPerson, err)
	}
	return s, err
}

// other renews the session of profile p, which is not an IAM user's,
// from its source through the same loop. A sign-in that only a person
// can renew, or an answer that cannot be kept, is left to the next
// command (session.ErrNeedsPerson).
func (r Refresher) other(ctx context.Context, p *profile.Profile, old *session.Session, lead time.Duration) (*session.Session, error) {
	margin := max(r.Margin, DefaultMargin, lead)
	r.Trace.Printf("refresh: %s profile %s from its source, margin %s (%s left)", p.Kind, p.Name, margin, old.Remaining(time.Now()).Round(time.Second))
	src := For(p, nil)
	if pr, ok := src.(Process); ok {
		pr.Detached = true
		src = pr
	}
	m := &Manager{Store: r.Store, STS: awsapi.Client{Trace: r.Trace}, Margin: margin, LockDir: r.LockDir, Warn: r.Warn, Trace: r.Trace}
	s, _, err := m.Obtain(ctx, src, false)
	switch {
	case errors.Is(err, awsapi.ErrSignInNeeded):
		return nil, fmt.Errorf("%w: %w", session.ErrNeedsPerson, err)
	case err == nil && !s.Keepable():
		return nil, fmt.Errorf("%w: the %s of profile %s answered without an expiration", session.ErrNeedsPerson, p.Kind, p.Name)
	}
	return s, err
}
