package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// fileLock is an exclusive advisory lock on a file, shared by every
// process of the user. The kernel releases it if the holder dies.
type fileLock struct{ f *os.File }

// acquire waits for the lock until ctx ends, polling so that a waiter never
// blocks past its deadline.
func acquire(ctx context.Context, path string) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create lock folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
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
