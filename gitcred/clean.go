package gitcred

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// IsCodeCommitHost reports whether host (with or without a port) is a
// CodeCommit git host.
func IsCodeCommitHost(host string) bool {
	_, ok := Region(host)
	return ok
}

// StoreFiles are where git-credential-store keeps passwords in plain text.
func StoreFiles(home, xdgConfig string) []string {
	if xdgConfig == "" {
		xdgConfig = filepath.Join(home, ".config")
	}
	return []string{filepath.Join(home, ".git-credentials"), filepath.Join(xdgConfig, "git", "credentials")}
}

// CleanStoreFile removes the CodeCommit lines of a git-credential-store
// file and keeps every other line byte for byte (and the file's mode). It
// returns the removed entries as https://USER@HOST, never the password.
// With dryRun it changes nothing. A missing file is not an error.
func CleanStoreFile(path string, dryRun bool) ([]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var kept bytes.Buffer
	var removed []string
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		u, err := url.Parse(string(bytes.TrimRight(line, "\r\n")))
		if err == nil && u.Host != "" && IsCodeCommitHost(u.Host) {
			removed = append(removed, fmt.Sprintf("%s: %s://%s@%s", path, u.Scheme, u.User.Username(), u.Host))
			continue
		}
		kept.Write(line)
	}
	if dryRun || len(removed) == 0 {
		return removed, nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mfa-git-clean-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(kept.Bytes()); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	return removed, os.Rename(tmp.Name(), path)
}
