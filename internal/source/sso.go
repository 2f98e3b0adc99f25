package source

import (
	"context"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// SignIn is the part of AWS that sessions of signed-in profiles need:
// IAM Identity Center's role credentials and aws login's credentials,
// each from the token the AWS CLI cached; awsapi.Client is the real one.
type SignIn interface {
	SSOCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*awsapi.Credentials, error)
	LoginCredentials(ctx context.Context, p *profile.Profile, tokenFile string) (*awsapi.Credentials, error)
}

// SSOLifetime is the expected lifetime of IAM Identity Center role
// credentials: a permission set's default session length. Sessions
// record when they were issued, so this counts only for older entries.
const SSOLifetime = time.Hour

// SSO is an IAM Identity Center profile: its sessions are the role
// credentials sso:GetRoleCredentials gives for the access token `aws sso
// login` cached. It asks no person; a token that has ended and cannot be
// refreshed is an error whose hint is the aws sso login to run.
type SSO struct{ Profile *profile.Profile }

// Desc implements Source: the session is filed under the profile's name,
// "sso", and a digest of the portal, the account and the role; the token
// file is not read for it.
func (s SSO) Desc() Desc {
	p := s.Profile
	id := "sso\n" + p.SSO.StartURL + "\n" + p.SSO.AccountID + "\n" + p.SSO.RoleName
	return Desc{Key: session.SourceKey(p.Name, "sso", id), ID: id, Name: p.Name, Kind: "IAM Identity Center profile", Profiles: []string{p.Name},
		Lifetime: SSOLifetime, MakeLimit: awsapi.CallTimeout + 10*time.Second,
		Noun: "session", Again: "ask IAM Identity Center again"}
}

// Settings implements Source.
func (s SSO) Settings() *profile.Profile { return s.Profile }

// Make implements Source: one GetRoleCredentials call (and, when the
// access token has ended, one CreateToken that refreshes it).
func (s SSO) Make(ctx context.Context, m *Manager, _ Input) (*session.Session, bool, error) {
	return fromToken(ctx, m, s.Profile, m.signIn().SSOCredentials)
}

// fromToken makes profile p's session with get from the token the AWS
// CLI cached for it (profile.TokenFile).
func fromToken(ctx context.Context, m *Manager, p *profile.Profile, get func(context.Context, *profile.Profile, string) (*awsapi.Credentials, error)) (*session.Session, bool, error) {
	file, err := p.TokenFile()
	if err != nil {
		return nil, false, err
	}
	m.Trace.Printf("%s: the AWS CLI's token cache %s", p.Kind, file)
	c, err := get(ctx, p, file)
	if err != nil {
		return nil, false, err
	}
	return otherSession(m, p, c), true, nil
}

// otherSession is the session of a source that is neither an IAM user's
// MFA device nor a role; the loop records the key it is filed under.
func otherSession(m *Manager, p *profile.Profile, c *awsapi.Credentials) *session.Session {
	return &session.Session{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration,
		Profile: p.Name, Issued: m.now().UTC()}
}
