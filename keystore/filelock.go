package keystore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mfa-git/mfa-git/internal/userdir"
)

// lockWait bounds how long a process waits for another's short
// read-modify-write of shared state (the keychain's index).
const lockWait = 10 * time.Second

// errLockTimeout means another process held a state lock too long.
var errLockTimeout = errors.New("gave up waiting for the lock")

// lockFile takes an exclusive advisory lock on path (created 0600 in a
// 0700 folder of the user's; a symlink there is not followed), shared by all of the user's processes, waiting at most
// limit. The kernel releases it if the holder dies.
func lockFile(path string, limit time.Duration) (unlock func(), err error) {
	if err := userdir.Private(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("lock folder: %w", err)
	}
	f, err := userdir.OpenFile(path, os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	deadline := time.Now().Add(limit)
	for delay := time.Millisecond; ; {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("%w %s after %s", errLockTimeout, path, limit)
		}
		time.Sleep(delay)
		delay = min(2*delay, 50*time.Millisecond)
	}
}
