// Package filelock is the one cross-process file lock of mfa-git: an
// exclusive advisory lock shared by every process of the user, released by
// the kernel if the holder dies.
package filelock

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/syserr"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// Lock is a held lock; Release gives it back.
type Lock struct{ f *os.File }

// Acquire waits for the lock on path until ctx ends, polling so that a
// waiter never blocks past its deadline; busy, if not nil, is called once
// when the lock is found held by another process. The lock folder must be
// private to the user (made 0700 if missing) and the lock file a regular
// file of the user's: a symlink there is not followed.
func Acquire(ctx context.Context, path string, busy func()) (*Lock, error) {
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
	for delay := time.Millisecond; ; {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, syserr.Explain(fmt.Errorf("lock %s: %w", path, err))
		}
		if ok {
			return &Lock{f: f}, nil
		}
		if busy != nil {
			busy()
			busy = nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(2*delay, 50*time.Millisecond)
	}
}

// Release unlocks and closes the lock file.
func (l *Lock) Release() {
	unlock(l.f)
	l.f.Close()
}
