package stale

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// gitLock is the lock git takes on a file while it rewrites it: FILE.lock,
// created with O_CREAT|O_EXCL, so that exactly one writer holds it, and
// removed when the writer is done. git credential-store takes it on
// ~/.git-credentials (through its symlinks) before every store or erase.
type gitLock struct {
	path string
	f    *os.File
}

// lockGitFile takes target's git lock, waiting for another writer to give
// it back until timeout. O_EXCL never follows a symlink at the lock path.
func lockGitFile(target string, timeout time.Duration) (*gitLock, error) {
	path := target + ".lock"
	deadline := time.Now().Add(timeout)
	wait := 5 * time.Millisecond
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return &gitLock{path: path, f: f}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s (create %s): %w", target, path, err)
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("lock %s: %s has been held for %s by another program (git writing the file, or one that stopped before removing it): if no git is running, remove %s and run again", target, path, timeout, path)
		}
		time.Sleep(wait)
		if wait < 100*time.Millisecond {
			wait *= 2
		}
	}
}

// release removes the lock file, if it is still the one lockGitFile made.
func (l *gitLock) release() {
	ours, err := l.f.Stat()
	l.f.Close()
	if err != nil {
		return
	}
	if now, err := os.Lstat(l.path); err == nil && os.SameFile(ours, now) {
		os.Remove(l.path)
	}
}
