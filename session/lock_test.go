//go:build !windows

package session

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
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
			l, err := acquire(ctx, lock)
			if err == nil {
				l.release()
				t.Fatal("locked a file mfa-git must not use")
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("acquire hung")
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

// With HOME unset, empty or relative, the AWS files are the user's (from
// the user database), never .aws/ in the current folder.
func TestDefaultFilesWithoutHome(t *testing.T) {
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	os.MkdirAll(filepath.Join(repo, ".aws"), 0o700)
	os.WriteFile(filepath.Join(repo, ".aws", "config"), []byte("[profile base]\nmfa_process = touch pwned\n"), 0o600)
	t.Chdir(repo)
	t.Setenv("AWS_CONFIG_FILE", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "")
	for _, home := range []string{"", ".", "repo"} {
		t.Setenv("HOME", home)
		f, err := DefaultFiles()
		want := Files{filepath.Join(u.HomeDir, ".aws", "config"), filepath.Join(u.HomeDir, ".aws", "credentials")}
		if err != nil || f != want {
			t.Errorf("HOME=%q: %+v, %v; want %+v", home, f, err, want)
		}
	}
}

// A relative AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE would name the
// repository's file: refused with a hint.
func TestDefaultFilesRelative(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "config")
	for _, tc := range []struct{ config, creds, err string }{
		{".aws-config", "", `AWS_CONFIG_FILE=".aws-config" is not an absolute path`},
		{"sub/config", abs, `AWS_CONFIG_FILE="sub/config" is not an absolute path`},
		{"../config", abs, `AWS_CONFIG_FILE="../config"`},
		{abs, "creds", `AWS_SHARED_CREDENTIALS_FILE="creds" is not an absolute path`},
		{"", "./credentials", `AWS_SHARED_CREDENTIALS_FILE="./credentials"`},
		{abs, abs, ""},
	} {
		t.Setenv("AWS_CONFIG_FILE", tc.config)
		t.Setenv("AWS_SHARED_CREDENTIALS_FILE", tc.creds)
		_, err := DefaultFiles()
		if tc.err == "" {
			if err != nil {
				t.Errorf("%q, %q: %v", tc.config, tc.creds, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(Hint(err), "absolute path") {
			t.Errorf("%q, %q: %v (hint %q); want error %q", tc.config, tc.creds, err, Hint(err), tc.err)
		}
	}
}
