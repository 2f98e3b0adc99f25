// Package session turns an AWS profile with long-term keys and an MFA
// device into a temporary MFA session: it reads the profile, asks for the
// one-time code (terminal or token command), calls sts:GetSessionToken, and
// keeps the result in a keystore until shortly before it expires. A
// cross-process lock makes many concurrent callers cause one prompt.
package session

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/mfa-git/mfa-git/profile"
)

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
}

// Remaining is how long the session has left at now.
func (s *Session) Remaining(now time.Time) time.Duration { return s.Expiration.Sub(now) }

// belongsTo reports whether s was made from p's key and device.
func (s *Session) belongsTo(p *profile.Profile) bool {
	return s.Profile == p.Name && s.SourceKeyID == p.AccessKeyID && s.MFASerial == p.MFASerial
}

func (s *Session) marshal() ([]byte, error) { return json.Marshal(s) }

// maxSessionBytes bounds a stored session: real ones are under 8 KiB, so a
// larger entry was not written by mfa-git and is not parsed.
const maxSessionBytes = 64 << 10

func unmarshalSession(b []byte) (*Session, error) {
	if len(b) > maxSessionBytes {
		return nil, errors.New("entry too large to be a session")
	}
	var s Session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if s.AccessKeyID == "" || s.SecretAccessKey == "" || s.SessionToken == "" || s.Expiration.IsZero() {
		return nil, errors.New("incomplete session")
	}
	return &s, nil
}

// cacheKey names p's session in the keystore: the profile (encoded by
// profile.KeyName), and a digest of the long-term access key id and the MFA serial.
func cacheKey(p *profile.Profile) string {
	return profilePrefix(p.Name) + digest(p.AccessKeyID+"\n"+p.MFASerial)
}

func profilePrefix(name string) string { return "session/" + profile.KeyName(name) + "/" }

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}
