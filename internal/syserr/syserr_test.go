package syserr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestExplain injects each system error the way the call sites meet it
// (a *fs.PathError wrapped with context) and checks the sentence that
// replaces the system's words, and the hint for that cause, naming the
// path where it helps.
func TestExplain(t *testing.T) {
	const path = "/home/u/.cache/mfa-git/x.lock"
	cases := []struct {
		errno    syscall.Errno
		sentence string
		hint     string
		notHint  string
	}{
		{syscall.EROFS, "the folder is on a read-only file system", "remount the file system that holds " + path + " read-write", "ls -ld"},
		{syscall.ENOSPC, "the disk is full", "free some space on the disk that holds " + path, "quota"},
		{syscall.EDQUOT, "you are over your disk quota", "quota -s", "free some space"},
		{syscall.EACCES, "permission denied", "make " + path + " yours and writable by you", "read-only"},
		{syscall.EPERM, "the operation is not permitted", "ls -ld " + path, "read-only"},
		{syscall.ELOOP, "there are too many symlinks, or a symlink where a file was expected", "replace the symlink at " + path, "writable"},
		{syscall.ENAMETOOLONG, "the path is too long", "use a shorter path", "writable"},
	}
	for _, c := range cases {
		t.Run(c.errno.Error(), func(t *testing.T) {
			orig := fmt.Errorf("open lock file: %w", &fs.PathError{Op: "open", Path: path, Err: c.errno})
			err := Explain(orig)
			if want := "open lock file: open " + path + ": " + c.sentence; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("message %q, want %q", err, want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not an *Error", err)
			}
			if !strings.Contains(e.Hint(), c.hint) || strings.Contains(e.Hint(), c.notHint) {
				t.Errorf("hint %q, want %q and not %q", e.Hint(), c.hint, c.notHint)
			}
			if !errors.Is(err, c.errno) || !errors.Is(err, orig) {
				t.Error("the system error is lost")
			}
			if Explain(err) != err {
				t.Error("explained twice")
			}
		})
	}
	// Not in the table, or no system error: unchanged.
	for _, err := range []error{nil, errors.New("plain"), &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT}} {
		if got := Explain(err); got != err {
			t.Errorf("Explain(%v) = %v, want it unchanged", err, got)
		}
	}
	// A rename names the new path.
	err := Explain(&os.LinkError{Op: "rename", Old: "/a/.tmp", New: "/a/file", Err: syscall.EROFS})
	if e := err.(*Error); !strings.Contains(e.Hint(), "/a/file") {
		t.Errorf("rename: hint %q", e.Hint())
	}
}
