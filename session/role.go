package session

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/profile"
	"github.com/mfa-git/mfa-git/prompt"
)

// RoleKey is the name under which role profile r's session is stored and
// brokered. It lies under the source profile's prefix (ProfilePrefix), so
// a logout of the source forgets it too: "session/<source>/role/<role>/"
// and a digest of every AssumeRole step (role ARN, session name, external
// ID), the source's access key id and the MFA device. An MFA session's
// key has no "/" after the source's prefix, so the two never meet.
func RoleKey(r *profile.Role) string {
	return RolePrefix(r.Source.Name, r.Name) + roleDigest(r)
}

// RolePrefix is the key prefix of role profile role's sessions built on
// source's MFA session; role is a profile name, never empty.
func RolePrefix(source, role string) string {
	return profilePrefix(source) + "role/" + profile.KeyName(role) + "/"
}

func roleDigest(r *profile.Role) string {
	var b strings.Builder
	b.WriteString(r.Source.AccessKeyID + "\n" + r.Source.MFASerial)
	for _, s := range r.Chain {
		fmt.Fprintf(&b, "\n%s\n%s\n%s", s.RoleARN, s.SessionName, s.ExternalID)
	}
	return digest(b.String())
}

// isRoleKey reports whether key is a role session's: it has more parts
// than an MFA session's "session/<profile>/<digest>" (KeyName leaves no
// "/" in a name).
func isRoleKey(key string) bool { return strings.Count(key, "/") > 2 }

// acquireRole makes t's role session holding its lock: whoever held it
// before may have stored one. The source's MFA session comes from the usual path
// (broker, keystore, one prompt).
func (m *Manager) acquireRole(ctx context.Context, t Target, force bool) (*Session, bool, error) {
	key, kind, p := t.policy()
	r := t.Role
	mark := m.logoutMark(r.Source.Name, r.Name)
	release, err := m.lock(ctx, key, r.Name, kind, prompt.Timeout+2*awsapi.CallTimeout+10*time.Second)
	if err != nil {
		return nil, false, err
	}
	defer release()
	if old := m.cached(key, kind, r.Name); !force && m.fresh(p, old) {
		return old, false, nil
	}
	mfa, _, err := m.Login(ctx, Target{Profile: r.Source}, force)
	if err != nil {
		return nil, false, err
	}
	settings := *r.Settings
	settings.Name = r.Source.Name // AssumeRole's errors name the source profile
	caller := mfa.Credentials()
	var arn string
	var c *awsapi.Credentials
	for _, step := range r.Chain {
		c, arn, err = m.STS.AssumeRole(ctx, &settings, caller, awsapi.RoleRequest{RoleARN: step.RoleARN, SessionName: step.SessionName, ExternalID: step.ExternalID, Duration: step.Duration})
		if err != nil {
			return nil, false, fmt.Errorf("role profile %q: %w", step.Profile, err)
		}
		caller = *c
	}
	s := &Session{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration,
		MFASerial: r.Source.MFASerial, Profile: r.Name, SourceKeyID: r.Source.AccessKeyID, Issued: m.now().UTC(),
		Role: &RoleInfo{Source: r.Source.Name, ID: roleDigest(r), ARN: arn, MFASession: mfa.Key(), Clamped: r.Last().Clamped}}
	if err := m.keep(key, s, "role session", "call AssumeRole again", mark, r.Source.Name, r.Name); err != nil {
		return nil, false, err
	}
	return s, true, nil
}
