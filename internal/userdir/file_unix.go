//go:build !windows

package userdir

import (
	"errors"
	"os"
	"syscall"

	"github.com/mfa-git/mfa-git/internal/syserr"
)

// OpenFile opens path with flag (os.O_CREATE and the like), creating it
// with mode 0600. It never follows a symlink at path and never blocks on a
// FIFO there: what it opens must be a regular file that belongs to the
// current user, else it returns an *UnsafeError. Use it for mfa-git's own
// files: logs, lock files.
func OpenFile(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, &UnsafeError{path, "is a symlink; mfa-git does not follow symlinks to its own files"}
	}
	if err != nil {
		return nil, syserr.Explain(err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &UnsafeError{path, "is not a regular file"}
	}
	if err := checkOwner(path, fi, 0o022); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
