package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// fileLock is an exclusive advisory lock on a file, shared by every
// process of the user. The kernel releases it if the holder dies.
type fileLock struct{ f *os.File }

// acquire waits for the lock until ctx ends, polling so that a waiter never
// blocks past its deadline. The lock folder must be private to the user
// (made 0700 if missing) and the lock file a regular file of the user's:
// a symlink there is not followed.
func acquire(ctx context.Context, path string) (*fileLock, error) {
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("lock file %q: not an absolute path", path)
	}
	if err := userdir.Private(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("lock folder: %w", err)
	}
	f, err := userdir.OpenFile(path, os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	for delay := 5 * time.Millisecond; ; {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return &fileLock{f: f}, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		if delay < 100*time.Millisecond {
			delay *= 2
		}
	}
}

func (l *fileLock) release() {
	unlock(l.f)
	l.f.Close()
}
