//go:build linux

package keystore

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The lock that serialises the kernel keyring's creation is waited for
// with a deadline, and its file is never reached through a symlink or a
// FIFO: whatever is at its path, Open returns within the wait.
func TestKeyCtlCreationLockBounded(t *testing.T) {
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, lock string)
	}{
		{"held by a process that hangs", func(t *testing.T, lock string) {
			f, err := os.OpenFile(lock, os.O_CREATE|os.O_RDWR, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
				t.Fatal(err)
			}
		}},
		{"a fifo", func(t *testing.T, lock string) {
			if err := syscall.Mkfifo(lock, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"a symlink", func(t *testing.T, lock string) {
			if err := os.Symlink(lock+".target", lock); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state := t.TempDir()
			lock := filepath.Join(state, "keyctl-create.lock")
			tc.prepare(t, lock)
			service := testService(t) // here: it may skip the test, which only its goroutine can
			done := make(chan error, 1)
			go func() {
				s, err := Open(Config{Backend: KeyCtl, Service: service, StateDir: state})
				if err == nil {
					err = s.Set("k", []byte("v"))
					s.Remove("k")
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("Open still waits for the creation lock after 15s")
			}
			if _, err := os.Lstat(lock + ".target"); err == nil {
				t.Fatal("the lock was created through the symlink")
			}
		})
	}
}
