package stale

import (
	"strings"
	"time"
)

// A CodeCommit password signed with SigV4 (by mfa-git, the AWS CLI's
// credential-helper or git-remote-codecommit) is the UTC time it was
// signed, YYYYMMDDTHHMMSS, a "Z", and 64 lowercase hex digits; it stops
// working about 15 minutes later. Its username is an access key id,
// followed for temporary credentials by "%" and the session token.
const (
	stampLayout   = "20060102T150405"
	signatureHexs = 64
	akidLen       = 20
)

// StalePassword reports whether a stored user and password are provably a
// SigV4-signed CodeCommit git password, which expires minutes after it was
// made and so only ever stands in the way once stored: user is an access
// key id (AKIA or ASIA and 16 of A-Z, 0-9), alone or followed by "%" and a
// session token, and password is the signing time (a real date) followed
// by 64 lowercase hex digits. Everything else is not: IAM's long-lived Git
// credentials for CodeCommit (NAME-at-ACCOUNT with a static password), and
// whatever cannot be parsed.
func StalePassword(user, password string) bool {
	return StaleUser(user) && isSignedPassword(password)
}

// StaleUser reports whether user could go with a stale SigV4 password (an
// access key id, alone or followed by "%" and a session token), so that a
// store's password need not be read for any other user.
func StaleUser(user string) bool {
	akid, token, hasToken := strings.Cut(user, "%")
	return isAccessKeyID(akid) && (!hasToken || isSessionToken(token))
}

// ShowUser returns what may be printed of a stored git username: an access
// key id as it is, with " (session)" when a session token follows it (the
// token itself never); IAM's Git credential user name NAME-at-ACCOUNT as it
// is, since it is not secret; and for anything else, which may well be a
// token used as a user name, only that it is hidden.
func ShowUser(user string) string {
	akid, _, hasToken := strings.Cut(user, "%")
	switch {
	case isAccessKeyID(akid) && hasToken:
		return akid + " (session)"
	case isAccessKeyID(akid):
		return akid
	case isIAMGitUser(user):
		return user
	case user == "":
		return "(no user)"
	}
	return "(user hidden)"
}

func isAccessKeyID(s string) bool {
	if len(s) != akidLen || !strings.HasPrefix(s, "AKIA") && !strings.HasPrefix(s, "ASIA") {
		return false
	}
	return only(s[4:], upper+digits)
}

// isSessionToken accepts what STS issues: a non-empty base64 string.
func isSessionToken(s string) bool {
	return s != "" && only(s, upper+lower+digits+"+/=")
}

func isSignedPassword(s string) bool {
	if len(s) != len(stampLayout)+1+signatureHexs || s[len(stampLayout)] != 'Z' {
		return false
	}
	// time.Parse checks the ranges too: no month 13, no 30 February.
	if _, err := time.Parse(stampLayout, s[:len(stampLayout)]); err != nil {
		return false
	}
	return only(s[len(stampLayout)+1:], digits+"abcdef")
}

// isIAMGitUser matches the user names IAM gives service-specific (Git)
// credentials: the IAM user name, "-at-", and the 12-digit account id.
func isIAMGitUser(s string) bool {
	i := strings.LastIndex(s, "-at-")
	if i < 0 {
		return false
	}
	name, account := s[:i], s[i+len("-at-"):]
	if name == "" || len(name) > 64 || len(account) != 12 {
		return false
	}
	return only(account, digits) && only(name, upper+lower+digits+"+=,.@_-")
}

const (
	upper  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	lower  = "abcdefghijklmnopqrstuvwxyz"
	digits = "0123456789"
)

// only reports whether every character of s is one of chars.
func only(s, chars string) bool { return strings.Trim(s, chars) == "" }
