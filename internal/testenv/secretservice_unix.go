//go:build unix

package testenv

import (
	"errors"
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
	root := os.Getenv("MFA_GIT_TEST_ISOLATED")
	if root == "" || os.Getenv(heldEnv) == "1" {
		return // outside test.sh, or a child of the test that holds it
	}
	f, err := os.OpenFile(filepath.Join(root, "secret-service.lock"), os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		t.Fatalf("lock the test run's Secret Service: %v", err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			t.Fatalf("lock the test run's Secret Service: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Cleanup(func() { f.Close() })
	// The test's own child processes (a test binary run again with other
	// settings) use the Secret Service under this hold.
	t.Setenv(heldEnv, "1")
}

// heldEnv marks processes started by a test that holds the lock.
const heldEnv = "MFA_GIT_TEST_SECRET_SERVICE_HELD"
