//go:build !windows

package userdir

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ReadFile and WriteFile keep to a regular file of ours in a private
// folder: never through a symlink, never blocking on a FIFO, never in a
// folder others can write, and at most limit bytes read.
func TestReadWriteFile(t *testing.T) {
	const users = "the user's own file\n"
	for _, tc := range []struct {
		name   string
		setup  func(t *testing.T, dir, file string) (victim string)
		readOK bool // ReadFile succeeds (WriteFile then does too)
	}{
		{"absent", func(t *testing.T, dir, file string) string { return "" }, false},
		{"our file", func(t *testing.T, dir, file string) string {
			os.WriteFile(file, []byte("1234567890"), 0o600)
			return ""
		}, true},
		{"symlink to the user's file", func(t *testing.T, dir, file string) string {
			victim := filepath.Join(filepath.Dir(dir), "victim")
			os.WriteFile(victim, []byte(users), 0o600)
			os.Symlink(victim, file)
			return victim
		}, false},
		{"FIFO", func(t *testing.T, dir, file string) string {
			if err := syscall.Mkfifo(file, 0o600); err != nil {
				t.Skip(err)
			}
			return ""
		}, false},
		{"folder others can write", func(t *testing.T, dir, file string) string {
			os.WriteFile(file, []byte("1234567890"), 0o600)
			os.Chmod(dir, 0o777)
			return ""
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "state")
			os.Mkdir(dir, 0o700)
			file := filepath.Join(dir, "f")
			victim := tc.setup(t, dir, file)
			done := make(chan error, 1)
			go func() {
				b, err := ReadFile(file, 4)
				if err == nil && string(b) != "1234" {
					t.Errorf("ReadFile read %q, want the first 4 bytes", b)
				}
				done <- err
			}()
			select {
			case err := <-done:
				if (err == nil) != tc.readOK {
					t.Fatalf("ReadFile: %v, want ok %v", err, tc.readOK)
				}
			case <-time.After(3 * time.Second):
				t.Fatal("ReadFile hung")
			}
			err := WriteFile(file, []byte("new\n"))
			if wantOK := tc.readOK || tc.name == "absent"; (err == nil) != wantOK {
				t.Fatalf("WriteFile: %v, want ok %v", err, wantOK)
			}
			if err == nil {
				if fi, _ := os.Lstat(file); fi == nil || fi.Mode() != 0o600 {
					t.Errorf("written file: %v, want a regular file 0600", fi)
				}
			}
			if victim != "" {
				if b, _ := os.ReadFile(victim); string(b) != users {
					t.Errorf("the symlink's target was changed: %q", b)
				}
			}
		})
	}
}

// TestRealSystemErrors makes the system fail as it does for a user, and
// checks that userdir's error says the cause, with its hint: a folder
// name longer than a file system takes (ENAMETOOLONG), and a symlink
// loop on the way (ELOOP).
func TestRealSystemErrors(t *testing.T) {
	d := t.TempDir()
	if err := os.Symlink("loop", filepath.Join(d, "loop")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, sentence, hint string
	}{
		{"name too long", filepath.Join(d, strings.Repeat("n", 300), "state"), "the path is too long for this system", "use a shorter path"},
		{"symlink loop", filepath.Join(d, "loop", "state"), "too many symlinks", "replace the symlink at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := WriteFile(filepath.Join(c.path, "file"), []byte("x"))
			if err == nil || !strings.Contains(err.Error(), c.sentence) {
				t.Errorf("WriteFile: %v, want %q", err, c.sentence)
			}
			var h interface{ Hint() string }
			if !errors.As(err, &h) || !strings.Contains(h.Hint(), c.hint) {
				t.Errorf("hint of %v: want %q", err, c.hint)
			}
		})
	}
}
