//go:build !windows

package gitconfig

import (
	"os"
	"path/filepath"
	"testing"
)

// Setup's records live in a folder of the user's that no one else can
// write, and are never written or read through a symlink: setup refuses
// and leaves the git config as it was.
func TestSetupRecordFolderPrivate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, state string) (victim string)
	}{
		{"folder others can write", func(t *testing.T, state string) string {
			os.Mkdir(state, 0o777)
			os.Chmod(state, 0o777)
			return ""
		}},
		{"group-writable folder", func(t *testing.T, state string) string {
			os.Mkdir(state, 0o770)
			os.Chmod(state, 0o770)
			return ""
		}},
		{"symlinked folder", func(t *testing.T, state string) string {
			real := state + "-elsewhere"
			os.Mkdir(real, 0o700)
			os.Symlink(real, state)
			return ""
		}},
		{"symlink at the record", func(t *testing.T, state string) string {
			os.Mkdir(state, 0o700)
			victim := filepath.Join(filepath.Dir(state), "victim")
			sp, err := File{StateDir: state}.statePath(os.Getenv("GIT_CONFIG_GLOBAL"))
			if err != nil {
				t.Fatal(err)
			}
			os.Symlink(victim, sp)
			return victim
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, state := isolateGit(t)
			os.WriteFile(cfg, []byte(userConfig), 0o600)
			victim := tc.setup(t, state)
			g := File{Scope: "global", StateDir: state}
			if _, err := g.Configure(Entries("mfa-git")); err == nil {
				t.Errorf("setup with %s: no error", tc.name)
			}
			if b, _ := os.ReadFile(cfg); string(b) != userConfig {
				t.Errorf("the git config changed:\n%s", b)
			}
			if victim != "" {
				if _, err := os.Lstat(victim); err == nil {
					t.Errorf("setup wrote its record through the symlink to %s", victim)
				}
			}
		})
	}
}
