package stale

import (
	"strings"
	"time"
)

// Cleaner removes the stale passwords that other programs (git's
// credential helpers, Git Credential Manager) stored in the OS secret
// stores; mfa-git's own entries live elsewhere. It decides nothing itself:
// its fields say which entries are stale. It reads an entry's password
// only when the host and user already match, keeps it in memory only, and
// never prints it, logs it or puts it in an argument list. Every entry it
// cannot parse is kept. Each method returns the entries it removed (or
// with DryRun would remove) as "STORE: " and what Show returns.
type Cleaner struct {
	// Host reports whether a host (maybe with a port) is one to clean.
	Host func(host string) bool
	// User reports whether a user name could belong to a stale password;
	// no password is read for any other user.
	User func(user string) bool
	// Stale reports whether a user and password are a stale password.
	Stale func(user, password string) bool
	// Show names an entry in output; it must not show secrets.
	Show func(scheme, host, user string) string
	// DryRun lists the entries and removes nothing.
	DryRun bool
	// Timeout bounds each run of security, and the whole Secret Service
	// pass (every D-Bus call in it); 10 seconds when zero.
	Timeout time.Duration
}

func (c Cleaner) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

// candidate reports whether an entry could hold a stale password, before
// its password is read.
func (c Cleaner) candidate(host, user string) bool {
	return host != "" && c.Host(host) && c.User(user)
}

// gitServiceHost returns the host of a git URL that Git Credential Manager
// and git's wincred helper name their entries by, "git:https://HOST[/PATH]"
// (GCM's default namespace "git"), or "" for anything else. A user in it
// must have been taken off already.
func gitServiceHost(s string) string {
	const prefix = "git:https://"
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return ""
	}
	host := s[len(prefix):]
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if host == "" || strings.ContainsAny(host, "@%\\ \t\r\n") {
		return ""
	}
	return host
}

// gitSecretPassword returns the password in a secret that a git helper
// stored. Since git 2.43 (libsecret), 2.45 (osxkeychain) and 2.41
// (wincred), and in Git Credential Manager, the secret is the password
// followed by lines such as "password_expiry_utc=1700000000" or
// "oauth_refresh_token=...", separated by LF or CRLF. A secret with any
// other line is not understood, and "" is returned.
func gitSecretPassword(secret string) string {
	lines := strings.Split(strings.ReplaceAll(secret, "\r\n", "\n"), "\n")
	for _, l := range lines[1:] {
		k, _, ok := strings.Cut(l, "=")
		if !ok || k != "password_expiry_utc" && k != "oauth_refresh_token" {
			return ""
		}
	}
	return lines[0]
}
