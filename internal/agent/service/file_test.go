//go:build !windows

package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// WriteFile replaces only a service file mfa-git wrote, never through a
// symlink, and makes its log file only in a private folder, never through
// a symlink either. Installed tells uninstall the same.
func TestServiceFileOnlyOurs(t *testing.T) {
	const ours = "# Written by mfa-git agent install; removed by mfa-git agent uninstall.\n[Unit]\n"
	const users = "user's own file\n"
	for _, tc := range []struct {
		name string
		// setup prepares dir; it returns files that must keep their content.
		setup     func(t *testing.T, unit, log string) map[string]string
		wantErr   bool
		installed bool
		foreign   bool // Installed reports a file install did not write
	}{
		{"fresh", func(t *testing.T, unit, log string) map[string]string { return nil }, false, false, false},
		{"replaces its own file", func(t *testing.T, unit, log string) map[string]string {
			os.WriteFile(unit, []byte(ours+"old\n"), 0o600)
			return nil
		}, false, true, false},
		{"user's file without the mark", func(t *testing.T, unit, log string) map[string]string {
			os.WriteFile(unit, []byte(users), 0o644)
			return map[string]string{unit: users}
		}, true, true, true},
		{"symlink to the user's file", func(t *testing.T, unit, log string) map[string]string {
			victim := filepath.Join(filepath.Dir(filepath.Dir(unit)), "victim-unit")
			os.WriteFile(victim, []byte(ours), 0o644) // even with the mark
			os.Symlink(victim, unit)
			return map[string]string{victim: ours}
		}, true, true, true},
		{"dangling symlink", func(t *testing.T, unit, log string) map[string]string {
			victim := filepath.Join(filepath.Dir(filepath.Dir(unit)), "victim-new")
			os.Symlink(victim, unit)
			return map[string]string{victim: ""}
		}, true, true, true},
		{"folder at the path", func(t *testing.T, unit, log string) map[string]string {
			os.Mkdir(unit, 0o700)
			return nil
		}, true, true, true},
		{"symlink at the log", func(t *testing.T, unit, log string) map[string]string {
			os.MkdirAll(filepath.Dir(log), 0o700)
			victim := filepath.Join(filepath.Dir(filepath.Dir(log)), "victim-log")
			os.Symlink(victim, log)
			return map[string]string{victim: "", unit: ""}
		}, true, false, false},
		{"log folder others can write", func(t *testing.T, unit, log string) map[string]string {
			os.MkdirAll(filepath.Dir(log), 0o777)
			os.Chmod(filepath.Dir(log), 0o777)
			return map[string]string{log: "", unit: ""}
		}, true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			unit := filepath.Join(d, "LaunchAgents", "x.plist")
			os.MkdirAll(filepath.Dir(unit), 0o700)
			log := filepath.Join(d, "cache", "mfa-git", "agent.log")
			keep := tc.setup(t, unit, log)
			s := &Definition{Path: unit, Content: ours + "new\n", LogFile: log}
			installed, ierr := s.Installed()
			isForeign := ierr != nil && strings.HasSuffix(ierr.Error(), "; mfa-git changes only the file it wrote")
			if installed != tc.installed || isForeign != tc.foreign {
				t.Errorf("Installed: %v, %v; want %v, foreign %v", installed, ierr, tc.installed, tc.foreign)
			}
			if isForeign && hint.Of(ierr) == "" {
				t.Error("no hint")
			}
			err := s.WriteFile()
			if (err != nil) != tc.wantErr {
				t.Fatalf("WriteFile: %v; want error %v", err, tc.wantErr)
			}
			for path, want := range keep {
				b, rerr := os.ReadFile(path)
				if want == "" && rerr == nil {
					t.Errorf("%s was created", path)
				} else if want != "" && string(b) != want {
					t.Errorf("%s changed: %q", path, b)
				}
			}
			if err == nil {
				if b, _ := os.ReadFile(unit); string(b) != s.Content {
					t.Errorf("unit: %q", b)
				}
				if fi, err := os.Lstat(log); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
					t.Errorf("log: %v, %v", fi, err)
				}
			}
		})
	}
}
