package source

import (
	"context"
	"errors"
	"time"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/prompt"
	"github.com/mfa-git/mfa-git/internal/session"
)

// MFAUser is an IAM user's profile with long-term keys and an MFA device:
// its sessions come from sts:GetSessionToken with a one-time code, asked
// for through the Manager's Prompter.
type MFAUser struct{ Profile *profile.Profile }

// Desc implements Source: the session is filed under the profile's name
// and a digest of its access key id and MFA device (CacheKey).
func (u MFAUser) Desc() Desc {
	p := u.Profile
	id := p.AccessKeyID + "\n" + p.MFASerial
	return Desc{Key: session.MFAKey(p.Name, id), ID: id, Name: p.Name, Kind: "profile", Profiles: []string{p.Name},
		Lifetime: p.Duration, MakeLimit: prompt.Timeout + awsapi.CallTimeout + 10*time.Second,
		Noun: "session", Again: "ask for a code again"}
}

// Settings implements Source.
func (u MFAUser) Settings() *profile.Profile { return u.Profile }

// Make implements Source: one code that was not used before, one
// GetSessionToken call. When no one can be asked, a stored session with
// more than a minute left is handed out instead (never with force).
func (u MFAUser) Make(ctx context.Context, m *Manager, in Input) (*session.Session, bool, error) {
	p, old := u.Profile, in.Old
	last, refused := m.lastStep(p, old)
	code, step, err := m.code(ctx, p, last, refused)
	if err != nil {
		if !in.Force && errors.Is(err, prompt.ErrNoPrompt) && old != nil && old.Remaining(m.now()) > time.Minute {
			m.warnf("using the cached session for profile %q, which expires in %s: %v", p.Name, old.Remaining(m.now()).Round(time.Second), err)
			return old, false, nil
		}
		return nil, false, err
	}
	c, err := m.STS.GetSessionToken(ctx, p, code)
	if errors.Is(err, awsapi.ErrCodeRefused) {
		m.codeRefused(p, step)
	}
	if err != nil {
		return nil, false, err
	}
	// Issued is taken after the answer, so the lifetime is never overstated.
	return &session.Session{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration,
		MFASerial: p.MFASerial, Profile: p.Name, SourceKeyID: p.AccessKeyID, Issued: m.now().UTC(), CodeStep: step}, true, nil
}

// CacheKey is the name under which p's MFA session is stored and
// brokered: the profile (encoded by keystore.KeyName), and a digest of the
// long-term access key id and the MFA serial.
func CacheKey(p *profile.Profile) string { return MFAUser{Profile: p}.Desc().Key }
