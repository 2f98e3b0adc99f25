// Package session is the temporary session every command hands out and
// the agent holds: the Session value, the keys it is filed under, the
// keystore Cache (the only reader, writer and forgetter of stored
// sessions), when a session is due for replacement (Fresh, Lead), the
// one-time code steps, and the Broker contract a session agent fulfils.
// It knows nothing of profiles: package source makes sessions from them.
package session

import (
	"errors"
	"time"
)

// ErrLoggedOut means a logout ran while a session was being made; the
// session was not kept.
var ErrLoggedOut = errors.New("logged out while the session was being made")

// Session is a temporary MFA session as stored in the keystore. It records
// which long-term key and device produced it, so a rotated key or a changed
// device never reuses it.
type Session struct {
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	SessionToken    string    `json:"session_token"`
	Expiration      time.Time `json:"expiration"`
	MFASerial       string    `json:"mfa_serial"`
	Profile         string    `json:"profile"`
	SourceKeyID     string    `json:"source_access_key_id"`
	// Issued is when the session was received (zero in entries stored
	// before it was recorded): with Expiration it gives the lifetime.
	Issued time.Time `json:"issued,omitzero"`
	// CodeStep is the TOTP time step (Unix time / 30 s) in which the code
	// that made this session was obtained, so a refresh never sends a code
	// of the same step again. The code itself is never stored.
	CodeStep int64 `json:"code_step,omitempty"`
	// Role is set for a role session: Profile is then the role profile,
	// and SourceKeyID and MFASerial are the source's.
	Role *RoleInfo `json:"role,omitempty"`
	// Key is the name the session is filed under (see keys.go): set by
	// the obtain loop and Cache.Put; empty in entries stored before it
	// was recorded, whose key Cache.Load derives (Belongs).
	Key string `json:"key,omitempty"`
}

// Keepable reports whether s may be kept and shared: it says when it
// expires. A credential_process answer without an Expiration serves the
// one call it was made for and is never kept, brokered or handed out
// again.
func (s *Session) Keepable() bool { return !s.Expiration.IsZero() }

// RoleInfo is what a role session records about how it was made.
type RoleInfo struct {
	// Source is the IAM user's profile whose MFA session it was assumed
	// with; MFASession is that session's key.
	Source     string `json:"source"`
	MFASession string `json:"mfa_session"`
	// ID is the digest of the role chain in the session's key (RoleKey).
	ID string `json:"id"`
	// ARN is the assumed-role ARN STS answered.
	ARN string `json:"arn"`
	// Clamped says duration_seconds asked for more than AWS's 1 h cap
	// on roles assumed with temporary credentials, and was cut to it.
	Clamped bool `json:"clamped,omitempty"`
}

// Remaining is how long the session has left at now.
func (s *Session) Remaining(now time.Time) time.Duration { return s.Expiration.Sub(now) }

// Environ is the environment a program gets for s used with profile name
// in region: the session's credentials, the profile (so mfa-git run
// inside, as git's helper, keeps using it) and its region ("" for none).
func (s *Session) Environ(name, region string) [][2]string {
	env := [][2]string{
		{"AWS_ACCESS_KEY_ID", s.AccessKeyID},
		{"AWS_SECRET_ACCESS_KEY", s.SecretAccessKey},
		{"AWS_SESSION_TOKEN", s.SessionToken},
		{"AWS_CREDENTIAL_EXPIRATION", s.Expiration.UTC().Format(time.RFC3339)},
		{"MFA_GIT_PROFILE", name},
	}
	if !s.Keepable() {
		// No expiration (a credential_process answer that gave none).
		env = append(env[:3], env[4])
	}
	if region != "" {
		env = append(env, [2]string{"AWS_REGION", region}, [2]string{"AWS_DEFAULT_REGION", region})
	}
	return env
}
