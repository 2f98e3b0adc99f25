package session

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/mfa-git/mfa-git/internal/keystore"
)

// Keys name stored and brokered sessions: "session/<profile>/<digest>"
// for an MFA session, "session/<profile>/<kind>/<digest>" for a session
// of another source (kind "sso", "login" or "process"; never "role"),
// "session/<source>/role/<role>/<digest>" for a role
// session built on source's, each profile name encoded by
// keystore.KeyName, so no two names share an entry or a prefix in any
// store. The digest is of what identifies the credentials (an access key
// id and an MFA device; for a role, that and every step of its chain).

// MFAKey is the key of profile name's MFA session whose credentials id
// identifies (its access key id and MFA device; see source.MFAUser).
func MFAKey(name, id string) string { return profilePrefix(name) + Digest(id) }

// RoleKey is the key of role profile role's session built on source's
// session, whose chain and source id identifies.
func RoleKey(source, role, id string) string { return RolePrefix(source, role) + Digest(id) }

// Belongs reports whether s is filed under key: its recorded Key, or, for
// an entry stored before the key was recorded, the key its fields give
// (MFAKey of the profile, key and device that made it, or, for a role
// session, RoleKey's).
func Belongs(key string, s *Session) bool {
	if s == nil {
		return false
	}
	if s.Key != "" {
		return s.Key == key
	}
	if s.Role != nil {
		return RolePrefix(s.Role.Source, s.Profile)+s.Role.ID == key
	}
	return MFAKey(s.Profile, s.SourceKeyID+"\n"+s.MFASerial) == key
}

func profilePrefix(name string) string { return "session/" + keystore.KeyName(name) + "/" }

// ProfilePrefix is the key prefix of all sessions of the named profile,
// or of every profile when name is "".
func ProfilePrefix(name string) string {
	if name == "" {
		return "session/"
	}
	return profilePrefix(name)
}

// RolePrefix is the key prefix of role profile role's sessions built on
// source's session; role is a profile name, never empty.
func RolePrefix(source, role string) string {
	return profilePrefix(source) + "role/" + keystore.KeyName(role) + "/"
}

// SourcePrefix is the key prefix of profile name's sessions from a
// source of kind ("sso", "login", "process"): a part more than an MFA
// session's key has, and one less than a role session's, so none of the
// three meet.
func SourcePrefix(name, kind string) string { return profilePrefix(name) + kind + "/" }

// SourceKey is the key of profile name's session from a source of kind,
// whose credentials id identifies.
func SourceKey(name, kind, id string) string { return SourcePrefix(name, kind) + Digest(id) }

// IsRoleKey reports whether key is a role session's:
// "session/<source>/role/<role>/<digest>" (KeyName leaves no "/" in a
// name).
func IsRoleKey(key string) bool { return strings.Count(key, "/") == 4 }

// sameKind reports whether keys a and b are of the same kind of
// session: MFA, another source's, or a role's (see the key forms above).
func sameKind(a, b string) bool { return strings.Count(a, "/") == strings.Count(b, "/") }

// Digest is the short digest in keys, and in the names of the files that
// go with them (locks, code steps, logout marks).
func Digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}
