package stale

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
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
// through any symlink and keeps its mode, under git's own lock of the file
// (see storeFile). It returns the removed entries as "PATH: " and
// ShowEntry, never a token or password: only those a read of the file
// after the rewrite shows gone. With dryRun it changes nothing. A missing
// file is not an error.
func CleanStoreFile(path string, dryRun bool) ([]string, error) {
	return cleaner{DryRun: dryRun}.storeFile(path)
}

// storeFile is CleanStoreFile. The file may change between the first read
// and the rewrite: git credential-store writes it whenever git stores a
// password. So the rewrite takes the lock git takes ("FILE.lock",
// created exclusively, beside the file its symlinks lead to), reads the
// file again under it, and removes only the lines that are still stale
// then; the lines kept are exactly what was there under the lock. After
// the lock is given back, the file is read once more and only the lines
// that read no longer holds are reported removed.
func (c cleaner) storeFile(path string) ([]string, error) {
	data, err := readStoreFile(path)
	if data == nil || err != nil {
		return nil, err
	}
	if _, stale := splitStale(data); c.DryRun || len(stale) == 0 {
		return showStale(path, stale), nil
	}
	c.atBoundary(path)
	target, err := atomicfile.Resolve(path)
	if err != nil {
		return nil, fmt.Errorf("find the file %s links to: %w", path, err)
	}
	lock, err := lockGitFile(target, c.timeout())
	if err != nil {
		return nil, err
	}
	stale, err := func() ([]string, error) {
		defer lock.release()
		data, err := readStoreFile(path)
		if data == nil || err != nil {
			return nil, err
		}
		kept, stale := splitStale(data)
		if len(stale) == 0 {
			return nil, nil
		}
		if err := atomicfile.Write(path, kept, 0o600); err != nil {
			return nil, fmt.Errorf("rewrite %s: %w", path, err)
		}
		return stale, nil
	}()
	if len(stale) == 0 || err != nil {
		return nil, err
	}
	after, err := readStoreFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s again to check what was removed: %w", path, err)
	}
	left := map[string]bool{}
	for _, line := range storeLines(after) {
		left[line] = true
	}
	var gone, still []string
	for _, line := range stale {
		if left[line] {
			still = append(still, line)
		} else {
			gone = append(gone, line)
		}
	}
	if len(still) > 0 {
		err = fmt.Errorf("%s: %d stale line(s) are still in the file after it was rewritten (another program may have written them again): run clean again", path, len(still))
	}
	return showStale(path, gone), err
}

// readStoreFile reads a store file; a missing one is nil and no error.
func readStoreFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// storeLines are the lines of a store file without their line ends.
func storeLines(data []byte) []string {
	var lines []string
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) > 0 {
			lines = append(lines, string(bytes.TrimRight(line, "\r\n")))
		}
	}
	return lines
}

// splitStale returns data without its stale lines, byte for byte, and the
// stale lines without their line ends.
func splitStale(data []byte) (kept []byte, stale []string) {
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if _, _, _, ok := staleStoreLine(string(bytes.TrimRight(line, "\r\n"))); ok {
			stale = append(stale, string(bytes.TrimRight(line, "\r\n")))
			continue
		}
		b.Write(line)
	}
	return b.Bytes(), stale
}

// showStale names stale store lines as "PATH: " and ShowEntry.
func showStale(path string, lines []string) []string {
	var shown []string
	for _, line := range lines {
		scheme, host, user, _ := staleStoreLine(line)
		shown = append(shown, path+": "+ShowEntry(scheme, host, user))
	}
	return shown
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
