package session

import (
	"io"
	"os"
	"path/filepath"

	"github.com/mfa-git/mfa-git/internal/atomicfile"
	"github.com/mfa-git/mfa-git/internal/userdir"
)

// readState reads one of the small state files kept beside the lock
// files (the last code's step, logout marks): a regular file of the
// user's in a folder no one else can write, never through a symlink and
// never blocking on a FIFO. A missing or unsafe file reads as empty.
func readState(path string) []byte {
	if userdir.Check(filepath.Dir(path)) != nil {
		return nil
	}
	f, err := userdir.OpenFile(path, os.O_RDONLY)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 4096))
	return b
}

// writeState replaces a state file in a private folder (made 0700 if
// missing), never through a symlink.
func writeState(path string, data []byte) error {
	if err := userdir.Private(filepath.Dir(path)); err != nil {
		return err
	}
	if fi, err := os.Lstat(path); err == nil && !fi.Mode().IsRegular() {
		return &userdir.UnsafeError{Path: path, Reason: "is not a regular file; mfa-git does not follow symlinks to its own files"}
	}
	return atomicfile.Write(path, data, 0o600)
}
