//go:build unix

package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// holdSecretService takes an exclusive lock, shared by every test
// process of this test.sh run, on the run's Secret Service, and releases
// it when the test ends. It gives up after two minutes.
func holdSecretService(t testing.TB) {
	t.Helper()
	if os.Getenv(heldEnv) == "1" {
		return // a child of the test that holds it
	}
	release, err := LockRun("secret-service", 2*time.Minute)
	if err != nil {
		t.Fatalf("lock the test run's Secret Service: %v", err)
	}
	t.Cleanup(release)
	// The test's own child processes (a test binary run again with other
	// settings) use the Secret Service under this hold.
	t.Setenv(heldEnv, "1")
}

// heldEnv marks processes started by a test that holds the lock.
const heldEnv = "MFA_GIT_TEST_SECRET_SERVICE_HELD"

// HoldHeavy takes the lock that the tests which start dozens of
// processes or logins at once hold, shared by every test process of this
// test.sh run, so that no two of them overlap: on two cores, two such
// tests starve each other past the Secret Service's 10 s deadline.
// It gives up after five minutes.
func HoldHeavy(t testing.TB) {
	t.Helper()
	release, err := LockRun("heavy", 5*time.Minute)
	if err != nil {
		t.Fatalf("wait for the other heavy tests: %v", err)
	}
	t.Cleanup(release)
}

// LockRun takes the exclusive lock name of this test.sh run, waiting at
// most limit, and returns its release. Outside test.sh there is nothing
// to share and it returns at once.
func LockRun(name string, limit time.Duration) (release func(), err error) {
	root := os.Getenv("MFA_GIT_TEST_ISOLATED")
	if root == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(filepath.Join(root, name+".lock"), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(limit)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
