package stale

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/mfa-git/mfa-git/gitcred"
	"github.com/mfa-git/mfa-git/internal/atomicfile"
)

// StoreFiles are where git-credential-store keeps passwords in plain text.
func StoreFiles(home, xdgConfig string) []string {
	if xdgConfig == "" {
		xdgConfig = filepath.Join(home, ".config")
	}
	return []string{filepath.Join(home, ".git-credentials"), filepath.Join(xdgConfig, "git", "credentials")}
}

// ShowEntry is how a stored credential is named in output: the URL of its
// host and the user as ShowUser prints it, never a token or password.
func ShowEntry(scheme, host, user string) string {
	return fmt.Sprintf("%s://%s for %s", scheme, host, ShowUser(user))
}

// CleanStoreFile removes from a git-credential-store file the lines that
// hold a stale SigV4 CodeCommit password (see StalePassword) and keeps
// every other line byte for byte: other hosts, IAM's long-lived Git
// credentials, and lines it cannot parse. The file is replaced atomically
// through any symlink and keeps its mode. It returns the removed entries as
// "PATH: " and ShowEntry, never a token or password. With dryRun it changes
// nothing. A missing file is not an error.
func CleanStoreFile(path string, dryRun bool) ([]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var kept bytes.Buffer
	var removed []string
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if scheme, host, user, ok := staleStoreLine(string(bytes.TrimRight(line, "\r\n"))); ok {
			removed = append(removed, path+": "+ShowEntry(scheme, host, user))
			continue
		}
		kept.Write(line)
	}
	if dryRun || len(removed) == 0 {
		return removed, nil
	}
	if err := atomicfile.Write(path, kept.Bytes(), 0o600); err != nil {
		return nil, fmt.Errorf("rewrite %s: %w", path, err)
	}
	return removed, nil
}

// staleStoreLine parses one git-credential-store line,
// https://USER:PASSWORD@HOST with USER and PASSWORD percent-encoded, and
// reports whether it holds a stale CodeCommit password.
func staleStoreLine(line string) (scheme, host, user string, ok bool) {
	u, err := url.Parse(line)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User == nil || !gitcred.IsCodeCommitHost(u.Host) {
		return "", "", "", false
	}
	password, set := u.User.Password()
	if !set || !StalePassword(u.User.Username(), password) {
		return "", "", "", false
	}
	return u.Scheme, u.Host, u.User.Username(), true
}
