package source

import (
	"context"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// Source is where sessions come from: what they are filed under, how long
// they are expected to live, and how a new one is made. The Manager's one
// obtain loop (Obtain) serves every source alike: the broker (the agent),
// then the keystore, then the source's lock, then Make, then keep.
//
// An IAM user with an MFA device (MFAUser), IAM Identity Center (SSO),
// aws login (Login), a credential_process (Process), and a role assumed
// on top of any of them (Role) are the sources. A source built on another
// is a Wrapper: the loop obtains the inner source's session (cached,
// brokered, asked for once) and hands it to Make, so a source never calls
// back into the loop.
type Source interface {
	// Desc says how the loop files, times and names the source's
	// sessions.
	Desc() Desc
	// Settings is the profile whose name, region and endpoints the
	// session is used with.
	Settings() *profile.Profile
	// Make makes a new session; the loop calls it holding the source's
	// lock. made is false when it hands out in.Old instead (better a
	// session with a few minutes left than none): the loop then keeps
	// nothing. A session that is not Keepable (no Expiration) serves
	// this call only: the loop neither stores nor brokers it.
	Make(ctx context.Context, m *Manager, in Input) (s *session.Session, made bool, err error)
}

// Input is what the loop hands Make.
type Input struct {
	// Desc is the source's own, as the loop read it.
	Desc Desc
	// Old is the stored session whatever its age (nil if none).
	Old *session.Session
	// Inner is a Wrapper's inner session, fresh (nil for other sources).
	Inner *session.Session
	// Force is login --force: make one even if a stored one is fresh.
	Force bool
}

// Wrapper is a source built on another's session (a role on the
// credentials of its source profile): the loop obtains Inner's session
// first, through the same steps, and hands it to Make as Input.Inner.
type Wrapper interface {
	Source
	Inner() Source
}

// Desc is what the obtain loop and the broker need to know of a source.
type Desc struct {
	// Key is where its session is stored and brokered.
	Key string
	// ID is the text Key's digest is taken of: what identifies the
	// source's credentials (an access key id and an MFA device). A
	// source that wraps this one builds its own ID on it.
	ID string
	// Name is the profile's name, in messages and the agent's status;
	// Kind says what it is ("profile", "role profile").
	Name, Kind string
	// Profiles are the profiles a logout of any of which drops the
	// session: the source's own name last.
	Profiles []string
	// Lifetime is how long a session is expected to live, for stored
	// sessions that do not record when they were issued (see Fresh).
	Lifetime time.Duration
	// MakeLimit bounds how long making one may take: a person's prompt
	// and the AWS calls. Waiting for another process's lock gives up
	// after it.
	MakeLimit time.Duration
	// Noun names the session in warnings ("session", "role session");
	// Again is what the next command does when it could not be kept.
	Noun, Again string
}

// For is the source of a profile as profile.Resolve reads it: by its
// Kind, an IAM user's profile with an MFA device, an IAM Identity Center,
// aws login or credential_process profile; or, when r is set, a role
// profile resolved down to its source of any of those kinds (p is then
// not used).
func For(p *profile.Profile, r *profile.Role) Source {
	if r != nil {
		return Role{Role: r, Source: For(r.Source, nil)}
	}
	switch p.Kind {
	case profile.KindSSO:
		return SSO{Profile: p}
	case profile.KindLogin:
		return Login{Profile: p}
	case profile.KindProcess:
		return Process{Profile: p}
	}
	return MFAUser{Profile: p}
}

// Describe says where profile p gets its credentials, for status and
// doctor; "" for an IAM user's profile (its MFA device says it).
func Describe(p *profile.Profile) string {
	switch p.Kind {
	case profile.KindSSO:
		via := "sso-session " + p.SSO.Session
		if p.SSO.Session == "" {
			via = "start URL " + p.SSO.StartURL
		}
		return fmt.Sprintf("IAM Identity Center: role %s in account %s (%s)", p.SSO.RoleName, p.SSO.AccountID, via)
	case profile.KindLogin:
		return "aws login: " + p.LoginSession
	case profile.KindProcess:
		return "credential_process"
	}
	return ""
}
