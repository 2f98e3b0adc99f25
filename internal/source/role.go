package source

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/mfa-git/mfa-git/internal/awsapi"
	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/session"
)

// Role is a role profile: its sessions come from sts:AssumeRole along
// the profile's chain, the first call signed with Source's session, which
// the loop obtains first (cached, brokered, asked for once; see Wrapper),
// so only an ended inner session asks for a code.
type Role struct {
	Role   *profile.Role
	Source Source
}

// Inner implements Wrapper: the role's source profile.
func (r Role) Inner() Source { return r.Source }

// Desc implements Source: the session is filed under the inner source's
// prefix (RolePrefix), so a logout of the inner profile forgets it too,
// and a digest of the inner source's ID and every AssumeRole step (role
// ARN, session name, external ID).
func (r Role) Desc() Desc {
	in := r.Source.Desc()
	var b strings.Builder
	b.WriteString(in.ID)
	for _, s := range r.Role.Chain {
		fmt.Fprintf(&b, "\n%s\n%s\n%s", s.RoleARN, s.SessionName, s.ExternalID)
	}
	id := b.String()
	return Desc{Key: session.RolePrefix(in.Name, r.Role.Name) + session.Digest(id), ID: id, Name: r.Role.Name, Kind: "role profile",
		Profiles: append(in.Profiles[:len(in.Profiles):len(in.Profiles)], r.Role.Name),
		Lifetime: cmp.Or(r.Role.Last().Duration, profile.RoleChainingLimit), MakeLimit: in.MakeLimit + awsapi.CallTimeout,
		Noun: "role session", Again: "call AssumeRole again"}
}

// Settings implements Source: the role profile's region and endpoints.
func (r Role) Settings() *profile.Profile { return r.Role.Settings }

// Make implements Source: one AssumeRole call per step of the chain, the
// first signed with the source's session, each next with the previous
// answer.
func (r Role) Make(ctx context.Context, m *Manager, input Input) (*session.Session, bool, error) {
	d, inner := input.Desc, input.Inner
	settings := *r.Role.Settings
	settings.Name = inner.Profile // AssumeRole's errors name the source profile
	caller := Credentials(inner)
	var arn string
	var c *awsapi.Credentials
	var err error
	for _, step := range r.Role.Chain {
		c, arn, err = m.STS.AssumeRole(ctx, &settings, caller, awsapi.RoleRequest{RoleARN: step.RoleARN, SessionName: step.SessionName, ExternalID: step.ExternalID, Duration: step.Duration})
		if err != nil {
			return nil, false, fmt.Errorf("role profile %q: %w", step.Profile, err)
		}
		caller = *c
	}
	return &session.Session{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration,
		MFASerial: inner.MFASerial, Profile: d.Name, SourceKeyID: inner.SourceKeyID, Issued: m.now().UTC(),
		Role: &session.RoleInfo{Source: inner.Profile, ID: d.Key[strings.LastIndexByte(d.Key, '/')+1:], ARN: arn, MFASession: inner.Key, Clamped: r.Role.Last().Clamped}}, true, nil
}

// RoleKey is the name under which role profile r's session is stored and
// brokered (see Role.Desc): "session/<source>/role/<role>/" and a digest.
// An MFA session's key has no "/" after the source's prefix, so the two
// never meet.
func RoleKey(r *profile.Role) string { return For(nil, r).Desc().Key }

// Credentials are s's keys as awsapi takes them.
func Credentials(s *session.Session) awsapi.Credentials {
	return awsapi.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey, SessionToken: s.SessionToken, Expiration: s.Expiration}
}
