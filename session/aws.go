package session

import (
	"context"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/profile"
)

// STS is the part of AWS STS that sessions need.
type STS interface {
	// GetSessionToken exchanges p's long-term key and a one-time code for
	// a session.
	GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*Session, error)
	// CallerIdentity returns the ARN the session authenticates as.
	CallerIdentity(ctx context.Context, p *profile.Profile, s *Session) (string, error)
}

// AWS is the real STS (package awsapi).
type AWS struct{ API awsapi.Client }

// GetSessionToken implements STS.
func (a AWS) GetSessionToken(ctx context.Context, p *profile.Profile, code string) (*Session, error) {
	c, err := a.API.GetSessionToken(ctx, p, code)
	if err != nil {
		return nil, err
	}
	return &Session{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Expiration:      c.Expiration,
		MFASerial:       p.MFASerial,
		Profile:         p.Name,
		SourceKeyID:     p.AccessKeyID,
	}, nil
}

// CallerIdentity implements STS.
func (a AWS) CallerIdentity(ctx context.Context, p *profile.Profile, s *Session) (string, error) {
	return a.API.CallerIdentity(ctx, p, awsapi.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken, Expiration: s.Expiration})
}
