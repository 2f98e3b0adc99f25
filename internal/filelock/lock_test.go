//go:build !windows

package filelock

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The lock file is mfa-git's own: never reached through a symlink, never a
// FIFO that would block, never in a folder another user owns or can write,
// never relative to the current folder (a repository).
func TestLockFileNoFollow(t *testing.T) {
	for _, tc := range []struct {
		name    string
		root    bool // needs root to give files away
		prepare func(t *testing.T, dir string) (lock string)
	}{
		{"symlink to a missing file", false, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "locks"), 0o700)
			p := filepath.Join(dir, "locks", "p.lock")
			os.Symlink(filepath.Join(dir, "elsewhere"), p)
			return p
		}},
		{"symlink to a file of ours", false, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "locks"), 0o700)
			os.WriteFile(filepath.Join(dir, "elsewhere"), []byte("keep\n"), 0o600)
			p := filepath.Join(dir, "locks", "p.lock")
			os.Symlink(filepath.Join(dir, "elsewhere"), p)
			return p
		}},
		{"symlinked lock folder", false, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "elsewhere.d"), 0o700)
			os.Symlink(filepath.Join(dir, "elsewhere.d"), filepath.Join(dir, "locks"))
			return filepath.Join(dir, "locks", "p.lock")
		}},
		{"fifo", false, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "locks"), 0o700)
			p := filepath.Join(dir, "locks", "p.lock")
			syscall.Mkfifo(p, 0o600)
			return p
		}},
		{"relative path", false, func(t *testing.T, dir string) string {
			t.Chdir(dir)
			return filepath.Join("locks", "p.lock")
		}},
		{"folder of another user", true, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "locks"), 0o777)
			os.Chmod(filepath.Join(dir, "locks"), 0o777)
			os.Chown(filepath.Join(dir, "locks"), 65534, 65534)
			return filepath.Join(dir, "locks", "p.lock")
		}},
		{"group-writable folder", true, func(t *testing.T, dir string) string {
			os.Mkdir(filepath.Join(dir, "locks"), 0o700)
			os.Chmod(filepath.Join(dir, "locks"), 0o770)
			return filepath.Join(dir, "locks", "p.lock")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.root && os.Getuid() != 0 {
				t.Skip("needs root")
			}
			dir := t.TempDir()
			lock := tc.prepare(t, dir)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			l, err := Acquire(ctx, lock, nil)
			if err == nil {
				l.Release()
				t.Fatal("locked a file mfa-git must not use")
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("Acquire hung")
			}
			if b, err := os.ReadFile(filepath.Join(dir, "elsewhere")); err == nil && string(b) != "keep\n" {
				t.Fatalf("a lock file was made through the symlink: %q", b)
			}
			for _, p := range []string{filepath.Join(dir, "elsewhere.d", "p.lock"), filepath.Join(dir, "locks", "p.lock")} {
				if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
					t.Fatalf("a lock file was made at %s", p)
				}
			}
		})
	}
}
