//go:build !windows

package userdir

import (
	"os"
	"path/filepath"
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
