//go:build !windows

package keystore

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// unsafeStateDirs builds, under a fresh folder, the places another local
// user could prepare for mfa-git's state: a symlink at the file, a folder
// others can write, a symlinked folder. It returns the state folder and
// the file name to use, and the victim that must not appear.
func unsafeStateDirs(t *testing.T) map[string]func(t *testing.T) (dir, victim string) {
	return map[string]func(t *testing.T) (string, string){
		"symlink at the file": func(t *testing.T) (string, string) {
			base := t.TempDir()
			dir := filepath.Join(base, "state")
			os.Mkdir(dir, 0o700)
			return dir, filepath.Join(base, "victim")
		},
		"folder others can write": func(t *testing.T) (string, string) {
			base := t.TempDir()
			dir := filepath.Join(base, "state")
			os.Mkdir(dir, 0o777)
			os.Chmod(dir, 0o777)
			return dir, ""
		},
		"group-writable folder": func(t *testing.T) (string, string) {
			base := t.TempDir()
			dir := filepath.Join(base, "state")
			os.Mkdir(dir, 0o770)
			os.Chmod(dir, 0o770)
			return dir, ""
		},
		"symlinked folder": func(t *testing.T) (string, string) {
			base := t.TempDir()
			real := filepath.Join(base, "elsewhere")
			os.Mkdir(real, 0o700)
			dir := filepath.Join(base, "state")
			os.Symlink(real, dir)
			return dir, ""
		},
	}
}

// The keychain index lock never follows a symlink and never uses a folder
// another user could write.
func TestLockFileRefusesUnsafe(t *testing.T) {
	for name, setup := range unsafeStateDirs(t) {
		t.Run(name, func(t *testing.T) {
			dir, victim := setup(t)
			lock := filepath.Join(dir, "keychain-index.lock")
			if victim != "" {
				os.Symlink(victim, lock)
			}
			unlock, err := lockFile(lock, time.Second)
			if err == nil {
				unlock()
				t.Errorf("lockFile in %s: no error", name)
			}
			if victim != "" {
				if _, err := os.Lstat(victim); err == nil {
					t.Errorf("lockFile followed the symlink and created %s", victim)
				}
			}
		})
	}
	// A missing folder is made 0700 and the lock works.
	dir := filepath.Join(t.TempDir(), "new", "state")
	unlock, err := lockFile(filepath.Join(dir, "x.lock"), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if fi, _ := os.Stat(dir); fi == nil || fi.Mode().Perm() != testenv.Perm(0o700, true) {
		t.Errorf("lock folder mode %v, want 0700", fi)
	}
}

// The one-time notice's marker is written the same way; an unsafe place
// only costs the notice being shown again.
func TestAnnounceOnceRefusesUnsafe(t *testing.T) {
	for name, setup := range unsafeStateDirs(t) {
		t.Run(name, func(t *testing.T) {
			dir, victim := setup(t)
			if victim != "" {
				os.Symlink(victim, filepath.Join(dir, "notice-"+File))
			}
			var out bytes.Buffer
			announceOnce(Config{StateDir: dir, Notice: noticeTo(&out)}, File)
			if victim != "" {
				if _, err := os.Lstat(victim); err == nil {
					t.Errorf("announceOnce followed the symlink and created %s", victim)
				}
				return
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Errorf("announceOnce wrote %v into %s", entries, name)
			}
		})
	}
	dir := filepath.Join(t.TempDir(), "state")
	var out bytes.Buffer
	announceOnce(Config{StateDir: dir, Notice: noticeTo(&out)}, File)
	announceOnce(Config{StateDir: dir, Notice: noticeTo(&out)}, File)
	if n := strings.Count(out.String(), "keeping sessions in"); n != 1 {
		t.Errorf("notice shown %d times, want 1:\n%s", n, out.String())
	}
}

// noticeTo prints notices to w as cmd does.
func noticeTo(w io.Writer) func(error) {
	return func(err error) { fmt.Fprintf(w, "mfa-git: %v\nmfa-git: hint: %s\n", err, hint.Of(err)) }
}
