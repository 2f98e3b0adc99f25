package stale

import (
	"errors"
	"strings"
	"time"

	"github.com/mfa-git/mfa-git/gitcred"
)

// cleaner removes the stale passwords that other programs (git's
// credential helpers, Git Credential Manager) stored in the OS secret
// stores; mfa-git's own entries live elsewhere. Only CodeCommit hosts are
// looked at, and an entry is stale only if StalePassword says so. It
// reads an entry's password only when the host and user already match
// (StaleUser), keeps it in memory only, and never prints it, logs it or
// puts it in an argument list. Every entry it cannot parse is kept. Each
// method returns the entries it removed (or with DryRun would remove) as
// "STORE: " and ShowEntry.
type cleaner struct {
	// DryRun lists the entries and removes nothing.
	DryRun bool
	// Timeout bounds each run of security, and the whole Secret Service
	// pass (every D-Bus call in it); 10 seconds when zero.
	Timeout time.Duration

	// beforeDelete is the boundary between classifying and deleting: it
	// runs, when set, after a store's entry (or a store file) has been
	// classified as stale and before it is read again to be deleted, with
	// the store's name for it. Another process may change the entry at
	// this moment; tests set it to be that process. nil otherwise.
	beforeDelete func(entry string)
}

// atBoundary runs beforeDelete, if set.
func (c cleaner) atBoundary(entry string) {
	if c.beforeDelete != nil {
		c.beforeDelete(entry)
	}
}

func (c cleaner) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return 10 * time.Second
}

// Why an entry classified stale was not reported removed.
var (
	errChanged    = errors.New("it changed after it was found stale and no longer holds a stale password: kept")
	errStillThere = errors.New("it is still there after it was deleted: run clean again, or remove it by hand")
)

// candidate reports whether an entry could hold a stale password, before
// its password is read.
func (c cleaner) candidate(host, user string) bool {
	return host != "" && gitcred.IsCodeCommitHost(host) && StaleUser(user)
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
