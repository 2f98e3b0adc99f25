package source

import (
	"context"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// LoginLifetime is the expected lifetime of aws login credentials (the
// access token `aws login` caches lasts 15 minutes).
const LoginLifetime = 15 * time.Minute

// Login is an `aws login` profile (login_session): its sessions are the
// credentials of the token the AWS CLI cached, refreshed with its
// refresh token when they have ended. It asks no person; an ended
// sign-in is an error whose hint is the aws login to run.
type Login struct{ Profile *profile.Profile }

// Desc implements Source: the session is filed under the profile's name,
// "login", and a digest of the login session.
func (l Login) Desc() Desc {
	p := l.Profile
	id := "login\n" + p.LoginSession
	return Desc{Key: session.SourceKey(p.Name, "login", id), ID: id, Name: p.Name, Kind: "aws login profile", Profiles: []string{p.Name},
		Lifetime: LoginLifetime, MakeLimit: awsapi.CallTimeout + 10*time.Second,
		Noun: "session", Again: "read the aws login token again"}
}

// Settings implements Source.
func (l Login) Settings() *profile.Profile { return l.Profile }

// Make implements Source: the token file's credentials, or one
// CreateOAuth2Token call when they have ended.
func (l Login) Make(ctx context.Context, m *Manager, _ Input) (*session.Session, bool, error) {
	return fromToken(ctx, m, l.Profile, m.signIn().LoginCredentials)
}
