package keystore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mfa-git/mfa-git/internal/filelock"
)

// lockWait bounds how long a process waits for the others' short
// read-modify-writes of shared state (the keychain's index). Each takes
// two calls to the keychain; processes storing at once take the lock in
// turn, so the last of many waits for all of them (20 logins at once
// under load took seconds): the bound is for a holder that is stuck, not
// for a queue.
const lockWait = 30 * time.Second

// errLockTimeout means another process held a state lock too long.
var errLockTimeout = errors.New("gave up waiting for the lock")

// lockFile takes the lock on path (see filelock.Acquire), waiting at most
// limit.
func lockFile(path string, limit time.Duration) (unlock func(), err error) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	l, err := filelock.Acquire(ctx, path, nil)
	if errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("%w %s after %s", errLockTimeout, path, limit)
	}
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}
