//go:build !windows

package source

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// The state files beside the locks (the last code's step, logout marks)
// are never written or read through a symlink, never read from a FIFO
// (which would hang), and never kept in a folder others can write.
func TestStateFilesNoFollow(t *testing.T) {
	const users = "user's own file\n"
	p := &profile.Profile{Name: "dev", MFASerial: "arn:aws:iam::123456789012:mfa/dev"}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, lockDir, file string) (victim string)
	}{
		{"symlink to the user's file", func(t *testing.T, lockDir, file string) string {
			victim := filepath.Join(filepath.Dir(lockDir), "victim")
			os.WriteFile(victim, []byte(users), 0o600)
			os.Symlink(victim, file)
			return victim
		}},
		{"dangling symlink", func(t *testing.T, lockDir, file string) string {
			victim := filepath.Join(filepath.Dir(lockDir), "victim-new")
			os.Symlink(victim, file)
			return victim
		}},
		{"FIFO", func(t *testing.T, lockDir, file string) string {
			if err := syscall.Mkfifo(file, 0o600); err != nil {
				t.Skip(err)
			}
			return ""
		}},
		{"folder others can write", func(t *testing.T, lockDir, file string) string {
			os.Chmod(lockDir, 0o777)
			return ""
		}},
	} {
		for _, which := range []string{"logout", "step"} {
			t.Run(tc.name+"/"+which, func(t *testing.T) {
				lockDir := filepath.Join(t.TempDir(), "locks")
				os.Mkdir(lockDir, 0o700)
				m := &Manager{LockDir: lockDir}
				file := m.logoutPaths("")[0]
				if which == "step" {
					file = m.stepPath(p)
				}
				victim := tc.setup(t, lockDir, file)
				done := make(chan struct{})
				go func() {
					defer close(done)
					if which == "logout" {
						m.logoutMark(p.Name)
						if err := m.markLogout(""); err == nil {
							t.Errorf("markLogout: no error")
						}
					} else {
						m.lastStep(p, nil)
						userdir.WriteFile(m.stepPath(p), []byte("1\n"))
					}
				}()
				select {
				case <-done:
				case <-time.After(3 * time.Second):
					t.Fatal("hung on the state file")
				}
				if victim != "" {
					b, err := os.ReadFile(victim)
					if tc.name == "dangling symlink" && err == nil || tc.name != "dangling symlink" && string(b) != users {
						t.Errorf("the victim was written: %q, %v", b, err)
					}
				}
				if tc.name == "folder others can write" {
					if _, err := os.Lstat(file); err == nil {
						t.Errorf("%s was written in a folder others can write", file)
					}
				}
			})
		}
	}
}
